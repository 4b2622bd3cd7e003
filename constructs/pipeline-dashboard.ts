import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import type { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import type { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import type { NodejsFunction } from './nodejs-function';
import { OpsAlarms } from './ops-alarms';
import type { SecureBucket } from './secure-bucket';
import type { SecureQueue } from './secure-queue';
import type { SecureTable } from './secure-table';
import type { SecureTopic } from './secure-topic';
import type { StateMachine } from './state-machine';

/** One line of a metric widget: namespace, metric name, dimension pairs, then its options. */
type MetricLine = readonly (string | { readonly label?: string; readonly stat?: string; readonly yAxis?: 'left' | 'right' })[];

/** One panel of the dashboard: a stage of the pipeline and the metrics that show how it is doing. */
export interface DashboardPanel {
  readonly title: string;
  readonly metrics: readonly MetricLine[];
  /** How each metric is aggregated per period unless a line says otherwise. @default Sum */
  readonly stat?: string;
  /** Where the metrics are published, if not in the dashboard's region (CloudFront's: us-east-1). */
  readonly region?: string;
}

/** CloudFront publishes every distribution's metrics here, whatever region its stack is in. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

/**
 * The panels a pipeline is made of, one per stage, named after what a person watches
 * there. Each returns a panel to be placed in the order the data flows.
 */
export const dashboardPanels = {
  requests(title: string, api: ApiGatewayRestApi, stage: ApiGatewayStage): DashboardPanel {
    const dimensions = ['ApiName', api.name, 'Stage', stage.stageName];
    return {
      title,
      metrics: [
        ['AWS/ApiGateway', 'Count', ...dimensions, { label: 'requests' }],
        ['AWS/ApiGateway', '4XXError', ...dimensions, { label: '4XX' }],
        ['AWS/ApiGateway', '5XXError', ...dimensions, { label: '5XX' }],
        ['AWS/ApiGateway', 'Latency', ...dimensions, { label: 'latency p99 (ms)', stat: 'p99', yAxis: 'right' }],
      ],
    };
  },

  queue(title: string, queue: SecureQueue, deadLetterQueue?: SecureQueue): DashboardPanel {
    const depth = (of: SecureQueue, label: string): MetricLine => ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', of.queue.name, { label, stat: 'Maximum' }];
    return {
      title,
      metrics: [
        depth(queue, 'waiting'),
        ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', queue.queue.name, { label: 'oldest (s)', stat: 'Maximum', yAxis: 'right' }],
        ...(deadLetterQueue ? [depth(deadLetterQueue, 'dead letters')] : []),
      ],
    };
  },

  function(title: string, fn: NodejsFunction): DashboardPanel {
    const dimensions = ['FunctionName', fn.function.functionName];
    return {
      title,
      metrics: [
        ['AWS/Lambda', 'Invocations', ...dimensions, { label: 'invocations' }],
        ['AWS/Lambda', 'Errors', ...dimensions, { label: 'errors' }],
        ['AWS/Lambda', 'Throttles', ...dimensions, { label: 'throttles' }],
        ['AWS/Lambda', 'Duration', ...dimensions, { label: 'duration p99 (ms)', stat: 'p99', yAxis: 'right' }],
      ],
    };
  },

  /** A table's writes, and how far behind its stream's reader is (the reader function's IteratorAge). */
  table(title: string, table: SecureTable, streamReader?: NodejsFunction): DashboardPanel {
    return {
      title,
      metrics: [
        ['AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'TableName', table.table.name, { label: 'writes (WCU)' }],
        ['AWS/DynamoDB', 'ThrottledRequests', 'TableName', table.table.name, { label: 'throttled' }],
        ...(streamReader
          ? [['AWS/Lambda', 'IteratorAge', 'FunctionName', streamReader.function.functionName, { label: 'stream age (ms)', stat: 'Maximum', yAxis: 'right' }] as const]
          : []),
      ],
    };
  },

  bucket(title: string, bucket: SecureBucket): DashboardPanel {
    // Daily storage metrics: S3 reports them once a day, so the panel averages over the day.
    const dimensions = ['BucketName', bucket.bucket.bucket];
    return {
      title,
      stat: 'Average',
      metrics: [
        ['AWS/S3', 'NumberOfObjects', ...dimensions, 'StorageType', 'AllStorageTypes', { label: 'objects' }],
        ['AWS/S3', 'BucketSizeBytes', ...dimensions, 'StorageType', 'StandardStorage', { label: 'bytes', yAxis: 'right' }],
      ],
    };
  },

  notifications(title: string, topic: SecureTopic): DashboardPanel {
    const dimensions = ['TopicName', topic.topic.name];
    return {
      title,
      metrics: [
        ['AWS/SNS', 'NumberOfMessagesPublished', ...dimensions, { label: 'published' }],
        ['AWS/SNS', 'NumberOfNotificationsDelivered', ...dimensions, { label: 'delivered' }],
        ['AWS/SNS', 'NumberOfNotificationsFailed', ...dimensions, { label: 'failed' }],
      ],
    };
  },

  executions(title: string, machine: StateMachine): DashboardPanel {
    const dimensions = ['StateMachineArn', machine.stateMachine.arn];
    return {
      title,
      metrics: [
        ['AWS/States', 'ExecutionsStarted', ...dimensions, { label: 'started' }],
        ['AWS/States', 'ExecutionsSucceeded', ...dimensions, { label: 'succeeded' }],
        ['AWS/States', 'ExecutionsFailed', ...dimensions, { label: 'failed' }],
        ['AWS/States', 'ExecutionsTimedOut', ...dimensions, { label: 'timed out' }],
        ['AWS/States', 'ExecutionTime', ...dimensions, { label: 'time p99 (ms)', stat: 'p99', yAxis: 'right' }],
      ],
    };
  },

  /** A CloudFront distribution: what viewers asked for, and the share answered with errors. */
  distribution(title: string, distribution: CloudfrontDistribution): DashboardPanel {
    const dimensions = ['DistributionId', distribution.id, 'Region', 'Global'];
    return {
      title,
      region: CLOUDFRONT_METRICS_REGION,
      metrics: [
        ['AWS/CloudFront', 'Requests', ...dimensions, { label: 'requests' }],
        ['AWS/CloudFront', '4xxErrorRate', ...dimensions, { label: '4xx (%)', stat: 'Average', yAxis: 'right' }],
        ['AWS/CloudFront', '5xxErrorRate', ...dimensions, { label: '5xx (%)', stat: 'Average', yAxis: 'right' }],
      ],
    };
  },

  database(title: string, cluster: RdsCluster): DashboardPanel {
    const dimensions = ['DBClusterIdentifier', cluster.clusterIdentifier];
    return {
      title,
      stat: 'Maximum',
      metrics: [
        ['AWS/RDS', 'ACUUtilization', ...dimensions, { label: 'ACU used (%)' }],
        ['AWS/RDS', 'ServerlessDatabaseCapacity', ...dimensions, { label: 'ACUs' }],
        ['AWS/RDS', 'DatabaseConnections', ...dimensions, { label: 'connections', yAxis: 'right' }],
      ],
    };
  },
};

export interface PipelineDashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  /** In the order the data flows, as the pipeline's diagram in the README reads. */
  readonly panels: readonly DashboardPanel[];
}

/** Panels per row: CloudWatch's grid is 24 units wide. */
const PANEL_WIDTH = 8;
const PANEL_HEIGHT = 6;
const GRID_WIDTH = 24;

/**
 * A CloudWatch dashboard that reads like the pipeline's diagram: one panel per stage, left
 * to right and then on the next row, each a minute at a time.
 */
export class PipelineDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const perRow = GRID_WIDTH / PANEL_WIDTH;
    // Last, after the stages: how often the stack's alarms went off.
    const opsTopic = OpsAlarms.of(this)?.madeTopic;
    const panels = opsTopic ? [...props.panels, dashboardPanels.notifications('alarms raised (ops topic)', opsTopic)] : props.panels;
    const widgets = panels.map((panel, index) => ({
      type: 'metric',
      x: (index % perRow) * PANEL_WIDTH,
      y: Math.floor(index / perRow) * PANEL_HEIGHT,
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      properties: {
        title: `${index + 1}. ${panel.title}`,
        region: panel.region ?? props.region,
        view: 'timeSeries',
        stacked: false,
        period: 60,
        stat: panel.stat ?? 'Sum',
        metrics: panel.metrics,
      },
    }));
    // Names and ARNs in the metrics are Terraform references: they resolve inside the string.
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ widgets }),
    });
  }
}

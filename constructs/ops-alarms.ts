import { Construct, IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { accountRootOf, arnPart } from './arn';
import { policyDocument } from './iam/policy-document';
import { SecureTopic } from './secure-topic';

/*
 * Every alarm of the project, with where its threshold comes from. The constructs that
 * make a resource (NodejsFunction, SecureQueue, DynamoDBStreamsToLambda, deployStage,
 * StateMachine, AuroraMysqlServerless, SecureTopic) ask the stack's OpsAlarms to watch it,
 * so that a new resource has its alarms without anyone listing it; the alarm-coverage test
 * (__tests__/stacks/alarm-coverage.test.ts) fails for any resource that has none.
 *
 * Sources:
 * - [AWS-REC] CloudWatch User Guide, "Best practice alarm recommendations for AWS services"
 *   (Recommended alarms): Lambda, SQS, API Gateway, Step Functions, SNS, RDS, CloudFront.
 * - [SC] AWS Solutions Constructs' default alarms (core/lib/*-helper: buildDeadLetterQueue,
 *   buildLambdaFunction, ApiGateway and DynamoDB helpers).
 * - [GUIDE] ../shared/GUIDE.md, "Operations": the same figures as this team uses them.
 *
 * treat_missing_data: counts (errors, throttles, failed executions, messages) are only
 * published when something happened, so missing data means "nothing happened" and is
 * notBreaching. Gauges of a running resource (database utilization) keep `missing`: no
 * data there means the metric stopped, which should show as INSUFFICIENT_DATA, not OK.
 */

type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
type MissingData = 'notBreaching' | 'missing';

interface Threshold {
  readonly statistic?: 'Sum' | 'Average' | 'Maximum';
  readonly extendedStatistic?: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: MissingData;
  /** Where the figure comes from: one of the sources above, and what it says. */
  readonly source: string;
}

/** The thresholds, one per check, each with its source. */
export const RECOMMENDED = {
  /** A dead-letter or failure queue should stay empty: one message is a failure a person must look at. */
  queueMessagesVisible: {
    statistic: 'Maximum', comparison: 'GreaterThanThreshold', threshold: 0, periodSeconds: 60, evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    source: '[AWS-REC] SQS ApproximateNumberOfMessagesVisible on a DLQ > 0; [SC] buildDeadLetterQueue; [GUIDE] > 0 over 1 minute',
  },
  /**
   * A work queue whose oldest message is older than maxReceiveCount visibility timeouts:
   * by then Lambda should have either processed it or moved it to the dead-letter queue,
   * so the consumer has stalled (throttled, disabled, or failing to poll). Threshold per queue.
   */
  queueOldestMessageAge: {
    statistic: 'Maximum', comparison: 'GreaterThanOrEqualToThreshold', threshold: Number.NaN, periodSeconds: 60,
    evaluationPeriods: 5, datapointsToAlarm: 5, treatMissingData: 'notBreaching',
    source: '[AWS-REC] SQS ApproximateAgeOfOldestMessage, threshold from the time a message is expected to take',
  },
  functionErrors: {
    statistic: 'Sum', comparison: 'GreaterThanThreshold', threshold: 0, periodSeconds: 60, evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    source: '[AWS-REC] Lambda Errors; [SC] buildLambdaFunction errors alarm; [GUIDE] Errors > 0',
  },
  functionThrottles: {
    statistic: 'Sum', comparison: 'GreaterThanThreshold', threshold: 0, periodSeconds: 60, evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    source: '[AWS-REC] Lambda Throttles; [GUIDE] Throttles > 0',
  },
  /** Threshold per function: DURATION_SHARE_OF_TIMEOUT of its timeout, in milliseconds. */
  functionDuration: {
    extendedStatistic: 'p99', comparison: 'GreaterThanOrEqualToThreshold', threshold: Number.NaN, periodSeconds: 60,
    evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'notBreaching',
    source: '[AWS-REC] Lambda Duration p99 near the timeout; [GUIDE] Duration p99 near the timeout (here 80%)',
  },
  /** Milliseconds: the operational alarm; the data-loss one is the failure queue's (records age out there after an hour). */
  streamIteratorAge: {
    statistic: 'Maximum', comparison: 'GreaterThanOrEqualToThreshold', threshold: 60_000, periodSeconds: 60,
    evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'notBreaching',
    source: '[AWS-REC] Lambda IteratorAge; [GUIDE] an operational alarm around 60 s',
  },
  api5xxRate: {
    statistic: 'Average', comparison: 'GreaterThanOrEqualToThreshold', threshold: 0.05, periodSeconds: 60,
    evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'notBreaching',
    source: '[AWS-REC] API Gateway 5XXError average 0.05, 3 of 3 minutes; [GUIDE] >= 0.05',
  },
  /** A warning: clients sending bad requests is not always the pipeline's fault. */
  api4xxRate: {
    statistic: 'Average', comparison: 'GreaterThanThreshold', threshold: 0.05, periodSeconds: 60,
    evaluationPeriods: 5, datapointsToAlarm: 5, treatMissingData: 'notBreaching',
    source: '[AWS-REC] API Gateway 4XXError average 0.05, 5 of 5 minutes; [GUIDE] > 0.05 as a warning',
  },
  executionsFailed: {
    statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', threshold: 1, periodSeconds: 300, evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    source: '[AWS-REC] Step Functions ExecutionsFailed; [GUIDE] >= 1 in 5 minutes',
  },
  executionsTimedOut: {
    statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', threshold: 1, periodSeconds: 300, evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    source: '[AWS-REC] Step Functions ExecutionsTimedOut; [GUIDE] >= 1 in 5 minutes',
  },
  executionThrottled: {
    statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', threshold: 1, periodSeconds: 300, evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    source: '[AWS-REC] Step Functions ExecutionThrottled; [GUIDE] >= 1 in 5 minutes',
  },
  /** Percent of the cluster's maximum capacity, sustained for 15 minutes: time to raise maxCapacity. */
  databaseCapacity: {
    statistic: 'Average', comparison: 'GreaterThanOrEqualToThreshold', threshold: 90, periodSeconds: 300,
    evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'missing',
    source: '[AWS-REC] RDS/Aurora Serverless v2 ACUUtilization near 100% (capacity at its maximum)',
  },
  /** Threshold per cluster: DATABASE_CONNECTIONS_SHARE of the connections its maximum capacity allows. */
  databaseConnections: {
    statistic: 'Maximum', comparison: 'GreaterThanOrEqualToThreshold', threshold: Number.NaN, periodSeconds: 300,
    evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'missing',
    source: '[AWS-REC] RDS DatabaseConnections, threshold from max_connections (here 80% of it)',
  },
  /**
   * Percent of a distribution's requests answered 5xx (its own errors and its origins'). AWS
   * leaves the figure to the tolerance for errors; 5% is the share the APIs behind it alarm at.
   */
  distribution5xxRate: {
    statistic: 'Average', comparison: 'GreaterThanThreshold', threshold: 5, periodSeconds: 60,
    evaluationPeriods: 5, datapointsToAlarm: 5, treatMissingData: 'notBreaching',
    source: '[AWS-REC] CloudFront 5xxErrorRate, 5 of 5 minutes, threshold by tolerance (here 5%, as [GUIDE] API 5XXError >= 0.05)',
  },
  topicNotificationsFailed: {
    statistic: 'Sum', comparison: 'GreaterThanThreshold', threshold: 0, periodSeconds: 300, evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    source: '[AWS-REC] SNS NumberOfNotificationsFailed; [GUIDE] > 0',
  },
} satisfies Record<string, Threshold>;

/** [GUIDE] "Duration p99 near the timeout": 80% leaves room to act before invocations time out. */
export const DURATION_SHARE_OF_TIMEOUT = 0.8;
/** [AWS-REC] DatabaseConnections: alarm before max_connections refuses new ones. */
export const DATABASE_CONNECTIONS_SHARE = 0.8;

export interface OpsAlarmsProps {
  /** The ops topic's name, e.g. `dev-orders-pipeline-ops`. */
  readonly topicName: string;
  /** Starts every alarm name; the topic admits alarms under this prefix only. e.g. `dev/orders-pipeline/` */
  readonly alarmNamePrefix: string;
  readonly email?: string;
  readonly sms?: string;
}

interface AlarmProps {
  /** The resource's own name (a plain string), which the alarm name carries. */
  readonly resourceName: string;
  /** What is checked, in the alarm name and construct id: `errors`, `5xx-rate`... */
  readonly check: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  /** References to the resource's attributes, so the alarm names the very resource it watches. */
  readonly dimensions: Record<string, string>;
  readonly threshold: Threshold;
  /** Where the threshold is per resource (Number.NaN in RECOMMENDED). */
  readonly thresholdValue?: number;
}

const OPS_ALARMS_ID = 'ops-alarms';

/**
 * A stack's alarms and the ops topic they publish to. The topic (SSE with a key of its own,
 * owner-only) is made with the first alarm, so a stack without resources to watch has none.
 * Resources find it with `OpsAlarms.of(this)`; outside a stack that has one (a construct's
 * unit test), they are simply not watched.
 */
export class OpsAlarms extends Construct {
  private opsTopic?: SecureTopic;

  /** The stack's OpsAlarms, if it has one. */
  static of(scope: IConstruct): OpsAlarms | undefined {
    const found = TerraformStack.of(scope).node.tryFindChild(OPS_ALARMS_ID);
    return found instanceof OpsAlarms ? found : undefined;
  }

  constructor(scope: TerraformStack, private readonly props: OpsAlarmsProps) {
    super(scope, OPS_ALARMS_ID);
  }

  /** The topic the alarms publish to; undefined until the first alarm is made. */
  get madeTopic(): SecureTopic | undefined {
    return this.opsTopic;
  }

  /** True for the ops topic itself, whose failures it cannot report to itself. */
  owns(construct: IConstruct): boolean {
    return construct.node.scopes.includes(this);
  }

  /** A dead-letter or failure queue: any message in it is a failure. */
  watchFailureQueue(scope: Construct, queueName: string, queueNameRef: string): void {
    this.alarm(scope, {
      resourceName: queueName, check: 'messages-visible', namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible',
      description: `A message reached ${queueName}: something failed for good. Read it, fix the cause, then redrive or delete it.`,
      dimensions: { QueueName: queueNameRef }, threshold: RECOMMENDED.queueMessagesVisible,
    });
  }

  /** A work queue: its oldest message older than any message should live in it. */
  watchWorkQueue(scope: Construct, queueName: string, queueNameRef: string, maxAgeSeconds: number): void {
    this.alarm(scope, {
      resourceName: queueName, check: 'oldest-message-age', namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage',
      description: `A message has waited in ${queueName} for ${maxAgeSeconds} s or more: its consumer is not keeping up or not polling.`,
      dimensions: { QueueName: queueNameRef }, threshold: RECOMMENDED.queueOldestMessageAge, thresholdValue: maxAgeSeconds,
    });
  }

  watchFunction(scope: Construct, functionName: string, functionNameRef: string, timeoutSeconds: number): void {
    const dimensions = { FunctionName: functionNameRef };
    const durationMs = Math.round(timeoutSeconds * 1000 * DURATION_SHARE_OF_TIMEOUT);
    this.alarm(scope, {
      resourceName: functionName, check: 'errors', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions,
      description: `${functionName} failed an invocation: see its log group.`, threshold: RECOMMENDED.functionErrors,
    });
    this.alarm(scope, {
      resourceName: functionName, check: 'throttles', namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions,
      description: `${functionName} was throttled: the account's or the function's concurrency is exhausted.`,
      threshold: RECOMMENDED.functionThrottles,
    });
    this.alarm(scope, {
      resourceName: functionName, check: 'duration', namespace: 'AWS/Lambda', metricName: 'Duration', dimensions,
      description: `${functionName}'s p99 duration is ${durationMs} ms or more, near its ${timeoutSeconds} s timeout.`,
      threshold: RECOMMENDED.functionDuration, thresholdValue: durationMs,
    });
  }

  /** A stream mapping's age is reported per consuming function. */
  watchStreamMapping(scope: Construct, functionName: string, functionNameRef: string): void {
    this.alarm(scope, {
      resourceName: functionName, check: 'iterator-age', namespace: 'AWS/Lambda', metricName: 'IteratorAge',
      description: `${functionName} is 60 s or more behind its stream: records wait, and after an hour go to its failure queue.`,
      dimensions: { FunctionName: functionNameRef }, threshold: RECOMMENDED.streamIteratorAge,
    });
  }

  watchRestApi(scope: Construct, apiName: string, apiNameRef: string, stageRef: string): void {
    const dimensions = { ApiName: apiNameRef, Stage: stageRef };
    this.alarm(scope, {
      resourceName: apiName, check: '5xx-rate', namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions,
      description: `5% or more of ${apiName}'s requests failed on the server side for 3 minutes.`, threshold: RECOMMENDED.api5xxRate,
    });
    this.alarm(scope, {
      resourceName: apiName, check: '4xx-rate-warning', namespace: 'AWS/ApiGateway', metricName: '4XXError', dimensions,
      description: `Warning: over 5% of ${apiName}'s requests were refused (4XX) for 5 minutes: a client or an authorizer problem.`,
      threshold: RECOMMENDED.api4xxRate,
    });
  }

  watchStateMachine(scope: Construct, name: string, arnRef: string): void {
    const dimensions = { StateMachineArn: arnRef };
    const checks = [
      ['executions-failed', 'ExecutionsFailed', 'failed', RECOMMENDED.executionsFailed],
      ['executions-timed-out', 'ExecutionsTimedOut', 'timed out', RECOMMENDED.executionsTimedOut],
      ['executions-throttled', 'ExecutionThrottled', 'was throttled', RECOMMENDED.executionThrottled],
    ] as const;
    for (const [check, metricName, what, threshold] of checks) {
      this.alarm(scope, {
        resourceName: name, check, namespace: 'AWS/States', metricName, dimensions, threshold,
        description: `An execution of ${name} ${what}: see its execution history.`,
      });
    }
  }

  watchAuroraServerless(scope: Construct, clusterName: string, clusterIdentifierRef: string, maxConnections: number): void {
    const dimensions = { DBClusterIdentifier: clusterIdentifierRef };
    const connections = Math.floor(maxConnections * DATABASE_CONNECTIONS_SHARE);
    this.alarm(scope, {
      resourceName: clusterName, check: 'acu-utilization', namespace: 'AWS/RDS', metricName: 'ACUUtilization', dimensions,
      description: `${clusterName} has run at 90% or more of its maximum capacity for 15 minutes: raise maxCapacity or find the load.`,
      threshold: RECOMMENDED.databaseCapacity,
    });
    this.alarm(scope, {
      resourceName: clusterName, check: 'connections', namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions,
      description: `${clusterName} holds ${connections} connections or more, near the ${maxConnections} its capacity allows.`,
      threshold: RECOMMENDED.databaseConnections, thresholdValue: connections,
    });
  }

  /**
   * CloudFront publishes its metrics in us-east-1 only (dimension Region=Global), and an alarm
   * watches metrics of its own region: call this only in a stack deployed to us-east-1.
   */
  watchDistribution(scope: Construct, label: string, distributionIdRef: string): void {
    this.alarm(scope, {
      resourceName: label, check: '5xx-rate', namespace: 'AWS/CloudFront', metricName: '5xxErrorRate',
      description: `More than 5% of ${label}'s requests were answered with a 5xx for 5 minutes: the site bucket or an API behind it is failing.`,
      dimensions: { DistributionId: distributionIdRef, Region: 'Global' }, threshold: RECOMMENDED.distribution5xxRate,
    });
  }

  watchTopic(scope: Construct, topicName: string, topicNameRef: string): void {
    this.alarm(scope, {
      resourceName: topicName, check: 'notifications-failed', namespace: 'AWS/SNS', metricName: 'NumberOfNotificationsFailed',
      description: `${topicName} could not deliver a notification (an email or text): check its subscriptions and the SMS settings.`,
      dimensions: { TopicName: topicNameRef }, threshold: RECOMMENDED.topicNotificationsFailed,
    });
  }

  private alarm(scope: Construct, props: AlarmProps): CloudwatchMetricAlarm {
    const { threshold } = props;
    const value = props.thresholdValue ?? threshold.threshold;
    if (Number.isNaN(value)) throw new Error(`The ${props.check} alarm of ${props.resourceName} needs a threshold of its own`);
    const topicArn = this.topic().arn;
    return new CloudwatchMetricAlarm(scope, `alarm-${props.check}`, {
      alarmName: `${this.props.alarmNamePrefix}${props.resourceName}/${props.check}`,
      alarmDescription: `${props.description} Threshold: ${threshold.source}.`,
      namespace: props.namespace,
      metricName: props.metricName,
      dimensions: props.dimensions,
      statistic: threshold.statistic,
      extendedStatistic: threshold.extendedStatistic,
      comparisonOperator: threshold.comparison,
      threshold: value,
      period: threshold.periodSeconds,
      evaluationPeriods: threshold.evaluationPeriods,
      datapointsToAlarm: threshold.datapointsToAlarm,
      treatMissingData: threshold.treatMissingData,
      // OK too, so whoever was told of a failure is told when it is over.
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
  }

  private topic(): SecureTopic {
    this.opsTopic ??= this.createTopic();
    return this.opsTopic;
  }

  /**
   * The AWS-managed key `alias/aws/sns` cannot be used: its policy cannot be changed, and it
   * does not let CloudWatch generate the data key an alarm's message is encrypted with, so
   * alarms would publish nothing. A key of the topic's own lets CloudWatch use it, for this
   * stack's alarms only (see SNS "Key management", compatibility with AWS services).
   */
  private createTopic(): SecureTopic {
    const key = new KmsKey(this, 'topic-key', {
      description: `Encrypts the ${this.props.topicName} ops topic; usable by CloudWatch alarms ${this.props.alarmNamePrefix}*`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
    });
    const alarmArns = `arn:${arnPart(key.arn, 'partition')}:cloudwatch:${arnPart(key.arn, 'region')}:${arnPart(key.arn, 'account')}:alarm:${this.props.alarmNamePrefix}*`;
    // Its own resource: a policy inside aws_kms_key could not name the key's own ARN parts.
    new KmsKeyPolicy(this, 'topic-key-policy', {
      keyId: key.keyId,
      policy: policyDocument([
        {
          // KMS's default key policy: without it nobody, not even the account, could manage the
          // key again; IAM policies still decide who in the account may use it.
          Sid: 'AccountManagesKeyThroughIam',
          Effect: 'Allow',
          Principal: { AWS: accountRootOf(key.arn) },
          Action: 'kms:*',
          // In a key policy "*" means this key, the only resource a key policy can name.
          Resource: '*',
        },
        {
          Sid: 'CloudWatchAlarmsEncryptMessages',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          // In a key policy "*" means this key.
          Resource: '*',
          // Only on behalf of this stack's alarms in this account (the confused-deputy guard).
          Condition: { StringEquals: { 'aws:SourceAccount': arnPart(key.arn, 'account') }, ArnLike: { 'aws:SourceArn': alarmArns } },
        },
      ]),
    });
    return new SecureTopic(this, 'topic', {
      topicName: this.props.topicName,
      kmsMasterKeyId: key.arn,
      emailSubscription: this.props.email,
      smsSubscription: this.props.sms,
      alarmNamePrefix: this.props.alarmNamePrefix,
    });
  }
}

import { SynthesizedStack, StackJson } from '../../local/stack/synthesized-stack';
import { ApiGatewayAccountStack } from '../../stacks/api-gateway-account';
import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { alarmCoverageProblems } from '../support/alarm-coverage';
import { synthDashboard } from '../support/dashboard-app';
import { fakeAwsAttributes } from '../support/fake-aws';
import { synthStack, TEST_CONFIG, ReportPipelineTestStack } from '../support/synth';

/**
 * Every queue, function, stream mapping, REST API, state machine, database, CloudFront
 * distribution and notification topic of every stack has its alarms, found by the dimensions
 * that name it; and the check itself is shown to fail when any one alarm is removed.
 */
const PIPELINES: [string, () => SynthesizedStack][] = [
  ['orders-pipeline', () => synthStack(OrdersPipelineStack, 'orders-pipeline').stack],
  ['inventory-pipeline', () => synthStack(InventoryPipelineStack, 'inventory-pipeline').stack],
  ['report-pipeline', () => synthStack(ReportPipelineTestStack, 'report-pipeline').stack],
  ['dashboard', () => synthDashboard().stack],
];

describe.each(PIPELINES)('%s', (id, synth) => {
  const stack = synth();
  const alarms = Object.entries(stack.resources('aws_cloudwatch_metric_alarm'));

  it('has an alarm on every resource that can fail unseen', () => {
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarmCoverageProblems(stack)).toEqual([]);
  });

  it('reports the resource whose alarm is removed, for every alarm', () => {
    for (const [name, alarm] of alarms) {
      const json = structuredClone(stack.json) as StackJson;
      delete json.resource!.aws_cloudwatch_metric_alarm[name];
      const problems = alarmCoverageProblems(new SynthesizedStack(json));
      expect({ alarm: alarm.alarm_name, problems }).toEqual({
        alarm: alarm.alarm_name,
        problems: [expect.stringMatching(new RegExp(`: no .*\\b${String(alarm.metric_name)}\\b.* alarm$`))],
      });
    }
  });

  it('reports a new queue nobody alarmed', () => {
    const json = structuredClone(stack.json) as StackJson;
    json.resource!.aws_sqs_queue = { ...json.resource!.aws_sqs_queue };
    json.resource!.aws_sqs_queue['forgotten'] = { name: 'test-forgotten-dlq' };
    expect(alarmCoverageProblems(new SynthesizedStack(json))).toEqual([
      'queue test-forgotten-dlq: no ApproximateNumberOfMessagesVisible or ApproximateAgeOfOldestMessage alarm',
    ]);
  });

  it('names every alarm uniquely under the stack prefix the ops topic admits, and notifies on OK too', () => {
    const names = alarms.map(([, alarm]) => String(alarm.alarm_name));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.startsWith(`test/${id}/`)).toBe(true);
    for (const [, alarm] of alarms) {
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
      expect(['notBreaching', 'missing']).toContain(alarm.treat_missing_data);
    }
  });
});

describe('api-gateway-account', () => {
  it('has nothing to watch, and so no ops topic', () => {
    const { stack } = synthStack(ApiGatewayAccountStack, 'api-gateway-account');
    expect(stack.resources('aws_cloudwatch_metric_alarm')).toEqual({});
    expect(stack.resources('aws_sns_topic')).toEqual({});
    expect(stack.resources('aws_kms_key')).toEqual({});
  });
});

describe('the alarms', () => {
  const { stack } = synthStack(OrdersPipelineStack, 'orders-pipeline');
  const alarm = (name: string) => Object.values(stack.resources('aws_cloudwatch_metric_alarm')).find((config) => config.alarm_name === name)!;

  it('use the recommended thresholds', () => {
    expect(alarm('test/orders-pipeline/test-POC-Queue-dlq/messages-visible')).toMatchObject({
      metric_name: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum', comparison_operator: 'GreaterThanThreshold',
      threshold: 0, period: 60, evaluation_periods: 1, treat_missing_data: 'notBreaching',
    });
    // 80% of the function's 10 s timeout.
    expect(alarm('test/orders-pipeline/test-POC-Lambda-1/duration')).toMatchObject({
      metric_name: 'Duration', extended_statistic: 'p99', comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 8000,
    });
    // 3 receives x the 60 s visibility timeout: by then a message should be processed or in the DLQ.
    expect(alarm('test/orders-pipeline/test-POC-Queue/oldest-message-age')).toMatchObject({ metric_name: 'ApproximateAgeOfOldestMessage', threshold: 180 });
    expect(alarm('test/orders-pipeline/test-POC-Lambda-2/iterator-age')).toMatchObject({ metric_name: 'IteratorAge', statistic: 'Maximum', threshold: 60000 });
    expect(alarm('test/orders-pipeline/test-POC-API/5xx-rate')).toMatchObject({
      metric_name: '5XXError', statistic: 'Average', comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 0.05,
    });
    expect(alarm('test/orders-pipeline/test-POC-API/4xx-rate-warning')).toMatchObject({
      metric_name: '4XXError', statistic: 'Average', comparison_operator: 'GreaterThanThreshold', threshold: 0.05,
    });
  });

  it('say where each threshold comes from', () => {
    for (const config of Object.values(stack.resources('aws_cloudwatch_metric_alarm'))) {
      expect(String(config.alarm_description)).toMatch(/Threshold: .*\[(AWS-REC|SC|GUIDE)\]/);
    }
  });

  it('watch the state machine and the database of the report pipeline', () => {
    const report = synthStack(ReportPipelineTestStack, 'report-pipeline').stack;
    const metrics = Object.values(report.resources('aws_cloudwatch_metric_alarm')).map((config) => `${String(config.namespace)} ${String(config.metric_name)}`);
    expect(metrics).toEqual(
      expect.arrayContaining(['AWS/States ExecutionsFailed', 'AWS/States ExecutionsTimedOut', 'AWS/States ExecutionThrottled', 'AWS/RDS ACUUtilization', 'AWS/RDS DatabaseConnections']),
    );
  });
});

describe('the ops topic', () => {
  const opsTopic = (stack: SynthesizedStack) => {
    const [name, config] = Object.entries(stack.resources('aws_sns_topic')).find(([, topic]) => String(topic.name).endsWith('-ops'))!;
    return { name, config, arn: `\${aws_sns_topic.${name}.arn}` };
  };

  it('is encrypted with a key of its own that CloudWatch alarms of this stack may use', () => {
    const { stack } = synthStack(OrdersPipelineStack, 'orders-pipeline');
    const topic = opsTopic(stack);
    expect(topic.config.name).toBe('test-orders-pipeline-ops');
    const [keyName, key] = Object.entries(stack.resources('aws_kms_key'))[0];
    expect(topic.config.kms_master_key_id).toBe(`\${aws_kms_key.${keyName}.arn}`);
    expect(key.enable_key_rotation).toBe(true);
    const resolve = (text: unknown) => JSON.parse(stack.resolve(String(text), fakeAwsAttributes(stack.region)));
    const keyPolicy = resolve(Object.values(stack.resources('aws_kms_key_policy'))[0].policy);
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: expect.objectContaining({ ArnLike: { 'aws:SourceArn': expect.stringMatching(/:alarm:test\/orders-pipeline\/\*$/) } }),
      }),
    );
    const topicPolicy = Object.values(stack.resources('aws_sns_topic_policy')).find((policy) => policy.arn === topic.arn)!;
    expect(resolve(topicPolicy.policy).Statement).toContainEqual(
      expect.objectContaining({ Sid: 'CloudWatchAlarmsPublish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
    );
  });

  it('subscribes ALARM_EMAIL and ALARM_SMS, and nothing without them', () => {
    const subscriptionsOf = (stack: SynthesizedStack) =>
      Object.values(stack.resources('aws_sns_topic_subscription'))
        .filter((subscription) => subscription.topic_arn === opsTopic(stack).arn)
        .map(({ protocol, endpoint }) => ({ protocol, endpoint }));
    const configured = synthStack(OrdersPipelineStack, 'orders-pipeline', { ...TEST_CONFIG, alarmEmail: 'ops@example.com', alarmSms: '+14155550100' }).stack;
    expect(subscriptionsOf(configured)).toEqual([
      { protocol: 'email', endpoint: 'ops@example.com' },
      { protocol: 'sms', endpoint: '+14155550100' },
    ]);
    const bare = synthStack(OrdersPipelineStack, 'orders-pipeline', { ...TEST_CONFIG, notificationEmail: 'orders@example.com' }).stack;
    expect(subscriptionsOf(bare)).toEqual([]);
  });
});

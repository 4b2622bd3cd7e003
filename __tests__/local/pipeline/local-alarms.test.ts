import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Invocation } from '../../../local/lambda/invocation';
import { startLocalAlarms, type LocalAlarms } from '../../../local/pipeline/local-alarms';
import type { PipelineEvent } from '../../../local/pipeline/pipeline-events';
import type { MetricAlarmSettings } from '../../../local/stack/metric-alarms';

const MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:dev-CreateReport';

const alarm = (alarmName: string, namespace: string, metricName: string, dimensions: Record<string, string>, more: Partial<MetricAlarmSettings> = {}): MetricAlarmSettings => ({
  alarmName,
  namespace,
  metricName,
  dimensions,
  statistic: 'Sum',
  periodSeconds: 60,
  threshold: 0,
  comparison: 'GreaterThanThreshold',
  ...more,
});

const ALARMS = [
  alarm('dlq-not-empty', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'dev-POC-Queue-dlq' }, { statistic: 'Maximum' }),
  alarm('lambda-1-errors', 'AWS/Lambda', 'Errors', { FunctionName: 'dev-POC-Lambda-1' }),
  alarm('lambda-1-duration', 'AWS/Lambda', 'Duration', { FunctionName: 'dev-POC-Lambda-1' }, { statistic: 'p99', threshold: 8000, comparison: 'GreaterThanOrEqualToThreshold' }),
  alarm('lambda-1-throttles', 'AWS/Lambda', 'Throttles', { FunctionName: 'dev-POC-Lambda-1' }),
  alarm('report-failed', 'AWS/States', 'ExecutionsFailed', { StateMachineArn: MACHINE_ARN }, { threshold: 1, comparison: 'GreaterThanOrEqualToThreshold' }),
  alarm('api-5xx', 'AWS/ApiGateway', '5XXError', { ApiName: 'dev-POC-API', Stage: 'v1' }, { statistic: 'Average', threshold: 0.05, comparison: 'GreaterThanOrEqualToThreshold' }),
];

let events: PipelineEvent[];
let alarms: LocalAlarms;
let dlqDepth: number;

beforeEach(() => {
  events = [];
  dlqDepth = 0;
  const sqs = { send: async () => ({ Attributes: { ApproximateNumberOfMessages: String(dlqDepth) } }) } as unknown as SQSClient;
  alarms = startLocalAlarms({
    alarms: ALARMS,
    sqs,
    queueUrlOf: (name) => (name === 'dev-POC-Queue-dlq' ? 'http://127.0.0.1:1/000000000000/dev-POC-Queue-dlq' : undefined),
    stateMachineArnOf: (name) => (name === 'dev-CreateReport' ? MACHINE_ARN : undefined),
    emit: (event) => events.push(event),
    pollIntervalMs: 10,
  });
});

afterEach(() => alarms.stop());

const raised = () => events.flatMap((event) => (event.kind === 'alarm' ? [`${event.alarmName}: ${event.reason}`] : []));
const invocation = (ok: boolean, durationMs = 20): Invocation =>
  ok ? { ok, requestId: 'r', durationMs, result: null } : { ok, requestId: 'r', durationMs, timedOut: false, error: { errorType: 'InvalidOrderError', errorMessage: 'no' } };
const invoked = (ok: boolean, durationMs?: number): PipelineEvent => ({ kind: 'invocation', functionName: 'dev-POC-Lambda-1', source: 'dev-POC-Queue', records: 1, invocation: invocation(ok, durationMs), failedRecords: ok ? 0 : 1 });

test('says which alarms it evaluates, and names those it cannot', () => {
  expect(events[0]).toEqual({ kind: 'alarms', evaluated: 5, notEvaluated: ['lambda-1-throttles (Throttles)'] });
});

test('a message in the dead-letter queue raises its alarm, once', async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(raised()).toEqual([]);
  dlqDepth = 1;
  const deadline = Date.now() + 5000;
  while (raised().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  dlqDepth = 2;
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(raised()).toEqual(['dlq-not-empty: ApproximateNumberOfMessagesVisible 1 (Maximum) > 0: 1 message(s) in dev-POC-Queue-dlq']);
});

test("a function's error and a run near its timeout raise theirs; a success does not", () => {
  alarms.observe(invoked(true));
  expect(raised()).toEqual([]);
  alarms.observe(invoked(false));
  alarms.observe(invoked(true, 8500));
  expect(raised()).toEqual([
    'lambda-1-errors: Errors 1 (Sum) > 0: dev-POC-Lambda-1 failed: InvalidOrderError',
    'lambda-1-duration: Duration 8500 (p99) >= 8000: dev-POC-Lambda-1 ran 8500 ms',
  ]);
});

test('a failed execution raises the state machine alarm; one of another machine does not', () => {
  const failed = (stateMachine: string): PipelineEvent => ({
    kind: 'execution',
    stateMachine,
    event: { type: 'ExecutionFailed', name: 'e-1', error: 'States.TaskFailed', cause: 'boom' } as never,
  });
  alarms.observe(failed('dev-Other'));
  expect(raised()).toEqual([]);
  alarms.observe(failed('dev-CreateReport'));
  expect(raised()).toEqual(['report-failed: ExecutionsFailed 1 (Sum) >= 1: execution e-1 of dev-CreateReport: ExecutionFailed']);
});

test("the API's 5XX alarm fires on the error rate over its period, as CloudWatch's average does", () => {
  const request = (status: number): PipelineEvent => ({ kind: 'request', accessLog: JSON.stringify({ status: String(status) }) });
  for (let i = 0; i < 19; i++) alarms.observe(request(200));
  alarms.observe(request(502));
  expect(raised()).toEqual(['api-5xx: 5XXError 5% (Average) >= 0.05: a request answered 502']);
});

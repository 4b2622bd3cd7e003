/**
 * The stack's CloudWatch alarms, evaluated on what the local runtime observes, so that a
 * developer sees the alarm the deployed stack would raise (a poison order in the
 * dead-letter queue, a function error, a failed execution) before AWS does. Each alarm
 * is read from the synthesized stack, never restated here; one that watches what nothing
 * measures locally (throttles, iterator age, the database's capacity) is named as not
 * evaluated rather than silently kept quiet.
 *
 * An alarm fires once, as CloudWatch notifies once when an alarm enters ALARM; locally
 * nothing brings it back to OK.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RunningPart } from '../running-part';
import { breaches, type MetricAlarmSettings } from '../stack/metric-alarms';
import type { EmitPipelineEvent, PipelineEvent } from './pipeline-events';

export interface LocalAlarmsOptions {
  readonly alarms: readonly MetricAlarmSettings[];
  readonly sqs: SQSClient;
  /** The local URL of a queue by its name, or undefined when the stack makes no such queue. */
  readonly queueUrlOf: (queueName: string) => string | undefined;
  /** A state machine's ARN by its name, as execution events name it. */
  readonly stateMachineArnOf: (name: string) => string | undefined;
  readonly emit: EmitPipelineEvent;
  /** How often queue depths are read, as CloudWatch samples them. @default 1000 */
  readonly pollIntervalMs?: number;
}

export interface LocalAlarms extends Pick<RunningPart, 'stop'> {
  /** Feeds one pipeline event to the alarms that watch what it shows. */
  observe(event: PipelineEvent): void;
}

/** A metric the local runtime sees, as a value per event (or per poll) at a time. */
type Observation = { readonly alarm: MetricAlarmSettings; readonly value: number; readonly what: string };

const EXECUTION_METRICS: Readonly<Record<string, string>> = {
  ExecutionFailed: 'ExecutionsFailed',
  ExecutionTimedOut: 'ExecutionsTimedOut',
  ExecutionAborted: 'ExecutionsAborted',
};

export function startLocalAlarms(options: LocalAlarmsOptions): LocalAlarms {
  const { alarms, emit } = options;
  const fired = new Set<string>();
  /** Per alarm, the times and values of what it saw within its period: a sum or a rate is taken over them. */
  const windows = new Map<string, { at: number; value: number }[]>();

  const evaluated = alarms.filter((alarm) => isObservable(alarm, options));
  const notEvaluated = alarms.filter((alarm) => !evaluated.includes(alarm));
  emit({ kind: 'alarms', evaluated: evaluated.length, notEvaluated: notEvaluated.map((alarm) => `${alarm.alarmName} (${alarm.metricName})`) });

  const raise = ({ alarm, value, what }: Observation): void => {
    if (fired.has(alarm.alarmName)) return;
    const aggregate = aggregateOver(alarm, windows, value);
    if (!breaches(aggregate, alarm)) return;
    fired.add(alarm.alarmName);
    emit({ kind: 'alarm', alarmName: alarm.alarmName, reason: `${alarm.metricName} ${describeValue(alarm, aggregate)} ${comparisonText(alarm)} ${alarm.threshold}: ${what}` });
  };

  const queueAlarms = evaluated.filter((alarm) => alarm.namespace === 'AWS/SQS');
  const pollQueues = async (): Promise<void> => {
    for (const alarm of queueAlarms) {
      if (fired.has(alarm.alarmName)) continue;
      const queueUrl = options.queueUrlOf(alarm.dimensions.QueueName)!;
      try {
        // SQS's attribute for the metric CloudWatch calls ApproximateNumberOfMessagesVisible.
        const { Attributes = {} } = await options.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
        const value = Number(Attributes.ApproximateNumberOfMessages ?? 0);
        raise({ alarm, value, what: `${value} message(s) in ${alarm.dimensions.QueueName}` });
      } catch (error) {
        emit({ kind: 'error', where: `alarm ${alarm.alarmName}`, error });
      }
    }
  };
  let polling: Promise<void> = Promise.resolve();
  const timer = queueAlarms.length === 0 ? undefined : setInterval(() => (polling = polling.then(pollQueues)), options.pollIntervalMs ?? 1000);
  timer?.unref();

  return {
    observe(event) {
      for (const observation of observationsOf(event, evaluated, options)) raise(observation);
    },
    async stop() {
      clearInterval(timer);
      await polling;
    },
  };
}

/** What one pipeline event shows to the alarms that watch it. */
function observationsOf(event: PipelineEvent, alarms: readonly MetricAlarmSettings[], options: LocalAlarmsOptions): Observation[] {
  switch (event.kind) {
    case 'invocation': {
      const { functionName, invocation } = event;
      return alarms.flatMap((alarm): Observation[] => {
        if (alarm.namespace !== 'AWS/Lambda' || alarm.dimensions.FunctionName !== functionName) return [];
        if (alarm.metricName === 'Errors') return [{ alarm, value: invocation.ok ? 0 : 1, what: invocation.ok ? 'ok' : `${functionName} failed: ${invocation.error.errorType}` }];
        if (alarm.metricName === 'Duration') return [{ alarm, value: invocation.durationMs, what: `${functionName} ran ${Math.round(invocation.durationMs)} ms` }];
        return [];
      });
    }
    case 'execution': {
      const metricName = EXECUTION_METRICS[event.event.type];
      const arn = options.stateMachineArnOf(event.stateMachine);
      if (metricName === undefined || arn === undefined) return [];
      return alarms
        .filter((alarm) => alarm.namespace === 'AWS/States' && alarm.metricName === metricName && alarm.dimensions.StateMachineArn === arn)
        .map((alarm) => ({ alarm, value: 1, what: `execution ${event.event.name} of ${event.stateMachine}: ${event.event.type}` }));
    }
    case 'request': {
      const status = statusOf(event.accessLog);
      if (status === undefined) return [];
      // A stack serves one REST API locally: its requests are the ones its API alarms watch.
      return alarms.flatMap((alarm): Observation[] => {
        if (alarm.namespace !== 'AWS/ApiGateway') return [];
        const errorClass = alarm.metricName === '5XXError' ? 5 : alarm.metricName === '4XXError' ? 4 : undefined;
        if (errorClass === undefined) return [];
        const isError = Math.floor(status / 100) === errorClass;
        return [{ alarm, value: isError ? 1 : 0, what: `a request answered ${status}` }];
      });
    }
    default:
      return [];
  }
}

/** Which alarms the local runtime can see the metric of. */
function isObservable(alarm: MetricAlarmSettings, options: LocalAlarmsOptions): boolean {
  switch (alarm.namespace) {
    case 'AWS/SQS':
      return alarm.metricName === 'ApproximateNumberOfMessagesVisible' && options.queueUrlOf(alarm.dimensions.QueueName) !== undefined;
    case 'AWS/Lambda':
      return alarm.metricName === 'Errors' || alarm.metricName === 'Duration';
    case 'AWS/States':
      return Object.values(EXECUTION_METRICS).includes(alarm.metricName);
    case 'AWS/ApiGateway':
      return alarm.metricName === '5XXError' || alarm.metricName === '4XXError';
    default:
      return false;
  }
}

/**
 * The alarm's statistic over its period: a sum of counts, an average of 0/1 (an error
 * rate), or the largest value seen (a maximum or a percentile, which one sample stands for).
 */
function aggregateOver(alarm: MetricAlarmSettings, windows: Map<string, { at: number; value: number }[]>, value: number): number {
  const now = Date.now();
  const window = (windows.get(alarm.alarmName) ?? []).filter((sample) => now - sample.at < alarm.periodSeconds * 1000);
  window.push({ at: now, value });
  windows.set(alarm.alarmName, window);
  const values = window.map((sample) => sample.value);
  if (alarm.statistic === 'Sum' || alarm.statistic === 'SampleCount') return values.reduce((sum, each) => sum + each, 0);
  if (alarm.statistic === 'Average') return values.reduce((sum, each) => sum + each, 0) / values.length;
  if (alarm.statistic === 'Minimum') return Math.min(...values);
  return Math.max(...values);
}

function describeValue(alarm: MetricAlarmSettings, value: number): string {
  return alarm.statistic === 'Average' && value <= 1 ? `${(value * 100).toFixed(0)}% (${alarm.statistic})` : `${Math.round(value * 100) / 100} (${alarm.statistic})`;
}

function comparisonText(alarm: MetricAlarmSettings): string {
  return { GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '>=', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=' }[alarm.comparison];
}

function statusOf(accessLog: string): number | undefined {
  try {
    const status = Number((JSON.parse(accessLog) as { status?: string }).status);
    return Number.isInteger(status) ? status : undefined;
  } catch {
    return undefined;
  }
}

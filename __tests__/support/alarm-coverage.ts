import { ResourceConfig, SynthesizedStack } from '../../local/stack/synthesized-stack';
import { fakeAwsAttributes } from './fake-aws';

/**
 * What must be alarmed in a synthesized stack, read from the resources themselves: for
 * each watched resource type, the dimensions an alarm names it by (resolved from the
 * resource's own configuration) and the metrics it must have an alarm on. A resource of a
 * listed type without them is reported, so a new queue, function, stream mapping, API,
 * state machine, database, CloudFront distribution or notification topic cannot be deployed unwatched.
 */
interface WatchedType {
  readonly type: string;
  /** The resources of this type to watch, with what names each one. */
  readonly watched: (stack: SynthesizedStack, resolve: (value: string) => string) => Watched[];
}

interface Watched {
  readonly label: string;
  readonly dimensions: Record<string, string>;
  /** One alarm per entry; an entry of several metrics is satisfied by any one of them. */
  readonly metrics: readonly (readonly string[])[];
}

const QUEUE_METRICS = [['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']];
const FUNCTION_METRICS = [['Errors'], ['Throttles'], ['Duration']];

/** Every resource of `type`, resolved through `toWatched`. */
function each(type: string, toWatched: (name: string, config: ResourceConfig, stack: SynthesizedStack, resolve: (value: string) => string) => Watched | undefined): WatchedType {
  return {
    type,
    watched: (stack, resolve) =>
      Object.entries(stack.resources(type)).flatMap(([name, config]) => {
        const watched = toWatched(name, config, stack, resolve);
        return watched ? [watched] : [];
      }),
  };
}

const WATCHED_TYPES: WatchedType[] = [
  // Every queue, stricter than "every dead-letter queue": a work queue alarms on its backlog.
  each('aws_sqs_queue', (_name, config, _stack, resolve) => ({
    label: `queue ${resolve(String(config.name))}`,
    dimensions: { QueueName: resolve(String(config.name)) },
    metrics: QUEUE_METRICS,
  })),
  each('aws_lambda_function', (_name, config, _stack, resolve) => ({
    label: `function ${resolve(String(config.function_name))}`,
    dimensions: { FunctionName: resolve(String(config.function_name)) },
    metrics: FUNCTION_METRICS,
  })),
  // A stream mapping (one with a starting position) reports IteratorAge per function.
  each('aws_lambda_event_source_mapping', (name, config, _stack, resolve) => {
    if (config.starting_position === undefined) return undefined;
    const functionName = resolve(String(config.function_name)).replace(/^arn:[^:]+:lambda:[^:]+:\d+:function:/, '');
    return { label: `stream mapping ${name} -> ${functionName}`, dimensions: { FunctionName: functionName }, metrics: [['IteratorAge']] };
  }),
  each('aws_api_gateway_stage', (_name, config, stack, resolve) => {
    const api = /^\$\{aws_api_gateway_rest_api\.([^.]+)\.id\}$/.exec(String(config.rest_api_id));
    if (!api) throw new Error(`A stage whose rest_api_id is not a reference: ${String(config.rest_api_id)}`);
    const apiName = resolve(String(stack.resource('aws_api_gateway_rest_api', api[1]).name));
    const stage = resolve(String(config.stage_name));
    return { label: `REST API ${apiName} stage ${stage}`, dimensions: { ApiName: apiName, Stage: stage }, metrics: [['5XXError'], ['4XXError']] };
  }),
  each('aws_sfn_state_machine', (name, config, _stack, resolve) => ({
    label: `state machine ${String(config.name)}`,
    dimensions: { StateMachineArn: resolve(`\${aws_sfn_state_machine.${name}.arn}`) },
    metrics: [['ExecutionsFailed'], ['ExecutionsTimedOut'], ['ExecutionThrottled']],
  })),
  each('aws_rds_cluster', (_name, config, _stack, resolve) => ({
    label: `database ${resolve(String(config.cluster_identifier))}`,
    dimensions: { DBClusterIdentifier: resolve(String(config.cluster_identifier)) },
    metrics: [['ACUUtilization', 'CPUUtilization'], ['DatabaseConnections']],
  })),
  // CloudFront publishes in us-east-1 only (Region=Global): a stack elsewhere is reported here.
  each('aws_cloudfront_distribution', (name, _config, _stack, resolve) => ({
    label: `distribution ${name}`,
    dimensions: { DistributionId: resolve(`\${aws_cloudfront_distribution.${name}.id}`), Region: 'Global' },
    metrics: [['5xxErrorRate']],
  })),
  // The pipelines' notification topics; the ops topic is where these alarms go, not what they watch.
  each('aws_sns_topic', (name, config, stack, resolve) => {
    if (isAlarmDestination(stack, name)) return undefined;
    return { label: `topic ${resolve(String(config.name))}`, dimensions: { TopicName: resolve(String(config.name)) }, metrics: [['NumberOfNotificationsFailed']] };
  }),
];

/** The ops topic: the one the alarms notify, or, in a stack whose only alarm is removed, the one OpsAlarms made. */
function isAlarmDestination(stack: SynthesizedStack, topicName: string): boolean {
  const reference = `\${aws_sns_topic.${topicName}.arn}`;
  const notified = Object.values(stack.resources('aws_cloudwatch_metric_alarm')).some((alarm) => (alarm.alarm_actions as string[] | undefined)?.includes(reference));
  const metadata = stack.resource('aws_sns_topic', topicName)['//'] as { metadata?: { path?: string } } | undefined;
  return notified || /\/ops-alarms\/topic\/topic$/.test(metadata?.metadata?.path ?? '');
}

/**
 * Each watched resource missing an alarm, as `<label>: no <metric> alarm`, and each alarm
 * that notifies no topic of the stack. Empty when the stack is fully watched.
 */
export function alarmCoverageProblems(stack: SynthesizedStack): string[] {
  const attributes = fakeAwsAttributes(stack.region);
  const resolve = (value: string) => stack.resolve(value, attributes);
  const alarms = Object.values(stack.resources('aws_cloudwatch_metric_alarm')).map((alarm) => ({
    name: String(alarm.alarm_name),
    metric: String(alarm.metric_name),
    dimensions: Object.fromEntries(Object.entries((alarm.dimensions ?? {}) as Record<string, string>).map(([key, value]) => [key, resolve(value)])),
    actions: (alarm.alarm_actions ?? []) as string[],
  }));
  const problems: string[] = [];
  for (const { watched } of WATCHED_TYPES) {
    for (const resource of watched(stack, resolve)) {
      for (const metrics of resource.metrics) {
        const covered = alarms.some(
          (alarm) =>
            metrics.includes(alarm.metric) &&
            Object.entries(resource.dimensions).every(([key, value]) => alarm.dimensions[key] === value),
        );
        if (!covered) problems.push(`${resource.label}: no ${metrics.join(' or ')} alarm`);
      }
    }
  }
  const topics = new Set(Object.keys(stack.resources('aws_sns_topic')).map((name) => `\${aws_sns_topic.${name}.arn}`));
  for (const alarm of alarms) {
    if (!alarm.actions.some((action) => topics.has(action))) problems.push(`alarm ${alarm.name}: notifies no topic of the stack`);
  }
  return problems;
}

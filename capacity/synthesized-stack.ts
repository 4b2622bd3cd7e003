/**
 * Reading a synthesized stack (cdk.tf.json) for the capacity report: resources by type, the
 * resource a `${type.id.attribute}` reference names, and the settings read off them.
 */

export type ResourceConfig = Record<string, unknown>;

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, ResourceConfig>>;
}

export interface Resource {
  readonly type: string;
  readonly id: string;
  readonly config: ResourceConfig;
}

export function resourcesOf(stack: TerraformJson, type: string): Resource[] {
  return Object.entries(stack.resource?.[type] ?? {}).map(([id, config]) => ({ type, id, config }));
}

export function countOf(stack: TerraformJson, type: string): number {
  return Object.keys(stack.resource?.[type] ?? {}).length;
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z0-9_.[\]]+\}$/;

/** The resource `${aws_lambda_function.x.arn}` names, if the stack has it. */
export function referencedResource(stack: TerraformJson, reference: unknown): Resource | undefined {
  if (typeof reference !== 'string') return undefined;
  const match = REFERENCE.exec(reference);
  if (!match) return undefined;
  const config = stack.resource?.[match[1]]?.[match[2]];
  return config === undefined ? undefined : { type: match[1], id: match[2], config };
}

export function numberOf(config: ResourceConfig, key: string): number | undefined {
  const value = config[key];
  return typeof value === 'number' ? value : undefined;
}

/** The one resource of a type that `pick` accepts, or an error naming what was looked for. */
export function theOne(stack: TerraformJson, type: string, what: string, pick: (resource: Resource) => boolean = () => true): Resource {
  const found = resourcesOf(stack, type).filter(pick);
  if (found.length !== 1) throw new Error(`Expected one ${type} (${what}) in the stack, found ${found.length}`);
  return found[0];
}

export interface FunctionSettings {
  readonly name: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Undefined: the function shares the account's unreserved pool. */
  readonly reservedConcurrency?: number;
  readonly environment: Record<string, string>;
}

export function functionSettings(resource: Resource): FunctionSettings {
  const reserved = numberOf(resource.config, 'reserved_concurrent_executions');
  const environment = (resource.config.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {};
  return {
    name: String(resource.config.function_name),
    memoryMb: numberOf(resource.config, 'memory_size') ?? 128,
    timeoutSeconds: numberOf(resource.config, 'timeout') ?? 3,
    reservedConcurrency: reserved === undefined || reserved < 0 ? undefined : reserved,
    environment,
  };
}

export interface MappingSettings {
  readonly batchSize: number;
  readonly maximumConcurrency?: number;
  readonly parallelizationFactor: number;
  /** The event names its filter passes; undefined when it has no such filter. */
  readonly eventNames?: string[];
  readonly consumer: FunctionSettings;
}

/** An event source mapping and the function it invokes. */
export function mappingSettings(stack: TerraformJson, mapping: Resource): MappingSettings {
  const target = referencedResource(stack, mapping.config.function_name);
  if (target === undefined) throw new Error(`Event source mapping ${mapping.id} names no function of the stack`);
  const scaling = mapping.config.scaling_config as { maximum_concurrency?: number } | undefined;
  const filters = (mapping.config.filter_criteria as { filter?: { pattern: string }[] } | undefined)?.filter ?? [];
  const eventNames = filters.flatMap((filter) => (JSON.parse(filter.pattern) as { eventName?: string[] }).eventName ?? []);
  return {
    batchSize: numberOf(mapping.config, 'batch_size') ?? 10,
    maximumConcurrency: scaling?.maximum_concurrency,
    parallelizationFactor: numberOf(mapping.config, 'parallelization_factor') ?? 1,
    eventNames: eventNames.length > 0 ? eventNames : undefined,
    consumer: functionSettings(target),
  };
}

export function isQueueMapping(mapping: Resource): boolean {
  return String(mapping.config.event_source_arn).startsWith('${aws_sqs_queue.');
}

export function isStreamMapping(mapping: Resource): boolean {
  return String(mapping.config.event_source_arn).includes('.stream_arn}');
}

/** The stage throttling of the stack's one REST API. */
export function apiThrottle(stack: TerraformJson): { rate: number; burst: number } {
  const settings = theOne(stack, 'aws_api_gateway_method_settings', 'stage throttling').config.settings as Record<string, number>;
  return { rate: settings.throttling_rate_limit, burst: settings.throttling_burst_limit };
}

/** Email subscriptions of the topic `topicReference` (a function's TOPIC_ARN). */
export function emailSubscriptionsOf(stack: TerraformJson, topicReference: string | undefined): number {
  return resourcesOf(stack, 'aws_sns_topic_subscription').filter(
    (subscription) => subscription.config.protocol === 'email' && subscription.config.topic_arn === topicReference,
  ).length;
}

/** What the stack costs a month whether or not anyone uses it: alarms, dashboards, keys. */
export function fixedMonitoring(stack: TerraformJson): { alarms: number; dashboards: number; kmsKeys: number } {
  return {
    alarms: countOf(stack, 'aws_cloudwatch_metric_alarm'),
    dashboards: countOf(stack, 'aws_cloudwatch_dashboard'),
    kmsKeys: countOf(stack, 'aws_kms_key'),
  };
}

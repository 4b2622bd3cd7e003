/**
 * Connects each function to what invokes it, as the stack declares: its event source
 * mappings (SQS queues, DynamoDB streams) and the bucket notifications that invoke it
 * asynchronously; the REST API's functions are only announced (the API invokes them). Each part reports to the pipeline's events; nothing here reads
 * Terraform attributes (local/stack/ does).
 */
import { startStreamEventSource } from '../event-sources/dynamodb-stream-event-source';
import type { EventSourceEvents } from '../event-sources/event-source-events';
import { startS3Notifications, type LambdaNotification } from '../event-sources/s3-notification-source';
import { startSqsEventSource } from '../event-sources/sqs-event-source';
import { AsyncInvoker } from '../lambda/async-invoker';
import { functionArn, functionNameOf } from '../lambda/function-arn';
import type { LocalFunction } from '../lambda/local-function';
import { onFailureDestination, type OnFailureDestination } from '../lambda/on-failure-destination';
import type { ProvisionedStack } from '../provision/provisioned-stack';
import { apiFunctions } from '../stack/api-functions';
import { bucketNotifications, type BucketNotificationSettings } from '../stack/bucket-notifications';
import { eventSourceMappings, type EventSourceMappingSettings } from '../stack/event-source-mappings';
import { asyncInvokeSettings } from '../stack/invoke-configs';
import type { LocalServices } from './local-services';
import type { EmitPipelineEvent } from './pipeline-events';
import type { RunningParts } from './running-parts';

export interface TriggerContext {
  readonly resources: ProvisionedStack;
  readonly services: LocalServices;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly parts: RunningParts;
  readonly emit: EmitPipelineEvent;
  /** See LocalPipelineOptions.retryDelaySeconds. */
  readonly retryDelaySeconds?: number;
}

/** Where a new object invokes a function: what a person uploads to. */
export interface S3Trigger {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly keySuffix: string;
  readonly functionName: string;
}

/** A function by name or ARN, as the Lambda API accepts either. */
export function functionByReference(reference: string, functions: ReadonlyMap<string, LocalFunction>): LocalFunction {
  const fn = functions.get(functionNameOf(reference));
  if (!fn) throw new Error(`The stack refers to the function ${reference}, which it does not create`);
  return fn;
}

/** Starts every trigger of the stack; returns the S3 triggers and announces what invokes each function. */
export function startTriggers(context: TriggerContext): S3Trigger[] {
  const { resources, functions, emit } = context;
  const triggered = new Set<LocalFunction>();
  const streamArns = new Set([...resources.tables.values()].flatMap((table) => (table.streamArn ? [table.streamArn] : [])));
  for (const mapping of eventSourceMappings(resources.stack, (value) => resources.resolve(value), streamArns)) {
    const fn = functionByReference(mapping.functionReference, functions);
    const description = startMapping(mapping, fn, context);
    triggered.add(fn);
    emit({ kind: 'function', functionName: fn.functionName, trigger: description });
  }
  const notifications = bucketNotifications(resources.stack, (value) => resources.resolve(value));
  startBucketNotifications(notifications, context);
  for (const notification of notifications) {
    const fn = functionByReference(notification.functionName, functions);
    triggered.add(fn);
    const filter = `${notification.filterPrefix ?? ''}*${notification.filterSuffix ?? ''}`;
    emit({ kind: 'function', functionName: fn.functionName, trigger: `S3 bucket ${notification.bucket}, ${notification.events.join(' ')} on ${filter}` });
  }
  for (const { functionArn: arn, trigger } of apiFunctions(resources.stack, (value) => resources.resolve(value))) {
    const fn = functions.get(functionNameOf(arn));
    if (!fn) continue;
    triggered.add(fn);
    emit({ kind: 'function', functionName: fn.functionName, trigger });
  }
  for (const fn of functions.values()) {
    if (!triggered.has(fn)) emit({ kind: 'function', functionName: fn.functionName, trigger: 'no event source mapping' });
  }
  return notifications.map((notification) => ({
    bucket: notification.bucket,
    keyPrefix: notification.filterPrefix ?? '',
    keySuffix: notification.filterSuffix ?? '',
    functionName: notification.functionName,
  }));
}

/** Starts one event source mapping and returns what the terminal says invokes the function. */
function startMapping(mapping: EventSourceMappingSettings, fn: LocalFunction, context: TriggerContext): string {
  const { resources, services, parts, emit, retryDelaySeconds } = context;
  const { batchSize, filterPatterns, reportBatchItemFailures } = mapping;
  if (mapping.source === 'sqs') {
    const queue = resources.queueByArn(mapping.eventSourceArn);
    const deadLetterQueue = queue.deadLetterQueueArn === undefined ? undefined : resources.queueByArn(queue.deadLetterQueueArn);
    const config = {
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: resources.region,
      batchSize,
      maximumConcurrency: mapping.maximumConcurrency,
      reportBatchItemFailures,
      filterPatterns,
      maxReceiveCount: queue.maxReceiveCount,
      retryDelaySeconds,
    };
    parts.add(startSqsEventSource(services.clients.sqs, fn, config, reporting(fn, queue.name, `${queue.name} poller`, emit, deadLetterQueue?.name)));
    return `SQS queue ${queue.name} (batch ${batchSize}, up to ${mapping.maximumConcurrency ?? 5} at once)`;
  }
  const table = [...resources.tables.values()].find((candidate) => candidate.streamArn === mapping.eventSourceArn);
  const tableName = table?.name ?? mapping.eventSourceArn;
  if (!services.streams) throw new Error(`${fn.functionName} reads the stream ${mapping.eventSourceArn}, but this stack has no table to run DynamoDB Local for`);
  const destination = failureDestinationOf(mapping.onFailureDestinationArn, context);
  parts.add(
    startStreamEventSource(
      services.streams,
      fn,
      { ...mapping, streamArn: mapping.eventSourceArn, onFailure: destination?.send },
      reporting(fn, `${tableName} stream`, `${tableName} stream poller`, emit, destination?.name),
    ),
  );
  return `DynamoDB stream of ${tableName} (batch ${batchSize})`;
}

/** Bucket notifications invoke their functions asynchronously, one invoker per function. */
function startBucketNotifications(notifications: readonly BucketNotificationSettings[], context: TriggerContext): void {
  if (notifications.length === 0) return;
  const { resources, services, functions, parts, emit, retryDelaySeconds } = context;
  const invokers = new Map<string, AsyncInvoker>();
  const invokerOf = (functionName: string): AsyncInvoker => {
    const existing = invokers.get(functionName);
    if (existing) return existing;
    const fn = functionByReference(functionName, functions);
    const settings = asyncInvokeSettings(resources.stack, fn.functionName, (value) => resources.resolve(value));
    const destination = failureDestinationOf(settings.onFailureDestinationArn, context);
    const invoker = new AsyncInvoker(
      fn,
      {
        functionArn: functionArn(fn.functionName, resources.region),
        maximumRetryAttempts: settings.maximumRetryAttempts,
        maximumEventAgeSeconds: settings.maximumEventAgeSeconds,
        retryDelaysSeconds: retryDelaySeconds === undefined ? undefined : [retryDelaySeconds],
        onFailure: destination?.send,
      },
      reporting(fn, 'S3 notification', `${fn.functionName} asynchronous invocation`, emit, destination?.name, describeCondition),
    );
    invokers.set(functionName, invoker);
    return invoker;
  };
  const withInvokers: LambdaNotification[] = notifications.map((notification) => ({ ...notification, invoker: invokerOf(notification.functionName) }));
  parts.add(startS3Notifications(services.fauxqs, withInvokers, resources.region));
}

function failureDestinationOf(arn: string | undefined, context: TriggerContext): OnFailureDestination | undefined {
  return arn === undefined ? undefined : onFailureDestination(arn, context.resources, context.services.clients);
}

/** An event source's listeners, reporting as pipeline events. */
function reporting<R>(
  fn: LocalFunction,
  source: string,
  where: string,
  emit: EmitPipelineEvent,
  destination: string | undefined,
  describeReason: (reason: string) => string = (reason) => reason,
): EventSourceEvents<R> {
  const functionName = fn.functionName;
  return {
    onInvocation: ({ records, invocation, failedRecords }) => emit({ kind: 'invocation', functionName, source, records: records.length, invocation, failedRecords }),
    onDiscarded: ({ records, reason }) => emit({ kind: 'discarded', functionName, records: records.length, reason: describeReason(reason), destination }),
    onError: (error) => emit({ kind: 'error', where, error }),
  };
}

function describeCondition(condition: string): string {
  return condition === 'RetriesExhausted' ? 'retries exhausted' : 'event too old';
}

/**
 * Runs a synthesized pipeline stack on this machine: emulators for the data services,
 * the stack's tables, queues and topics created from cdk.tf.json, its functions run
 * from the bundles Terraform would zip, its event source mappings and REST API honoured
 * as AWS honours them. What runs here is what `cdktf deploy` would create.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRestApi, type RunningRestApi } from '../api-gateway/rest-api-server';
import { sqsQueryBackend } from '../api-gateway/sqs-query-adapter';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from '../emulators/dynamodb-local';
import type { RunningEmulator } from '../emulators/emulator-process';
import { startFauxqs } from '../emulators/fauxqs';
import { SynthesizedStack, type ResourceConfig } from '../synthesized-stack';
import { startStreamEventSource } from './dynamodb-stream-event-source';
import { functionSettings } from './function-settings';
import type { Invocation } from './invocation';
import { LocalFunction } from './local-function';
import { NotificationInbox, type CapturedNotification } from './notification-inbox';
import { provisionStack, type ProvisionedResource, type ProvisionedStack } from './provision';
import { startSqsEventSource, type RunningEventSource } from './sqs-event-source';

export interface LocalPipelineOptions {
  /** The synthesized stack's directory: cdk.tf.json and the assets it names. */
  readonly stackDir: string;
  /** Port of the REST API. @default a free port */
  readonly apiPort?: number;
  /** Honour the stage's throttling. Load runs turn it off. @default true */
  readonly throttle?: boolean;
  /** See SqsEventSourceConfig.retryDelaySeconds. @default the queue's visibility timeout, as in AWS */
  readonly retryDelaySeconds?: number;
  /** Replaces a function's bundle, by function name: how the benchmark runs the lab's own handler logic. */
  readonly codeOverrides?: Readonly<Record<string, string>>;
  /**
   * Endpoints the functions use instead of the emulators', e.g. a proxy that makes
   * DynamoDB fail on purpose. Keys are SDK service ids as in AWS_ENDPOINT_URL_<ID>.
   */
  readonly functionEndpoints?: Readonly<Partial<Record<'DYNAMODB' | 'SNS' | 'SQS', string>>>;
  /** Progress, as it happens. @default ignored */
  readonly onEvent?: (event: PipelineEvent) => void;
}

export type PipelineEvent =
  | { readonly kind: 'emulator'; readonly name: string; readonly endpoint: string }
  | { readonly kind: 'resource'; readonly resource: ProvisionedResource }
  | { readonly kind: 'function'; readonly functionName: string; readonly trigger: string }
  | { readonly kind: 'api'; readonly url: string; readonly throttled: boolean }
  | { readonly kind: 'request'; readonly accessLog: string }
  /** Why API Gateway refused or failed a request (its execution log). */
  | { readonly kind: 'api-log'; readonly line: string }
  | { readonly kind: 'invocation'; readonly functionName: string; readonly source: string; readonly records: number; readonly invocation: Invocation; readonly failedRecords: number }
  | { readonly kind: 'discarded'; readonly functionName: string; readonly records: number; readonly reason: string; readonly destination?: string }
  | { readonly kind: 'log'; readonly functionName: string; readonly line: string }
  | { readonly kind: 'notification'; readonly notification: CapturedNotification }
  | { readonly kind: 'error'; readonly where: string; readonly error: unknown };

export interface LocalPipeline {
  readonly stack: SynthesizedStack;
  readonly resources: ProvisionedStack;
  /** The stage's URL, e.g. http://127.0.0.1:3000/v1; undefined when the stack has no REST API. */
  readonly apiUrl?: string;
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly sns: string };
  readonly clients: { readonly dynamodb: DynamoDBClient; readonly sqs: SQSClient; readonly sns: SNSClient };
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly notifications: NotificationInbox;
  /** The stack's outputs, resolved to local values. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Stops everything that was started, newest first; resolves once all of it is gone. */
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const stack = SynthesizedStack.parse(readFileSync(join(options.stackDir, 'cdk.tf.json'), 'utf8'));
  const region = stackRegion(stack);
  const emit = options.onEvent ?? (() => {});
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch((error: unknown) => emit({ kind: 'error', where: 'stop', error }));
  };

  try {
    const [dynamodbLocal, fauxqs] = await Promise.all([
      startEmulator(() => startDynamoDbLocal(), 'DynamoDB Local', stoppers, emit),
      startEmulator(() => startFauxqs({ region }), 'fauxqs (SQS, SNS)', stoppers, emit),
    ]);
    const clientConfig = { region, credentials: LOCAL_CREDENTIALS };
    const clients = {
      dynamodb: new DynamoDBClient({ ...clientConfig, endpoint: dynamodbLocal.endpoint }),
      // fauxqs queue URLs name a host that does not resolve: the endpoint must be explicit.
      sqs: new SQSClient({ ...clientConfig, endpoint: fauxqs.endpoint }),
      sns: new SNSClient({ ...clientConfig, endpoint: fauxqs.endpoint }),
    };
    const streams = new DynamoDBStreamsClient({ ...clientConfig, endpoint: dynamodbLocal.endpoint });
    stoppers.push(async () => [clients.dynamodb, clients.sqs, clients.sns, streams].forEach((client) => client.destroy()));

    const resources = await provisionStack(stack, clients, region, (resource) => emit({ kind: 'resource', resource }));

    const notifications = await NotificationInbox.open(clients, [...resources.topics.values()], (error) =>
      emit({ kind: 'error', where: 'notification inbox', error }),
    );
    notifications.onNotification((notification) => emit({ kind: 'notification', notification }));
    stoppers.push(() => notifications.close());

    const functionEnvironment = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbLocal.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodbLocal.endpoint,
      AWS_ENDPOINT_URL_SNS: fauxqs.endpoint,
      AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
      // The functions are declared nodejs22.x; the SDK's warning is about this machine's
      // Node, which the CLI reports once, not once per execution environment.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...prefixKeys('AWS_ENDPOINT_URL_', options.functionEndpoints ?? {}),
    };
    const functions = new Map<string, LocalFunction>();
    for (const config of Object.values(stack.resources('aws_lambda_function'))) {
      const settings = functionSettings(stack, options.stackDir, config, (value) => resources.resolve(value));
      const fn = new LocalFunction({
        ...settings,
        codePath: options.codeOverrides?.[settings.functionName] ?? settings.codePath,
        environment: { ...settings.environment, ...functionEnvironment },
        region,
        onLog: (line) => emit({ kind: 'log', functionName: settings.functionName, line }),
      });
      stoppers.push(() => fn.stop());
      functions.set(settings.functionName, fn);
    }

    const triggered = new Set<LocalFunction>();
    for (const mapping of Object.values(stack.resources('aws_lambda_event_source_mapping'))) {
      const fn = functionOfMapping(mapping, functions, (value) => resources.resolve(value));
      const source = startEventSource(mapping, fn, resources, { clients, streams, region, options, emit });
      stoppers.push(() => source.stop());
      triggered.add(fn);
      emit({ kind: 'function', functionName: fn.functionName, trigger: source.description });
    }
    for (const fn of functions.values()) {
      if (!triggered.has(fn)) emit({ kind: 'function', functionName: fn.functionName, trigger: 'no event source mapping' });
    }

    let apiUrl: string | undefined;
    if (Object.keys(stack.resources('aws_api_gateway_rest_api')).length > 0) {
      const api: RunningRestApi = await startRestApi({
        stack,
        resolve: (value) => resources.resolve(value),
        backends: {
          sqs: sqsQueryBackend({ sqs: clients.sqs, queueUrlOf: async (_account, queueName) => resources.queueByName(queueName).url }),
        },
        port: options.apiPort,
        throttle: options.throttle ?? true,
        onAccessLog: (accessLog) => emit({ kind: 'request', accessLog }),
        onExecutionLog: (line) => emit({ kind: 'api-log', line }),
      });
      stoppers.push(() => api.stop());
      apiUrl = api.url;
      for (const stageName of Object.keys(stack.resources('aws_api_gateway_stage'))) {
        resources.setAttribute('aws_api_gateway_stage', stageName, 'invoke_url', api.url);
      }
      emit({ kind: 'api', url: api.url, throttled: options.throttle ?? true });
    }

    return {
      stack,
      resources,
      apiUrl,
      endpoints: { dynamodb: dynamodbLocal.endpoint, sqs: fauxqs.endpoint, sns: fauxqs.endpoint },
      clients,
      functions,
      notifications,
      outputs: resolveOutputs(stack, resources),
      stop: stopAll,
    };
  } catch (error) {
    // A half-started pipeline must not leave a JVM or a server behind.
    await stopAll();
    throw error;
  }
}

async function startEmulator(
  start: () => Promise<RunningEmulator>,
  name: string,
  stoppers: (() => Promise<void>)[],
  emit: (event: PipelineEvent) => void,
): Promise<RunningEmulator> {
  const emulator = await start();
  stoppers.push(() => emulator.stop());
  emit({ kind: 'emulator', name, endpoint: emulator.endpoint });
  return emulator;
}

interface EventSourceContext {
  readonly clients: LocalPipeline['clients'];
  readonly streams: DynamoDBStreamsClient;
  readonly region: string;
  readonly options: LocalPipelineOptions;
  readonly emit: (event: PipelineEvent) => void;
}

function startEventSource(
  mapping: ResourceConfig,
  fn: LocalFunction,
  resources: ProvisionedStack,
  context: EventSourceContext,
): RunningEventSource & { description: string } {
  const { clients, streams, region, options, emit } = context;
  const sourceArn = resources.resolve(String(mapping.event_source_arn));
  const filterPatterns = ((mapping.filter_criteria as { filter?: { pattern: string }[] } | undefined)?.filter ?? []).map(
    (filter) => filter.pattern,
  );
  const reportBatchItemFailures = ((mapping.function_response_types as string[] | undefined) ?? []).includes('ReportBatchItemFailures');
  const functionName = fn.functionName;

  if (sourceArn.startsWith('arn:aws:sqs:')) {
    const queue = resources.queueByArn(sourceArn);
    const maximumConcurrency = (mapping.scaling_config as { maximum_concurrency?: number } | undefined)?.maximum_concurrency;
    const source = startSqsEventSource(
      clients.sqs,
      fn,
      {
        queueUrl: queue.url,
        queueArn: queue.arn,
        region,
        batchSize: numberOr(mapping.batch_size, 10),
        maximumConcurrency,
        reportBatchItemFailures,
        filterPatterns,
        retryDelaySeconds: options.retryDelaySeconds,
      },
      {
        onBatch: ({ records, invocation, failedMessageIds }) => {
          emit({ kind: 'invocation', functionName, source: queue.name, records: records.length, invocation, failedRecords: failedMessageIds.length });
          const lastChance = records.filter(
            (record) => failedMessageIds.includes(record.messageId) && Number(record.attributes.ApproximateReceiveCount) >= (queue.maxReceiveCount ?? Infinity),
          );
          if (lastChance.length > 0 && queue.deadLetterQueueArn) {
            const destination = resources.queueByArn(queue.deadLetterQueueArn).name;
            emit({ kind: 'discarded', functionName, records: lastChance.length, reason: `failed on receive ${queue.maxReceiveCount}`, destination });
          }
        },
        onError: (error) => emit({ kind: 'error', where: `${queue.name} poller`, error }),
      },
    );
    return { ...source, description: `SQS queue ${queue.name} (batch ${numberOr(mapping.batch_size, 10)}, up to ${maximumConcurrency ?? 5} at once)` };
  }

  const table = [...resources.tables.values()].find((candidate) => candidate.streamArn === sourceArn);
  if (table) {
    const destinationArn = (mapping.destination_config as { on_failure?: { destination_arn?: string } } | undefined)?.on_failure?.destination_arn;
    const destination = destinationArn === undefined ? undefined : resources.queueByArn(resources.resolve(destinationArn));
    const source = startStreamEventSource(
      streams,
      fn,
      {
        streamArn: sourceArn,
        batchSize: numberOr(mapping.batch_size, 100),
        startingPosition: mapping.starting_position === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        filterPatterns,
        reportBatchItemFailures,
        bisectBatchOnFunctionError: mapping.bisect_batch_on_function_error === true,
        maximumRetryAttempts: numberOr(mapping.maximum_retry_attempts, -1),
        maximumRecordAgeSeconds: numberOr(mapping.maximum_record_age_in_seconds, -1),
        maximumBatchingWindowSeconds: numberOr(mapping.maximum_batching_window_in_seconds, 0),
        onFailure:
          destination === undefined
            ? undefined
            : async (invocationRecord) => {
                await clients.sqs.send(new SendMessageCommand({ QueueUrl: destination.url, MessageBody: JSON.stringify(invocationRecord) }));
              },
      },
      {
        onInvocation: ({ records, invocation }) => {
          const failures = invocation.ok ? batchItemFailureCount(invocation.result) : records.length;
          emit({ kind: 'invocation', functionName, source: `${table.name} stream`, records: records.length, invocation, failedRecords: failures });
        },
        onDiscarded: ({ records, reason }) => emit({ kind: 'discarded', functionName, records: records.length, reason, destination: destination?.name }),
        onError: (error) => emit({ kind: 'error', where: `${table.name} stream poller`, error }),
      },
    );
    return { ...source, description: `DynamoDB stream of ${table.name} (batch ${numberOr(mapping.batch_size, 100)})` };
  }
  throw new Error(`The local runtime cannot poll ${sourceArn}: only the stack's own SQS queues and DynamoDB streams are supported`);
}

function functionOfMapping(mapping: ResourceConfig, functions: ReadonlyMap<string, LocalFunction>, resolve: (value: string) => string): LocalFunction {
  // function_name may hold a name or an ARN, as in the Lambda API.
  const reference = resolve(String(mapping.function_name));
  const name = reference.startsWith('arn:') ? reference.split(':')[6] : reference;
  const fn = functions.get(name);
  if (!fn) throw new Error(`An event source mapping names the function ${reference}, which the stack does not create`);
  return fn;
}

function batchItemFailureCount(result: unknown): number {
  const failures = (result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  return Array.isArray(failures) ? failures.length : 0;
}

function stackRegion(stack: SynthesizedStack): string {
  const providers = (stack.json.provider?.aws ?? []) as { region?: string }[];
  return providers[0]?.region ?? 'us-east-1';
}

function resolveOutputs(stack: SynthesizedStack, resources: ProvisionedStack): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stack.json.output ?? {}).map(([name, output]) => [name, resources.resolve(String(output.value))]),
  );
}

function prefixKeys(prefix: string, values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[`${prefix}${key}`, value]])));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/**
 * Runs a synthesized pipeline stack on this machine: emulators for the data services,
 * the stack's tables, queues and topics created from cdk.tf.json, its functions run
 * from the bundles Terraform would zip, its event source mappings and REST API honoured
 * as AWS honours them. What runs here is what `cdktf deploy` would create.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRestApi, type RunningRestApi } from '../api-gateway/rest-api-server';
import { LocalUserPool } from '../cognito/local-user-pool';
import { sqsQueryBackend } from '../api-gateway/sqs-query-adapter';
import { StepFunctionsError, stepFunctionsBackend } from '../api-gateway/step-functions-adapter';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from '../emulators/dynamodb-local';
import type { RunningEmulator } from '../emulators/emulator-process';
import { startFauxqs, type RunningFauxqs } from '../emulators/fauxqs';
import { startMariaDb } from '../emulators/mariadb';
import { startPresignedUrlGuard } from '../emulators/presigned-url-guard';
import { startSecretsManager } from '../emulators/secrets-manager';
import { SynthesizedStack, type ResourceConfig } from '../stack/synthesized-stack';
import { AsyncInvoker } from '../lambda/async-invoker';
import { startStreamEventSource } from '../event-sources/dynamodb-stream-event-source';
import { functionSettings } from '../stack/function-settings';
import type { Invocation } from '../lambda/invocation';
import { LocalFunction } from '../lambda/local-function';
import { NotificationInbox, type CapturedNotification } from '../sns/notification-inbox';
import { LOCAL_ACCOUNT_ID, provisionStack, refersToNotRunResource, type ProvisionedResource, type ProvisionedStack } from '../provision/provision';
import { startS3Notifications, type LambdaNotification } from '../event-sources/s3-notification-source';
import { startSqsEventSource, type RunningEventSource } from '../event-sources/sqs-event-source';
import { LocalStateMachine, type StateMachineEvent } from '../step-functions/local-state-machine';

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
  readonly functionEndpoints?: Readonly<Partial<Record<'DYNAMODB' | 'SNS' | 'SQS' | 'S3', string>>>;
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
  /** A state machine execution's progress. */
  | { readonly kind: 'execution'; readonly stateMachine: string; readonly event: StateMachineEvent }
  | { readonly kind: 'error'; readonly where: string; readonly error: unknown };

export interface S3Trigger {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly keySuffix: string;
  readonly functionName: string;
}

export interface LocalPipeline {
  readonly stack: SynthesizedStack;
  readonly resources: ProvisionedStack;
  /** The stage's URL, e.g. http://127.0.0.1:3000/v1; undefined when the stack has no REST API. */
  readonly apiUrl?: string;
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly sns: string; readonly s3: string };
  readonly clients: { readonly dynamodb: DynamoDBClient; readonly sqs: SQSClient; readonly sns: SNSClient; readonly s3: S3Client };
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly notifications: NotificationInbox;
  /** Where a new object invokes a function: what a person uploads to. */
  readonly s3Triggers: readonly S3Trigger[];
  /** The stack's state machines, by name. */
  readonly stateMachines: ReadonlyMap<string, LocalStateMachine>;
  /** The stack's user pools, by ARN: they issue the ID tokens the API's authorizers accept. */
  readonly userPools: ReadonlyMap<string, LocalUserPool>;
  /** The MariaDB serving the stack's database, when it has one (tests stop it to stage an outage). */
  readonly database?: RunningEmulator;
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
    // Only a stack with a database pays for MariaDB's start; all start side by side.
    const hasDatabase = Object.keys(stack.resources('aws_rds_cluster')).length > 0;
    const [dynamodbLocal, fauxqs, mariadb, secrets] = await allStarted([
      startEmulator(() => startDynamoDbLocal(), 'DynamoDB Local', stoppers, emit),
      startEmulator<RunningFauxqs>(() => startFauxqs({ region }), 'fauxqs (SQS, SNS, S3)', stoppers, emit),
      hasDatabase ? startEmulator(() => startMariaDb(), 'MariaDB (Aurora MySQL)', stoppers, emit) : undefined,
      hasDatabase ? startEmulator(() => startSecretsManager({ region }), 'Secrets Manager (GetSecretValue)', stoppers, emit) : undefined,
    ] as const);
    const databases = mariadb && secrets ? { mariadb, secrets } : undefined;
    // S3 is reached through a guard that refuses expired presigned links, as S3 does.
    const s3 = await startPresignedUrlGuard(fauxqs.endpoint);
    stoppers.push(() => s3.stop());
    const clientConfig = { region, credentials: LOCAL_CREDENTIALS };
    const clients = {
      dynamodb: new DynamoDBClient({ ...clientConfig, endpoint: dynamodbLocal.endpoint }),
      // fauxqs queue URLs name a host that does not resolve: the endpoint must be explicit.
      sqs: new SQSClient({ ...clientConfig, endpoint: fauxqs.endpoint }),
      sns: new SNSClient({ ...clientConfig, endpoint: fauxqs.endpoint }),
      s3: new S3Client({ ...clientConfig, endpoint: s3.endpoint }),
    };
    const streams = new DynamoDBStreamsClient({ ...clientConfig, endpoint: dynamodbLocal.endpoint });
    stoppers.push(async () => [clients.dynamodb, clients.sqs, clients.sns, clients.s3, streams].forEach((client) => client.destroy()));

    const resources = await provisionStack(stack, { ...clients, databases }, region, (resource) => emit({ kind: 'resource', resource }));

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
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      ...(databases
        ? {
            AWS_ENDPOINT_URL_SECRETS_MANAGER: databases.secrets.endpoint,
            // MariaDB here has no certificate; the deployed functions require TLS.
            DB_TLS: 'disabled',
          }
        : {}),
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

    // What `cdktf deploy` invokes while applying (the report pipeline's migrations), before anything else runs.
    for (const invocationConfig of Object.values(stack.resources('aws_lambda_invocation'))) {
      const fn = functionByReference(resources.resolve(String(invocationConfig.function_name)), functions);
      const invocation = await fn.invoke(JSON.parse(resources.resolve(String(invocationConfig.input ?? '{}'))));
      emit({ kind: 'invocation', functionName: fn.functionName, source: 'deploy (aws_lambda_invocation)', records: 1, invocation, failedRecords: invocation.ok ? 0 : 1 });
      if (!invocation.ok) {
        throw new Error(`${fn.functionName} failed as the deploy invokes it: ${invocation.error.errorType}: ${invocation.error.errorMessage}`);
      }
    }

    const triggered = new Set<LocalFunction>();
    for (const mapping of Object.values(stack.resources('aws_lambda_event_source_mapping'))) {
      const fn = functionOfMapping(mapping, functions, (value) => resources.resolve(value));
      const source = startEventSource(mapping, fn, resources, { clients, streams, region, options, emit });
      stoppers.push(() => source.stop());
      triggered.add(fn);
      emit({ kind: 'function', functionName: fn.functionName, trigger: source.description });
    }
    const asyncInvokers = new Map<string, AsyncInvoker>();
    const bucketNotifications = s3NotificationsOf(stack, resources, (functionName) => {
      const existing = asyncInvokers.get(functionName);
      if (existing) return existing;
      const invoker = startAsyncInvoker(stack, resources, functionByReference(functionName, functions), { clients, options, emit });
      stoppers.push(() => invoker.stop());
      asyncInvokers.set(functionName, invoker);
      return invoker;
    });
    if (bucketNotifications.length > 0) {
      const delivery = startS3Notifications(fauxqs, bucketNotifications, region);
      stoppers.push(async () => delivery.stop());
    }
    for (const notification of bucketNotifications) {
      const filter = `${notification.filterPrefix ?? ''}*${notification.filterSuffix ?? ''}`;
      const fn = functions.get(notification.invoker.functionName) as LocalFunction;
      triggered.add(fn);
      emit({ kind: 'function', functionName: fn.functionName, trigger: `S3 bucket ${notification.bucket}, ${notification.events.join(' ')} on ${filter}` });
    }
    for (const fn of functions.values()) {
      if (!triggered.has(fn)) emit({ kind: 'function', functionName: fn.functionName, trigger: 'no event source mapping' });
    }

    const stateMachines = new Map<string, LocalStateMachine>();
    for (const [terraformName, config] of Object.entries(stack.resources('aws_sfn_state_machine'))) {
      const stateMachineArn = resources.resolve(`\${aws_sfn_state_machine.${terraformName}.arn}`);
      const machineName = String(config.name);
      const machine = new LocalStateMachine({
        definition: JSON.parse(resources.resolve(String(config.definition))) as object,
        stateMachineArn,
        functions: (reference) => functions.get(functionNameOf(reference)),
        publish: async (topicArn, subject, message) => {
          const { MessageId } = await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
          return { MessageId: MessageId ?? '' };
        },
        onEvent: (event) => emit({ kind: 'execution', stateMachine: machineName, event }),
        // The workflow's first retry waits IntervalSeconds (2 s); --retry-delay sets it instead.
        retryIntervalScale: options.retryDelaySeconds === undefined ? 1 : options.retryDelaySeconds / 2,
      });
      stoppers.push(() => machine.stop());
      stateMachines.set(machineName, machine);
      emit({ kind: 'function', functionName: machineName, trigger: 'state machine, started by StartExecution' });
    }

    const userPools = new Map<string, LocalUserPool>();
    for (const [terraformName] of Object.entries(stack.resources('aws_cognito_user_pool'))) {
      const poolArn = resources.resolve(`\${aws_cognito_user_pool.${terraformName}.arn}`);
      const client = Object.entries(stack.resources('aws_cognito_user_pool_client')).find(
        ([, config]) => String(config.user_pool_id).includes(`aws_cognito_user_pool.${terraformName}.`),
      );
      const clientId = client ? resources.resolve(`\${aws_cognito_user_pool_client.${client[0]}.id}`) : undefined;
      userPools.set(poolArn, new LocalUserPool({ pool: poolArn, clientId }));
    }

    let apiUrl: string | undefined;
    if (Object.keys(stack.resources('aws_api_gateway_rest_api')).length > 0) {
      const api: RunningRestApi = await startRestApi({
        stack,
        resolve: (value) => resources.resolve(value),
        backends: {
          sqs: sqsQueryBackend({ sqs: clients.sqs, queueUrlOf: async (_account, queueName) => resources.queueByName(queueName).url }),
          states: stepFunctionsBackend({
            startExecution: ({ stateMachineArn, input, name }) => {
              const machine = [...stateMachines.values()].find((candidate) => candidate.stateMachineArn === stateMachineArn);
              if (!machine) throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
              const { executionArn, startDate } = machine.startExecution({ name, input: JSON.parse(input) as unknown });
              return { executionArn, startDate };
            },
          }),
        },
        userPools,
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
      endpoints: { dynamodb: dynamodbLocal.endpoint, sqs: fauxqs.endpoint, sns: fauxqs.endpoint, s3: s3.endpoint },
      clients,
      functions,
      notifications,
      stateMachines,
      userPools,
      database: databases?.mariadb,
      s3Triggers: bucketNotifications.map((notification) => ({
        bucket: notification.bucket,
        keyPrefix: notification.filterPrefix ?? '',
        keySuffix: notification.filterSuffix ?? '',
        functionName: notification.invoker.functionName,
      })),
      outputs: resolveOutputs(stack, resources),
      stop: stopAll,
    };
  } catch (error) {
    // A half-started pipeline must not leave a JVM or a server behind.
    await stopAll();
    throw error;
  }
}

/**
 * Waits for every start, even after one failed, so that nothing still starting is left
 * running once the caller stops what did start; then reports the first failure.
 */
async function allStarted<T extends readonly unknown[]>(starts: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const outcomes = await Promise.allSettled(starts);
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

async function startEmulator<T extends RunningEmulator>(
  start: () => Promise<T>,
  name: string,
  stoppers: (() => Promise<void>)[],
  emit: (event: PipelineEvent) => void,
): Promise<T> {
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
  return functionByReference(resolve(String(mapping.function_name)), functions);
}

/** A function by name or ARN, as the Lambda API accepts either. */
function functionByReference(reference: string, functions: ReadonlyMap<string, LocalFunction>): LocalFunction {
  const fn = functions.get(functionNameOf(reference));
  if (!fn) throw new Error(`The stack refers to the function ${reference}, which it does not create`);
  return fn;
}

function functionNameOf(reference: string): string {
  return reference.startsWith('arn:') ? reference.split(':')[6] : reference;
}

/** The Lambda targets of every bucket notification; queue and topic targets are refused by name. */
function s3NotificationsOf(
  stack: SynthesizedStack,
  resources: ProvisionedStack,
  invokerOf: (functionName: string) => AsyncInvoker,
): LambdaNotification[] {
  return Object.values(stack.resources('aws_s3_bucket_notification')).flatMap((config) => {
    const bucket = resources.resolve(String(config.bucket));
    if (config.queue !== undefined || config.topic !== undefined) {
      throw new Error(`The local runtime cannot deliver S3 notifications of bucket ${bucket} to queues or topics yet, only to functions`);
    }
    const targets = (config.lambda_function as { id?: string; lambda_function_arn: string; events: string[]; filter_prefix?: string; filter_suffix?: string }[] | undefined) ?? [];
    return targets.map((target): LambdaNotification => {
      const functionName = functionNameOf(resources.resolve(target.lambda_function_arn));
      return {
        id: target.id ?? 'tf-s3-lambda',
        bucket,
        events: target.events,
        filterPrefix: target.filter_prefix,
        filterSuffix: target.filter_suffix,
        invoker: invokerOf(functionName),
      };
    });
  });
}

/** Asynchronous invocation of `fn` with its aws_lambda_function_event_invoke_config, if it has one. */
function startAsyncInvoker(
  stack: SynthesizedStack,
  resources: ProvisionedStack,
  fn: LocalFunction,
  context: Pick<EventSourceContext, 'clients' | 'options' | 'emit'>,
): AsyncInvoker {
  const { clients, options, emit } = context;
  const functionArn = `arn:aws:lambda:${resources.region}:${LOCAL_ACCOUNT_ID}:function:${fn.functionName}`;
  const config = Object.values(stack.resources('aws_lambda_function_event_invoke_config')).find(
    (candidate) => functionNameOf(resources.resolve(String(candidate.function_name))) === fn.functionName,
  );
  const destinationArn = (config?.destination_config as { on_failure?: { destination?: string } } | undefined)?.on_failure?.destination;
  const destination = destinationArn === undefined ? undefined : resources.resolve(destinationArn);
  const retryDelay = options.retryDelaySeconds;
  return new AsyncInvoker(
    fn,
    {
      functionArn,
      maximumRetryAttempts: numberOr(config?.maximum_retry_attempts, 2),
      maximumEventAgeSeconds: numberOr(config?.maximum_event_age_in_seconds, 21_600),
      retryDelaysSeconds: retryDelay === undefined ? undefined : [retryDelay],
      onFailure: destination === undefined ? undefined : failureDestination(destination, resources, clients),
    },
    {
      onInvocation: ({ event, invocation }) => {
        const records = (event as { Records?: unknown[] }).Records?.length ?? 1;
        emit({ kind: 'invocation', functionName: fn.functionName, source: 'S3 notification', records, invocation, failedRecords: invocation.ok ? 0 : records });
      },
      onDiscarded: ({ event, condition }) => {
        const records = (event as { Records?: unknown[] }).Records?.length ?? 1;
        const name = destination?.split(':')[5];
        emit({ kind: 'discarded', functionName: fn.functionName, records, reason: condition === 'RetriesExhausted' ? 'retries exhausted' : 'event too old', destination: name });
      },
      onError: (error) => emit({ kind: 'error', where: `${fn.functionName} asynchronous invocation`, error }),
    },
  );
}

/** Sends an on-failure record to a queue or topic of the stack, as Lambda's destinations do. */
function failureDestination(arn: string, resources: ProvisionedStack, clients: LocalPipeline['clients']) {
  if (arn.startsWith('arn:aws:sqs:')) {
    const queue = resources.queueByArn(arn);
    return async (record: object) => {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(record) }));
    };
  }
  if (arn.startsWith('arn:aws:sns:')) {
    return async (record: object) => {
      await clients.sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify(record) }));
    };
  }
  throw new Error(`The local runtime cannot send on-failure records to ${arn}: only SQS queues and SNS topics`);
}

function batchItemFailureCount(result: unknown): number {
  const failures = (result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  return Array.isArray(failures) ? failures.length : 0;
}

function stackRegion(stack: SynthesizedStack): string {
  const providers = (stack.json.provider?.aws ?? []) as { region?: string }[];
  return providers[0]?.region ?? 'us-east-1';
}

/** An output that names what is not run locally (a hosted UI's domain) says so instead of failing the start. */
export const NOT_AVAILABLE_LOCALLY = '(not available locally)';

function resolveOutputs(stack: SynthesizedStack, resources: ProvisionedStack): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stack.json.output ?? {}).map(([name, output]) => {
      const value = String(output.value);
      if (refersToNotRunResource(value)) return [name, NOT_AVAILABLE_LOCALLY];
      return [name, resources.resolve(value)];
    }),
  );
}

function prefixKeys(prefix: string, values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[`${prefix}${key}`, value]])));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/**
 * Runs a synthesized pipeline stack on this machine: the services its functions reach,
 * the stack's tables, queues and topics created from cdk.tf.json, its functions run from
 * the bundles Terraform would zip, its event source mappings, bucket notifications, state
 * machines and REST API honoured as AWS honours them. What runs here is what
 * `cdktf deploy` would create.
 *
 * This module only connects the parts: what the stack declares is read in local/stack/,
 * and each AWS behaviour lives in the folder named after its service.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRestApi } from '../api-gateway/rest-api-server';
import { sqsQueryBackend } from '../api-gateway/sqs-query-adapter';
import { StepFunctionsError, stepFunctionsBackend } from '../api-gateway/step-functions-adapter';
import { LocalUserPool } from '../cognito/local-user-pool';
import type { RunningEmulator } from '../emulators/emulator-process';
import { LocalFunction } from '../lambda/local-function';
import { provisionStack } from '../provision/provision';
import { deleteTables } from '../provision/tables';
import type { ProvisionedStack } from '../provision/provisioned-stack';
import type { RunningPart } from '../running-part';
import { NotificationInbox } from '../sns/notification-inbox';
import { deployInvocations } from '../stack/deploy-invocations';
import { stackPartFor } from '../stack/function-reach';
import { functionSettings } from '../stack/function-settings';
import { stackOutputs } from '../stack/outputs';
import { stateMachines as stateMachinesOf } from '../stack/state-machines';
import { findFunction } from '../stack/stack-functions';
import { metricAlarms } from '../stack/metric-alarms';
import { SynthesizedStack } from '../stack/synthesized-stack';
import { userPools as userPoolsOf } from '../stack/user-pools';
import { LocalStateMachine } from '../step-functions/local-state-machine';
import { startLocalAlarms } from './local-alarms';
import { startLocalServices, type FunctionEndpointService, type LocalServices } from './local-services';
import type { EmitPipelineEvent, PipelineEvent } from './pipeline-events';
import { RunningParts } from './running-parts';
import { functionByReference, startTriggers, type S3Trigger } from './triggers';

export interface LocalPipelineOptions {
  /** The synthesized stack's directory: cdk.tf.json and the assets it names. */
  readonly stackDir: string;
  /** Port of the REST API. @default a free port */
  readonly apiPort?: number;
  /** Honour the stage's throttling. Load runs turn it off. @default true */
  readonly throttle?: boolean;
  /**
   * Retry failed SQS messages and asynchronous invocations after this many seconds instead
   * of AWS's delays (the queue's visibility timeout; 1 then 2 minutes), and scale the state
   * machines' retry intervals to match. @default AWS's delays
   */
  readonly retryDelaySeconds?: number;
  /** Replaces a function's bundle, by function name: how the benchmark runs the lab's own handler logic. */
  readonly codeOverrides?: Readonly<Record<string, string>>;
  /**
   * Endpoints the functions use instead of the emulators', e.g. a proxy that makes
   * DynamoDB fail on purpose. Keys are SDK service ids as in AWS_ENDPOINT_URL_<ID>.
   */
  readonly functionEndpoints?: Readonly<Partial<Record<FunctionEndpointService, string>>>;
  /**
   * A DynamoDB Local already running, to use instead of starting one (a JVM saved, e.g. in a
   * test run that has one). The stack's tables are created in it, so none of their names
   * may be taken there; stop() deletes them again and leaves the emulator running.
   * @default a DynamoDB Local of the pipeline's own, when the stack has a table
   */
  readonly dynamodbEndpoint?: string;
  /**
   * Variables set in every function's environment over the stack's and the runtime's own,
   * as `sam local invoke --env-vars` does (`npm run local -- invoke --env`). @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Runs only this function (by its name or construct id) and what it reaches, not what
   * invokes it: see local/stack/function-reach.ts. @default the whole stack
   */
  readonly onlyFunction?: string;
  /** Progress, as it happens. @default ignored */
  readonly onEvent?: (event: PipelineEvent) => void;
}

export interface LocalPipeline extends RunningPart {
  readonly stack: SynthesizedStack;
  readonly resources: ProvisionedStack;
  /** The stage's URL, e.g. http://127.0.0.1:3000/v1; undefined when the stack has no REST API. */
  readonly apiUrl?: string;
  readonly endpoints: LocalServices['endpoints'];
  readonly clients: LocalServices['clients'];
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
  /**
   * Resolves once every part is idle and stays so: everything put into the pipeline before
   * the call has gone as far as it goes (retries waiting on a delay excepted).
   */
  idle(): Promise<void>;
  /** Stops everything that was started, newest first; resolves once all of it is gone. */
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const wholeStack = SynthesizedStack.parse(readFileSync(join(options.stackDir, 'cdk.tf.json'), 'utf8'));
  const stack =
    options.onlyFunction === undefined ? wholeStack : stackPartFor(wholeStack, findFunction(wholeStack, options.onlyFunction).resourceName);
  const report = options.onEvent ?? (() => {});
  // The stack's alarms watch the pipeline's events as they are reported (local-alarms.ts).
  const observers: ((event: PipelineEvent) => void)[] = [];
  const emit: EmitPipelineEvent = (event) => {
    report(event);
    for (const observe of observers) observe(event);
  };
  const parts = new RunningParts(emit);
  try {
    const services = await startLocalServices(stack, parts, emit, options);
    const resources = await provisionStack(stack, { ...services.clients, databases: services.databases }, stack.region, (resource) =>
      emit({ kind: 'resource', resource }),
    );
    const { dynamodb } = services.clients;
    // Stopped before the clients are destroyed and after everything that reads the tables.
    if (options.dynamodbEndpoint !== undefined && dynamodb) parts.add({ stop: () => deleteTables(dynamodb, resources.tables.values()) });
    const notifications = parts.add(
      await NotificationInbox.open(services.clients, [...resources.topics.values()], (error) => emit({ kind: 'error', where: 'notification inbox', error })),
    );
    notifications.onNotification((notification) => emit({ kind: 'notification', notification }));

    const functions = startFunctions(options, resources, services, parts, emit);
    await runDeployInvocations(resources, functions, emit);
    const s3Triggers = startTriggers({ resources, services, functions, parts, emit, retryDelaySeconds: options.retryDelaySeconds });
    const stateMachines = startStateMachines(options, resources, services, functions, parts, emit);
    const userPools = new Map(userPoolsOf(stack, (value) => resources.resolve(value)).map(({ arn, clientId }) => [arn, new LocalUserPool({ pool: arn, clientId })]));
    const apiUrl = await startApi(options, resources, services, { stateMachines, functions, userPools }, parts, emit);
    const alarms = parts.add(
      startLocalAlarms({
        alarms: metricAlarms(stack, (value) => resources.resolve(value)),
        sqs: services.clients.sqs,
        queueUrlOf: (queueName) => [...resources.queues.values()].find((queue) => queue.name === queueName)?.url,
        stateMachineArnOf: (name) => stateMachines.get(name)?.stateMachineArn,
        emit,
      }),
    );
    observers.push((event) => alarms.observe(event));

    // Work moves from part to part; a pass in which nothing was invoked or notified is the end of it.
    const activity = () =>
      [...functions.values()].reduce((sum, fn) => sum + fn.stats.invocations, 0) + notifications.all().length;
    return {
      stack,
      resources,
      apiUrl,
      endpoints: services.endpoints,
      clients: services.clients,
      functions,
      notifications,
      stateMachines,
      userPools,
      database: services.databases?.mariadb,
      s3Triggers,
      outputs: stackOutputs(stack, (value) => resources.resolve(value)),
      idle: () => parts.idle(activity),
      stop: () => parts.stop(),
    };
  } catch (error) {
    // A half-started pipeline must not leave a JVM or a server behind.
    await parts.stop();
    throw error;
  }
}

function startFunctions(
  options: LocalPipelineOptions,
  resources: ProvisionedStack,
  services: LocalServices,
  parts: RunningParts,
  emit: EmitPipelineEvent,
): Map<string, LocalFunction> {
  const functions = new Map<string, LocalFunction>();
  for (const config of Object.values(resources.stack.resources('aws_lambda_function'))) {
    const settings = functionSettings(resources.stack, options.stackDir, config, (value) => resources.resolve(value));
    const fn = new LocalFunction({
      ...settings,
      codePath: options.codeOverrides?.[settings.functionName] ?? settings.codePath,
      environment: { ...settings.environment, ...services.functionEnvironment, ...options.environment },
      region: resources.region,
      onLog: (line) => emit({ kind: 'log', functionName: settings.functionName, line }),
    });
    functions.set(settings.functionName, parts.add(fn));
  }
  return functions;
}

/** What `cdktf deploy` invokes while applying (the report pipeline's migrations), before anything else runs. */
async function runDeployInvocations(resources: ProvisionedStack, functions: ReadonlyMap<string, LocalFunction>, emit: EmitPipelineEvent): Promise<void> {
  for (const { functionReference, input } of deployInvocations(resources.stack, (value) => resources.resolve(value))) {
    const fn = functionByReference(functionReference, functions);
    const invocation = await fn.invoke(input);
    emit({ kind: 'invocation', functionName: fn.functionName, source: 'deploy (aws_lambda_invocation)', records: 1, invocation, failedRecords: invocation.ok ? 0 : 1 });
    if (!invocation.ok) {
      throw new Error(`${fn.functionName} failed as the deploy invokes it: ${invocation.error.errorType}: ${invocation.error.errorMessage}`);
    }
  }
}

function startStateMachines(
  options: LocalPipelineOptions,
  resources: ProvisionedStack,
  services: LocalServices,
  functions: ReadonlyMap<string, LocalFunction>,
  parts: RunningParts,
  emit: EmitPipelineEvent,
): Map<string, LocalStateMachine> {
  const machines = new Map<string, LocalStateMachine>();
  for (const { name, arn, definition } of stateMachinesOf(resources.stack, (value) => resources.resolve(value))) {
    const machine = new LocalStateMachine({
      definition,
      stateMachineArn: arn,
      functions: (reference) => functionByReference(reference, functions),
      publish: async (topicArn, subject, message) => {
        const { MessageId } = await services.clients.sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
        return { MessageId: MessageId ?? '' };
      },
      onEvent: (event) => emit({ kind: 'execution', stateMachine: name, event }),
      // The workflow's first retry waits IntervalSeconds (2 s); --retry-delay sets it instead.
      retryIntervalScale: options.retryDelaySeconds === undefined ? 1 : options.retryDelaySeconds / 2,
    });
    machines.set(name, parts.add(machine));
    emit({ kind: 'function', functionName: name, trigger: 'state machine, started by StartExecution' });
  }
  return machines;
}

/** Serves the stack's REST API, its stage's invoke_url becoming the local URL; undefined when it has none. */
async function startApi(
  options: LocalPipelineOptions,
  resources: ProvisionedStack,
  services: LocalServices,
  targets: {
    readonly stateMachines: ReadonlyMap<string, LocalStateMachine>;
    readonly functions: ReadonlyMap<string, LocalFunction>;
    readonly userPools: ReadonlyMap<string, LocalUserPool>;
  },
  parts: RunningParts,
  emit: EmitPipelineEvent,
): Promise<string | undefined> {
  const { stateMachines, functions, userPools } = targets;
  if (Object.keys(resources.stack.resources('aws_api_gateway_rest_api')).length === 0) return undefined;
  const throttle = options.throttle ?? true;
  const api = parts.add(
    await startRestApi({
      stack: resources.stack,
      resolve: (value) => resources.resolve(value),
      backends: {
        sqs: sqsQueryBackend({ sqs: services.clients.sqs, queueUrlOf: async (_account, queueName) => resources.queueByName(queueName).url }),
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
      // AWS_PROXY integrations and Lambda authorizers: the stack's own functions, by ARN.
      lambda: async (functionArn, event) => {
        const fn = functionByReference(functionArn, functions);
        const invocation = await fn.invoke(event);
        const source = (event as { type?: unknown }).type === 'TOKEN' ? 'API Gateway (Lambda authorizer)' : 'API Gateway (proxy integration)';
        emit({ kind: 'invocation', functionName: fn.functionName, source, records: 1, invocation, failedRecords: invocation.ok ? 0 : 1 });
        return invocation;
      },
      port: options.apiPort,
      throttle,
      onAccessLog: (accessLog) => emit({ kind: 'request', accessLog }),
      onExecutionLog: (line) => emit({ kind: 'api-log', line }),
    }),
  );
  for (const stageName of Object.keys(resources.stack.resources('aws_api_gateway_stage'))) {
    resources.setAttribute('aws_api_gateway_stage', stageName, 'invoke_url', api.url);
  }
  emit({ kind: 'api', url: api.url, throttled: throttle });
  return api.url;
}

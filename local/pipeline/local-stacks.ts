/**
 * Runs several synthesized stacks of one app together on this machine, as they would be
 * deployed together: one set of services (local-services.ts) for all of them, each stack's
 * resources created in deploy order, cross-stack references read from the stack that
 * produces them (local/provision/cross-stack-outputs.ts), one local user pool per pool of
 * the run (shared by every API that names it) served by a local hosted UI and cognito-idp
 * server, each stack's functions, triggers, state machines and REST API, and a local
 * CloudFront for a stack with a distribution, in front of the others' APIs.
 *
 * The phases are ordered by what each needs from the one before: the functions need the
 * hosted UI's endpoint, the CloudFront the APIs' URLs, and the app clients' callback URLs
 * and the buckets' CORS origins the CloudFront's URL, which `https://<distribution domain>`
 * stands for locally (local/cloudfront/aws-url-map.ts).
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { startRestApi } from '../api-gateway/rest-api-server';
import { sqsQueryBackend } from '../api-gateway/sqs-query-adapter';
import { StepFunctionsError, stepFunctionsBackend } from '../api-gateway/step-functions-adapter';
import { awsUrlMap, type AwsUrlMap } from '../cloudfront/aws-url-map';
import { startLocalCloudFront, type RunningCloudFront } from '../cloudfront/local-cloudfront';
import { startLocalHostedUi, type RunningLocalHostedUi } from '../cognito/hosted-ui-server';
import { LocalUserPool } from '../cognito/local-user-pool';
import type { CorsRule } from '../emulators/s3-cors';
import { LocalFunction } from '../lambda/local-function';
import { CrossStackOutputs } from '../provision/cross-stack-outputs';
import { provisionStack } from '../provision/provision';
import type { ProvisionedStack } from '../provision/provisioned-stack';
import { deleteTables } from '../provision/tables';
import type { RunningPart } from '../running-part';
import { NotificationInbox } from '../sns/notification-inbox';
import { appClients, registerAppClients } from '../stack/app-clients';
import { bucketCorsRules } from '../stack/bucket-cors';
import { deployInvocations } from '../stack/deploy-invocations';
import { stackPartFor } from '../stack/function-reach';
import { functionSettings } from '../stack/function-settings';
import { metricAlarms } from '../stack/metric-alarms';
import { stackOutputs } from '../stack/outputs';
import { findFunction } from '../stack/stack-functions';
import { stateMachines as stateMachinesOf } from '../stack/state-machines';
import type { SynthesizedApp } from '../stack/synthesized-app';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import { userPools as userPoolsOf } from '../stack/user-pools';
import { LocalStateMachine } from '../step-functions/local-state-machine';
import { startLocalSfnApi } from '../step-functions/sfn-api-server';
import { startLocalAlarms } from './local-alarms';
import type { LocalPipeline, LocalPipelineOptions } from './local-pipeline';
import { startLocalServices, type LocalServices } from './local-services';
import type { EmitPipelineEvent, PipelineEvent } from './pipeline-events';
import { RunningParts } from './running-parts';
import { functionByReference, startTriggers } from './triggers';

export interface LocalStacksOptions extends Omit<LocalPipelineOptions, 'stackDir' | 'apiPort'> {
  readonly app: SynthesizedApp;
  /** The stacks to run, by id, in the order they deploy (a producer before its consumers). */
  readonly stackIds: readonly string[];
  /** Each stack's REST API port, by stack id. @default a free port each */
  readonly apiPorts?: Readonly<Record<string, number>>;
  /** The local CloudFront's port (a stack with a distribution). @default a free port */
  readonly cloudFrontPort?: number;
  /** The local hosted UI and cognito-idp server's port. @default a free port */
  readonly hostedUiPort?: number;
}

export interface LocalStacks extends RunningPart {
  /** Each running stack, by id, as a pipeline of its own (its stop and idle are the whole run's). */
  readonly stacks: ReadonlyMap<string, LocalPipeline>;
  /** Every user pool of the run by ARN: the running stacks' own, and those they read from other stacks. */
  readonly userPools: ReadonlyMap<string, LocalUserPool>;
  /** The hosted UI and cognito-idp server of the run's user pool, when it has one. */
  readonly hostedUi?: RunningLocalHostedUi;
  /** The local CloudFront of the run's distribution, when a stack has one. */
  readonly cloudFront?: RunningCloudFront;
  /** Maps an AWS URL of the run (a distribution, an API, Cognito, a bucket) to its local one. */
  readonly localUrls: AwsUrlMap;
  readonly endpoints: LocalServices['endpoints'];
  readonly clients: LocalServices['clients'];
}

interface StartedStack {
  readonly id: string;
  readonly dir: string;
  readonly stack: SynthesizedStack;
  readonly resources: ProvisionedStack;
}

/**
 * The stacks `npm run local -- <stack>` runs: the stack alone, or, for one with no functions
 * or REST API of its own (the dashboard: a site in front of the others), it and every stack
 * it reads, in deploy order. A stack that only reads a value needing nothing running (the
 * report stack reads the inventory stack's pool) runs alone.
 */
export function stacksToRun(app: SynthesizedApp, stackId: string): string[] {
  const { stack } = app.get(stackId);
  const hasOwnParts = ['aws_lambda_function', 'aws_api_gateway_rest_api'].some((type) => Object.keys(stack.resources(type)).length > 0);
  return hasOwnParts ? [stackId] : [...app.producersOf(stackId), stackId];
}

export async function startLocalStacks(options: LocalStacksOptions): Promise<LocalStacks> {
  const { app } = options;
  if (options.onlyFunction !== undefined && options.stackIds.length !== 1) throw new Error('onlyFunction runs a function of one stack.');
  const selected = options.stackIds.map((id) => {
    const entry = app.get(id);
    const stack = options.onlyFunction === undefined ? entry.stack : stackPartFor(entry.stack, findFunction(entry.stack, options.onlyFunction).resourceName);
    return { ...entry, stack };
  });
  const report = options.onEvent ?? (() => {});
  // The stacks' alarms watch the pipeline's events as they are reported (local-alarms.ts).
  const observers: ((event: PipelineEvent) => void)[] = [];
  const emit: EmitPipelineEvent = (event) => {
    report(event);
    for (const observe of observers) observe(event);
  };
  const parts = new RunningParts(emit);
  try {
    // Filled in once the stacks that declare them run; the local S3 asks at each request.
    const corsRules = new Map<string, readonly CorsRule[]>();
    const services = await startLocalServices(
      selected.map(({ stack }) => stack),
      parts,
      emit,
      { ...options, s3Cors: (bucket) => corsRules.get(bucket) },
    );
    const origins: { hostedUi?: string; s3: string; hosts: Map<string, string> } = { s3: services.endpoints.s3, hosts: new Map() };
    const localUrls = awsUrlMap(origins);

    const crossStack = new CrossStackOutputs(app);
    const started: StartedStack[] = [];
    for (const { id, dir, stack } of selected) {
      const resources = await provisionStack(
        stack,
        { ...services.clients, databases: services.databases },
        stack.region,
        (resource) => emit({ kind: 'resource', resource }),
        crossStack.for(id),
      );
      crossStack.running(id, resources);
      const { dynamodb } = services.clients;
      // Stopped before the clients are destroyed and after everything that reads the tables.
      if (options.dynamodbEndpoint !== undefined && dynamodb) parts.add({ stop: () => deleteTables(dynamodb, resources.tables.values()) });
      started.push({ id, dir, stack, resources });
    }

    const userPools = runUserPools(app, started, crossStack);
    const hostedUi = await startHostedUi(userPools, options.hostedUiPort, parts, emit);
    if (hostedUi) origins.hostedUi = hostedUi.url;
    const running = new Map<string, Omit<LocalPipeline, 'outputs' | 'idle' | 'stop'>>();
    // A function that asks Step Functions about an execution (the report API's ReportStatus)
    // asks the run's own state machines, whichever stack holds them.
    const sfnApi = parts.add(await startLocalSfnApi(() => [...running.values()].flatMap((stack) => [...stack.stateMachines.values()])));
    const runEnvironment: Record<string, string> = {
      AWS_ENDPOINT_URL_SFN: sfnApi.endpoint,
      ...(hostedUi ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: hostedUi.cognitoIdpEndpoint } : {}),
    };

    for (const entry of started) {
      running.set(entry.id, await startStack(entry, { options, services, parts, emit, observers, userPools, localUrls, runEnvironment }));
      const api = running.get(entry.id)?.apiUrl;
      if (api !== undefined) {
        for (const name of Object.keys(entry.stack.resources('aws_api_gateway_rest_api'))) {
          origins.hosts.set(`${entry.resources.resolve(`\${aws_api_gateway_rest_api.${name}.id}`)}.execute-api.${entry.stack.region}.amazonaws.com`, new URL(api).origin);
        }
      }
    }

    const cloudFront = await startCloudFront(started, options.cloudFrontPort, localUrls, origins.hosts, parts, emit);
    registerClientsOfOtherStacks(app, started, crossStack, userPools, localUrls);
    for (const { stack, resources } of started) {
      const resolveLocal = (value: string) => localUrls(resources.resolve(value));
      const clients = appClients(stack, resolveLocal);
      for (const pool of userPools.values()) registerAppClients(pool, clients);
      for (const [bucket, rules] of bucketCorsRules(stack, { bucket: (value) => resources.resolve(value), origin: resolveLocal })) {
        if (corsRules.has(bucket)) throw new Error(`Bucket ${bucket} has CORS configurations in two stacks: S3 keeps only one.`);
        corsRules.set(bucket, rules);
      }
    }

    const activity = () =>
      [...running.values()].reduce(
        (sum, stack) => sum + [...stack.functions.values()].reduce((count, fn) => count + fn.stats.invocations, 0) + stack.notifications.all().length,
        0,
      );
    const idle = () => parts.idle(activity);
    const stop = () => parts.stop();
    const stacks = new Map(
      started.map(({ id, resources }) => [
        id,
        { ...running.get(id)!, outputs: mapValues(stackOutputs(resources.stack, (value) => resources.resolve(value)), localUrls), idle, stop },
      ]),
    );
    return { stacks, userPools, hostedUi, cloudFront, localUrls, endpoints: services.endpoints, clients: services.clients, idle, stop };
  } catch (error) {
    // A half-started run must not leave a JVM or a server behind.
    await parts.stop();
    throw error;
  }
}

function mapValues(record: Record<string, string>, map: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, map(value)]));
}

/**
 * One local pool per user pool of the run: the running stacks' own, and those of the stacks
 * they read (the report stack's authorizer names the inventory stack's pool), so that every
 * API and the hosted UI share the one pool whatever stack declares it.
 */
function runUserPools(app: SynthesizedApp, started: readonly StartedStack[], crossStack: CrossStackOutputs): Map<string, LocalUserPool> {
  const pools = new Map<string, LocalUserPool>();
  const add = (stack: SynthesizedStack, resolve: (value: string) => string) => {
    for (const { arn, clientId, passwordPolicy } of userPoolsOf(stack, resolve)) {
      if (!pools.has(arn)) pools.set(arn, new LocalUserPool({ pool: arn, clientId, passwordPolicy }));
    }
  };
  for (const { stack, resources } of started) add(stack, (value) => resources.resolve(value));
  for (const { id, stack } of started) {
    for (const stateName of Object.keys(stack.dataSources('terraform_remote_state'))) {
      const producer = app.producerOf(app.get(id), stateName);
      if (crossStack.isRunning(producer.id)) continue;
      const context = crossStack.contextOf(producer.id);
      add(producer.stack, (value) => context.resolve(value));
    }
  }
  return pools;
}

/**
 * The app clients other stacks of the app declare on the run's pools (the dashboard's web
 * client on the inventory pool, when the report stack runs alone), as they exist in AWS once
 * those stacks are deployed: a token the runtime issues for a person is one of theirs. A
 * client whose settings need a running part of its stack is left out.
 */
function registerClientsOfOtherStacks(
  app: SynthesizedApp,
  started: readonly StartedStack[],
  crossStack: CrossStackOutputs,
  userPools: ReadonlyMap<string, LocalUserPool>,
  localUrls: AwsUrlMap,
): void {
  if (userPools.size === 0) return;
  const running = new Set(started.map(({ id }) => id));
  for (const id of app.ids().filter((stackId) => !running.has(stackId))) {
    const { stack } = app.get(id);
    if (Object.keys(stack.resources('aws_cognito_user_pool_client')).length === 0) continue;
    const context = crossStack.contextOf(id);
    let clients;
    try {
      clients = appClients(stack, (value) => localUrls(context.resolve(value)));
    } catch {
      continue;
    }
    for (const pool of userPools.values()) registerAppClients(pool, clients);
  }
}

/**
 * The hosted UI and cognito-idp endpoint of the run's user pool. The functions reach one
 * cognito-idp endpoint (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER), so a run has at most one pool.
 */
async function startHostedUi(
  userPools: ReadonlyMap<string, LocalUserPool>,
  port: number | undefined,
  parts: RunningParts,
  emit: EmitPipelineEvent,
): Promise<RunningLocalHostedUi | undefined> {
  if (userPools.size === 0) return undefined;
  if (userPools.size > 1) throw new Error(`The local runtime serves one user pool per run; these stacks have ${userPools.size}: ${[...userPools.keys()].join(', ')}.`);
  const [pool] = userPools.values();
  const hostedUi = parts.add(await startLocalHostedUi({ pool, port, log: (line) => emit({ kind: 'api-log', line: `hosted UI: ${line}` }) }));
  emit({ kind: 'emulator', name: `hosted UI and cognito-idp (${pool.poolId})`, endpoint: hostedUi.url });
  return hostedUi;
}

/** The local CloudFront of the run's distribution (at most one), in front of the APIs already running. */
async function startCloudFront(
  started: readonly StartedStack[],
  port: number | undefined,
  localUrls: AwsUrlMap,
  hosts: Map<string, string>,
  parts: RunningParts,
  emit: EmitPipelineEvent,
): Promise<RunningCloudFront | undefined> {
  const withDistribution = started.flatMap((entry) => Object.keys(entry.stack.resources('aws_cloudfront_distribution')).map((name) => ({ entry, name })));
  if (withDistribution.length === 0) return undefined;
  if (withDistribution.length > 1) throw new Error(`The local runtime serves one CloudFront distribution per run; these stacks have ${withDistribution.length}.`);
  const [{ entry, name }] = withDistribution;
  const resolve = (value: string) => entry.resources.resolve(value);
  // Known before it listens: config.json and the CSP may name the distribution's own domain.
  const domain = resolve(`\${aws_cloudfront_distribution.${name}.domain_name}`);
  const cloudFront = parts.add(
    await startLocalCloudFront({
      stack: entry.stack,
      stackDir: entry.dir,
      resolve,
      localUrls,
      distribution: name,
      port,
      onAccessLog: (line) => emit({ kind: 'request', accessLog: `cloudfront ${line}` }),
      onError: (line) => emit({ kind: 'api-log', line }),
    }),
  );
  hosts.set(domain, cloudFront.url);
  emit({ kind: 'emulator', name: `CloudFront ${domain}`, endpoint: cloudFront.url });
  return cloudFront;
}

interface StackContext {
  readonly options: LocalStacksOptions;
  readonly services: LocalServices;
  readonly parts: RunningParts;
  readonly emit: EmitPipelineEvent;
  readonly observers: ((event: PipelineEvent) => void)[];
  readonly userPools: ReadonlyMap<string, LocalUserPool>;
  readonly localUrls: AwsUrlMap;
  /** What every function of the run gets besides the services' endpoints (the cognito-idp endpoint). */
  readonly runEnvironment: Readonly<Record<string, string>>;
}

/** One stack's running parts, on the run's services. */
async function startStack(entry: StartedStack, context: StackContext): Promise<Omit<LocalPipeline, 'outputs' | 'idle' | 'stop'>> {
  const { services, parts, emit } = context;
  const { stack, resources } = entry;
  const notifications = parts.add(
    await NotificationInbox.open(services.clients, [...resources.topics.values()], (error) => emit({ kind: 'error', where: 'notification inbox', error })),
  );
  notifications.onNotification((notification) => emit({ kind: 'notification', notification }));

  const functions = startFunctions(entry, context);
  await runDeployInvocations(resources, functions, emit);
  const s3Triggers = startTriggers({ resources, services, functions, parts, emit, retryDelaySeconds: context.options.retryDelaySeconds });
  const stateMachines = startStateMachines(context.options, resources, services, functions, parts, emit);
  const apiUrl = await startApi(entry, context, { stateMachines, functions });
  const alarms = parts.add(
    startLocalAlarms({
      alarms: metricAlarms(stack, (value) => resources.resolve(value)),
      sqs: services.clients.sqs,
      queueUrlOf: (queueName) => [...resources.queues.values()].find((queue) => queue.name === queueName)?.url,
      stateMachineArnOf: (name) => stateMachines.get(name)?.stateMachineArn,
      emit,
    }),
  );
  context.observers.push((event) => alarms.observe(event));
  return {
    stack,
    resources,
    apiUrl,
    endpoints: services.endpoints,
    clients: services.clients,
    functions,
    notifications,
    stateMachines,
    userPools: context.userPools,
    database: services.databases?.mariadb,
    s3Triggers,
  };
}

function startFunctions({ dir, resources }: StartedStack, { options, services, parts, emit, localUrls, runEnvironment }: StackContext): Map<string, LocalFunction> {
  const functions = new Map<string, LocalFunction>();
  for (const config of Object.values(resources.stack.resources('aws_lambda_function'))) {
    const settings = functionSettings(resources.stack, dir, config, (value) => resources.resolve(value));
    const fn = new LocalFunction({
      ...settings,
      codePath: options.codeOverrides?.[settings.functionName] ?? settings.codePath,
      // An AWS URL the stack gives a function (the pool's issuer) stands for its local server.
      environment: { ...mapValues(settings.environment, localUrls), ...services.functionEnvironment, ...runEnvironment, ...options.environment },
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
  options: LocalStacksOptions,
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
  { id, resources }: StartedStack,
  { options, services, parts, emit, userPools }: StackContext,
  targets: { readonly stateMachines: ReadonlyMap<string, LocalStateMachine>; readonly functions: ReadonlyMap<string, LocalFunction> },
): Promise<string | undefined> {
  const { stateMachines, functions } = targets;
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
      port: options.apiPorts?.[id],
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

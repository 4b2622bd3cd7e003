/**
 * Runs a bundled Lambda handler in this process the way Lambda runs it: each execution
 * environment is a worker thread with the function's own `process.env`, loaded once (the
 * cold start) and then reused for one invocation at a time, up to a concurrency limit,
 * with Lambda's timeout, memory limit, context object and error types.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute } from 'node:path';
import { ExecutionEnvironment, failure, logStreamName, stoppedFailure, type EnvironmentOwner, type EnvironmentSettings, type Request } from './execution-environment';
import { functionArn } from './function-arn';
import type { Invocation, Invokable } from './invocation';
import type { RunningPart } from '../running-part';

/** How to run one function: its settings as the synthesized stack gives them. */
export interface LocalFunctionOptions {
  readonly functionName: string;
  /** Absolute path of the bundled CommonJS file (e.g. .../assets/<id>/<hash>/index.js). */
  readonly codePath: string;
  /** Lambda's handler setting, e.g. "index.handler": the part after the last dot is the export name. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The function's environment exactly as the stack sets it plus what the runtime adds (endpoints, credentials, region). */
  readonly environment: Readonly<Record<string, string>>;
  /** How many execution environments may run at once (Lambda concurrency). @default 10 */
  readonly maxConcurrency?: number;
  /** Every line the function writes to stdout/stderr, without the trailing newline. @default writes nothing */
  readonly onLog?: (line: string) => void;
  /** Region and account used for the invoked ARN in the context. @default 'us-east-1', the local account */
  readonly region?: string;
  readonly accountId?: string;
}

export interface InvokeOptions {
  /** `init` is true for a line written while a cold start loaded the bundle. */
  readonly onLog?: (line: string, init: boolean) => void;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/** The event as Lambda's Invoke API would carry it; what JSON cannot carry throws. */
function eventAsJson(event: unknown): string {
  // Lambda hands a request without a payload to the handler as {}.
  if (event === undefined) return '{}';
  const json = JSON.stringify(event);
  if (json === undefined) throw new Error(`a ${typeof event} has no JSON form`);
  return json;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function validate(options: LocalFunctionOptions): void {
  const { functionName: name, codePath, handler, timeoutSeconds, memoryMb, maxConcurrency, environment } = options;
  if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
    throw new Error(`functionName must be 1-64 letters, digits, '-' or '_' (as in Lambda), got ${JSON.stringify(name)}`);
  }
  if (typeof codePath !== 'string' || !isAbsolute(codePath)) {
    throw new Error(`codePath of ${name} must be an absolute path to its bundle, got ${JSON.stringify(codePath)}`);
  }
  if (!statSync(codePath, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`The code of ${name} is not at ${codePath}: run \`npm run synth\` to bundle the functions first`);
  }
  const lastDot = typeof handler === 'string' ? handler.lastIndexOf('.') : -1;
  if (lastDot <= 0 || !EXPORT_NAME.test(handler.slice(lastDot + 1))) {
    throw new Error(`handler of ${name} must be "<module>.<export>", e.g. "index.handler", got ${JSON.stringify(handler)}`);
  }
  const moduleName = handler.slice(0, lastDot);
  const codeModule = basename(codePath, extname(codePath));
  if (moduleName !== codeModule) {
    // Lambda loads the handler's module from the task root, so the names must agree.
    throw new Error(
      `handler "${handler}" of ${name} names module "${moduleName}" but its code is ${basename(codePath)}: Lambda would fail with Runtime.ImportModuleError`,
    );
  }
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new Error(`timeoutSeconds of ${name} must be a positive number, got ${timeoutSeconds}`);
  }
  if (!Number.isInteger(memoryMb) || memoryMb <= 0) {
    throw new Error(`memoryMb of ${name} must be a positive whole number, got ${memoryMb}`);
  }
  if (maxConcurrency !== undefined && (!Number.isInteger(maxConcurrency) || maxConcurrency <= 0)) {
    throw new Error(`maxConcurrency of ${name} must be a positive whole number, got ${maxConcurrency}`);
  }
  for (const [key, value] of Object.entries(environment ?? {})) {
    if (typeof value !== 'string') {
      throw new Error(`Environment variable ${key} of ${name} must be a string, got ${typeof value}`);
    }
  }
}

/**
 * A Lambda function run locally from its bundle. Each instance is independent: two
 * functions in one process see their own environment variables, as in AWS.
 */
export class LocalFunction implements Invokable, RunningPart {
  readonly functionName: string;
  readonly memoryMb: number;
  private readonly settings: EnvironmentSettings;
  private readonly maxConcurrency: number;
  /** Invocations waiting for an environment, oldest first. */
  private readonly queue: Request[] = [];
  /** Environments that can take invocations. */
  private readonly pool = new Set<ExecutionEnvironment>();
  /** Every environment whose worker has not exited yet, usable or not. */
  private readonly alive = new Set<ExecutionEnvironment>();
  private readonly counts = { coldStarts: 0, inFlight: 0, invocations: 0 };
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly owner: EnvironmentOwner = {
    idle: () => this.dispatch(),
    discarded: (environment) => {
      this.pool.delete(environment);
      this.dispatch();
    },
  };

  constructor(options: LocalFunctionOptions) {
    validate(options);
    const { functionName, codePath, handler, memoryMb } = options;
    const region = options.region ?? 'us-east-1';
    const logGroupName = `/aws/lambda/${functionName}`;
    const onLog = options.onLog;
    this.functionName = functionName;
    this.memoryMb = memoryMb;
    this.maxConcurrency = options.maxConcurrency ?? 10;
    this.settings = {
      functionName,
      timeoutSeconds: options.timeoutSeconds,
      memoryMb,
      workerEnv: {
        ...options.environment,
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        // Powertools reports a cold start only when Lambda says the environment is on demand.
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        LAMBDA_TASK_ROOT: dirname(codePath),
        _HANDLER: handler,
      },
      workerData: {
        codePath,
        handlerSetting: handler,
        exportName: handler.slice(handler.lastIndexOf('.') + 1),
        functionName,
        memoryMb,
        invokedFunctionArn: functionArn(functionName, region, options.accountId),
        logGroupName,
      },
      log: (line) => {
        if (!onLog) return;
        try {
          onLog(line);
        } catch (error) {
          // A broken log sink must not take the function (or this process) down with it.
          process.emitWarning(`onLog of ${functionName} threw: ${messageOf(error)}`);
        }
      },
    };
  }

  /** A snapshot of the counters, for progress output and tests. */
  get stats(): {
    /** Execution environments started so far: each one loaded the bundle afresh. */
    readonly coldStarts: number;
    /** Invocations accepted and not settled yet, whether running or waiting for an environment. */
    readonly inFlight: number;
    /** Invocations accepted so far (not those refused after stop() or for an event that is not JSON). */
    readonly invocations: number;
  } {
    return { ...this.counts };
  }

  /**
   * Runs the handler on the event in a free execution environment, starting one if none
   * is free and the concurrency limit allows, otherwise once one is free. Resolves with
   * the handler's result or Lambda's error, never rejects for what the function does;
   * rejects only an event that cannot be sent as JSON (Lambda's API refuses it too).
   *
   * @param options.onLog receives the lines this invocation wrote (its cold start's too),
   *   besides the function's own `onLog`, which receives every invocation's
   */
  invoke(event: unknown, options: InvokeOptions = {}): Promise<Invocation> {
    const requestId = randomUUID();
    if (this.stopped) {
      return Promise.resolve(
        failure(requestId, 0, {
          errorType: 'Runtime.Stopped',
          errorMessage: `${this.functionName} is stopped: its stop() was called, so it runs no more invocations`,
        }),
      );
    }
    let payload: string;
    try {
      payload = eventAsJson(event);
    } catch (error) {
      return Promise.reject(new TypeError(`The event for ${this.functionName} cannot be sent as JSON: ${messageOf(error)}`));
    }
    this.counts.invocations += 1;
    this.counts.inFlight += 1;
    return new Promise((resolve) => {
      this.queue.push({
        requestId,
        payload,
        onLog: options.onLog,
        settle: (invocation) => {
          this.counts.inFlight -= 1;
          resolve(invocation);
          if (this.counts.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
        },
      });
      this.dispatch();
    });
  }

  /** Resolves once no invocation is running or waiting for an environment. */
  idle(): Promise<void> {
    if (this.counts.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Terminates every worker; resolves once all are gone. Running and queued invocations
   * settle with errorType 'Runtime.Stopped', and so does any later invoke().
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopped = true;
      for (const request of this.queue.splice(0)) request.settle(stoppedFailure(request.requestId, this.functionName, 0));
      this.stopping = Promise.all([...this.alive].map((environment) => environment.stop())).then(() => undefined);
    }
    return this.stopping;
  }

  /** Hands waiting invocations to free environments, starting new ones up to the limit. */
  private dispatch(): void {
    while (this.queue.length > 0 && !this.stopped) {
      let environment = [...this.pool].find((candidate) => candidate.idle);
      if (!environment) {
        if (this.pool.size >= this.maxConcurrency) return;
        environment = this.startEnvironment();
      }
      environment.run(this.queue.shift()!);
    }
  }

  private startEnvironment(): ExecutionEnvironment {
    const streamName = logStreamName();
    const settings: EnvironmentSettings = {
      ...this.settings,
      workerEnv: { ...this.settings.workerEnv, AWS_LAMBDA_LOG_STREAM_NAME: streamName },
      workerData: { ...this.settings.workerData, logStreamName: streamName },
    };
    const environment = new ExecutionEnvironment(settings, this.owner);
    this.counts.coldStarts += 1;
    this.pool.add(environment);
    this.alive.add(environment);
    void environment.closed.then(() => this.alive.delete(environment));
    return environment;
  }
}

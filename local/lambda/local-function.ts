/**
 * Runs a bundled Lambda handler in this process the way Lambda runs it: each execution
 * environment is a worker thread with the function's own `process.env`, loaded once (the
 * cold start) and then reused for one invocation at a time, up to a concurrency limit,
 * with Lambda's timeout, memory limit, context object and error types.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FunctionError, Invocation, InvocationFailure, Invokable } from './invocation';

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
  /** Region and account used for the invoked ARN in the context. @default 'us-east-1', '000000000000' */
  readonly region?: string;
  readonly accountId?: string;
}

const WORKER_SCRIPT = join(__dirname, 'lambda-worker.js');
/** Lambda gives a function's initialization (module scope) at most 10 seconds. */
const INIT_TIMEOUT_MS = 10_000;
/** How long a terminated worker may take to exit before its invocation settles regardless. */
const EXIT_GRACE_MS = 1_000;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/** What every execution environment of one function shares. */
interface EnvironmentSettings {
  readonly functionName: string;
  readonly timeoutSeconds: number;
  readonly workerEnv: Readonly<Record<string, string>>;
  readonly workerData: Readonly<Record<string, unknown>>;
  readonly memoryMb: number;
  readonly log: (line: string) => void;
}

interface Request {
  readonly requestId: string;
  /** The event as JSON text: it crosses to the worker serialized, as Lambda delivers it. */
  readonly payload: string;
  readonly settle: (invocation: Invocation) => void;
}

interface EnvironmentOwner {
  idle(environment: ExecutionEnvironment): void;
  discarded(environment: ExecutionEnvironment): void;
}

type WorkerMessage =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'ready' }
  | { type: 'init-error'; error: FunctionError }
  | { type: 'done'; requestId: string; ok: true; result: string }
  | { type: 'done'; requestId: string; ok: false; error: FunctionError }
  | { type: 'fatal'; requestId?: string; error: FunctionError };

function failure(requestId: string, durationMs: number, error: FunctionError, timedOut = false): InvocationFailure {
  return { ok: false, requestId, durationMs, error, timedOut };
}

function stoppedFailure(requestId: string, functionName: string, durationMs: number): InvocationFailure {
  return failure(requestId, durationMs, {
    errorType: 'Runtime.Stopped',
    errorMessage: `${functionName} was stopped before this invocation finished`,
  });
}

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

/** Lambda's log stream name format: one stream per execution environment. */
function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * One execution environment: a worker thread from cold start to exit. It runs one
 * request at a time and reports to its owner when it is free again or unusable.
 */
class ExecutionEnvironment {
  readonly closed: Promise<void>;
  private readonly worker: Worker;
  private readonly createdAt = performance.now();
  private resolveClosed!: () => void;
  private ready = false;
  private discarded = false;
  private exited = false;
  /** Why the worker died, when it said so (uncaught error) or Node did (out of memory). */
  private deathCause: FunctionError | undefined;
  private request: Request | undefined;
  private startedAt = 0;
  private outcome: Invocation | undefined;
  /** Output after the last newline, per stream: the start of a line still being written. */
  private readonly partialLines = { stdout: '', stderr: '' };
  /** The init deadline until the environment is ready, then each invocation's deadline. */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private exitGraceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: EnvironmentSettings,
    private readonly owner: EnvironmentOwner,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.worker = new Worker(WORKER_SCRIPT, {
      env: settings.workerEnv,
      workerData: settings.workerData,
      // A plain environment, as in Lambda: the parent's flags (a TypeScript loader, an
      // inspector) would slow every cold start or clash.
      execArgv: [],
      // The worker sends its output as messages (see lambda-worker.js for why); anything
      // written past that, such as a native addon's output, goes to this process's streams.
      stdout: false,
      stderr: false,
      resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb },
    });
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    // Without an 'error' listener a dying worker would crash this process.
    this.worker.on('error', (error: Error & { code?: string }) => this.onError(error));
    this.worker.on('exit', (code) => this.onExit(code));
    this.deadlineTimer = setTimeout(() => this.onInitTimeout(), INIT_TIMEOUT_MS);
  }

  get idle(): boolean {
    return this.request === undefined && !this.discarded;
  }

  run(request: Request): void {
    this.request = request;
    this.outcome = undefined;
    this.startedAt = performance.now();
    // A busy environment keeps the process alive until its invocation settles.
    this.worker.ref();
    if (this.ready) this.start();
  }

  /** Fails the running invocation with Runtime.Stopped and ends the worker. */
  stop(): Promise<void> {
    this.discard();
    if (this.request && !this.outcome) this.conclude(stoppedFailure(this.request.requestId, this.settings.functionName, this.elapsed()));
    return this.closed;
  }

  private start(): void {
    const request = this.request!;
    const timeoutMs = this.settings.timeoutSeconds * 1000;
    this.startedAt = performance.now();
    this.worker.postMessage({ type: 'invoke', requestId: request.requestId, event: request.payload, deadline: Date.now() + timeoutMs });
    this.deadlineTimer = setTimeout(() => this.onTimeout(), timeoutMs);
  }

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'output':
        this.onOutput(message.stream, message.text);
        return;
      case 'ready':
        clearTimeout(this.deadlineTimer);
        this.ready = true;
        if (this.request && !this.outcome) this.start();
        return;
      case 'init-error':
        this.discard();
        if (this.request && !this.outcome) this.conclude(failure(this.request.requestId, this.elapsed(), message.error));
        return;
      case 'done': {
        if (this.request?.requestId !== message.requestId || this.outcome) return;
        const durationMs = this.elapsed();
        // Lambda logs what a handler wrote without a final newline as a line of its own.
        this.flushPartialLines();
        this.conclude(
          message.ok
            ? { ok: true, requestId: message.requestId, durationMs, result: JSON.parse(message.result) }
            : failure(message.requestId, durationMs, message.error),
        );
        return;
      }
      case 'fatal':
        // The worker exits right after this; the invocation fails once it has.
        this.deathCause = message.error;
        return;
    }
  }

  private onOutput(stream: 'stdout' | 'stderr', text: string): void {
    const lines = (this.partialLines[stream] + text).split('\n');
    this.partialLines[stream] = lines.pop()!;
    for (const line of lines) this.settings.log(line);
  }

  private flushPartialLines(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partialLines[stream] !== '') this.settings.log(this.partialLines[stream]);
      this.partialLines[stream] = '';
    }
  }

  private onError(error: Error & { code?: string }): void {
    this.deathCause ??=
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? { errorType: 'Runtime.OutOfMemory', errorMessage: `Runtime exited: ${error.message}` }
        : {
            errorType: 'Runtime.ExitError',
            errorMessage: `Runtime exited with error: ${error.name}: ${error.message}`,
            stackTrace: error.stack?.split('\n'),
          };
  }

  /** Node delivers every message the worker sent before it delivers 'exit'. */
  private onExit(code: number): void {
    this.exited = true;
    clearTimeout(this.deadlineTimer);
    this.discard();
    this.flushPartialLines();
    const cause = this.deathCause ?? { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` };
    if (this.request && !this.outcome) {
      this.conclude(failure(this.request.requestId, this.elapsed(), cause));
    } else if (this.request) {
      this.complete();
    } else if (this.deathCause) {
      // Code still running after its invocation (a timer, a stray promise) failed: in
      // Lambda this shows up in the function's log, and so it does here.
      this.settings.log(`Execution environment exited between invocations: ${cause.errorType}: ${cause.errorMessage}`);
    }
    if (!this.request) this.resolveClosed();
  }

  private onTimeout(): void {
    if (!this.request || this.outcome) return;
    // Lambda does not let a timed-out handler run on: its environment is thrown away.
    this.discard();
    const seconds = this.settings.timeoutSeconds.toFixed(2);
    this.conclude(
      failure(this.request.requestId, this.elapsed(), { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` }, true),
    );
  }

  private onInitTimeout(): void {
    this.discard();
    if (this.request && !this.outcome) {
      const seconds = (INIT_TIMEOUT_MS / 1000).toFixed(2);
      this.conclude(
        failure(this.request.requestId, performance.now() - this.createdAt, { errorType: 'Sandbox.Timedout', errorMessage: `Init timed out after ${seconds} seconds` }, true),
      );
    }
  }

  private discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    // Referenced until gone, so that whoever awaits stop() or an invocation sees the exit
    // rather than the process ending with the promise unsettled.
    this.worker.ref();
    this.worker.terminate().catch(() => undefined);
    this.owner.discarded(this);
  }

  /**
   * Records how the running invocation ended. A discarded environment's invocation
   * settles once the worker has exited, so that the lines it wrote until then come first,
   * or after a grace period if terminating it takes longer (a worker stuck in native code).
   */
  private conclude(outcome: Invocation): void {
    this.outcome = outcome;
    clearTimeout(this.deadlineTimer);
    if (this.discarded && !this.exited) this.exitGraceTimer = setTimeout(() => this.complete(), EXIT_GRACE_MS);
    else this.complete();
  }

  private complete(): void {
    const { request, outcome } = this;
    if (!request || !outcome) return;
    clearTimeout(this.exitGraceTimer);
    this.request = undefined;
    this.outcome = undefined;
    // An idle environment must not keep the process alive: nothing is waiting on it.
    if (!this.discarded) this.worker.unref();
    request.settle(outcome);
    if (this.exited) this.resolveClosed();
    else if (!this.discarded) this.owner.idle(this);
  }
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
export class LocalFunction implements Invokable {
  readonly functionName: string;
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
    const accountId = options.accountId ?? '000000000000';
    const logGroupName = `/aws/lambda/${functionName}`;
    const onLog = options.onLog;
    this.functionName = functionName;
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
        LAMBDA_TASK_ROOT: dirname(codePath),
        _HANDLER: handler,
      },
      workerData: {
        codePath,
        handlerSetting: handler,
        exportName: handler.slice(handler.lastIndexOf('.') + 1),
        functionName,
        memoryMb,
        invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
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
   */
  invoke(event: unknown): Promise<Invocation> {
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
        settle: (invocation) => {
          this.counts.inFlight -= 1;
          resolve(invocation);
        },
      });
      this.dispatch();
    });
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

/**
 * One Lambda execution environment, as the local runtime runs it: a worker thread
 * (lambda-worker.js) with the function's own `process.env`, loaded once (the cold start),
 * then running one invocation at a time with Lambda's timeout, memory limit and error
 * types, until it is discarded (a timeout, a crash, stop()).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FunctionError, Invocation, InvocationFailure } from './invocation';

const WORKER_SCRIPT = join(__dirname, 'lambda-worker.js');
/** Lambda gives a function's initialization (module scope) at most 10 seconds. */
const INIT_TIMEOUT_MS = 10_000;
/** How long a terminated worker may take to exit before its invocation settles regardless. */
const EXIT_GRACE_MS = 1_000;

/** What every execution environment of one function shares. */
export interface EnvironmentSettings {
  readonly functionName: string;
  readonly timeoutSeconds: number;
  readonly workerEnv: Readonly<Record<string, string>>;
  readonly workerData: Readonly<Record<string, unknown>>;
  readonly memoryMb: number;
  readonly log: (line: string) => void;
}

export interface Request {
  readonly requestId: string;
  /** The event as JSON text: it crosses to the worker serialized, as Lambda delivers it. */
  readonly payload: string;
  readonly settle: (invocation: Invocation) => void;
  /**
   * The lines written while this request held the environment, its cold start's included
   * (`init` true: written while the bundle loaded, which Lambda logs before START).
   */
  readonly onLog?: (line: string, init: boolean) => void;
}

export interface EnvironmentOwner {
  idle(environment: ExecutionEnvironment): void;
  discarded(environment: ExecutionEnvironment): void;
}

type WorkerMessage =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'ready' }
  | { type: 'init-error'; error: FunctionError }
  | { type: 'done'; requestId: string; memoryUsedBytes: number; ok: true; result: string }
  | { type: 'done'; requestId: string; memoryUsedBytes: number; ok: false; error: FunctionError }
  | { type: 'fatal'; requestId?: string; error: FunctionError };

export function failure(requestId: string, durationMs: number, error: FunctionError, timedOut = false): InvocationFailure {
  return { ok: false, requestId, durationMs, error, timedOut };
}

export function stoppedFailure(requestId: string, functionName: string, durationMs: number): InvocationFailure {
  return failure(requestId, durationMs, {
    errorType: 'Runtime.Stopped',
    errorMessage: `${functionName} was stopped before this invocation finished`,
  });
}

/** Lambda's log stream name format: one stream per execution environment. */
export function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * One execution environment: a worker thread from cold start to exit. It runs one
 * request at a time and reports to its owner when it is free again or unusable.
 */
export class ExecutionEnvironment {
  readonly closed: Promise<void>;
  private readonly worker: Worker;
  private readonly createdAt = performance.now();
  private resolveClosed!: () => void;
  private ready = false;
  /** How long the bundle took to load, until the first invocation has reported it. */
  private pendingInitDurationMs: number | undefined;
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
        this.pendingInitDurationMs = performance.now() - this.createdAt;
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
        const outcome: Invocation = message.ok
          ? { ok: true, requestId: message.requestId, durationMs, result: JSON.parse(message.result) }
          : failure(message.requestId, durationMs, message.error);
        this.conclude({ ...outcome, maxMemoryUsedMb: Math.ceil(message.memoryUsedBytes / 2 ** 20) });
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
    for (const line of lines) this.log(line);
  }

  private flushPartialLines(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partialLines[stream] !== '') this.log(this.partialLines[stream]);
      this.partialLines[stream] = '';
    }
  }

  private log(line: string): void {
    this.settings.log(line);
    this.request?.onLog?.(line, !this.ready);
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
    const initDurationMs = this.pendingInitDurationMs;
    this.pendingInitDurationMs = undefined;
    this.outcome = initDurationMs === undefined ? outcome : { ...outcome, initDurationMs };
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

/**
 * Runs a synthesized Step Functions state machine locally with `aws-local-stepfunctions`,
 * the way the service runs a STANDARD workflow: StartExecution returns at once and the
 * execution runs in the background; DescribeExecution reports its status; StopExecution
 * aborts it. Every Task state is overridden to run here instead of calling AWS:
 * `lambda:invoke` (and plain Lambda ARNs) run the local functions, `sns:publish` calls the
 * runtime's publisher, and any other resource is refused when the machine is built.
 *
 * Errors reach Retry and Catch as Step Functions reports them: a function's error with its
 * `errorType` as `Error` and the Node.js runtime's error payload as JSON in `Cause`.
 */
import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { Invokable } from '../lambda/invocation';
import type { RunningPart } from '../running-part';

/*
 * aws-local-stepfunctions 3.x declares Node >= 22 because its Task state races the task
 * against a timeout made with `Promise.withResolvers` (Node 22+); nothing else it uses is
 * missing from Node 20. It only calls it while running a Task, never at load time, so
 * installing the standard polyfill when this module loads is early enough.
 */
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };
if (typeof (Promise as unknown as { withResolvers?: WithResolvers }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type TaskHandler = TaskHandlers[string];
type JsonValue = Parameters<TaskHandler>[0];

export type PublishMessage = (topicArn: string, subject: string | undefined, message: string) => Promise<{ MessageId: string }>;

export interface LocalStateMachineOptions {
  /** The ASL definition, its ARNs already resolved to the local runtime's. It is validated with the library's ASL validator. */
  readonly definition: object;
  /** `arn:aws:states:<region>:<account>:stateMachine:<name>`; execution ARNs derive from it. */
  readonly stateMachineArn: string;
  /** The local function for a `FunctionName` (name, ARN or qualified ARN); `undefined` when there is none. */
  readonly functions: (functionNameOrArn: string) => Invokable | undefined;
  /** What `arn:aws:states:::sns:publish` does. A rejection becomes the task error `SNS.<error name>`. */
  readonly publish: PublishMessage;
  /** Progress, for a terminal report or a test. A listener that throws is ignored. */
  readonly onEvent?: (event: StateMachineEvent) => void;
  /**
   * Multiplies every retrier's `IntervalSeconds` and `MaxDelaySeconds`; `BackoffRate` and
   * `JitterStrategy` keep working as written. Tests use 0 (retry at once) or 0.01.
   * @default 1
   */
  readonly retryIntervalScale?: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface StartExecutionInput {
  /** 1-80 letters, digits, `-` or `_`. @default a random UUID */
  readonly name?: string;
  /** The execution input; it is copied through JSON, as the service receives it. @default {} */
  readonly input?: unknown;
}

export interface StartedExecution {
  readonly executionArn: string;
  readonly name: string;
  readonly startDate: Date;
}

export interface ExecutionDescription extends StartedExecution {
  readonly stateMachineArn: string;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly stopDate?: Date;
  /** The execution's output as a value (the service returns it as JSON text). Only when SUCCEEDED. */
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

interface EventBase {
  readonly executionArn: string;
  readonly name: string;
  readonly timestamp: number;
}

export type StateMachineEvent =
  | (EventBase & { readonly type: 'ExecutionStarted'; readonly input: unknown })
  | (EventBase & { readonly type: 'StateEntered'; readonly state: string; readonly stateType: string; readonly input: unknown })
  | (EventBase & { readonly type: 'TaskFailed'; readonly state: string; readonly error: string; readonly cause: string })
  | (EventBase & { readonly type: 'StateRetried'; readonly state: string; readonly attempt: number })
  | (EventBase & { readonly type: 'StateCaught'; readonly state: string; readonly next: string })
  | (EventBase & { readonly type: 'ExecutionSucceeded'; readonly output: unknown })
  | (EventBase & { readonly type: 'ExecutionFailed'; readonly error: string; readonly cause: string })
  | (EventBase & { readonly type: 'ExecutionAborted'; readonly error?: string; readonly cause?: string })
  | (EventBase & { readonly type: 'ExecutionTimedOut' });

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const SNS_PUBLISH = 'arn:aws:states:::sns:publish';
const LAMBDA_FUNCTION_ARN = /^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const STATE_MACHINE_ARN = /^(arn:aws[\w-]*:states:[^:]+:\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

type TaskKind = 'lambda:invoke' | 'lambda-arn' | 'sns:publish';

interface TaskState {
  readonly kind: TaskKind;
  readonly resource: string;
}

/** An error as Step Functions' Retry and Catch see it: `name` is `Error`, `message` is `Cause`. */
class TaskError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * What a task throws once its execution was stopped. The library reads `isRetryable` and
 * `isCatchable` from errors, so neither a Retry nor a Catch runs anything after a stop.
 */
class ExecutionStoppedError extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('States.Aborted', 'The execution was stopped');
  }
}

/** A malformed task request: like States.Runtime in the service, it is neither retried nor caught. */
class TaskRuntimeError extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(cause: string) {
    super('States.Runtime', cause);
  }
}

function taskKind(resource: unknown): TaskKind | undefined {
  if (resource === LAMBDA_INVOKE) return 'lambda:invoke';
  if (resource === SNS_PUBLISH) return 'sns:publish';
  if (typeof resource === 'string' && LAMBDA_FUNCTION_ARN.test(resource)) return 'lambda-arn';
  return undefined;
}

interface StatesScope {
  readonly States?: Record<string, Record<string, unknown>>;
}

/** Every Task state of the machine, nested Parallel branches and Map processors included, by name. */
function collectTasks(scope: StatesScope, into = new Map<string, TaskState>()): Map<string, TaskState> {
  for (const [name, state] of Object.entries(scope.States ?? {})) {
    if (state.Type === 'Task') {
      const kind = taskKind(state.Resource);
      if (!kind) {
        throw new Error(`Task state ${name} uses ${String(state.Resource)}, which the local runtime does not run (it runs ${LAMBDA_INVOKE}, Lambda function ARNs and ${SNS_PUBLISH})`);
      }
      // The library finds a Task's local handler by state name alone, in every scope.
      if (into.has(name) && into.get(name)!.resource !== state.Resource) {
        throw new Error(`Two Task states are named ${name} with different resources; the local runtime needs unique Task state names`);
      }
      into.set(name, { kind, resource: state.Resource as string });
    }
    for (const branch of (state.Branches as StatesScope[] | undefined) ?? []) collectTasks(branch, into);
    const processor = (state.ItemProcessor ?? state.Iterator) as StatesScope | undefined;
    if (processor) collectTasks(processor, into);
  }
  return into;
}

/**
 * A copy of the definition whose retriers wait `scale` times as long. The library's own
 * `retryIntervalOverrides` replaces a retrier's wait with one fixed number of milliseconds,
 * dropping BackoffRate, MaxDelaySeconds and jitter; scaling the fields keeps them.
 */
function scaleRetryIntervals<T>(value: T, scale: number): T {
  if (Array.isArray(value)) return value.map((item) => scaleRetryIntervals(item, scale)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'Retry' && Array.isArray(child)) {
      copy[key] = child.map((retrier: Record<string, unknown>) => ({
        ...retrier,
        // The service's default interval is 1 second: scale it too.
        IntervalSeconds: ((retrier.IntervalSeconds as number | undefined) ?? 1) * scale,
        ...(retrier.MaxDelaySeconds === undefined ? {} : { MaxDelaySeconds: (retrier.MaxDelaySeconds as number) * scale }),
      }));
    } else {
      copy[key] = scaleRetryIntervals(child, scale);
    }
  }
  return copy as T;
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

function describeCause(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? '' : JSON.stringify(cause);
}

/** The service's error for an SDK exception of an optimized integration: `SNS.NotFoundException`. */
function serviceErrorName(service: string, error: unknown): string {
  const name = error instanceof Error ? error.name : undefined;
  if (!name || name === 'Error' || name === 'TypeError') return 'States.TaskFailed';
  return name.startsWith(`${service}.`) ? name : `${service}.${name}`;
}

interface Execution {
  readonly executionArn: string;
  readonly name: string;
  readonly startDate: Date;
  readonly inputJson: string;
  readonly controller: AbortController;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: unknown;
  error?: string;
  cause?: string;
  stopReason?: { error?: string; cause?: string };
  abortRun?: () => void;
  done?: Promise<void>;
}

export class LocalStateMachine implements RunningPart {
  readonly stateMachineArn: string;
  private readonly machine: StateMachine;
  private readonly tasks: ReadonlyMap<string, TaskState>;
  private readonly executionArnPrefix: string;
  private readonly stateMachineName: string;
  private readonly executions = new Map<string, Execution>();
  private stopped = false;

  constructor(private readonly options: LocalStateMachineOptions) {
    const arn = STATE_MACHINE_ARN.exec(options.stateMachineArn);
    if (!arn) throw new Error(`Not a state machine ARN: ${options.stateMachineArn}`);
    this.stateMachineArn = options.stateMachineArn;
    this.stateMachineName = arn[2];
    this.executionArnPrefix = `${arn[1]}:execution:${arn[2]}:`;
    const scale = options.retryIntervalScale ?? 1;
    if (!(scale >= 0) || !Number.isFinite(scale)) throw new Error(`retryIntervalScale must be a finite number >= 0, not ${scale}`);

    const definition = options.definition as StateMachineDefinition;
    // Validates the definition as written (ASL schema, paths, ARNs); throws when it is invalid.
    const validated = new StateMachine(definition);
    this.tasks = collectTasks(definition as unknown as StatesScope);
    // The scaled copy may hold fractional intervals, which ASL forbids: its original was validated above.
    this.machine =
      scale === 1 ? validated : new StateMachine(scaleRetryIntervals(definition, scale), { validationOptions: { noValidate: true } });
  }

  /** Like StartExecution: returns at once; the execution runs in the background. */
  startExecution(request: StartExecutionInput = {}): StartedExecution {
    if (this.stopped) throw new Error(`The local state machine ${this.stateMachineName} was stopped`);
    const name = request.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) {
      throw Object.assign(new Error(`Invalid execution name ${JSON.stringify(name)}: use 1-80 letters, digits, - or _`), { name: 'InvalidName' });
    }
    const executionArn = this.executionArnPrefix + name;
    const input = toJson(request.input ?? {});
    const inputJson = JSON.stringify(input);
    const existing = this.executions.get(executionArn);
    if (existing) {
      // The service makes StartExecution idempotent for a running execution with the same name and input.
      if (existing.status === 'RUNNING' && existing.inputJson === inputJson) return this.started(existing);
      throw Object.assign(new Error(`Execution already exists: ${executionArn}`), { name: 'ExecutionAlreadyExists' });
    }

    const execution: Execution = { executionArn, name, startDate: new Date(), inputJson, controller: new AbortController(), status: 'RUNNING' };
    this.executions.set(executionArn, execution);
    execution.done = this.run(execution, input);
    return this.started(execution);
  }

  describeExecution(executionArn: string): ExecutionDescription {
    const execution = this.execution(executionArn);
    return {
      ...this.started(execution),
      stateMachineArn: this.stateMachineArn,
      status: execution.status,
      input: JSON.parse(execution.inputJson) as unknown,
      ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      ...(execution.status === 'SUCCEEDED' ? { output: execution.output } : {}),
      ...(execution.error === undefined ? {} : { error: execution.error }),
      ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    };
  }

  /** Resolves with the description once the execution has ended; rejects after `timeoutMs`. */
  async waitForExecution(executionArn: string, timeoutMs = 30_000): Promise<ExecutionDescription> {
    const execution = this.execution(executionArn);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Execution ${executionArn} was still RUNNING after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([execution.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.describeExecution(executionArn);
  }

  /** Like StopExecution: the execution ends ABORTED; no further task of it runs. */
  async stopExecution(executionArn: string, reason: { error?: string; cause?: string } = {}): Promise<ExecutionDescription> {
    const execution = this.execution(executionArn);
    if (execution.status === 'RUNNING') {
      execution.stopReason = reason;
      // The run first, so that it settles as aborted before the cancelled task's error reaches it.
      execution.abortRun?.();
      execution.controller.abort();
      await execution.done;
    }
    return this.describeExecution(executionArn);
  }

  /** Resolves once every execution started so far has ended. */
  async idle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((execution) => execution.done));
  }

  /** Aborts every running execution and refuses new ones; resolves once they have all ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    await Promise.all(running.map((execution) => this.stopExecution(execution.executionArn)));
  }

  private started(execution: Execution): StartedExecution {
    return { executionArn: execution.executionArn, name: execution.name, startDate: execution.startDate };
  }

  private execution(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw Object.assign(new Error(`Execution does not exist: ${executionArn}`), { name: 'ExecutionDoesNotExist' });
    return execution;
  }

  private async run(execution: Execution, input: JsonValue): Promise<void> {
    // StartExecution answers before the first state runs.
    await new Promise((resolve) => setImmediate(resolve));
    if (execution.controller.signal.aborted) {
      Object.assign(execution, { status: 'ABORTED', stopDate: new Date(), ...execution.stopReason });
      this.emit({ executionArn: execution.executionArn, name: execution.name, timestamp: Date.now(), type: 'ExecutionAborted', ...execution.stopReason });
      return;
    }
    const handlers: TaskHandlers = {};
    for (const [stateName, task] of this.tasks) handlers[stateName] = (parameters) => this.runTask(execution, stateName, task, parameters);

    const run = this.machine.run(input, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: {
        Execution: { Id: execution.executionArn, Name: execution.name, StartTime: execution.startDate.toISOString() },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
      },
    });
    execution.abortRun = run.abort;
    // The library closes its event log when the execution ends in any way, which ends this loop.
    const events = this.forwardEvents(execution, run.eventLogs);

    let final: StateMachineEvent;
    const base = () => ({ executionArn: execution.executionArn, name: execution.name, timestamp: Date.now() });
    try {
      const output = await run.result;
      Object.assign(execution, { status: 'SUCCEEDED', output });
      final = { ...base(), type: 'ExecutionSucceeded', output };
    } catch (error) {
      if (error instanceof ExecutionAbortedError) {
        Object.assign(execution, { status: 'ABORTED', ...execution.stopReason });
        final = { ...base(), type: 'ExecutionAborted', ...execution.stopReason };
      } else if (error instanceof ExecutionTimeoutError) {
        Object.assign(execution, { status: 'TIMED_OUT', error: 'States.Timeout' });
        final = { ...base(), type: 'ExecutionTimedOut' };
      } else {
        // An ExecutionError wraps the error that ended the execution: a task's, a Fail state's, or States.Runtime.
        const failure =
          error instanceof ExecutionError && error.cause instanceof Error
            ? { error: error.cause.name, cause: error.cause.message }
            : { error: 'States.Runtime', cause: describeCause(error) };
        Object.assign(execution, { status: 'FAILED', ...failure });
        final = { ...base(), type: 'ExecutionFailed', ...failure };
      }
    }
    execution.controller.abort();
    execution.stopDate = new Date();
    await events;
    this.emit(final);
  }

  private async forwardEvents(execution: Execution, eventLogs: ReturnType<StateMachine['run']>['eventLogs']): Promise<void> {
    const base = () => ({ executionArn: execution.executionArn, name: execution.name, timestamp: Date.now() });
    for await (const event of eventLogs) {
      switch (event.type) {
        case 'ExecutionStarted':
          this.emit({ ...base(), type: 'ExecutionStarted', input: event.input });
          break;
        case 'StateEntered':
          this.emit({ ...base(), type: 'StateEntered', state: event.state.name, stateType: event.state.type, input: event.state.input });
          break;
        case 'StateFailed':
          if (event.state.type === 'Task') {
            this.emit({ ...base(), type: 'TaskFailed', state: event.state.name, error: event.Error, cause: describeCause(event.Cause) });
          }
          break;
        case 'StateRetried':
          this.emit({ ...base(), type: 'StateRetried', state: event.state.name, attempt: event.retry.attempt });
          break;
        case 'StateCaught':
          this.emit({ ...base(), type: 'StateCaught', state: event.state.name, next: event.catch.catcher.Next });
          break;
        default:
          // The execution's end is reported by run() once its status is recorded; branch events are not progress.
          break;
      }
    }
  }

  private emit(event: StateMachineEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A progress listener must not change how an execution runs.
    }
  }

  /** Runs one Task state's request; a stop ends it at once and prevents any new one. */
  private async runTask(execution: Execution, stateName: string, task: TaskState, parameters: JsonValue): Promise<JsonValue> {
    const signal = execution.controller.signal;
    if (signal.aborted) throw new ExecutionStoppedError();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new ExecutionStoppedError());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const request =
        task.kind === 'sns:publish'
          ? this.publish(stateName, parameters)
          : task.kind === 'lambda:invoke'
            ? this.invokeOptimized(stateName, parameters)
            : // A Lambda function ARN as the resource: the effective input is the event, the result is the output.
              this.invokeLocal(task.resource, parameters);
      return await Promise.race([request, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
      aborted.catch(() => undefined);
    }
  }

  /** `arn:aws:states:::lambda:invoke`: the resolved Parameters name the function and its Payload. */
  private async invokeOptimized(stateName: string, request: JsonValue): Promise<JsonValue> {
    const parameters = (request ?? {}) as { FunctionName?: unknown; Payload?: JsonValue };
    if (typeof parameters.FunctionName !== 'string') {
      throw new TaskRuntimeError(`Task state ${stateName}: ${LAMBDA_INVOKE} needs a FunctionName string in its Parameters`);
    }
    const result = await this.invokeLocal(parameters.FunctionName, parameters.Payload === undefined ? {} : parameters.Payload);
    // The optimized integration's response; the definition's `OutputPath: $.Payload` keeps the function's return value.
    return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
  }

  /** Invokes a local function and returns its result, or throws the task error the service would. */
  private async invokeLocal(functionName: string, payload: JsonValue): Promise<JsonValue> {
    let invokable: Invokable | undefined;
    try {
      invokable = this.options.functions(functionName);
    } catch {
      invokable = undefined;
    }
    if (!invokable) {
      throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionName} (Service: Lambda, Status Code: 404, Error Code: ResourceNotFoundException)`);
    }
    let invocation;
    try {
      invocation = await invokable.invoke(payload);
    } catch (error) {
      // The local runtime itself failed to run the function: in AWS that is the Lambda service failing.
      throw new TaskError('Lambda.ServiceException', `${describeCause(error)} (Service: Lambda, Status Code: 500, Error Code: ServiceException)`);
    }
    if (!invocation.ok) {
      const { errorType, errorMessage, stackTrace } = invocation.error;
      // The Node.js runtime's error payload, which the service puts in Cause as JSON.
      throw new TaskError(errorType, JSON.stringify({ errorType, errorMessage, ...(stackTrace ? { trace: stackTrace } : {}) }));
    }
    return toJson(invocation.result);
  }

  private async publish(stateName: string, request: JsonValue): Promise<JsonValue> {
    const parameters = (request ?? {}) as { TopicArn?: unknown; Subject?: unknown; Message?: unknown };
    if (typeof parameters.TopicArn !== 'string' || parameters.Message === undefined) {
      throw new TaskRuntimeError(`Task state ${stateName}: ${SNS_PUBLISH} needs TopicArn and Message in its Parameters`);
    }
    const message = typeof parameters.Message === 'string' ? parameters.Message : JSON.stringify(parameters.Message);
    const subject = typeof parameters.Subject === 'string' ? parameters.Subject : undefined;
    try {
      const { MessageId } = await this.options.publish(parameters.TopicArn, subject, message);
      return { MessageId };
    } catch (error) {
      throw new TaskError(serviceErrorName('SNS', error), describeCause(error));
    }
  }
}

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
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { RunningPart } from '../running-part';
import { forwardExecutionEvents, type StateMachineEvent } from './execution-events';
import './promise-with-resolvers';
import { scaleRetryIntervals } from './retry-intervals';
import { describeCause, ExecutionStoppedError } from './task-errors';
import { runTaskRequest, taskStatesOf, toJson, type JsonValue, type TaskHandlers, type TaskIntegrations, type TaskState } from './tasks';

export interface LocalStateMachineOptions extends TaskIntegrations {
  /** The ASL definition, its ARNs already resolved to the local runtime's. It is validated with the library's ASL validator. */
  readonly definition: object;
  /** `arn:aws:states:<region>:<account>:stateMachine:<name>`; execution ARNs derive from it. */
  readonly stateMachineArn: string;
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

const STATE_MACHINE_ARN = /^(arn:aws[\w-]*:states:[^:]+:\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

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
    this.tasks = taskStatesOf(definition);
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
    const base = () => ({ executionArn: execution.executionArn, name: execution.name, timestamp: Date.now() });
    const events = forwardExecutionEvents(run.eventLogs, base, (event) => this.emit(event));

    let final: StateMachineEvent;
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
      return await Promise.race([runTaskRequest(task, stateName, parameters, this.options), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
      aborted.catch(() => undefined);
    }
  }
}

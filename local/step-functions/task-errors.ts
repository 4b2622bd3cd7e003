/** An error as Step Functions' Retry and Catch see it: `name` is `Error`, `message` is `Cause`. */
export class TaskError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * What a task throws once its execution was stopped. The library reads `isRetryable` and
 * `isCatchable` from errors, so neither a Retry nor a Catch runs anything after a stop.
 */
export class ExecutionStoppedError extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('States.Aborted', 'The execution was stopped');
  }
}

/** A malformed task request: like States.Runtime in the service, it is neither retried nor caught. */
export class TaskRuntimeError extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(cause: string) {
    super('States.Runtime', cause);
  }
}

export function describeCause(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? '' : JSON.stringify(cause);
}

/** The service's error for an SDK exception of an optimized integration: `SNS.NotFoundException`. */
export function serviceErrorName(service: string, error: unknown): string {
  const name = error instanceof Error ? error.name : undefined;
  if (!name || name === 'Error' || name === 'TypeError') return 'States.TaskFailed';
  return name.startsWith(`${service}.`) ? name : `${service}.${name}`;
}

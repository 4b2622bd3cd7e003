/**
 * What running a function once produced, as Lambda reports it to an event source
 * mapping: a result, or an error with Lambda's error type. Event sources, the API and
 * tests depend on this contract only, never on how a function is run.
 */
export interface FunctionError {
  /** The thrown error's name, or Lambda's own type such as `Sandbox.Timedout`. */
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: readonly string[];
}

interface InvocationCommon {
  /** The `awsRequestId` the handler saw in its context. */
  readonly requestId: string;
  readonly durationMs: number;
  /** Present on a cold start: how long loading the bundle (module scope) took. */
  readonly initDurationMs?: number;
  /**
   * The execution environment's memory high-water mark in MB, when it lived to report it
   * (see lambda-worker.js for what is counted).
   */
  readonly maxMemoryUsedMb?: number;
}

export interface InvocationSuccess extends InvocationCommon {
  readonly ok: true;
  /** The handler's return value after a JSON round trip, as Lambda serializes it (`undefined` becomes `null`). */
  readonly result: unknown;
}

export interface InvocationFailure extends InvocationCommon {
  readonly ok: false;
  readonly error: FunctionError;
  /** The function ran past its configured timeout and its execution environment was discarded. */
  readonly timedOut: boolean;
}

export type Invocation = InvocationSuccess | InvocationFailure;

/** Anything that can be invoked like a Lambda function: the local runtime's functions, or a fake in a test. */
export interface Invokable {
  readonly functionName: string;
  invoke(event: unknown, options?: { readonly onLog?: (line: string, init: boolean) => void }): Promise<Invocation>;
}

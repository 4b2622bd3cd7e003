/**
 * One synchronous invocation, as the console's Test button and `aws lambda invoke` make
 * it: the event within Lambda's 6 MB payload limit, and back the result with the log
 * lines that invocation wrote.
 */
import type { Invocation } from '../lambda/invocation';
import type { LocalFunction } from '../lambda/local-function';

/** Lambda's limit on a synchronous invocation's request and response payloads. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface FunctionRun {
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly invocation: Invocation;
  /** What the function wrote while its bundle loaded, on a cold start. */
  readonly initLogLines: readonly string[];
  /** What the function wrote during this invocation. */
  readonly logLines: readonly string[];
}

/** Lambda's RequestEntityTooLargeException: the function never runs. */
export class PayloadTooLargeError extends Error {
  constructor(bytes: number) {
    super(`The event is ${bytes} bytes; Lambda refuses a synchronous invocation over ${MAX_PAYLOAD_BYTES} bytes (RequestEntityTooLargeException)`);
    this.name = 'PayloadTooLargeError';
  }
}

export async function invokeOnce(fn: LocalFunction, event: unknown): Promise<FunctionRun> {
  const bytes = Buffer.byteLength(JSON.stringify(event) ?? '');
  if (bytes > MAX_PAYLOAD_BYTES) throw new PayloadTooLargeError(bytes);
  const initLogLines: string[] = [];
  const logLines: string[] = [];
  const invocation = await fn.invoke(event, { onLog: (line, init) => (init ? initLogLines : logLines).push(line) });
  return { functionName: fn.functionName, memorySizeMb: fn.memoryMb, invocation: withinResponseLimit(invocation), initLogLines, logLines };
}

/** A result over the limit reaches no caller: Lambda reports a function error instead. */
function withinResponseLimit(invocation: Invocation): Invocation {
  if (!invocation.ok) return invocation;
  const bytes = Buffer.byteLength(JSON.stringify(invocation.result));
  if (bytes <= MAX_PAYLOAD_BYTES) return invocation;
  return {
    ok: false,
    requestId: invocation.requestId,
    durationMs: invocation.durationMs,
    initDurationMs: invocation.initDurationMs,
    maxMemoryUsedMb: invocation.maxMemoryUsedMb,
    timedOut: false,
    error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).` },
  };
}

/**
 * The lines Lambda writes around every invocation in the function's log, and the figures
 * the console's "Execution result" shows from them: START, END, and REPORT with the
 * duration, billed duration, memory size, max memory used and, on a cold start, the
 * init duration.
 */
import type { Invocation } from './invocation';

/**
 * Lambda bills by the millisecond, rounded up. Since 1 August 2025 the INIT phase of an
 * on-demand, ZIP-packaged function on a managed runtime is billed too, so a cold start's
 * billed duration covers its init duration as well.
 */
export function billedDurationMs(invocation: Pick<Invocation, 'durationMs' | 'initDurationMs'>): number {
  return Math.max(1, Math.ceil(invocation.durationMs + (invocation.initDurationMs ?? 0)));
}

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/** Tab-separated, as Lambda writes it; fields it cannot know are left out rather than guessed. */
export function reportLine(invocation: Invocation, memorySizeMb: number): string {
  const fields = [
    `REPORT RequestId: ${invocation.requestId}`,
    `Duration: ${invocation.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(invocation)} ms`,
    `Memory Size: ${memorySizeMb} MB`,
    ...(invocation.maxMemoryUsedMb === undefined ? [] : [`Max Memory Used: ${invocation.maxMemoryUsedMb} MB`]),
    ...(invocation.initDurationMs === undefined ? [] : [`Init Duration: ${invocation.initDurationMs.toFixed(2)} ms`]),
    ...(!invocation.ok && invocation.timedOut ? ['Status: timeout'] : []),
  ];
  return fields.join('\t');
}

/**
 * The function's log for one invocation as CloudWatch shows it: what a cold start wrote
 * while loading, then its own lines between START and END, then REPORT.
 */
export function invocationLog(invocation: Invocation, lines: { readonly init: readonly string[]; readonly invoke: readonly string[] }, memorySizeMb: number): string[] {
  return [...lines.init, startLine(invocation.requestId), ...lines.invoke, endLine(invocation.requestId), reportLine(invocation, memorySizeMb)];
}

/**
 * What the Invoke API returns as the payload: the handler's result, or for a function
 * error the shape the Node.js runtime writes (`errorType`, `errorMessage`, `trace`).
 */
export function responsePayload(invocation: Invocation): unknown {
  if (invocation.ok) return invocation.result;
  const { errorType, errorMessage, stackTrace } = invocation.error;
  return { errorType, errorMessage, trace: stackTrace ?? [] };
}

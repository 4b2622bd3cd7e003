/**
 * One set of listener names for every event source of the local runtime: SQS and
 * DynamoDB Streams mappings, and asynchronous invocation (S3 notifications). A listener
 * that throws is reported through onError, never allowed to stop a source.
 */
import type { Invocation } from '../lambda/invocation';

export interface EventSourceEvents<TRecord, TReason extends string = string> {
  /** An invocation returned, with how many of its records failed (kept for a retry, or given up on). */
  onInvocation?(info: { readonly records: readonly TRecord[]; readonly invocation: Invocation; readonly failedRecords: number }): void;
  /** Records given up on, and why; `invocationRecord` is what Lambda sends to an on-failure destination. */
  onDiscarded?(info: { readonly records: readonly TRecord[]; readonly reason: TReason; readonly invocationRecord?: object }): void;
  /** A problem polling, invoking or delivering; the source keeps going. */
  onError?(error: unknown): void;
}

/** Calls a listener so that one that throws is reported, not allowed to break the source. */
export function notifyListener(call: () => void, report: (error: unknown) => void): void {
  try {
    call();
  } catch (error) {
    report(error);
  }
}

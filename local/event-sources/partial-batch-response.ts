/**
 * What a function's answer means for its batch, by Lambda's rules for partial batch
 * responses (SQS and DynamoDB Streams alike; AWS docs "Implementing partial batch
 * responses", checked against the recorded answers in ../shared/fidelity/batch.json):
 *
 * - a function error fails the whole batch;
 * - without ReportBatchItemFailures the response is ignored: the batch succeeded;
 * - a response that is not an object, or has no (or a null) `batchItemFailures`, or an
 *   empty list, is complete success;
 * - `batchItemFailures` that is not a list, or an entry whose `itemIdentifier` is missing,
 *   null, empty, not a string or not in the batch, makes the response invalid, and Lambda
 *   then fails the whole batch;
 * - otherwise the listed records failed.
 */
import type { Invocation } from '../lambda/invocation';

export type BatchOutcome =
  | { readonly kind: 'succeeded' }
  /** The function failed (an error or a timeout): every record failed. */
  | { readonly kind: 'function-error' }
  /** The response broke the rules: every record failed, though the function did not. */
  | { readonly kind: 'invalid-response' }
  /** These records failed, by their identifiers (SQS message ids, stream sequence numbers). */
  | { readonly kind: 'partial'; readonly failedIds: ReadonlySet<string> };

/**
 * @param batchIds the identifiers of the records the function was given, in order
 */
export function batchOutcome(batchIds: readonly string[], invocation: Invocation, reportBatchItemFailures: boolean): BatchOutcome {
  if (!invocation.ok) return { kind: 'function-error' };
  if (!reportBatchItemFailures) return { kind: 'succeeded' };
  const response = invocation.result;
  if (typeof response !== 'object' || response === null) return { kind: 'succeeded' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'succeeded' };
  if (!Array.isArray(failures)) return { kind: 'invalid-response' };
  if (failures.length === 0) return { kind: 'succeeded' };
  const inBatch = new Set(batchIds);
  const failedIds = new Set<string>();
  for (const failure of failures) {
    const identifier = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof identifier !== 'string' || identifier === '' || !inBatch.has(identifier)) return { kind: 'invalid-response' };
    failedIds.add(identifier);
  }
  return { kind: 'partial', failedIds };
}

/** The identifiers of the records that failed: all of them unless the outcome names some. */
export function failedIdsOf(outcome: BatchOutcome, batchIds: readonly string[]): Set<string> {
  switch (outcome.kind) {
    case 'succeeded':
      return new Set();
    case 'partial':
      return new Set(outcome.failedIds);
    default:
      return new Set(batchIds);
  }
}

/**
 * What Lambda's DynamoDB stream event source mapping does with a batch after each
 * invocation, as pure functions of the batch, the invocation and the mapping's settings
 * (AWS docs: "Using Lambda with DynamoDB", "Configuring partial batch response",
 * "Retaining discarded batches"). The poller (dynamodb-stream-event-source.ts) applies them.
 *
 * Retry accounting (AWS documents the pieces but not every combination; choices here):
 * - A function error (timeouts included) with bisect on splits the batch into halves,
 *   first half first. Splitting is not a retry: each half inherits the retry count of the
 *   batch it came from ("split the batch in two and retry"; bisection does not count
 *   against MaximumRetryAttempts). A batch of one record that fails, or any batch with
 *   bisect off, is retried and its count grows; once a batch has had
 *   maximumRetryAttempts retries, its next failure discards it.
 * - A partial batch response commits the records before the lowest failed sequence
 *   number and retries the rest of the batch (records after a failed one are sent again,
 *   as in AWS); that retry counts against maximumRetryAttempts, so a record that keeps
 *   failing is discarded after the same number of retries as a function error. With
 *   bisect on, AWS documents the same thing: the batch is split at the failed record.
 * - An invalid partial response fails the whole batch, as AWS does, and is retried like a
 *   function error but not bisected: the function did not fail.
 * - approximateInvokeCount counts every invocation that carried the discarded records,
 *   the invocations of the batches they were bisected from included.
 * - Record age is checked before every attempt (the first included); too-old records are
 *   discarded on their own with RecordAgeExceeded and the rest of the batch goes on.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { functionArn } from '../lambda/function-arn';
import type { Invocation } from '../lambda/invocation';
import { LOCAL_ACCOUNT_ID } from '../emulators/local-account';
import { batchOutcome } from './partial-batch-response';

/** The settings of an `aws_lambda_event_source_mapping` that decide a batch's fate. */
export interface StreamBatchSettings {
  /** function_response_types includes ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1 = infinite (the AWS default when unset). */
  readonly maximumRetryAttempts: number;
  /**
   * -1 = infinite (the AWS default when unset). AWS's minimum otherwise is 60; any value
   * >= 0 is accepted here. Ages come from ApproximateCreationDateTime, which DynamoDB
   * rounds down to the second and DynamoDB Local down to the minute: locally a record can
   * look up to 60 s older than it is.
   */
  readonly maximumRecordAgeSeconds: number;
}

/** A batch, or a part of one still to get through the function. */
export interface Attempt {
  readonly records: readonly DynamoDBRecord[];
  /** Retries so far; bisection does not add to it. */
  readonly retries: number;
  /** Invocations that carried these records, for approximateInvokeCount. */
  readonly invocations: number;
  /** The last invocation that carried them. */
  readonly last?: Invocation;
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** What happens to an attempt once its invocation returned. */
export type Decision =
  | { readonly kind: 'done'; readonly commit: readonly DynamoDBRecord[] }
  /** Two halves take the attempt's place, first half first. */
  | { readonly kind: 'split'; readonly halves: readonly [Attempt, Attempt] }
  | { readonly kind: 'retry'; readonly commit: readonly DynamoDBRecord[]; readonly retry: Attempt }
  | { readonly kind: 'discard'; readonly commit: readonly DynamoDBRecord[]; readonly discard: Attempt };

export function sequenceNumberOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

/** The records of an attempt older than the mapping allows, apart from the rest. */
export function partitionByAge(
  records: readonly DynamoDBRecord[],
  maximumRecordAgeSeconds: number,
  nowSeconds: number,
): { fresh: DynamoDBRecord[]; tooOld: DynamoDBRecord[] } {
  const isTooOld = (record: DynamoDBRecord): boolean => {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    return maximumRecordAgeSeconds >= 0 && created !== undefined && nowSeconds - created > maximumRecordAgeSeconds;
  };
  return { fresh: records.filter((record) => !isTooOld(record)), tooOld: records.filter(isTooOld) };
}

/**
 * @param invoked the attempt as it was sent, with `invocations` and `last` counting this invocation
 */
export function decide(invoked: Attempt, invocation: Invocation, settings: StreamBatchSettings): Decision {
  const { records } = invoked;
  const outcome = batchOutcome(records.map(sequenceNumberOf), invocation, settings.reportBatchItemFailures);
  if (outcome.kind === 'succeeded') return { kind: 'done', commit: records };
  const failedIndex = outcome.kind === 'partial' ? records.findIndex((record) => outcome.failedIds.has(sequenceNumberOf(record))) : 0;
  const commit = records.slice(0, failedIndex);
  const rest: Attempt = { ...invoked, records: records.slice(failedIndex) };
  if (outcome.kind === 'function-error' && settings.bisectBatchOnFunctionError && rest.records.length > 1) {
    const middle = Math.ceil(rest.records.length / 2);
    return { kind: 'split', halves: [{ ...rest, records: rest.records.slice(0, middle) }, { ...rest, records: rest.records.slice(middle) }] };
  }
  if (settings.maximumRetryAttempts >= 0 && rest.retries >= settings.maximumRetryAttempts) return { kind: 'discard', commit, discard: rest };
  return { kind: 'retry', commit, retry: { ...rest, retries: rest.retries + 1 } };
}

/** Lambda's on-failure invocation record for records of a DynamoDB stream batch. */
export function streamInvocationRecord(
  source: { readonly functionArn: string; readonly streamArn: string; readonly shardId: string },
  records: readonly DynamoDBRecord[],
  condition: DiscardCondition,
  attempt: Attempt,
  now: Date = new Date(),
): object {
  const first = records[0];
  const last = records[records.length - 1];
  const lastInvocation = attempt.last;
  return {
    requestContext: {
      // The request ID of the last invocation that carried these records (what Lambda
      // reports); records too old to be sent at all were never part of a request.
      requestId: lastInvocation?.requestId ?? randomUUID(),
      functionArn: source.functionArn,
      condition,
      approximateInvokeCount: attempt.invocations,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(lastInvocation !== undefined && !lastInvocation.ok ? { functionError: 'Unhandled' } : {}),
    },
    version: '1.0',
    timestamp: now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: source.shardId,
      startSequenceNumber: sequenceNumberOf(first),
      endSequenceNumber: sequenceNumberOf(last),
      approximateArrivalOfFirstRecord: arrivalOf(first),
      approximateArrivalOfLastRecord: arrivalOf(last),
      batchSize: records.length,
      streamArn: source.streamArn,
    },
  };
}

/** The function's ARN in the stream's region and account (DynamoDB Local's region is "ddblocal"). */
export function functionArnBesideStream(streamArn: string, functionName: string): string {
  // arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
  const [, , , region, account] = streamArn.split(':');
  return functionArn(functionName, region || 'us-east-1', account || LOCAL_ACCOUNT_ID);
}

/** ISO 8601 without milliseconds, as Lambda writes approximateArrivalOf...Record. */
function arrivalOf(record: DynamoDBRecord): string | undefined {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return seconds === undefined ? undefined : new Date(seconds * 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

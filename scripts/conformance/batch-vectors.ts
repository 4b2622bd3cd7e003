import type { DynamoDBRecord } from 'aws-lambda';
import { isDeepStrictEqual } from 'node:util';
import type { Invocation } from '../../local/lambda/invocation';
import { batchOutcome, failedIdsOf } from '../../local/event-sources/partial-batch-response';
import { runBatch } from '../../local/event-sources/stream-batch-runner';
import { errorText, refusalOf, type Outcome } from './outcome';

/**
 * batch.json: a partial batch response and what AWS then did. SQS vectors go through
 * partial-batch-response.ts (the ids Lambda kept for a retry); DynamoDB stream vectors
 * through stream-batch-runner.ts, the local poller's own loop, with a function that
 * always answers the recorded response.
 */
type BatchVector = SqsBatchVector | StreamBatchVector;

interface SqsBatchVector {
  readonly kind?: undefined;
  readonly id: string;
  readonly messageIds: readonly string[];
  readonly invocation: { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: { errorType: string; errorMessage: string } };
  readonly reportBatchItemFailures: boolean;
  /** The message ids that were not deleted. */
  readonly expected: readonly string[];
}

interface StreamBatchVector {
  readonly kind: 'dynamodb-stream';
  readonly id: string;
  readonly record: DynamoDBRecord;
  /** What the function returned each time, or `{functionError}` when it failed. */
  readonly response: unknown;
  readonly config: { readonly batchSize: number; readonly maximumRetryAttempts: number; readonly reportBatchItemFailures: boolean };
  readonly expected: StreamResult;
}

interface StreamResult {
  readonly invocations: number;
  readonly onFailure: { readonly condition: string; readonly approximateInvokeCount: number; readonly batchSize: number } | null;
}

export async function runBatchVector(vector: BatchVector): Promise<Outcome> {
  try {
    const actual = vector.kind === 'dynamodb-stream' ? await streamResult(vector) : sqsKept(vector);
    return isDeepStrictEqual(actual, vector.expected) ? { id: vector.id, kind: 'same' } : { id: vector.id, kind: 'different', expected: vector.expected, actual };
  } catch (error) {
    const reason = refusalOf(error);
    return reason !== undefined ? { id: vector.id, kind: 'refused', reason } : { id: vector.id, kind: 'different', expected: vector.expected, actual: errorText(error) };
  }
}

function sqsKept(vector: SqsBatchVector): string[] {
  const common = { requestId: 'conformance', durationMs: 1 };
  const invocation: Invocation = vector.invocation.ok
    ? { ...common, ok: true, result: vector.invocation.result }
    : { ...common, ok: false, error: vector.invocation.error, timedOut: false };
  const outcome = batchOutcome(vector.messageIds, invocation, vector.reportBatchItemFailures);
  const failed = failedIdsOf(outcome, vector.messageIds);
  return vector.messageIds.filter((id) => failed.has(id));
}

async function streamResult(vector: StreamBatchVector): Promise<StreamResult> {
  let invocations = 0;
  let onFailure: StreamResult['onFailure'] = null;
  const functionError = (vector.response as { functionError?: { errorType: string; errorMessage: string } } | null)?.functionError;
  await runBatch(
    [vector.record],
    { shardId: 'shardId-conformance', commit: () => undefined, sleep: async () => undefined },
    {
      fn: {
        functionName: 'conformance',
        invoke: async (): Promise<Invocation> => {
          invocations += 1;
          const common = { requestId: `conformance-${invocations}`, durationMs: 1 };
          return functionError ? { ...common, ok: false, error: functionError, timedOut: false } : { ...common, ok: true, result: vector.response };
        },
      },
      settings: {
        reportBatchItemFailures: vector.config.reportBatchItemFailures,
        bisectBatchOnFunctionError: false,
        maximumRetryAttempts: vector.config.maximumRetryAttempts,
        maximumRecordAgeSeconds: -1,
      },
      source: { uuid: 'conformance', streamArn: vector.record.eventSourceARN ?? '', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:conformance' },
      events: {},
      onFailure: async (record) => {
        const { requestContext, DDBStreamBatchInfo } = record as {
          requestContext: { condition: string; approximateInvokeCount: number };
          DDBStreamBatchInfo: { batchSize: number };
        };
        onFailure = { condition: requestContext.condition, approximateInvokeCount: requestContext.approximateInvokeCount, batchSize: DDBStreamBatchInfo.batchSize };
      },
      retryDelayMs: 0,
      errorBackoffMs: 0,
      // A runaway retry loop would be a defect too: stop well past any recorded count.
      stopped: () => invocations > 100,
      report: (error) => {
        throw error;
      },
    },
  );
  return { invocations, onFailure };
}

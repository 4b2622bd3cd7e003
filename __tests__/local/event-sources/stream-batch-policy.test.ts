import type { DynamoDBRecord } from 'aws-lambda';
import { decide, partitionByAge, type Attempt, type StreamBatchSettings } from '../../../local/event-sources/stream-batch-policy';
import type { Invocation } from '../../../local/lambda/invocation';

const record = (sequence: string, createdAt = 1_000): DynamoDBRecord => ({ dynamodb: { SequenceNumber: sequence, ApproximateCreationDateTime: createdAt } });
const sequences = (records: readonly DynamoDBRecord[]) => records.map((r) => r.dynamodb?.SequenceNumber);
const SETTINGS: StreamBatchSettings = { reportBatchItemFailures: true, bisectBatchOnFunctionError: true, maximumRetryAttempts: 2, maximumRecordAgeSeconds: -1 };
const ok = (result: unknown = null): Invocation => ({ ok: true, requestId: 'r', durationMs: 1, result });
const error: Invocation = { ok: false, requestId: 'r', durationMs: 1, timedOut: false, error: { errorType: 'Error', errorMessage: 'boom' } };
const attempt = (ids: string[], retries = 0): Attempt => ({ records: ids.map((id) => record(id)), retries, invocations: 1 });

test('success commits the batch', () => {
  const decision = decide(attempt(['1', '2']), ok(), SETTINGS);
  expect(decision.kind).toBe('done');
  expect(decision.kind === 'done' && sequences(decision.commit)).toEqual(['1', '2']);
});

test('a function error splits the batch in halves without counting a retry', () => {
  const decision = decide(attempt(['1', '2', '3'], 1), error, SETTINGS);
  expect(decision.kind).toBe('split');
  if (decision.kind !== 'split') return;
  expect(decision.halves.map((half) => sequences(half.records))).toEqual([['1', '2'], ['3']]);
  expect(decision.halves.map((half) => half.retries)).toEqual([1, 1]);
});

test('a single failing record is retried until maximumRetryAttempts, then discarded', () => {
  const first = decide(attempt(['1'], 0), error, SETTINGS);
  expect(first.kind === 'retry' && first.retry.retries).toBe(1);
  const last = decide(attempt(['1'], 2), error, SETTINGS);
  expect(last.kind).toBe('discard');
  expect(last.kind === 'discard' && sequences(last.discard.records)).toEqual(['1']);
});

test('-1 retries forever', () => {
  expect(decide(attempt(['1'], 1_000), error, { ...SETTINGS, maximumRetryAttempts: -1 }).kind).toBe('retry');
});

test('a partial response commits the records before the lowest failure and retries from it, without bisecting', () => {
  const decision = decide(attempt(['1', '2', '3', '4']), ok({ batchItemFailures: [{ itemIdentifier: '4' }, { itemIdentifier: '2' }] }), SETTINGS);
  expect(decision.kind).toBe('retry');
  if (decision.kind !== 'retry') return;
  expect(sequences(decision.commit)).toEqual(['1']);
  expect(sequences(decision.retry.records)).toEqual(['2', '3', '4']);
});

test('an invalid response is retried whole, not bisected: the function did not fail', () => {
  const decision = decide(attempt(['1', '2']), ok({ batchItemFailures: [{ itemIdentifier: 'nope' }] }), SETTINGS);
  expect(decision.kind === 'retry' && sequences(decision.retry.records)).toEqual(['1', '2']);
});

test('records older than the maximum age are set apart; -1 keeps every record', () => {
  const records = [record('old', 100), record('new', 990)];
  expect(sequences(partitionByAge(records, 60, 1_000).tooOld)).toEqual(['old']);
  expect(sequences(partitionByAge(records, 60, 1_000).fresh)).toEqual(['new']);
  expect(partitionByAge(records, -1, 1_000).tooOld).toEqual([]);
});

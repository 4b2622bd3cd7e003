import { batchOutcome, failedIdsOf } from '../../../local/event-sources/partial-batch-response';
import type { Invocation } from '../../../local/lambda/invocation';

const BATCH = ['a', 'b', 'c'];
const returned = (result: unknown): Invocation => ({ ok: true, requestId: 'r', durationMs: 1, result });
const failed: Invocation = { ok: false, requestId: 'r', durationMs: 1, timedOut: false, error: { errorType: 'Error', errorMessage: 'boom' } };
const outcome = (invocation: Invocation, report = true) => batchOutcome(BATCH, invocation, report);
const failedIds = (invocation: Invocation, report = true) => [...failedIdsOf(outcome(invocation, report), BATCH)].sort();

test('a function error fails the whole batch, whatever the mapping reports', () => {
  expect(outcome(failed)).toEqual({ kind: 'function-error' });
  expect(failedIds(failed, false)).toEqual(BATCH);
});

test('without ReportBatchItemFailures the response is ignored', () => {
  expect(outcome(returned({ batchItemFailures: [{ itemIdentifier: 'b' }] }), false)).toEqual({ kind: 'succeeded' });
});

test.each([null, 'text', 42, {}, { batchItemFailures: null }, { batchItemFailures: [] }])('%p is complete success', (result) => {
  expect(outcome(returned(result))).toEqual({ kind: 'succeeded' });
  expect(failedIds(returned(result))).toEqual([]);
});

test('the listed records failed, and only they', () => {
  expect(failedIds(returned({ batchItemFailures: [{ itemIdentifier: 'c' }, { itemIdentifier: 'a' }] }))).toEqual(['a', 'c']);
});

test.each([
  ['not a list', { batchItemFailures: { itemIdentifier: 'a' } }],
  ['a missing identifier', { batchItemFailures: [{ foo: 'a' }] }],
  ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
  ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
  ['an identifier not in the batch', { batchItemFailures: [{ itemIdentifier: 'z' }] }],
  ['a number', { batchItemFailures: [{ itemIdentifier: 1 }] }],
  ['a null entry', { batchItemFailures: [null] }],
])('a response with %s is invalid, and fails the whole batch', (_name, result) => {
  expect(outcome(returned(result))).toEqual({ kind: 'invalid-response' });
  expect(failedIds(returned(result))).toEqual(BATCH);
});

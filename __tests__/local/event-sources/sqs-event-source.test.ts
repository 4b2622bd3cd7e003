import type { SQSRecord } from 'aws-lambda';
import type { Invocation } from '../../../local/lambda/invocation';
import { failedMessageIds } from '../../../local/event-sources/sqs-event-source';
import { toLambdaRecord } from '../../../local/event-sources/sqs-record';

const SOURCE = { queueArn: 'arn:aws:sqs:us-east-1:000000000000:q', region: 'us-east-1' };
const records = ['a', 'b', 'c'].map((id) => toLambdaRecord({ MessageId: id, ReceiptHandle: `r-${id}`, Body: '{}' }, SOURCE));

const success = (result: unknown): Invocation => ({ ok: true, result, requestId: 'x', durationMs: 1 });
const sorted = (ids: Set<string>) => [...ids].sort();

describe('which messages the queue keeps after an invocation (Lambda partial batch responses)', () => {
  test('a function error keeps the whole batch', () => {
    const failure: Invocation = { ok: false, error: { errorType: 'Error', errorMessage: 'boom' }, timedOut: false, requestId: 'x', durationMs: 1 };
    expect(sorted(failedMessageIds(records, failure, true))).toEqual(['a', 'b', 'c']);
  });

  test('listed failures are kept, the rest deleted', () => {
    expect(sorted(failedMessageIds(records, success({ batchItemFailures: [{ itemIdentifier: 'b' }] }), true))).toEqual(['b']);
  });

  test('an empty list, null or no response means every message succeeded', () => {
    for (const result of [{ batchItemFailures: [] }, { batchItemFailures: null }, null, {}]) {
      expect(sorted(failedMessageIds(records, success(result), true))).toEqual([]);
    }
  });

  test('an invalid response (unknown id, empty id, not a list) fails the whole batch', () => {
    for (const result of [{ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, { batchItemFailures: [{ itemIdentifier: '' }] }, { batchItemFailures: 'b' }]) {
      expect(sorted(failedMessageIds(records, success(result), true))).toEqual(['a', 'b', 'c']);
    }
  });

  test('without ReportBatchItemFailures a successful invocation deletes the whole batch, whatever it returned', () => {
    expect(sorted(failedMessageIds(records, success({ batchItemFailures: [{ itemIdentifier: 'b' }] }), false))).toEqual([]);
  });
});

test("a received message becomes the record Lambda sends, with SQS's attributes", () => {
  const record: SQSRecord = toLambdaRecord(
    {
      MessageId: 'm-1',
      ReceiptHandle: 'rh',
      Body: 'body',
      MD5OfBody: 'md5',
      Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '1700000000001' },
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
    },
    SOURCE,
  );
  expect(record).toEqual({
    messageId: 'm-1',
    receiptHandle: 'rh',
    body: 'body',
    attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '1700000000001' },
    messageAttributes: { kind: { stringValue: 'order', binaryValue: undefined, stringListValues: [], binaryListValues: [], dataType: 'String' } },
    md5OfBody: 'md5',
    eventSource: 'aws:sqs',
    eventSourceARN: SOURCE.queueArn,
    awsRegion: 'us-east-1',
  });
});

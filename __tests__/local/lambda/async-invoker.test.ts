import { AsyncInvoker, type AsyncInvocationRecord } from '../../../local/lambda/async-invoker';
import type { Invocation, Invokable } from '../../../local/lambda/invocation';
import { notificationMatches } from '../../../local/event-sources/s3-notification-source';
import { encodeS3EventKey, s3EventRecord } from '../../../local/event-sources/s3-event-record';

/** A function that fails its first `failures` invocations, then succeeds. */
function flakyFunction(failures: number): Invokable & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    functionName: 'flaky',
    calls,
    async invoke(event: unknown): Promise<Invocation> {
      calls.push(event);
      if (calls.length <= failures) {
        return {
          ok: false,
          requestId: `request-${calls.length}`,
          durationMs: 1,
          timedOut: false,
          error: { errorType: 'Error', errorMessage: `failure ${calls.length}`, stackTrace: ['at handler'] },
        };
      }
      return { ok: true, requestId: `request-${calls.length}`, durationMs: 1, result: null };
    },
  };
}

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:flaky';

describe('AsyncInvoker', () => {
  it('retries a failed event after the delays, up to maximum_retry_attempts, and stops at the first success', async () => {
    const fn = flakyFunction(2);
    const invoker = new AsyncInvoker(fn, { functionArn: FUNCTION_ARN, maximumRetryAttempts: 2, retryDelaysSeconds: [0] });
    invoker.enqueue({ n: 1 });
    await invoker.whenIdle();
    expect(fn.calls).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
  });

  it("sends Lambda's on-failure record once retries are exhausted", async () => {
    const fn = flakyFunction(Infinity);
    const sent: AsyncInvocationRecord[] = [];
    const discarded: string[] = [];
    const invoker = new AsyncInvoker(
      fn,
      { functionArn: FUNCTION_ARN, maximumRetryAttempts: 1, retryDelaysSeconds: [0], onFailure: async (record) => void sent.push(record) },
      { onDiscarded: ({ condition }) => discarded.push(condition) },
    );
    invoker.enqueue({ Records: ['event'] });
    await invoker.whenIdle();
    expect(fn.calls).toHaveLength(2);
    expect(discarded).toEqual(['RetriesExhausted']);
    expect(sent).toEqual([
      {
        version: '1.0',
        timestamp: expect.any(String),
        requestContext: { requestId: 'request-2', functionArn: `${FUNCTION_ARN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2 },
        requestPayload: { Records: ['event'] },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'Error', errorMessage: 'failure 2', trace: ['at handler'] },
      },
    ]);
  });

  it('gives up on an event older than maximum_event_age_in_seconds instead of retrying it', async () => {
    const fn = flakyFunction(Infinity);
    const conditions: string[] = [];
    const invoker = new AsyncInvoker(
      fn,
      { functionArn: FUNCTION_ARN, maximumRetryAttempts: 2, maximumEventAgeSeconds: 0, retryDelaysSeconds: [0.05] },
      { onDiscarded: ({ condition }) => conditions.push(condition) },
    );
    invoker.enqueue({});
    await invoker.whenIdle();
    expect(fn.calls).toHaveLength(1);
    expect(conditions).toEqual(['EventAgeExceeded']);
  });

  it('waits a minute, then two, between retries unless told otherwise, and stop() abandons the wait', async () => {
    const fn = flakyFunction(Infinity);
    const invoker = new AsyncInvoker(fn, { functionArn: FUNCTION_ARN });
    invoker.enqueue({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fn.calls).toHaveLength(1);
    const stoppedAt = Date.now();
    await invoker.stop();
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
    expect(fn.calls).toHaveLength(1);
    invoker.enqueue({});
    expect(fn.calls).toHaveLength(1);
  });
});

describe('S3 notifications', () => {
  const notification = { id: 'invoke-fn', bucket: 'uploads-bucket', events: ['s3:ObjectCreated:*'], filterPrefix: 'uploads/', filterSuffix: '.json' };
  const created = (key: string, eventName = 'ObjectCreated:Put' as const, bucket = 'uploads-bucket') => ({ bucket, key, size: 1, eTag: '"e"', eventName });

  it.each([
    ['uploads/inventory.json', true],
    ['uploads/shop 1/inventory.json', true],
    ['inventory.json', false],
    ['rejected/inventory.json', false],
    ['uploads/notes.txt', false],
    ['uploads/inventory.json.bak', false],
  ])('matches %s: %s', (key, expected) => {
    expect(notificationMatches(notification, created(key))).toBe(expected);
  });

  it('matches event types by name or wildcard, and only its own bucket', () => {
    expect(notificationMatches(notification, created('uploads/a.json', 'ObjectCreated:Put', 'other-bucket'))).toBe(false);
    const putsOnly = { ...notification, events: ['s3:ObjectCreated:Put'] };
    expect(notificationMatches(putsOnly, created('uploads/a.json', 'ObjectCreated:Put'))).toBe(true);
    expect(notificationMatches(putsOnly, { ...created('uploads/a.json'), eventName: 'ObjectCreated:Copy' })).toBe(false);
  });

  it("encodes keys as S3 does in events: spaces as '+', '+' as %2B, slashes kept", () => {
    expect(encodeS3EventKey('uploads/my inventory+1 é.json')).toBe('uploads/my+inventory%2B1+%C3%A9.json');
    const record = s3EventRecord(
      { ...created('uploads/my file.json'), versionId: 'v1', eTag: '"abc"' },
      { region: 'eu-west-1', configurationId: 'invoke-fn', eventTime: new Date('2026-11-23T00:00:00Z') },
    );
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2026-11-23T00:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        configurationId: 'invoke-fn',
        bucket: { name: 'uploads-bucket', arn: 'arn:aws:s3:::uploads-bucket' },
        object: { key: 'uploads/my+file.json', size: 1, eTag: 'abc', versionId: 'v1' },
      },
    });
  });
});

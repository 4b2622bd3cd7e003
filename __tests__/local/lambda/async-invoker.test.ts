import { AsyncInvoker, type AsyncInvocationRecord } from '../../../local/lambda/async-invoker';
import type { Invocation, Invokable } from '../../../local/lambda/invocation';

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
    await invoker.idle();
    expect(fn.calls).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
  });

  it("sends Lambda's on-failure record once retries are exhausted", async () => {
    const fn = flakyFunction(Infinity);
    const sent: AsyncInvocationRecord[] = [];
    const discarded: string[] = [];
    const invoker = new AsyncInvoker(
      fn,
      { functionArn: FUNCTION_ARN, maximumRetryAttempts: 1, retryDelaysSeconds: [0], onFailure: async (record) => void sent.push(record) },
      { onDiscarded: ({ reason }) => discarded.push(reason) },
    );
    invoker.enqueue({ Records: ['event'] });
    await invoker.idle();
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
      { onDiscarded: ({ reason }) => conditions.push(reason) },
    );
    invoker.enqueue({});
    await invoker.idle();
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

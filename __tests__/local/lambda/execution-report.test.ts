import { billedDurationMs, invocationLog, reportLine, responsePayload } from '../../../local/lambda/execution-report';
import type { Invocation } from '../../../local/lambda/invocation';

const REQUEST_ID = '3604209a-e9a3-11e6-939a-754dd98c7be3';

describe('the execution report', () => {
  it('bills a warm invocation by the millisecond, rounded up, and a cold one with its init phase', () => {
    expect(billedDurationMs({ durationMs: 12.01 })).toBe(13);
    expect(billedDurationMs({ durationMs: 0.2 })).toBe(1);
    expect(billedDurationMs({ durationMs: 12.01, initDurationMs: 150.5 })).toBe(163);
  });

  it('writes REPORT as Lambda does: tab-separated, init duration on a cold start, timeout status', () => {
    const cold: Invocation = { ok: true, requestId: REQUEST_ID, durationMs: 12.345, initDurationMs: 156.784, maxMemoryUsedMb: 18, result: null };
    expect(reportLine(cold, 128)).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 12.35 ms\tBilled Duration: 170 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\tInit Duration: 156.78 ms`,
    );
    const timedOut: Invocation = {
      ok: false,
      requestId: REQUEST_ID,
      durationMs: 3000.5,
      timedOut: true,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' },
    };
    expect(reportLine(timedOut, 256)).toBe(`REPORT RequestId: ${REQUEST_ID}\tDuration: 3000.50 ms\tBilled Duration: 3001 ms\tMemory Size: 256 MB\tStatus: timeout`);
  });

  it("puts the cold start's lines before START and the invocation's own between START and END", () => {
    const invocation: Invocation = { ok: true, requestId: REQUEST_ID, durationMs: 1, result: 'ok' };
    expect(invocationLog(invocation, { init: ['loading'], invoke: ['one', 'two'] }, 128)).toEqual([
      'loading',
      `START RequestId: ${REQUEST_ID} Version: $LATEST`,
      'one',
      'two',
      `END RequestId: ${REQUEST_ID}`,
      expect.stringMatching(/^REPORT RequestId: /),
    ]);
  });

  it("answers with the handler's result, or the Node.js runtime's error shape", () => {
    expect(responsePayload({ ok: true, requestId: REQUEST_ID, durationMs: 1, result: { batchItemFailures: [] } })).toEqual({ batchItemFailures: [] });
    expect(
      responsePayload({ ok: false, requestId: REQUEST_ID, durationMs: 1, timedOut: false, error: { errorType: 'Error', errorMessage: 'boom', stackTrace: ['Error: boom', '    at handler'] } }),
    ).toEqual({ errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at handler'] });
  });
});

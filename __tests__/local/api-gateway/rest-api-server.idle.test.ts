import { startRestApi, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { ordersStack, postJson, RecordingBackend, sendMessageSuccess } from './support';

/** idle(): the shape every running part of the local runtime shares with stop(). */
const { stack, resolve } = ordersStack();
const ORDER = '{"item": "latex gloves", "customerID": "12345"}';

describe('RunningRestApi.idle()', () => {
  let api: RunningRestApi;
  let sqs: RecordingBackend;
  let accessLog: string[];

  beforeEach(async () => {
    sqs = new RecordingBackend();
    accessLog = [];
    api = await startRestApi({ stack, resolve, backends: { sqs: (request) => sqs.backend(request) }, onAccessLog: (line) => accessLog.push(line) });
  });

  afterEach(async () => {
    await api?.stop();
  });

  it('resolves at once when no request is in flight', async () => {
    await expect(settlesSoon(api.idle())).resolves.toBe(true);
  });

  it('resolves once the requests in flight are answered and logged, not before', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let bothCalled = () => {};
    const bothArrived = new Promise<void>((resolve) => (bothCalled = resolve));
    sqs.answer = async () => {
      if (sqs.requests.length === 2) bothCalled();
      await released;
      return sendMessageSuccess(`message-${sqs.requests.length}`);
    };
    const answers = [postJson(api.url, ORDER), postJson(api.url, ORDER)];
    await bothArrived;

    const idle = api.idle();
    expect(await settlesSoon(idle)).toBe(false);
    release();
    await idle;

    expect(accessLog).toHaveLength(2);
    expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual([200, 200]);
  });

  it('resolves after stop() too', async () => {
    await api.stop();

    await expect(settlesSoon(api.idle())).resolves.toBe(true);
  });
});

/** Whether `promise` settles within 20 ms. */
async function settlesSoon(promise: Promise<void>): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((done) => setTimeout(() => done(false), 20))]);
}

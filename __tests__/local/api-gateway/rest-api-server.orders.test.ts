import { javaUrlEncode } from '../../../local/api-gateway/mapping-template';
import { MAX_REQUEST_BODY_BYTES, startRestApi, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { call, ordersStack, postJson, RecordingBackend, sendMessageSuccess } from './support';

/**
 * The orders pipeline's API (seed 000-002, Task 8 and 9), served from the synthesized
 * stack as API Gateway serves it, with a recording stand-in for SQS.
 */
const { stack, resolve } = ordersStack();
const TASK_9_ORDER = '{"item": "latex gloves", "customerID": "12345"}';

/** The message of the stack's BAD_REQUEST_BODY gateway response. */
const invalidOrderMessage = (() => {
  const [response] = Object.values(stack.resources('aws_api_gateway_gateway_response')).filter((r) => r.response_type === 'BAD_REQUEST_BODY');
  const template = (response.response_templates as Record<string, string>)['application/json'];
  return (JSON.parse(template.replace(/\$context\.error\.validationErrorString/g, '')) as { message: string }).message;
})();

describe('the orders API, served locally', () => {
  let api: RunningRestApi;
  let sqs: RecordingBackend;
  const accessLog: string[] = [];
  const executionLog: string[] = [];

  beforeAll(async () => {
    api = await startRestApi({
      stack,
      resolve,
      backends: { sqs: (request) => sqs.backend(request) },
      throttle: false,
      onAccessLog: (line) => accessLog.push(line),
      onExecutionLog: (line) => executionLog.push(line),
    });
  });

  afterAll(async () => {
    await api?.stop();
  });

  beforeEach(() => {
    sqs = new RecordingBackend();
    accessLog.length = 0;
    executionLog.length = 0;
  });

  it('serves the stage on a loopback port', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('accepts the Task 9 order: SendMessage with the URL-encoded body, and the message id as orderId', async () => {
    sqs.answer = () => sendMessageSuccess('5fea7756-0ea4-451a-a703-a558b933e274');

    const answer = await postJson(api.url, TASK_9_ORDER);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ orderId: '5fea7756-0ea4-451a-a703-a558b933e274', status: 'accepted' });
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sqs.requests).toEqual([
      {
        uri: 'arn:aws:apigateway:us-east-1:sqs:path/111122223333/test-POC-Queue',
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `Action=SendMessage&MessageBody=${javaUrlEncode(TASK_9_ORDER)}`,
      },
    ]);
  });

  it('treats a body without Content-Type as JSON, and ignores parameters such as charset', async () => {
    const withoutType = await call(api.url, { method: 'POST', body: new TextEncoder().encode(TASK_9_ORDER) });
    const withCharset = await postJson(api.url, TASK_9_ORDER, 'application/json; charset=UTF-8');

    expect([withoutType.status, withCharset.status]).toEqual([200, 200]);
    expect(sqs.messageBodies).toEqual([TASK_9_ORDER, TASK_9_ORDER]);
  });

  it('accepts the stage URL with a trailing slash', async () => {
    expect((await postJson(`${api.url}/`, TASK_9_ORDER)).status).toBe(200);
  });

  it.each([
    ['& + % " \' é 漢字 and an emoji', '{"item": "soap & water + 100% \\"pro\\" O\'Brien é 漢字 🧽", "customerID": "a=b&Action=DeleteQueue"}'],
    ['escapes, line breaks and spaces', '{\n  "item": "  5\\" mop \\\\ bucket\\u00e9  ",\n  "customerID": "+%41%2B"\n}'],
  ])('delivers %s to the queue intact', async (_case, body) => {
    const answer = await postJson(api.url, body);

    expect(answer.status).toBe(200);
    expect(sqs.messageBodies).toEqual([body]);
  });

  it.each([
    ['invalid JSON', '{"item": "latex gloves",', 'not valid JSON'],
    ['a missing customerID', '{"item": "latex gloves"}', 'object has missing required properties (["customerID"])'],
    ['an empty body', '', 'object has missing required properties (["customerID","item"])'],
    ['a number for customerID', '{"item": "latex gloves", "customerID": 12345}', 'instance type (integer) does not match any allowed primitive type (allowed: ["string"])'],
    ['an extra property', '{"item": "latex gloves", "customerID": "12345", "price": 0}', 'object instance has properties which are not allowed by the schema: ["price"]'],
    ['an empty item', '{"item": "", "customerID": "12345"}', 'string "" is too short (length: 0, required minimum: 1)'],
    ['an item of only spaces and tabs', '{"item": " \\t  \\t", "customerID": "12345"}', 'does not match input string " \\t  \\t"'],
    ['a customerID of only spaces', '{"item": "latex gloves", "customerID": "   "}', 'does not match input string "   "'],
    ['an array', `[${TASK_9_ORDER}]`, 'instance type (array) does not match any allowed primitive type (allowed: ["object"])'],
  ])('refuses %s with the stack\'s 400, naming the problem, and never queues it', async (_case, body, problem) => {
    const answer = await postJson(api.url, body);

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ message: invalidOrderMessage, details: expect.stringContaining(problem) });
    expect((answer.json as { details: string }).details).toMatch(/^\[.+\]$/);
    expect(answer.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(sqs.requests).toEqual([]);
  });

  it('names every problem of a body, as API Gateway does', async () => {
    const answer = await postJson(api.url, '{"item": 7, "price": 0}');

    expect((answer.json as { details: string }).details).toBe(
      '[object has missing required properties (["customerID"]), object instance has properties which are not allowed by the schema: ["price"], instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
    );
  });

  it(`refuses a body over 10 MiB with 413 and never queues it`, async () => {
    const padding = 'x'.repeat(MAX_REQUEST_BODY_BYTES + 1024 * 1024);
    const answer = await postJson(api.url, `{"item": "${padding}", "customerID": "1"}`);

    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ message: 'Request Too Long' });
    expect(sqs.requests).toEqual([]);
  });

  it('refuses an oversized body sent without Content-Length (chunked) too', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x78);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 11) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const answer = await call(api.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, duplex: 'half' } as RequestInit);

    expect(answer.status).toBe(413);
    expect(sqs.requests).toEqual([]);
  });

  it('accepts a body of exactly 10 MiB as far as size goes (the model then refuses it)', async () => {
    const item = 'x'.repeat(MAX_REQUEST_BODY_BYTES - '{"item": "", "customerID": "1"}'.length);
    const answer = await postJson(api.url, `{"item": "${item}", "customerID": "1"}`);

    expect(answer.status).toBe(400);
    expect((answer.json as { details: string }).details).toContain('is too long (length: 10485729, maximum allowed: 200)');
  });

  it('refuses a content type it has no template for with 415 (passthrough NEVER)', async () => {
    const answer = await postJson(api.url, TASK_9_ORDER, 'text/plain');

    expect(answer.status).toBe(415);
    expect(answer.json).toEqual({ message: 'Unsupported Media Type' });
    expect(sqs.requests).toEqual([]);
  });

  it.each([
    ['an unknown path', 'POST', (url: string) => `${url}/orders`],
    ['a method the resource does not have', 'GET', (url: string) => url],
    ['another stage', 'POST', (url: string) => url.replace(/\/v1$/, '/v2')],
    ['no stage', 'POST', (url: string) => url.replace(/\/v1$/, '/')],
  ])('answers %s with 403 Missing Authentication Token', async (_case, method, urlOf) => {
    const answer = await call(urlOf(api.url), { method, ...(method === 'POST' ? { body: TASK_9_ORDER } : {}) });

    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ message: 'Missing Authentication Token' });
    expect(answer.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(sqs.requests).toEqual([]);
  });

  it.each([400, 403, 500, 503])('answers the stack\'s 500 when SQS answers %i, leaking nothing of SQS', async (status) => {
    sqs.answer = () => ({ statusCode: status, body: '{"Error":{"Code":"AccessDenied","Message":"secret detail","Type":"Sender"}}' });

    const answer = await postJson(api.url, TASK_9_ORDER);

    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ message: 'The request could not be queued. Try again later.' });
    expect(answer.text).not.toContain('secret');
  });

  it("answers SQS's message-too-long 400 with 413 naming the queue's limit, since retrying can never help", async () => {
    sqs.answer = () => ({
      statusCode: 400,
      body: JSON.stringify({
        Error: { Code: 'InvalidParameterValue', Message: 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.', Type: 'Sender' },
        RequestId: 'request-2',
      }),
    });

    const answer = await postJson(api.url, TASK_9_ORDER);

    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ message: expect.stringContaining('at most 262144 bytes') });
    expect(JSON.parse(accessLog[0])).toMatchObject({ status: '413', integrationStatus: '400' });
  });

  it('answers 500 Internal server error when the backend throws, and logs why', async () => {
    sqs.answer = () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:1 ("local" \\ queue)');
    };

    const answer = await postJson(api.url, TASK_9_ORDER);

    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ message: 'Internal server error' });
    expect(executionLog.join('\n')).toContain('ECONNREFUSED');
    // The access log stays one JSON object whatever the error says.
    expect(JSON.parse(accessLog[0])).toMatchObject({ status: '500', integrationError: expect.stringContaining('ECONNREFUSED') });
  });

  it('writes one access-log line per request in the stage format', async () => {
    const accepted = await postJson(api.url, TASK_9_ORDER);
    await postJson(api.url, '{"item": "latex gloves"}');

    const [ok, refused] = accessLog.map((line) => JSON.parse(line) as Record<string, string>);
    expect(ok).toEqual({
      requestId: accepted.headers.get('x-amzn-requestid'),
      requestTime: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      sourceIp: '127.0.0.1',
      httpMethod: 'POST',
      resourcePath: '/',
      status: '200',
      responseLength: String(Buffer.byteLength(accepted.text)),
      integrationStatus: '200',
      integrationError: '-',
      validationError: '-',
    });
    expect(refused).toMatchObject({ status: '400', integrationStatus: '-', validationError: expect.stringContaining('customerID') });
  });
});

describe('the orders API without an sqs backend', () => {
  it('answers 500 and says in the logs which backend is missing', async () => {
    const executionLog: string[] = [];
    const accessLog: string[] = [];
    const api = await startRestApi({
      stack,
      resolve,
      backends: {},
      onExecutionLog: (line) => executionLog.push(line),
      onAccessLog: (line) => accessLog.push(line),
    });
    try {
      const answer = await postJson(api.url, TASK_9_ORDER);

      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({ message: 'Internal server error' });
      expect(executionLog).toEqual([expect.stringMatching(/no backend for AWS service sqs.*backends\.sqs/)]);
      expect(JSON.parse(accessLog[0])).toMatchObject({ status: '500', integrationError: expect.stringContaining('no backend for AWS service') });
    } finally {
      await api.stop();
    }
  });
});

describe('the orders API under load', () => {
  const burst = async (throttle: boolean) => {
    const sqs = new RecordingBackend();
    const api = await startRestApi({ stack, resolve, backends: { sqs: sqs.backend }, throttle });
    try {
      const startedAt = Date.now();
      const answers = await Promise.all(Array.from({ length: 50 }, () => postJson(api.url, TASK_9_ORDER)));
      return { answers, queued: sqs.requests.length, seconds: (Date.now() - startedAt) / 1000 };
    } finally {
      await api.stop();
    }
  };

  it('accepts the stage burst (20) of 50 concurrent requests and throttles the rest with 429', async () => {
    const { answers, queued, seconds } = await burst(true);

    const accepted = answers.filter((a) => a.status === 200).length;
    const throttled = answers.filter((a) => a.status === 429);
    // 20 tokens at once, plus what the 10/s rate refills while the 50 arrive: on a busy
    // machine they take longer to arrive, so the bound follows the time they took.
    expect(accepted).toBeGreaterThanOrEqual(20);
    expect(accepted).toBeLessThanOrEqual(20 + Math.ceil(10 * seconds));
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled).toHaveLength(50 - accepted);
    expect(throttled[0].json).toEqual({ message: 'Too Many Requests' });
    expect(throttled[0].headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(queued).toBe(accepted);
  });

  it('accepts all 50 with throttling off', async () => {
    const { answers, queued } = await burst(false);

    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(queued).toBe(50);
  });
});

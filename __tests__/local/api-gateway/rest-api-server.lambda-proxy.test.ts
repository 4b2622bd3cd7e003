import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startRestApi, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { LocalUserPool } from '../../../local/cognito/local-user-pool';
import { ACCOUNT, API_ID, functionArn, lambdaApiResolver, POOL_ARN, StubFunctions, synthesizeLambdaApi } from './lambda-api';
import { call, postJson } from './support';

/**
 * AWS_PROXY integrations with Lambda served locally: the proxy event API Gateway builds
 * (payload format 1.0), the function's answer as the response, and API Gateway's own
 * answers when the function fails, answers badly, is too slow or may not be invoked.
 */
const stack = synthesizeLambdaApi();
const resolve = lambdaApiResolver(stack);

describe('a REST API with Lambda proxy integrations', () => {
  let api: RunningRestApi;
  let functions: StubFunctions;
  let executionLog: string[];

  beforeEach(async () => {
    functions = new StubFunctions();
    functions.handlers.set('items', (event) => ({ statusCode: 200, body: JSON.stringify(event) }));
    executionLog = [];
    api = await startRestApi({
      stack,
      resolve,
      backends: {},
      lambda: functions.invoke,
      onExecutionLog: (line) => executionLog.push(line),
    });
  });

  afterEach(async () => {
    await api.stop();
  });

  it('builds the proxy event as API Gateway does', async () => {
    const answer = await call(`${api.url}/items/42?size=L&tag=a&tag=b&empty`, {
      headers: { 'X-Custom-Thing': 'one', 'User-Agent': 'jest-test', Accept: 'application/json' },
    });

    expect(answer.status).toBe(200);
    expect(functions.calls.map((c) => c.functionArn)).toEqual([functionArn('items')]);
    const event = answer.json as APIGatewayProxyEvent;
    expect(event).toMatchObject({
      resource: '/items/{id}',
      path: '/items/42',
      httpMethod: 'GET',
      queryStringParameters: { size: 'L', tag: 'b', empty: '' },
      multiValueQueryStringParameters: { size: ['L'], tag: ['a', 'b'], empty: [''] },
      pathParameters: { id: '42' },
      stageVariables: { color: 'blue' },
      body: null,
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ 'X-Custom-Thing': 'one', 'User-Agent': 'jest-test', 'X-Forwarded-For': '127.0.0.1', 'X-Forwarded-Proto': 'http' });
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.multiValueHeaders['X-Custom-Thing']).toEqual(['one']);
    expect(event.requestContext).toMatchObject({
      accountId: ACCOUNT,
      apiId: API_ID,
      stage: 'test',
      resourcePath: '/items/{id}',
      httpMethod: 'GET',
      path: '/test/items/42',
      protocol: 'HTTP/1.1',
      requestId: answer.headers.get('x-amzn-requestid'),
      extendedRequestId: answer.headers.get('x-amz-apigw-id'),
      identity: { sourceIp: '127.0.0.1', userAgent: 'jest-test', cognitoIdentityId: null, user: null },
    });
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.requestTimeEpoch - Date.now())).toBeLessThan(60_000);
    // No authorizer: the key is absent, not null.
    expect(Object.keys(event.requestContext)).not.toContain('authorizer');
  });

  it('passes the body as text, and null for what has no query string', async () => {
    const answer = await postJson(`${api.url}/items`, '{"name": "Laptop"}');

    const event = answer.json as APIGatewayProxyEvent;
    expect(event).toMatchObject({ body: '{"name": "Laptop"}', queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null });
  });

  it("answers with the function's status, headers (several values too) and body", async () => {
    functions.handlers.set('items', () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain', 'X-One': 'single', 'X-Both': 'from headers' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'X-Both': ['from multi'] },
      body: 'created',
    }));

    const answer = await postJson(`${api.url}/items`, '{}');

    expect(answer).toMatchObject({ status: 201, text: 'created' });
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(answer.headers.get('x-one')).toBe('single');
    expect(answer.headers.get('x-both')).toBe('from multi');
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('answers application/json when the function names no content type, and an empty body when it gives none', async () => {
    functions.handlers.set('items', () => ({ statusCode: 204 }));

    const answer = await postJson(`${api.url}/items`, '{}');

    expect(answer).toMatchObject({ status: 204, text: '' });
    expect(answer.headers.get('content-type')).toBe('application/json');
  });

  it.each([
    ['an object body', { statusCode: 200, body: { not: 'a string' } }, /body is \{"not":"a string"\}/],
    ['a field a REST API does not take', { statusCode: 200, body: '', cookies: ['a=1'] }, /fields a REST API does not take: cookies/],
    ['no statusCode', { body: 'hi' }, /statusCode is undefined/],
    ['nothing', undefined, /returned null/],
    ['a list of headers', { statusCode: 200, headers: ['X-A: 1'] }, /headers is \["X-A: 1"\], not an object/],
  ])('answers 502 for %s ("Malformed Lambda proxy response"), the reason in the execution log only', async (_case, result, reason) => {
    functions.handlers.set('items', () => result);

    const answer = await postJson(`${api.url}/items`, '{}');

    expect(answer).toMatchObject({ status: 502, json: { message: 'Internal server error' } });
    expect(answer.text).not.toMatch(/Malformed/);
    expect(executionLog).toEqual([expect.stringMatching(/Malformed Lambda proxy response/)]);
    expect(executionLog[0]).toMatch(reason);
  });

  it('answers 502 when the function fails, never telling the client why', async () => {
    functions.handlers.set('items', () => {
      throw new TypeError('secret database password is wrong');
    });

    const answer = await postJson(`${api.url}/items`, '{}');

    expect(answer).toMatchObject({ status: 502, json: { message: 'Internal server error' } });
    expect(answer.text).not.toMatch(/secret/);
    expect(answer.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(executionLog).toEqual([expect.stringContaining('customer function error: TypeError: secret database password is wrong')]);
  });

  it('answers 504 when the function does not answer within the integration timeout', async () => {
    let release: () => void = () => {};
    functions.handlers.set('items', () => new Promise((resolveLater) => (release = () => resolveLater({ statusCode: 200 }))));

    const answer = await call(`${api.url}/slow`);
    release();

    expect(answer).toMatchObject({ status: 504, json: { message: 'Endpoint request timed out' } });
    expect(executionLog).toEqual([expect.stringContaining('did not answer within 50 ms')]);
  });

  it('answers 500 without invoking when no permission lets API Gateway invoke the function', async () => {
    functions.handlers.set('unpermitted', () => ({ statusCode: 200, body: 'should not run' }));

    const answer = await call(`${api.url}/forbidden`);

    expect(answer).toMatchObject({ status: 500, json: { message: 'Internal server error' } });
    expect(functions.calls).toEqual([]);
    expect(executionLog).toEqual([expect.stringContaining('Invalid permissions on Lambda function')]);
    expect(executionLog[0]).toContain(`arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/test/GET/forbidden`);
  });

  it("checks the permission's source ARN against the method's ARN (method and path)", async () => {
    // `items` may be invoked for GET on any path and POST on /items only.
    functions.handlers.set('items', () => ({ statusCode: 200, body: 'ran' }));

    expect((await call(`${api.url}/items/1`)).text).toBe('ran');
    expect((await postJson(`${api.url}/items`, '{}')).text).toBe('ran');
    expect(functions.calls).toHaveLength(2);
  });

  it("gives the function a Cognito authorizer's claims in requestContext.authorizer.claims", async () => {
    const pool = new LocalUserPool({ pool: POOL_ARN });
    await api.stop();
    api = await startRestApi({ stack, resolve, backends: {}, lambda: functions.invoke, userPools: new Map([[POOL_ARN, pool]]) });

    const answer = await call(`${api.url}/claims`, { headers: { Authorization: await pool.issueIdToken({ email: 'staff@example.com' }) } });

    expect(answer.status).toBe(200);
    expect((answer.json as APIGatewayProxyEvent).requestContext.authorizer).toEqual({ claims: expect.objectContaining({ email: 'staff@example.com', token_use: 'id' }) });
  });

  it('answers 500 and says so in the execution log when no Lambda invoker was given', async () => {
    await api.stop();
    api = await startRestApi({ stack, resolve, backends: {}, onExecutionLog: (line) => executionLog.push(line) });

    const answer = await call(`${api.url}/items/1`);

    expect(answer).toMatchObject({ status: 500, json: { message: 'Internal server error' } });
    expect(executionLog).toEqual([expect.stringContaining('pass lambda to startRestApi')]);
  });
});

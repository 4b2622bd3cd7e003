import type { APIGatewayProxyEvent } from 'aws-lambda';
import { EXPLICIT_DENY, NO_ALLOW } from '../../../local/api-gateway/lambda-authorizer';
import { startRestApi, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { lambdaApiResolver, methodArnOf, policy, StubFunctions, synthesizeLambdaApi } from './lambda-api';
import { call } from './support';

/**
 * Lambda TOKEN authorizers served locally: what the function receives, what its answer
 * lets through, and API Gateway's answers (401, 403 with its two sentences, 500
 * `{"message":null}`) when it refuses, denies or fails; its context in `$context` and in
 * the proxy event; its result cache.
 */
const stack = synthesizeLambdaApi();
const resolve = lambdaApiResolver(stack);

describe('a REST API with Lambda TOKEN authorizers', () => {
  let api: RunningRestApi;
  let functions: StubFunctions;
  let executionLog: string[];

  const get = (path: string, authorization?: string, method = 'GET') =>
    call(`${api.url}${path}`, { method, headers: authorization === undefined ? {} : { Authorization: authorization } });

  beforeEach(async () => {
    functions = new StubFunctions();
    functions.handlers.set('items', (event) => ({ statusCode: 200, body: JSON.stringify(event) }));
    functions.handlers.set('users-authorizer', (event) => policy('Allow', (event as { methodArn: string }).methodArn));
    executionLog = [];
    api = await startRestApi({ stack, resolve, backends: {}, lambda: functions.invoke, onExecutionLog: (line) => executionLog.push(line) });
  });

  afterEach(async () => {
    await api.stop();
  });

  it('answers 401 without calling the authorizer when the header is missing or empty', async () => {
    for (const authorization of [undefined, '']) {
      const answer = await get('/mine/1', authorization);
      expect(answer).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
    }
    expect(functions.calls).toEqual([]);
  });

  it("calls the authorizer with the header's value as it came and the method's ARN", async () => {
    await get('/mine/42', 'Bearer token-1');

    expect(functions.callsOf('users-authorizer')).toEqual([{ type: 'TOKEN', authorizationToken: 'Bearer token-1', methodArn: methodArnOf('GET', '/mine/42') }]);
  });

  it("gives the function the authorizer's principalId and context, stringified, in requestContext.authorizer", async () => {
    functions.handlers.set('users-authorizer', (event) =>
      policy('Allow', (event as { methodArn: string }).methodArn, { sub: 'sub-1', email: 'staff@example.com', count: 5, admin: false, nothing: null }, 'sub-1'),
    );

    const answer = await get('/mine/42', 'token-1');

    expect(answer.status).toBe(200);
    const { authorizer } = (answer.json as APIGatewayProxyEvent).requestContext;
    expect(authorizer).toEqual({ sub: 'sub-1', email: 'staff@example.com', count: '5', admin: 'false', nothing: null, principalId: 'sub-1', integrationLatency: expect.any(Number) });
  });

  it('puts principalId and the context in $context.authorizer for mapping templates', async () => {
    functions.handlers.set('users-authorizer', () => policy('Allow', '*', { email: 'staff@example.com', count: 7 }, 'sub-9'));

    const answer = await get('/whoami', 'token-1');

    expect(answer).toMatchObject({ status: 200, json: { principal: 'sub-9', email: 'staff@example.com', count: '7' } });
  });

  it('answers 401 when the authorizer fails with "Unauthorized"', async () => {
    functions.handlers.set('users-authorizer', () => {
      throw new Error('Unauthorized');
    });

    const answer = await get('/mine/1', 'revoked-token');

    expect(answer).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
    expect(functions.callsOf('items')).toEqual([]);
  });

  it.each([
    ['an explicit deny', () => policy('Deny', methodArnOf('GET', '/mine/1')), EXPLICIT_DENY],
    ['a deny that outweighs an allow', () => ({ ...policy('Allow', '*'), policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:*', Effect: 'Allow', Resource: '*' }, { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: methodArnOf('*', '/mine/*') }] } }), EXPLICIT_DENY],
    ['an allow of another method only', () => policy('Allow', methodArnOf('DELETE', '/mine/*')), NO_ALLOW],
    ['an allow of another API only', () => policy('Allow', 'arn:aws:execute-api:us-east-1:111122223333:otherapi00/*'), NO_ALLOW],
  ])('answers 403 for %s, with API Gateway\'s own sentence', async (_case, answerOf, sentence) => {
    functions.handlers.set('users-authorizer', answerOf);

    const answer = await get('/mine/1', 'token-1');

    expect(answer).toMatchObject({ status: 403, json: { Message: sentence } });
    expect(answer.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(functions.callsOf('items')).toEqual([]);
  });

  it('judges wildcards in the resource: one policy allows every method under a path', async () => {
    functions.handlers.set('users-authorizer', () => policy('Allow', methodArnOf('*', '/mine/*')));

    expect((await get('/mine/1', 'token-1')).status).toBe(200);
    expect((await get('/mine/2', 'token-1', 'DELETE')).status).toBe(200);
  });

  it.each([
    ['an error', () => { throw new Error('GetUser failed: the endpoint is down'); }, /Authorizer error.*GetUser failed/],
    ['no principalId', () => ({ policyDocument: policy('Allow', '*').policyDocument }), /principalId is not a string/],
    ['no policy document', () => ({ principalId: 'p' }), /policyDocument is not an object/],
    ['an effect that is neither Allow nor Deny', () => ({ principalId: 'p', policyDocument: { Statement: [{ Action: '*', Effect: 'allow', Resource: '*' }] } }), /Effect is "allow"/],
    ['an object in the context', () => policy('Allow', '*', { user: { sub: 's' } }), /context\.user is an object/],
  ])('answers 500 {"message":null} for %s, the reason in the execution log only', async (_case, handler, reason) => {
    functions.handlers.set('users-authorizer', handler);

    const answer = await get('/mine/1', 'token-1');

    expect(answer.status).toBe(500);
    expect(answer.text).toBe('{"message":null}');
    expect(answer.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
    expect(executionLog).toEqual([expect.stringMatching(reason)]);
    expect(functions.callsOf('items')).toEqual([]);
  });

  it('answers 500 {"message":null} without invoking when no permission lets API Gateway invoke the authorizer', async () => {
    functions.handlers.set('stranger-authorizer', () => policy('Allow', '*'));

    const answer = await get('/stranger', 'token-1');

    expect(answer).toMatchObject({ status: 500, text: '{"message":null}' });
    expect(functions.calls).toEqual([]);
    expect(executionLog).toEqual([expect.stringContaining('Invalid permissions on Lambda function')]);
  });

  it('calls an authorizer with TTL 0 on every request', async () => {
    await get('/mine/1', 'token-1');
    await get('/mine/1', 'token-1');

    expect(functions.callsOf('users-authorizer')).toHaveLength(2);
  });

  it('caches an answer per token for the TTL and judges it afresh for each method ARN', async () => {
    functions.handlers.set('cached-authorizer', (event) => policy('Allow', (event as { methodArn: string }).methodArn));

    expect((await get('/cached/1', 'Bearer a')).status).toBe(200);
    // The cached policy allows /cached/1 only: API Gateway refuses /cached/2 without asking again.
    expect(await get('/cached/2', 'Bearer a')).toMatchObject({ status: 403, json: { Message: NO_ALLOW } });
    expect((await get('/cached/1', 'Bearer a')).status).toBe(200);
    expect((await get('/cached/2', 'Bearer b')).status).toBe(200);

    expect(functions.callsOf('cached-authorizer')).toEqual([
      expect.objectContaining({ authorizationToken: 'Bearer a' }),
      expect.objectContaining({ authorizationToken: 'Bearer b' }),
    ]);
  });

  it('answers 401 without calling the authorizer when the token fails its validation expression', async () => {
    functions.handlers.set('cached-authorizer', () => policy('Allow', '*'));

    expect(await get('/cached/1', 'no-bearer-prefix')).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
    expect(functions.calls).toEqual([]);
  });
});

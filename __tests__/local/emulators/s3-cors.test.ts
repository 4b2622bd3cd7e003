import { actualCorsHeaders, matchingRule, preflightAnswer, type CorsRule } from '../../../local/emulators/s3-cors';

const DASHBOARD = 'https://d111111abcdef8.cloudfront.net';
const rules: CorsRule[] = [
  { id: 'dashboard', allowedOrigins: [DASHBOARD], allowedMethods: ['POST'], allowedHeaders: ['content-type', 'x-amz-*'], exposeHeaders: ['ETag', 'Location'] },
  { id: 'branches', allowedOrigins: ['https://*.cafe.example'], allowedMethods: ['GET', 'HEAD'] },
  { id: 'anyone', allowedOrigins: ['*'], allowedMethods: ['GET'], maxAgeSeconds: 600 },
];

const ask = (headers: Record<string, string>, bucketRules: readonly CorsRule[] | undefined = rules) => preflightAnswer(bucketRules, headers, 'OBJECT');

describe('preflight', () => {
  test('allowed by the first rule that matches origin, method and every requested header', () => {
    expect(ask({ origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'Content-Type, X-Amz-Date' })).toEqual({
      status: 200,
      headers: {
        'access-control-allow-origin': DASHBOARD,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'Content-Type, X-Amz-Date',
        'access-control-expose-headers': 'ETag, Location',
        'access-control-allow-credentials': 'true',
        vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      },
    });
  });

  test('a header no allowed pattern covers is refused, with S3 403 naming the method and resource', () => {
    expect(ask({ origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' })).toMatchObject({
      error: { status: 403, code: 'AccessForbidden', message: expect.stringMatching(/^CORSResponse: This CORS request is not allowed\./), details: { Method: 'POST', ResourceType: 'OBJECT' } },
    });
  });

  test('a wildcard origin matches any run of characters where its * stands, and nothing else', () => {
    expect(ask({ origin: 'https://north.cafe.example', 'access-control-request-method': 'GET' })).toMatchObject({ status: 200, headers: { 'access-control-allow-origin': 'https://north.cafe.example' } });
    expect(matchingRule(rules, 'https://a.b.cafe.example', 'HEAD', [])?.rule.id).toBe('branches');
    expect(matchingRule(rules, 'http://north.cafe.example', 'HEAD', [])).toBeUndefined();
    expect(matchingRule(rules, 'https://cafe.example', 'HEAD', [])).toBeUndefined();
  });

  test('the origin * is answered with *, and never with credentials', () => {
    const answer = ask({ origin: 'https://anywhere.example', 'access-control-request-method': 'GET' });
    expect(answer).toMatchObject({ status: 200, headers: { 'access-control-allow-origin': '*', 'access-control-max-age': '600' } });
    expect(answer.headers).not.toHaveProperty('access-control-allow-credentials');
  });

  test('a method no rule allows for the origin is refused', () => {
    expect(ask({ origin: DASHBOARD, 'access-control-request-method': 'PUT' })).toMatchObject({ error: { status: 403, code: 'AccessForbidden' } });
    expect(ask({ origin: 'https://anywhere.example', 'access-control-request-method': 'POST' })).toMatchObject({ error: { code: 'AccessForbidden' } });
  });

  test('a bucket with no CORS configuration: CORS is not enabled', () => {
    for (const none of [undefined, []]) {
      expect(preflightAnswer(none, { origin: DASHBOARD, 'access-control-request-method': 'POST' }, 'OBJECT')).toEqual({
        error: { status: 403, code: 'AccessForbidden', message: 'CORSResponse: CORS is not enabled for this bucket.', details: { Method: 'POST', ResourceType: 'OBJECT' } },
        headers: {},
      });
    }
  });

  test('without an Origin, or with no valid method asked: 400 BadRequest', () => {
    expect(ask({ 'access-control-request-method': 'POST' })).toMatchObject({ error: { status: 400, code: 'BadRequest', message: 'Insufficient information. Origin request header needed.' } });
    expect(ask({ origin: DASHBOARD })).toMatchObject({ error: { status: 400, code: 'BadRequest', message: 'Invalid Access-Control-Request-Method: null' } });
    expect(ask({ origin: DASHBOARD, 'access-control-request-method': 'PATCH' })).toMatchObject({ error: { message: 'Invalid Access-Control-Request-Method: PATCH' } });
  });
});

describe('actual requests', () => {
  test('from an allowed origin, for an allowed method: the Access-Control headers', () => {
    expect(actualCorsHeaders(rules, { origin: DASHBOARD }, 'post')).toMatchObject({ 'access-control-allow-origin': DASHBOARD, 'access-control-expose-headers': 'ETag, Location', vary: expect.stringMatching(/^Origin/) });
  });

  test('from another origin, or with none: only Vary, so that caches keep the answers apart', () => {
    expect(actualCorsHeaders(rules, { origin: 'https://evil.example' }, 'POST')).toEqual({ vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method' });
    expect(actualCorsHeaders(rules, {}, 'GET')).toEqual({ vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method' });
  });

  test('on a bucket with no CORS configuration: nothing', () => {
    expect(actualCorsHeaders(undefined, { origin: DASHBOARD }, 'POST')).toEqual({});
    expect(actualCorsHeaders([], { origin: DASHBOARD }, 'POST')).toEqual({});
  });
});

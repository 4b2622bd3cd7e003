import type { APIGatewayProxyEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { pathAfterStage } from './execute-api-arn';
import type { MethodRequest } from './method-request';
import { proxyEventAuthorizer, type AuthorizedContext, type AuthorizerResult } from './request-context';
import type { RestApiDefinition } from './rest-api-definition';

/**
 * The event of a Lambda proxy integration (REST API, payload format 1.0), as API Gateway
 * builds it from the method request: headers and query string both single-valued (the
 * last value) and multi-valued, null where there are none; the request context with the
 * authorizer's answer; the body as text or null.
 */
export function lambdaProxyEvent(
  api: Pick<RestApiDefinition, 'stageName' | 'accountId' | 'stageVariables'>,
  request: MethodRequest,
  pathParameters: Readonly<Record<string, string>>,
  context: AuthorizedContext,
  authorizer: AuthorizerResult | undefined,
): APIGatewayProxyEvent {
  const { single: headers, multi: multiValueHeaders } = eventHeaders(request, context);
  const query = [...request.query.entries()];
  const queryStringParameters = Object.fromEntries(query);
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of query) (multiValueQueryStringParameters[name] ??= []).push(value);
  return {
    resource: context.resourcePath,
    path: pathAfterStage(context.path, api.stageName),
    httpMethod: context.httpMethod,
    headers,
    multiValueHeaders,
    queryStringParameters: query.length === 0 ? null : queryStringParameters,
    multiValueQueryStringParameters: query.length === 0 ? null : multiValueQueryStringParameters,
    pathParameters: Object.keys(pathParameters).length === 0 ? null : { ...pathParameters },
    stageVariables: Object.keys(api.stageVariables).length === 0 ? null : { ...api.stageVariables },
    requestContext: {
      resourceId: context.resourceId,
      resourcePath: context.resourcePath,
      httpMethod: context.httpMethod,
      extendedRequestId: context.extendedRequestId,
      requestTime: context.requestTime,
      path: context.path,
      accountId: api.accountId,
      protocol: context.protocol,
      stage: context.stage,
      domainPrefix: context.domainName.split('.')[0],
      requestTimeEpoch: context.requestTimeEpoch,
      requestId: context.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: context.identity.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: context.identity.userAgent ?? null,
        user: null,
        apiKey: null,
        apiKeyId: null,
        clientCert: null,
      },
      domainName: context.domainName,
      apiId: context.apiId,
      // Absent (not null) for a method without an authorizer, as API Gateway sends it.
      authorizer: proxyEventAuthorizer(authorizer),
    },
    body: request.body === '' ? null : request.body,
    isBase64Encoded: false,
  };
}

/**
 * The client's headers with their own spelling, and those API Gateway adds: the client's
 * address appended to X-Forwarded-For, the port and protocol it was reached on, a trace id.
 */
function eventHeaders(request: MethodRequest, context: AuthorizedContext): { single: Record<string, string>; multi: Record<string, string[]> } {
  const pairs: [string, string][] = [];
  if (request.rawHeaders) {
    for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) pairs.push([request.rawHeaders[index], request.rawHeaders[index + 1]]);
  } else {
    for (const [name, value] of Object.entries(request.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) pairs.push([name, one]);
    }
  }
  const added: Record<string, string> = {
    'X-Forwarded-For': [...pairs.filter(([name]) => name.toLowerCase() === 'x-forwarded-for').map(([, value]) => value), context.identity.sourceIp].join(', '),
    'X-Forwarded-Port': /:(\d+)$/.exec(context.domainName)?.[1] ?? '80',
    'X-Forwarded-Proto': 'http',
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(context.requestTimeEpoch / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  };
  const replaced = new Set(Object.keys(added).map((name) => name.toLowerCase()));
  const all: [string, string][] = [...pairs.filter(([name]) => !replaced.has(name.toLowerCase())), ...Object.entries(added)];
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of all) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import type { Invocation } from '../../../local/lambda/invocation';
import type { LambdaInvoker } from '../../../local/api-gateway/rest-api-server';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';

/**
 * A small synthesized REST API of Lambda proxy integrations behind Lambda TOKEN
 * authorizers, shaped as the dashboard's APIs are, and a resolver giving its references
 * AWS-shaped values:
 *   GET  /items/{id}   proxy to `items`, no authorization
 *   POST /items        proxy to `items`, no authorization
 *   GET  /slow         proxy to `items`, 50 ms integration timeout
 *   GET  /forbidden    proxy to `unpermitted` (no aws_lambda_permission)
 *   GET  /mine/{id}    proxy to `items`, CUSTOM authorizer `users` (TTL 0)
 *   DELETE /mine/{id}  as GET: the authorizer's policy may allow one and not the other
 *   GET  /cached/{id}  proxy to `items`, CUSTOM authorizer `cached` (TTL 300, Bearer only)
 *   GET  /whoami       MOCK, authorizer `users`; its template writes `$context.authorizer.*`
 *   GET  /stranger     proxy to `items`, authorizer `stranger`, whose function has no permission
 *   GET  /claims       proxy to `items`, COGNITO_USER_POOLS authorizer of POOL_ARN
 * `items` may be invoked by this API for GET and POST on any path of any stage (and DELETE on /mine/*).
 */
export const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';
export const API_ID = 'abcde12345';
export const STAGE = 'test';
export const POOL_ARN = `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_Staff0001`;
export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const methodArnOf = (method: string, path: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/${STAGE}/${method}/${path.replace(/^\//, '')}`;

export function synthesizeLambdaApi(): SynthesizedStack {
  const scope = new TerraformStack(Testing.app(), 'lambda-api');
  new AwsProvider(scope, 'aws', { region: REGION });
  const fn = (name: string) =>
    new LambdaFunction(scope, name, { functionName: name, role: `arn:aws:iam::${ACCOUNT}:role/${name}`, runtime: 'nodejs22.x', handler: 'index.handler', filename: 'unused.zip' });
  const items = fn('items');
  const unpermitted = fn('unpermitted');
  const users = fn('users-authorizer');
  const cachedFn = fn('cached-authorizer');
  const strangerFn = fn('stranger-authorizer');

  const api = new ApiGatewayRestApi(scope, 'api', { name: 'lambda-api' });
  const restApiId = api.id;
  const authorizer = (id: string, target: LambdaFunction, extra: Partial<ConstructorParameters<typeof ApiGatewayAuthorizer>[2]> = {}) =>
    new ApiGatewayAuthorizer(scope, id, { restApiId, name: id, type: 'TOKEN', authorizerUri: target.invokeArn, identitySource: 'method.request.header.Authorization', ...extra });
  const usersAuthorizer = authorizer('users', users, { authorizerResultTtlInSeconds: 0 });
  const cachedAuthorizer = authorizer('cached', cachedFn, { authorizerResultTtlInSeconds: 300, identityValidationExpression: 'Bearer .+' });
  const strangerAuthorizer = authorizer('stranger', strangerFn, { authorizerResultTtlInSeconds: 0 });
  const pool = new CognitoUserPool(scope, 'staff', { name: 'staff' });
  const cognitoAuthorizer = new ApiGatewayAuthorizer(scope, 'cognito', { restApiId, name: 'cognito', type: 'COGNITO_USER_POOLS', providerArns: [pool.arn] });

  const resource = (id: string, parentId: string, pathPart: string) => new ApiGatewayResource(scope, id, { restApiId, parentId, pathPart });
  const itemsResource = resource('items-resource', api.rootResourceId, 'items');
  const item = resource('item-resource', itemsResource.id, '{id}');
  const mine = resource('mine-resource', api.rootResourceId, 'mine');
  const mineItem = resource('mine-item-resource', mine.id, '{id}');
  const cached = resource('cached-resource', api.rootResourceId, 'cached');
  const cachedItem = resource('cached-item-resource', cached.id, '{id}');
  const slow = resource('slow-resource', api.rootResourceId, 'slow');
  const forbidden = resource('forbidden-resource', api.rootResourceId, 'forbidden');
  const whoami = resource('whoami-resource', api.rootResourceId, 'whoami');
  const stranger = resource('stranger-resource', api.rootResourceId, 'stranger');
  const claims = resource('claims-resource', api.rootResourceId, 'claims');

  const proxy = (id: string, resourceId: string, httpMethod: string, target: LambdaFunction, auth?: ApiGatewayAuthorizer, timeoutMilliseconds?: number) => {
    const method = new ApiGatewayMethod(scope, `${id}-method`, {
      restApiId,
      resourceId,
      httpMethod,
      authorization: auth ? (auth === cognitoAuthorizer ? 'COGNITO_USER_POOLS' : 'CUSTOM') : 'NONE',
      authorizerId: auth?.id,
    });
    new ApiGatewayIntegration(scope, `${id}-integration`, {
      restApiId,
      resourceId,
      httpMethod: method.httpMethod,
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: target.invokeArn,
      timeoutMilliseconds,
    });
  };
  proxy('get-item', item.id, 'GET', items);
  proxy('post-items', itemsResource.id, 'POST', items);
  proxy('slow', slow.id, 'GET', items, undefined, 50);
  proxy('forbidden', forbidden.id, 'GET', unpermitted);
  proxy('get-mine', mineItem.id, 'GET', items, usersAuthorizer);
  proxy('delete-mine', mineItem.id, 'DELETE', items, usersAuthorizer);
  proxy('get-cached', cachedItem.id, 'GET', items, cachedAuthorizer);
  proxy('stranger', stranger.id, 'GET', items, strangerAuthorizer);
  proxy('claims', claims.id, 'GET', items, cognitoAuthorizer);

  const whoamiMethod = new ApiGatewayMethod(scope, 'whoami-method', { restApiId, resourceId: whoami.id, httpMethod: 'GET', authorization: 'CUSTOM', authorizerId: usersAuthorizer.id });
  new ApiGatewayIntegration(scope, 'whoami-integration', {
    restApiId,
    resourceId: whoami.id,
    httpMethod: whoamiMethod.httpMethod,
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
  });
  new ApiGatewayIntegrationResponse(scope, 'whoami-response', {
    restApiId,
    resourceId: whoami.id,
    httpMethod: whoamiMethod.httpMethod,
    statusCode: '200',
    responseTemplates: {
      'application/json': '{"principal": "$context.authorizer.principalId", "email": "$context.authorizer.email", "count": "$context.authorizer.count"}',
    },
  });

  const permission = (id: string, target: LambdaFunction, sourceArn: string) =>
    new LambdaPermission(scope, `${id}-permission`, { statementId: id, action: 'lambda:InvokeFunction', functionName: target.functionName, principal: 'apigateway.amazonaws.com', sourceArn });
  permission('items-get', items, `${api.executionArn}/*/GET/*`);
  permission('items-post', items, `${api.executionArn}/*/POST/items`);
  permission('items-delete', items, `${api.executionArn}/*/DELETE/mine/*`);
  permission('users-authorizer', users, `${api.executionArn}/authorizers/${usersAuthorizer.id}`);
  permission('cached-authorizer', cachedFn, `${api.executionArn}/authorizers/*`);
  // The stranger's function may be invoked by another API only.
  permission('stranger-authorizer', strangerFn, `arn:aws:execute-api:${REGION}:${ACCOUNT}:otherapi00/authorizers/*`);

  const deployment = new ApiGatewayDeployment(scope, 'deployment', { restApiId });
  new ApiGatewayStage(scope, 'stage', { restApiId, deploymentId: deployment.id, stageName: STAGE, variables: { color: 'blue' } });
  return SynthesizedStack.parse(Testing.synth(scope));
}

/** Resolves the stack's references to what AWS would give them. */
export function lambdaApiResolver(stack: SynthesizedStack): (value: string) => string {
  return (value) =>
    stack.resolve(value, (type, name, attribute, config) => {
      const functionName = String(config.function_name);
      switch (`${type}.${attribute}`) {
        case 'aws_lambda_function.arn':
          return functionArn(functionName);
        case 'aws_lambda_function.function_name':
          return functionName;
        case 'aws_lambda_function.invoke_arn':
          return `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${functionArn(functionName)}/invocations`;
        case 'aws_api_gateway_rest_api.id':
          return API_ID;
        case 'aws_api_gateway_rest_api.execution_arn':
          return `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}`;
        case 'aws_cognito_user_pool.arn':
          return POOL_ARN;
        case 'aws_api_gateway_authorizer.id':
          return `auth-${name}`;
        default:
          throw new Error(`no value for ${type}.${name}.${attribute}`);
      }
    });
}

/** A stub of Lambda's Invoke API: each function's handler by name, every call recorded. */
export class StubFunctions {
  readonly calls: { functionArn: string; event: unknown }[] = [];
  readonly handlers = new Map<string, (event: unknown) => unknown>();

  readonly invoke: LambdaInvoker = async (arn, event) => {
    this.calls.push({ functionArn: arn, event });
    const name = arn.split(':')[6];
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`Function not found: ${arn}`);
    try {
      return { ok: true, result: JSON.parse(JSON.stringify((await handler(event)) ?? null)) as unknown, requestId: 'r', durationMs: 1 } satisfies Invocation;
    } catch (error) {
      return { ok: false, error: { errorType: (error as Error).name, errorMessage: (error as Error).message }, timedOut: false, requestId: 'r', durationMs: 1 } satisfies Invocation;
    }
  };

  callsOf(name: string): unknown[] {
    return this.calls.filter((call) => call.functionArn === functionArn(name)).map((call) => call.event);
  }
}

/** A TOKEN authorizer's answer allowing (or denying) `resource`, with a context. */
export function policy(effect: 'Allow' | 'Deny', resource: string | string[], context?: Record<string, unknown>, principalId = 'user-1') {
  return { principalId, policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] }, context };
}

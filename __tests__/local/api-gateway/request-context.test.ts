import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { startRestApi, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { LocalUserPool } from '../../../local/cognito/local-user-pool';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';
import { FAKE_ACCOUNT } from '../../support/fake-aws';
import { call, resolverFor, type Answer } from './support';

/**
 * `$context` as far as handling got: each step (route, authorizer, integration, error)
 * adds what it knows, and a later refusal keeps what the steps before it added, in the
 * gateway response and the access log alike.
 */
const REGION = 'us-east-1';
// What fake-aws.ts gives the stack's aws_cognito_user_pool, to which the authorizer refers.
const POOL_ARN = `arn:aws:cognito-idp:${REGION}:${FAKE_ACCOUNT}:userpool/${REGION}_AbCdEf123`;
const ACCESS_LOG_FORMAT = '$context.resourcePath $context.authorizer.claims.email $context.integration.status $context.error.responseType $context.status';
const stack = synthesizeOrdersApi();
const resolve = resolverFor(stack);

describe('$context, step by step', () => {
  const pool = new LocalUserPool({ pool: POOL_ARN });
  let token: string;
  let api: RunningRestApi;
  let accessLog: string[];
  const post = (path: string, body: object, authorization?: string): Promise<Answer> =>
    call(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(authorization === undefined ? {} : { Authorization: authorization }) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    token = await pool.issueIdToken({ email: 'ana@example.com' });
  });

  beforeEach(async () => {
    accessLog = [];
    api = await startRestApi({
      stack,
      resolve,
      backends: {},
      userPools: new Map([[POOL_ARN, pool]]),
      onAccessLog: (line) => accessLog.push(line),
      onExecutionLog: () => {},
    });
  });

  afterEach(async () => {
    await api?.stop();
  });

  it('knows only the arrival when the front door refuses', async () => {
    expect((await post('/nowhere', {})).status).toBe(403);

    expect(accessLog).toEqual(['- - - MISSING_AUTHENTICATION_TOKEN 403']);
  });

  it('knows the route, but no claims, when the authorizer refuses', async () => {
    expect((await post('/orders', { item: 'gloves', status: 200 })).status).toBe(401);

    expect(accessLog).toEqual(['/orders - - UNAUTHORIZED 401']);
  });

  it("keeps the authorizer's claims when the request validator refuses after it", async () => {
    const answer = await post('/orders', { status: 200 }, token);

    expect(answer).toMatchObject({ status: 400, json: { who: 'ana@example.com', error: 'BAD_REQUEST_BODY' } });
    expect(accessLog).toEqual(['/orders ana@example.com - BAD_REQUEST_BODY 400']);
  });

  it('gives the response template the claims and the route, and the access log the integration status', async () => {
    const answer = await post('/orders', { item: 'gloves', status: 200 }, token);

    expect(answer).toMatchObject({ status: 200, json: { who: 'ana@example.com', resourcePath: '/orders' } });
    expect(accessLog).toEqual(['/orders ana@example.com 200 - 200']);
  });

  it('keeps the integration status when no integration response matches it', async () => {
    expect((await post('/orders', { item: 'gloves', status: 299 }, token)).status).toBe(500);

    expect(accessLog).toEqual(['/orders ana@example.com 299 API_CONFIGURATION_ERROR 500']);
  });
});

/** POST /orders: a Cognito authorizer, a body model, and a MOCK integration answering the status the body asks for. */
function synthesizeOrdersApi(): SynthesizedStack {
  const scope = new TerraformStack(Testing.app(), 'request-context');
  new AwsProvider(scope, 'aws', { region: REGION });
  const users = new CognitoUserPool(scope, 'users', { name: 'test-users' });
  const api = new ApiGatewayRestApi(scope, 'api', { name: 'orders' });
  const restApiId = api.id;
  const orders = new ApiGatewayResource(scope, 'orders', { restApiId, parentId: api.rootResourceId, pathPart: 'orders' });
  const authorizer = new ApiGatewayAuthorizer(scope, 'authorizer', { restApiId, name: 'users', type: 'COGNITO_USER_POOLS', providerArns: [users.arn] });
  const validator = new ApiGatewayRequestValidator(scope, 'validator', { restApiId, name: 'body', validateRequestBody: true });
  const model = new ApiGatewayModel(scope, 'order', {
    restApiId,
    name: 'Order',
    contentType: 'application/json',
    schema: JSON.stringify({ type: 'object', required: ['item'] }),
  });
  const post = new ApiGatewayMethod(scope, 'post', {
    restApiId,
    resourceId: orders.id,
    httpMethod: 'POST',
    authorization: 'COGNITO_USER_POOLS',
    authorizerId: authorizer.id,
    requestValidatorId: validator.id,
    requestModels: { 'application/json': model.name },
  });
  new ApiGatewayIntegration(scope, 'mock', {
    restApiId,
    resourceId: orders.id,
    httpMethod: post.httpMethod,
    type: 'MOCK',
    requestTemplates: { 'application/json': `{"statusCode": $input.json('$.status')}` },
  });
  new ApiGatewayIntegrationResponse(scope, 'ok', {
    restApiId,
    resourceId: orders.id,
    httpMethod: post.httpMethod,
    statusCode: '200',
    selectionPattern: '200',
    responseTemplates: { 'application/json': '{"who": "$context.authorizer.claims.email", "resourcePath": "$context.resourcePath"}' },
  });
  new ApiGatewayGatewayResponse(scope, 'bad-body', {
    restApiId,
    responseType: 'BAD_REQUEST_BODY',
    responseTemplates: { 'application/json': '{"who": "$context.authorizer.claims.email", "error": "$context.error.responseType"}' },
  });
  const deployment = new ApiGatewayDeployment(scope, 'deployment', { restApiId });
  new ApiGatewayStage(scope, 'stage', {
    restApiId,
    deploymentId: deployment.id,
    stageName: 'test',
    accessLogSettings: { destinationArn: `arn:aws:logs:${REGION}:${FAKE_ACCOUNT}:log-group:orders`, format: ACCESS_LOG_FORMAT },
  });
  return SynthesizedStack.parse(Testing.synth(scope));
}

import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration, type ApiGatewayIntegrationConfig } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod, type ApiGatewayMethodConfig } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { TerraformStack, Testing } from 'cdktf';
import { startRestApi, type RestApiServerOptions, type RunningRestApi } from '../../../local/api-gateway/rest-api-server';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';
import { call, postJson, RecordingBackend } from './support';

/**
 * The server reads any REST API, not just the orders one: a synthesized stack with a
 * resource tree, path parameters, MOCK and AWS integrations to another service, method
 * throttling, a customized gateway response, and what it refuses to serve.
 */
const stack = synthesizeReportsStack();
const resolve = (value: string) =>
  stack.resolve(value, (type, name, attribute) => {
    if (type === 'aws_sqs_queue' && attribute === 'arn') return 'arn:aws:sqs:us-east-1:000000000000:local-reports';
    throw new Error(`no local value for ${type}.${name}.${attribute}`);
  });

describe('a REST API with a resource tree and several integrations', () => {
  let api: RunningRestApi;
  let states: RecordingBackend;
  let executionLog: string[];
  const start = async (options: Partial<RestApiServerOptions> = {}) => {
    api = await startRestApi({
      stack,
      resolve,
      restApi: 'reports',
      backends: { states: (request) => states.backend(request) },
      onExecutionLog: (line) => executionLog.push(line),
      ...options,
    });
    return api.url;
  };

  beforeEach(() => {
    states = new RecordingBackend();
    states.answer = () => ({ statusCode: 200, body: '{"executionArn": "arn:aws:states:us-east-1:000000000000:execution:reports:1", "startDate": 1.7E9}' });
    executionLog = [];
  });

  afterEach(async () => {
    await api?.stop();
  });

  it('refuses to guess which of several REST APIs to serve', async () => {
    await expect(startRestApi({ stack, resolve, backends: {} })).rejects.toThrow(/several REST APIs \(other, reports\).*restApi/);
    await expect(startRestApi({ stack, resolve, backends: {}, restApi: 'missing' })).rejects.toThrow(/no aws_api_gateway_rest_api\.missing; it has other, reports/);
  });

  it('serves the other API when asked, on its own stage', async () => {
    const url = await start({ restApi: 'other' });

    expect(url).toMatch(/\/prod$/);
    expect((await call(url)).json).toEqual({ api: 'other' });
  });

  it.each([
    ['GET', '/reports/r-1', 200, '/reports/{reportId}'],
    ['GET', '/reports/r%201/', 200, '/reports/{reportId}'],
    ['GET', '/files/a/b/c.txt', 200, '/files/{path+}'],
    ['DELETE', '/files/a', 200, '/files/{path+}'],
    ['GET', '/files', 403, undefined],
    ['GET', '/reports', 403, undefined],
    ['GET', '/reports/r-1/runs/extra', 403, undefined],
  ])('routes %s %s (literal, then {param}, then {greedy+})', async (method, path, status, resourcePath) => {
    const url = await start();

    const answer = await call(`${url}${path}`, { method });

    expect(answer.status).toBe(status);
    if (resourcePath) expect(answer.json).toEqual({ resourcePath, httpMethod: method, stage: 'test' });
  });

  it('calls the backend of the uri\'s service with the mapped headers and the rendered template', async () => {
    const url = await start();

    const answer = await postJson(`${url}/reports`, '{"month": "2026-11", "note": "say \\"hi\\""}');

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:reports:1' });
    expect(states.requests).toHaveLength(1);
    const [request] = states.requests;
    expect(request).toMatchObject({
      uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
      httpMethod: 'POST',
      headers: { 'X-Amz-Target': 'AWSStepFunctions.StartExecution', 'X-Request-Id': answer.headers.get('x-amzn-requestid') },
    });
    expect(JSON.parse(request.body)).toEqual({
      input: '{"month": "2026-11", "note": "say \\"hi\\""}',
      month: '2026-11',
      stateMachineArn: 'arn:aws:sqs:us-east-1:000000000000:local-reports',
      literal: '${not.a.reference}',
    });
  });

  it('answers 400 when the template reads an invalid JSON body as JSON, without calling the backend', async () => {
    const url = await start();

    const answer = await postJson(`${url}/reports`, '{"month": ');

    expect(answer.status).toBe(400);
    expect((answer.json as { message: string }).message).toMatch(/^Could not parse request body into json: /);
    expect(states.requests).toEqual([]);
  });

  it('selects the integration response by the backend status, passing the body through an empty template', async () => {
    const url = await start();
    states.answer = () => ({ statusCode: 400, body: '{"__type": "ExecutionAlreadyExists"}' });

    const answer = await postJson(`${url}/reports`, '{}');

    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ __type: 'ExecutionAlreadyExists' });
  });

  it('answers 500 when no integration response matches and none is the default, and logs it', async () => {
    const url = await start();
    states.answer = () => ({ statusCode: 202, body: '' });

    const answer = await postJson(`${url}/reports/r-1/runs`, 'run it', 'text/plain');

    expect(answer.status).toBe(500);
    expect(executionLog.join('\n')).toContain('No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 202');
  });

  it('maps a path parameter into a header and passes an untemplated body through (WHEN_NO_MATCH)', async () => {
    const url = await start();
    states.answer = () => ({ statusCode: 200, body: 'ok' });

    const answer = await postJson(`${url}/reports/r-42/runs`, 'run it', 'text/plain');

    expect(answer.status).toBe(200);
    expect(answer.text).toBe('ok');
    expect(states.requests).toEqual([expect.objectContaining({ headers: { 'X-Report-Id': 'r-42' }, body: 'run it' })]);
  });

  it('throttles a method by its own settings, with the API\'s THROTTLED response', async () => {
    const url = await start();

    const first = await postJson(`${url}/reports`, '{}');
    const second = await postJson(`${url}/reports`, '{}');
    const otherMethod = await call(`${url}/reports/r-1`);

    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.json).toEqual({ error: 'slow down', type: 'THROTTLED' });
    expect(second.headers.get('retry-after')).toBe('1');
    expect(otherMethod.status).toBe(200);
  });

  it('does not throttle with throttle: false', async () => {
    const url = await start({ throttle: false });

    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await postJson(`${url}/reports`, '{}')).status);

    expect(statuses).toEqual([200, 200, 200]);
  });

  it('validates required query parameters when the validator says so', async () => {
    const url = await start();

    expect(await call(`${url}/search`)).toMatchObject({ status: 400, json: { message: 'Missing required request parameters: [q]' } });
    expect((await call(`${url}/search?q=gloves`)).status).toBe(200);
  });

  it.each([
    ['a method with an authorizer', '/secure', 'authorizer not supported locally yet'],
    ['a method that requires an API key', '/keyed', 'API keys not supported locally yet'],
    ['an HTTP integration', '/legacy', 'integration type HTTP not supported locally yet'],
  ])('answers 500 for %s rather than serving it open', async (_case, path, message) => {
    const url = await start();

    const answer = await call(`${url}${path}`);

    expect(answer.status).toBe(500);
    expect((answer.json as { message: string }).message).toContain(message);
    expect(executionLog).toHaveLength(1);
  });

  it('answers 500 and logs the service when a backend is missing', async () => {
    const url = await start({ backends: {} });

    const answer = await postJson(`${url}/reports`, '{}');

    expect(answer).toMatchObject({ status: 500, json: { message: 'Internal server error' } });
    expect(executionLog).toEqual([expect.stringContaining('no backend for AWS service states')]);
  });
});

function synthesizeReportsStack(): SynthesizedStack {
  const app = Testing.app();
  const scope = new TerraformStack(app, 'reports');
  new AwsProvider(scope, 'aws', { region: 'us-east-1' });
  const queue = new SqsQueue(scope, 'queue', { name: 'reports' });

  const api = new ApiGatewayRestApi(scope, 'reports-api', { name: 'reports' });
  api.overrideLogicalId('reports');
  const restApiId = api.id;
  const resource = (id: string, parentId: string, pathPart: string) => new ApiGatewayResource(scope, `${id}-resource`, { restApiId, parentId, pathPart });
  const reports = resource('reports', api.rootResourceId, 'reports');
  const report = resource('report', reports.id, '{reportId}');
  const runs = resource('runs', report.id, 'runs');
  const files = resource('files', api.rootResourceId, 'files');
  const file = resource('file', files.id, '{path+}');
  const secure = resource('secure', api.rootResourceId, 'secure');
  const keyed = resource('keyed', api.rootResourceId, 'keyed');
  const legacy = resource('legacy', api.rootResourceId, 'legacy');
  const search = resource('search', api.rootResourceId, 'search');
  const validator = new ApiGatewayRequestValidator(scope, 'params-validator', { restApiId, name: 'params', validateRequestParameters: true });

  const method = (id: string, resourceId: string, httpMethod: string, extra: Partial<ApiGatewayMethodConfig> = {}) =>
    new ApiGatewayMethod(scope, id, { restApiId, resourceId, httpMethod, authorization: 'NONE', ...extra });
  const integration = (id: string, m: ApiGatewayMethod, config: Partial<ApiGatewayIntegrationConfig>) =>
    new ApiGatewayIntegration(scope, id, { restApiId, resourceId: m.resourceId, httpMethod: m.httpMethod, type: 'MOCK', ...config });
  const response = (id: string, m: ApiGatewayMethod, statusCode: string, template: string, selectionPattern?: string) =>
    new ApiGatewayIntegrationResponse(scope, id, {
      restApiId,
      resourceId: m.resourceId,
      httpMethod: m.httpMethod,
      statusCode,
      selectionPattern,
      responseTemplates: { 'application/json': template },
    });
  const echoContext = '{"resourcePath": "$context.resourcePath", "httpMethod": "$context.httpMethod", "stage": "$context.stage"}';
  const mock = (id: string, m: ApiGatewayMethod, template = echoContext) => {
    integration(`${id}-integration`, m, { requestTemplates: { 'application/json': '{"statusCode": 200}' } });
    response(`${id}-response`, m, '200', template);
  };

  const startReport = method('start-report', reports.id, 'POST');
  integration('start-report-integration', startReport, {
    type: 'AWS',
    integrationHttpMethod: 'POST',
    uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
    passthroughBehavior: 'WHEN_NO_TEMPLATES',
    requestParameters: {
      'integration.request.header.X-Amz-Target': "'AWSStepFunctions.StartExecution'",
      'integration.request.header.X-Request-Id': 'context.requestId',
    },
    // `$${...}` is Terraform's escape, left for VTL; `#[[...]]#` keeps it literal there too (VTL writes a reference to nothing as nothing).
    requestTemplates: {
      'application/json': `{"input": "$util.escapeJavaScript($input.body)", "month": $input.json('$.month'), "stateMachineArn": "${queue.arn}", "literal": "#[[$\${not.a.reference}]]#"}`,
    },
  });
  response('start-report-200', startReport, '200', `{"executionArn": $input.json('$.executionArn')}`);
  response('start-report-422', startReport, '422', '', '4\\d{2}');

  const startRun = method('start-run', runs.id, 'POST', { requestParameters: { 'method.request.path.reportId': true } });
  integration('start-run-integration', startRun, {
    type: 'AWS',
    integrationHttpMethod: 'POST',
    uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
    requestParameters: { 'integration.request.header.X-Report-Id': 'method.request.path.reportId' },
  });
  response('start-run-200', startRun, '200', '', '200');

  mock('get-report', method('get-report', report.id, 'GET'));
  mock('any-file', method('any-file', file.id, 'ANY'));
  mock('secure', method('secure', secure.id, 'GET', { authorization: 'AWS_IAM' }));
  mock('keyed', method('keyed', keyed.id, 'GET', { apiKeyRequired: true }));
  mock('search', method('search', search.id, 'GET', { requestValidatorId: validator.id, requestParameters: { 'method.request.querystring.q': true } }));
  const legacyGet = method('legacy', legacy.id, 'GET');
  integration('legacy-integration', legacyGet, { type: 'HTTP', integrationHttpMethod: 'GET', uri: 'http://legacy.example.com/' });

  new ApiGatewayGatewayResponse(scope, 'throttled', {
    restApiId,
    responseType: 'THROTTLED',
    responseTemplates: { 'application/json': '{"error": "slow down", "type": "$context.error.responseType"}' },
    responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
  });
  const deployment = new ApiGatewayDeployment(scope, 'deployment', { restApiId });
  const stage = new ApiGatewayStage(scope, 'stage', { restApiId, deploymentId: deployment.id, stageName: 'test' });
  new ApiGatewayMethodSettings(scope, 'start-report-throttling', {
    restApiId,
    stageName: stage.stageName,
    methodPath: 'reports/POST',
    settings: { throttlingRateLimit: 0, throttlingBurstLimit: 1 },
  });

  // A second API in the same stack.
  const other = new ApiGatewayRestApi(scope, 'other-api', { name: 'other' });
  other.overrideLogicalId('other');
  const otherGet = new ApiGatewayMethod(scope, 'other-get', { restApiId: other.id, resourceId: other.rootResourceId, httpMethod: 'GET', authorization: 'NONE' });
  new ApiGatewayIntegration(scope, 'other-integration', {
    restApiId: other.id,
    resourceId: other.rootResourceId,
    httpMethod: otherGet.httpMethod,
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
  });
  new ApiGatewayIntegrationResponse(scope, 'other-response', {
    restApiId: other.id,
    resourceId: other.rootResourceId,
    httpMethod: otherGet.httpMethod,
    statusCode: '200',
    responseTemplates: { 'application/json': '{"api": "other"}' },
  });
  const otherDeployment = new ApiGatewayDeployment(scope, 'other-deployment', { restApiId: other.id });
  new ApiGatewayStage(scope, 'other-stage', { restApiId: other.id, deploymentId: otherDeployment.id, stageName: 'prod' });

  return SynthesizedStack.parse(Testing.synth(scope));
}

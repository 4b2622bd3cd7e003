import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { ApiGatewayToStepFunctions } from '../../constructs/api-gateway-to-step-functions';
import { fingerprint } from '../../constructs/rest-api';
import { renderMappingTemplate } from '../../local/api-gateway/mapping-template';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { FAKE_ACCOUNT, OTHER_ACCOUNT } from '../support/fake-aws';
import { StackIam } from '../support/iam';

const REGION = 'us-east-1';
const AUTHORIZER_ARN = `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:test-ReportApiAuthorizer`;
const AUTHORIZER = {
  functionName: 'test-ReportApiAuthorizer',
  arn: AUTHORIZER_ARN,
  invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${AUTHORIZER_ARN}/invocations`,
};
const ROLE_NAME = 'test-APIGateway-StepFunctions';
const REPORT_REQUEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'ReportRequest',
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 500 } },
};

/** The construct alone, starting a state machine of its stack, as the report pipeline will use it. */
class ReportApiStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: REGION });
    const stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: 'test-report',
      roleArn: `arn:aws:iam::${FAKE_ACCOUNT}:role/test-report-state-machine`,
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    });
    new ApiGatewayToStepFunctions(this, 'report-api', {
      apiName: 'test-create_report',
      roleName: ROLE_NAME,
      stateMachineArn: stateMachine.arn,
      requestSchema: REPORT_REQUEST_SCHEMA,
      modelName: 'ReportRequest',
      invalidBodyMessage: 'Invalid report request: send a JSON object with at most a string note.',
      authorizer: { tokenFunction: AUTHORIZER },
    });
  }
}

const synthesize = () => SynthesizedStack.parse(Testing.synth(new ReportApiStack(Testing.app(), 'report-api-test')));
const stack = synthesize();
const iam = new StackIam(stack, REGION);
const stateMachineArn = iam.arnOf('aws_sfn_state_machine', 'test-report');

const only = (type: string) => {
  const resources = Object.values(stack.resources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
};
const configuredOnly = () => {
  throw new Error('expected a configured value, not one known after apply');
};
const byStatus = (type: string, statusCode: string) => {
  const found = Object.values(stack.resources(type)).find((r) => stack.resolve(String(r.status_code), configuredOnly) === statusCode);
  if (!found) throw new Error(`No ${type} for ${statusCode}`);
  return found;
};
const jsonTemplate = (config: Record<string, unknown>, key = 'response_templates') =>
  (config[key] as Record<string, string>)['application/json'];

describe('ApiGatewayToStepFunctions: who may call', () => {
  it('asks its TOKEN authorizer function about the Authorization header on every request (no cached answer)', () => {
    expect(only('aws_api_gateway_authorizer')).toMatchObject({
      type: 'TOKEN',
      authorizer_uri: AUTHORIZER.invokeArn,
      identity_source: 'method.request.header.Authorization',
      authorizer_result_ttl_in_seconds: 0,
    });
  });

  it('lets this API invoke the authorizer function as this authorizer only', () => {
    const permission = only('aws_lambda_permission');
    expect(permission).toMatchObject({ function_name: AUTHORIZER.functionName, principal: 'apigateway.amazonaws.com', action: 'lambda:InvokeFunction' });
    expect(permission.source_arn).toMatch(/^\$\{aws_api_gateway_rest_api\.[^.]+\.execution_arn\}\/authorizers\/\$\{aws_api_gateway_authorizer\.[^.]+\.id\}$/);
  });

  it('refuses anonymous requests: POST / requires the authorizer, and validates the body', () => {
    const method = only('aws_api_gateway_method');
    expect(method).toMatchObject({ http_method: 'POST', authorization: 'CUSTOM' });
    expect(method.authorizer_id).toMatch(/^\$\{aws_api_gateway_authorizer\.[^.]+\.id\}$/);
    expect(method.request_validator_id).toMatch(/aws_api_gateway_request_validator/);
    expect(JSON.parse(String(only('aws_api_gateway_model').schema))).toEqual(REPORT_REQUEST_SCHEMA);
  });

  it.each([
    ['UNAUTHORIZED', '401', 'Unauthorized'],
    ['ACCESS_DENIED', '403', 'User is not authorized to access this resource'],
  ])('answers %s with a JSON %s', (type, statusCode, messageString) => {
    const response = Object.values(stack.resources('aws_api_gateway_gateway_response')).find((r) => r.response_type === type);
    expect(response).toMatchObject({ status_code: statusCode });
    // Gateway responses substitute variables only; messageString arrives quoted.
    const rendered = renderMappingTemplate(jsonTemplate(response!), { body: '', context: { error: { messageString: JSON.stringify(messageString) } } });
    expect(JSON.parse(rendered)).toEqual({ message: messageString });
  });
});

describe('ApiGatewayToStepFunctions: the StartExecution integration', () => {
  const integration = only('aws_api_gateway_integration');

  it("calls Step Functions' StartExecution in the state machine's region, as its own role", () => {
    expect(integration).toMatchObject({ type: 'AWS', integration_http_method: 'POST', passthrough_behavior: 'NEVER' });
    expect(iam.resolve(String(integration.uri))).toBe(`arn:aws:apigateway:${REGION}:states:action/StartExecution`);
    expect(iam.resolve(String(integration.credentials))).toBe(iam.roleArn(ROLE_NAME));
  });

  it('answers 202 by default and 500 for any 4xx or 5xx from Step Functions', () => {
    expect(Object.values(stack.resources('aws_api_gateway_method_response')).map((r) => r.status_code).sort()).toEqual(['202', '500']);
    expect(byStatus('aws_api_gateway_integration_response', '202').selection_pattern).toBeUndefined();
    const pattern = new RegExp(`^(?:${String(byStatus('aws_api_gateway_integration_response', '500').selection_pattern)})$`);
    expect(['500', '503', '400', '429'].filter((code) => pattern.test(code))).toEqual(['500', '503', '400', '429']);
    expect(pattern.test('200')).toBe(false);
  });

  it('redeploys when the state machine or the authorizer function is replaced, and hashes the templates stably', () => {
    const triggers = only('aws_api_gateway_deployment').triggers as Record<string, string>;
    expect(iam.resolve(triggers.stateMachineArn)).toBe(stateMachineArn);
    expect(triggers.authorizerFunctionArn).toBe(AUTHORIZER_ARN);
    expect(triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(synthesize().resources('aws_api_gateway_deployment')).toEqual(stack.resources('aws_api_gateway_deployment'));
  });

  it('refuses to fingerprint a reference, which would change on every synth', () => {
    const app = Testing.app();
    const scratch = new TerraformStack(app, 'scratch');
    new AwsProvider(scratch, 'aws', { region: REGION });
    const machine = new SfnStateMachine(scratch, 'machine', { name: 'm', roleArn: 'r', definition: '{}' });
    expect(() => fingerprint({ arn: machine.arn })).toThrow(/known at synth time/);
  });
});

describe('ApiGatewayToStepFunctions: the stage', () => {
  it('throttles every method, logs each request as JSON, and traces with X-Ray', () => {
    expect(only('aws_api_gateway_method_settings')).toMatchObject({
      method_path: '*/*',
      settings: { throttling_rate_limit: 10, throttling_burst_limit: 20, metrics_enabled: true },
    });
    const stage = only('aws_api_gateway_stage');
    expect(stage).toMatchObject({ stage_name: 'v1', xray_tracing_enabled: true });
    const accessLogs = stage.access_log_settings as { destination_arn: string; format: string };
    expect(iam.resolve(accessLogs.destination_arn)).toBe(iam.arnOf('aws_cloudwatch_log_group', '/aws/apigateway/test-create_report/access'));
    expect(JSON.parse(accessLogs.format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(only('aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 14 });
  });
});

describe("ApiGatewayToStepFunctions: the API's role", () => {
  const otherStateMachine = stateMachineArn.replace('test-report', 'test-other');

  it('has one policy, and may start an execution of its state machine', async () => {
    expect(iam.identityPolicies(ROLE_NAME).map((p) => p.name)).toEqual(['start-execution']);
    await iam.expectDecisions(ROLE_NAME, [['states:StartExecution', stateMachineArn]], 'Allowed');
  });

  it('may do nothing else, and nothing to any other state machine', async () => {
    const execution = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:abc-123`;
    await iam.expectDecisions(
      ROLE_NAME,
      [
        ['states:StopExecution', execution],
        ['states:DescribeExecution', execution],
        ['states:StartSyncExecution', stateMachineArn],
        ['states:UpdateStateMachine', stateMachineArn],
        ['states:StartExecution', otherStateMachine],
        ['states:StartExecution', stateMachineArn.replace(FAKE_ACCOUNT, OTHER_ACCOUNT)],
        ['sqs:SendMessage', `arn:aws:sqs:${REGION}:${FAKE_ACCOUNT}:test-POC-Queue`],
      ],
      'ImplicitlyDenied',
    );
  });
});

describe('ApiGatewayToStepFunctions: the mapping templates, rendered', () => {
  // The state machine's ARN is a reference in the template; resolved before rendering, as Terraform does.
  const requestTemplate = iam.resolve(jsonTemplate(only('aws_api_gateway_integration'), 'request_templates'));
  // A TOKEN authorizer's context, as API Gateway exposes it to templates.
  const signedIn = (email: string) => ({ authorizer: { email, sub: '0b1c2d3e', username: '0b1c2d3e', principalId: '0b1c2d3e' } });
  /** The StartExecution request API Gateway sends, and the execution input inside it. */
  const startExecution = (body: string, email = 'ana@example.com') => {
    const request = JSON.parse(renderMappingTemplate(requestTemplate, { body, context: signedIn(email) }));
    return { request, input: JSON.parse(request.input) };
  };

  it.each([
    ['an empty request', '{}'],
    ['double quotes and backslashes', '{"note": "the \\"best\\" beans \\\\ roasts"}'],
    ['& and + and %', '{"note": "beans & cups + 100% arabica"}'],
    ['line breaks and tabs', '{\n  "note": "line 1\\nline 2\\ttab"\n}'],
    ['non-ASCII text', '{"note": "Kaffee für Küche ☕, コーヒー, 🫘"}'],
    ['text that looks like VTL or a template', '{"note": "$context.requestId #set($x = 1) ${x} %{y}"}'],
  ])('starts the state machine with %s as valid JSON input, unchanged', (_case, body) => {
    const { request, input } = startExecution(body);
    expect(request).toEqual({ stateMachineArn, input: expect.any(String) });
    expect(input).toEqual({ request: JSON.parse(body), requestedBy: 'ana@example.com' });
  });

  it.each([
    ['a double quote', 'a"b@example.com'],
    ['a closing brace and backslash', 'x\\"}, "admin": true, "y": {"@example.com'],
    ['non-ASCII text', 'zoë@exämple.com'],
  ])('adds who asked, from the authorizer, safely escaped: an email with %s', (_case, email) => {
    const { input } = startExecution('{"note": "n"}', email);
    expect(input).toEqual({ request: { note: 'n' }, requestedBy: email });
  });

  it('takes who asked from the authorizer, not from the body', () => {
    expect(startExecution('{"requestedBy": "mallory@example.com"}').input).toEqual({
      request: { requestedBy: 'mallory@example.com' },
      requestedBy: 'ana@example.com',
    });
  });

  // API Gateway's `replaceAll` is Java's (a regex), which turns escapeJavaScript's `\'` back
  // into `'` (checked against Velocity 1.7 with commons-lang); the local renderer follows it.
  it('keeps single quotes in the body and the email (Java replaceAll, as API Gateway runs it)', () => {
    expect(startExecution(`{"note": "O'Brien's beans"}`, "o'brien@example.com").input).toEqual({
      request: { note: "O'Brien's beans" },
      requestedBy: "o'brien@example.com",
    });
  });

  it('answers 202 with the execution id (its name), ARN and start time, as JSON', () => {
    const executionArn = `arn:aws:states:${REGION}:${FAKE_ACCOUNT}:execution:test-report:5fea7756-0ea4-451a-a703-a558b933e274`;
    const rendered = renderMappingTemplate(jsonTemplate(byStatus('aws_api_gateway_integration_response', '202')), {
      body: JSON.stringify({ executionArn, startDate: 1.7640288e9 }),
    });
    expect(JSON.parse(rendered)).toEqual({
      executionId: '5fea7756-0ea4-451a-a703-a558b933e274',
      executionArn,
      startedAt: 1764028800,
    });
  });

  it('answers a Step Functions failure with a JSON message that leaks nothing of it', () => {
    const rendered = renderMappingTemplate(jsonTemplate(byStatus('aws_api_gateway_integration_response', '500')), {
      body: '{"__type": "com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded", "message": "limit"}',
    });
    expect(JSON.parse(rendered)).toEqual({ message: 'The report could not be started. Try again later.' });
  });
});

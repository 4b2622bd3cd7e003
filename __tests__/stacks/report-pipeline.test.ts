import { StackIam } from '../support/iam';
import { functionOf, only, ReportPipelineTestStack, synthStack, TEST_CONFIG, TEST_USER_POOL } from '../support/synth';

/** The report pipeline as synthesized: its wiring, and least privilege simulated for every role. */
const { stack } = synthStack(ReportPipelineTestStack, 'report-pipeline');
const iam = new StackIam(stack, TEST_CONFIG.region);
const functionNamed = (functionName: string) => functionOf(stack, functionName).config;
const variablesOf = (functionName: string) => functionOf(stack, functionName).variables;

const [bucketKey] = only(stack.resources('aws_s3_bucket'));
const bucketArn = iam.resolve(`\${aws_s3_bucket.${bucketKey}.arn}`);
const [clusterKey] = only(stack.resources('aws_rds_cluster'));
const secretArn = iam.resolve(`\${aws_rds_cluster.${clusterKey}.master_user_secret[0].secret_arn}`);
const topicArn = iam.arnOf('aws_sns_topic', 'test-EmailReport');
const lambdaArn = (name: string) => iam.arnOf('aws_lambda_function', name, 'arn', 'function_name');

describe('report-pipeline: wiring', () => {
  it('gives the database functions the database and its secret, inside the VPC', () => {
    for (const functionName of ['test-FetchSupplierData', 'test-MigrateReportDatabase']) {
      const variables = variablesOf(functionName);
      expect(Object.keys(variables).sort()).toEqual(['DB_HOST', 'DB_NAME', 'DB_PORT', 'DB_SECRET_ARN', 'POWERTOOLS_SERVICE_NAME']);
      expect(variables.DB_NAME).toBe('COFFEE');
      expect(iam.resolve(variables.DB_PORT)).toBe('3306');
      expect(iam.resolve(variables.DB_SECRET_ARN)).toBe(secretArn);
      expect((functionNamed(functionName).vpc_config as { subnet_ids: string[] }).subnet_ids).toHaveLength(2);
    }
  });

  it('applies the SQL on deploy once the database has an instance, again whenever the function changes', () => {
    const [, invocation] = only(stack.resources('aws_lambda_invocation'));
    const migrate = stack.findName('aws_lambda_function', 'function_name', 'test-MigrateReportDatabase');
    expect(invocation.triggers).toEqual({ code: `\${aws_lambda_function.${migrate}.source_code_hash}` });
    expect(invocation.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_rds_cluster_instance\./)]));
  });

  it('keeps reports private and deletes them after a week', () => {
    const [, lifecycle] = only(stack.resources('aws_s3_bucket_lifecycle_configuration'));
    expect(lifecycle.rule).toEqual(
      expect.arrayContaining([expect.objectContaining({ filter: [{ prefix: 'reports/' }], expiration: [{ days: 7 }] })]),
    );
    only(stack.resources('aws_s3_bucket_public_access_block'));
  });

  it('runs the workflow as a STANDARD state machine over the three step functions and the topic', () => {
    const [, machine] = only(stack.resources('aws_sfn_state_machine'));
    expect(machine.type).toBe('STANDARD');
    const definition = JSON.parse(iam.resolve(String(machine.definition))) as { States: Record<string, { Parameters?: { FunctionName?: string; TopicArn?: string } }> };
    const named = JSON.stringify(definition);
    for (const functionName of ['test-FetchSupplierData', 'test-RenderReport', 'test-PresignReportUrl']) expect(named).toContain(lambdaArn(functionName));
    expect(named).toContain(topicArn);
  });

  it('links expire within the hour and the step functions stop before the workflow gives up on them', () => {
    expect(variablesOf('test-PresignReportUrl').LINK_EXPIRY_SECONDS).toBe('3600');
    for (const functionName of ['test-FetchSupplierData', 'test-RenderReport', 'test-PresignReportUrl']) {
      expect(Number(functionNamed(functionName).timeout)).toBeLessThan(120);
    }
  });
});

describe('report-pipeline: the create_report API', () => {
  const authorizerFunction = (of = stack) => of.resource('aws_lambda_function', of.findName('aws_lambda_function', 'function_name', 'test-ReportApiAuthorizer'));
  const methodOf = (httpMethod: string) => Object.values(stack.resources('aws_api_gateway_method')).find((method) => method.http_method === httpMethod)!;

  it("refuses anonymous requests: every method asks a TOKEN authorizer, never cached, about the given pool's access tokens; no pool of its own", () => {
    expect(stack.resources('aws_cognito_user_pool')).toEqual({});
    const [authorizerKey, authorizer] = only(stack.resources('aws_api_gateway_authorizer'));
    expect(authorizer).toMatchObject({ type: 'TOKEN', identity_source: 'method.request.header.Authorization', authorizer_result_ttl_in_seconds: 0 });
    const authorizerName = stack.findName('aws_lambda_function', 'function_name', 'test-ReportApiAuthorizer');
    expect(authorizer.authorizer_uri).toBe(`\${aws_lambda_function.${authorizerName}.invoke_arn}`);
    expect((authorizerFunction().environment as { variables: Record<string, string> }).variables.USER_POOL_ID).toBe(TEST_USER_POOL.id);
    const methods = Object.values(stack.resources('aws_api_gateway_method'));
    expect(methods.map((method) => [method.http_method, method.authorization, method.authorizer_id]).sort()).toEqual([
      ['GET', 'CUSTOM', `\${aws_api_gateway_authorizer.${authorizerKey}.id}`],
      ['POST', 'CUSTOM', `\${aws_api_gateway_authorizer.${authorizerKey}.id}`],
    ]);
  });

  it('uses an existing pool instead when REPORT_USER_POOL_ARN is set', () => {
    const poolArn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Existing1';
    const existing = synthStack(ReportPipelineTestStack, 'report-pipeline', { ...TEST_CONFIG, reportUserPoolArn: poolArn }).stack;
    expect(existing.resources('aws_cognito_user_pool')).toEqual({});
    expect((authorizerFunction(existing).environment as { variables: Record<string, string> }).variables.USER_POOL_ID).toBe('us-east-1_Existing1');
    expect(Object.keys(existing.json.output ?? {})).not.toContain('user_pool_id');
  });

  it('answers GET /{executionId} with ReportStatus (Lambda proxy), which this API may invoke for that route only', () => {
    const [resourceKey, resource] = only(stack.resources('aws_api_gateway_resource'));
    expect(resource.path_part).toBe('{executionId}');
    const get = methodOf('GET');
    expect(get.resource_id).toBe(`\${aws_api_gateway_resource.${resourceKey}.id}`);
    expect(get.request_parameters).toEqual({ 'method.request.path.executionId': true });
    const status = stack.findName('aws_lambda_function', 'function_name', 'test-ReportStatus');
    const proxy = Object.values(stack.resources('aws_api_gateway_integration')).find((integration) => integration.type === 'AWS_PROXY')!;
    expect(proxy).toMatchObject({ integration_http_method: 'POST', uri: `\${aws_lambda_function.${status}.invoke_arn}` });
    expect(iam.resolve(String(proxy.http_method))).toBe('GET');
    const permission = Object.values(stack.resources('aws_lambda_permission')).find((p) => p.function_name === `\${aws_lambda_function.${status}.function_name}`)!;
    expect(permission).toMatchObject({ principal: 'apigateway.amazonaws.com', action: 'lambda:InvokeFunction' });
    expect(permission.source_arn).toMatch(/\.execution_arn\}\/\*\/GET\/\*$/);
    expect(iam.resolve(variablesOf('test-ReportStatus').EXECUTION_ARN_PREFIX)).toBe('arn:aws:states:us-east-1:111122223333:execution:test-CreateReport:');
  });

  it('redeploys the stage when a route, the status function or the authorizer function changes', () => {
    const [, deployment] = only(stack.resources('aws_api_gateway_deployment'));
    const triggers = deployment.triggers as Record<string, string>;
    expect(iam.resolve(triggers['get-executionId'])).toBe(lambdaArn('test-ReportStatus'));
    expect(iam.resolve(triggers.authorizerFunctionArn)).toBe(lambdaArn('test-ReportApiAuthorizer'));
    expect(deployment.depends_on).toEqual(expect.arrayContaining([
      expect.stringMatching(/^aws_api_gateway_method\..*get-executionId/),
      expect.stringMatching(/^aws_api_gateway_integration\..*get-executionId/),
    ]));
  });

  it('its role may start this state machine and nothing else', async () => {
    const machine = iam.resolve(`\${aws_sfn_state_machine.${only(stack.resources('aws_sfn_state_machine'))[0]}.arn}`);
    await iam.expectDecisions('test-create_report-api', [['states:StartExecution', machine]], 'Allowed');
    await iam.expectDecisions('test-create_report-api', [
      ['states:StartExecution', machine.replace('test-CreateReport', 'test-Other')],
      ['states:StopExecution', `${machine.replace(':stateMachine:', ':execution:')}:run-1`],
      ['lambda:InvokeFunction', lambdaArn('test-FetchSupplierData')],
    ], 'ImplicitlyDenied');
  });
});

describe('report-pipeline: least privilege', () => {
  const reportObject = `${bucketArn}/reports/abc.html`;

  it('the data functions may read the database login and nothing of the reports', async () => {
    for (const role of ['test-FetchSupplierData-role', 'test-MigrateReportDatabase-role']) {
      await iam.expectDecisions(role, [['secretsmanager:GetSecretValue', secretArn]], 'Allowed');
      await iam.expectDecisions(role, [
        ['secretsmanager:GetSecretValue', secretArn.replace('test-coffee', 'prod-coffee')],
        ['secretsmanager:PutSecretValue', secretArn],
        ['s3:GetObject', reportObject],
        ['sns:Publish', topicArn],
      ], 'ImplicitlyDenied');
    }
  });

  it('ReportStatus may describe the executions of CreateReport, and nothing else', async () => {
    const machine = iam.resolve(`\${aws_sfn_state_machine.${only(stack.resources('aws_sfn_state_machine'))[0]}.arn}`);
    const execution = `${machine.replace(':stateMachine:', ':execution:')}:5fea7756-0ea4-451a-a703-a558b933e274`;
    await iam.expectDecisions('test-ReportStatus-role', [['states:DescribeExecution', execution]], 'Allowed');
    await iam.expectDecisions('test-ReportStatus-role', [
      ['states:DescribeExecution', execution.replace('test-CreateReport', 'test-Other')],
      ['states:StartExecution', machine],
      ['states:StopExecution', execution],
      ['states:GetExecutionHistory', execution],
      ['states:DescribeStateMachine', machine],
      ['s3:GetObject', `${bucketArn}/reports/abc.html`],
    ], 'ImplicitlyDenied');
  });

  it('the API authorizer writes its logs and nothing else: GetUser is authorized by the token itself', async () => {
    const pool = 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Dashboard';
    await iam.expectDecisions('test-ReportApiAuthorizer-role', [
      ['cognito-idp:AdminGetUser', pool],
      ['cognito-idp:ListUsers', pool],
      ['lambda:InvokeFunction', lambdaArn('test-ReportStatus')],
    ], 'ImplicitlyDenied');
    expect(iam.identityPolicies('test-ReportApiAuthorizer-role').map((policy) => policy.name)).toEqual(['write-own-logs-and-traces']);
  });

  it('RenderReport may write reports only; PresignReportUrl may read them only', async () => {
    await iam.expectDecisions('test-RenderReport-role', [['s3:PutObject', reportObject]], 'Allowed');
    await iam.expectDecisions('test-RenderReport-role', [
      ['s3:GetObject', reportObject],
      ['s3:PutObject', `${bucketArn}/elsewhere.html`],
      ['s3:DeleteObject', reportObject],
      ['secretsmanager:GetSecretValue', secretArn],
    ], 'ImplicitlyDenied');
    await iam.expectDecisions('test-PresignReportUrl-role', [['s3:GetObject', reportObject]], 'Allowed');
    await iam.expectDecisions('test-PresignReportUrl-role', [
      ['s3:PutObject', reportObject],
      ['s3:GetObject', `${bucketArn}/elsewhere.html`],
      ['s3:ListBucket', bucketArn],
    ], 'ImplicitlyDenied');
  });

  it('the state machine may invoke its three step functions and publish to EmailReport only', async () => {
    const role = 'test-CreateReport-state-machine';
    await iam.expectDecisions(role, [
      ['lambda:InvokeFunction', lambdaArn('test-FetchSupplierData')],
      ['lambda:InvokeFunction', lambdaArn('test-RenderReport')],
      ['lambda:InvokeFunction', lambdaArn('test-PresignReportUrl')],
      ['sns:Publish', topicArn],
    ], 'Allowed');
    await iam.expectDecisions(role, [
      ['lambda:InvokeFunction', lambdaArn('test-MigrateReportDatabase')],
      ['sns:Publish', topicArn.replace('test-EmailReport', 'test-other')],
      ['secretsmanager:GetSecretValue', secretArn],
      ['s3:GetObject', reportObject],
    ], 'ImplicitlyDenied');
  });
});

describe('report-pipeline with an existing database (REPORT_DB_*)', () => {
  const existing = {
    endpoint: 'coffee.cluster-abc.us-east-1.rds.amazonaws.com',
    port: 3307,
    secretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:coffee-login-AbCdEf',
    subnetIds: ['subnet-0aaa', 'subnet-0bbb'],
    securityGroupId: 'sg-0ccc',
  };
  const { stack: withExisting } = synthStack(ReportPipelineTestStack, 'report-pipeline', { ...TEST_CONFIG, reportDatabase: existing });
  const existingIam = new StackIam(withExisting, TEST_CONFIG.region);

  it('creates no network and no cluster, and points the functions at the given database', () => {
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_vpc_endpoint', 'aws_rds_cluster', 'aws_security_group']) {
      expect(withExisting.resources(type)).toEqual({});
    }
    for (const functionName of ['test-FetchSupplierData', 'test-MigrateReportDatabase']) {
      const fn = withExisting.resource('aws_lambda_function', withExisting.findName('aws_lambda_function', 'function_name', functionName));
      expect((fn.environment as { variables: Record<string, string> }).variables).toMatchObject({
        DB_HOST: existing.endpoint,
        DB_PORT: '3307',
        DB_SECRET_ARN: existing.secretArn,
      });
      expect(fn.vpc_config).toEqual({ subnet_ids: existing.subnetIds, security_group_ids: [existing.securityGroupId] });
    }
  });

  it('still applies the migrations on deploy, and reads only the given secret', async () => {
    only(withExisting.resources('aws_lambda_invocation'));
    await existingIam.expectDecisions('test-FetchSupplierData-role', [['secretsmanager:GetSecretValue', existing.secretArn]], 'Allowed');
    await existingIam.expectDecisions('test-FetchSupplierData-role', [['secretsmanager:GetSecretValue', `${existing.secretArn}x`]], 'ImplicitlyDenied');
  });
});

import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { DataArchiveFile } from '@cdktf/provider-archive/lib/data-archive-file';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { StackIam } from '../support/iam';
import { only, synthStack, TEST_CONFIG } from '../support/synth';

const { synthesized, stack } = synthStack(OrdersPipelineStack, 'orders-pipeline');
const iam = new StackIam(stack, TEST_CONFIG.region);

describe('orders-pipeline: the lab resources, named per environment', () => {
  it('has the orders table keyed by orderID, streaming NEW_IMAGE, on demand, encrypted, with PITR', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'test-orders',
      hash_key: 'orderID',
      attribute: [{ name: 'orderID', type: 'S' }],
      billing_mode: 'PAY_PER_REQUEST',
      stream_enabled: true,
      stream_view_type: 'NEW_IMAGE',
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
    });
  });

  it('has POC-Queue encrypted, with a dead-letter queue after 3 receives and visibility >= 6x the function timeout', () => {
    const queue = stack.resource('aws_sqs_queue', stack.findName('aws_sqs_queue', 'name', 'test-POC-Queue'));
    const fn = stack.resource('aws_lambda_function', stack.findName('aws_lambda_function', 'function_name', 'test-POC-Lambda-1'));
    expect(queue.sqs_managed_sse_enabled).toBe(true);
    // Written out, so that the API's 413 names the limit the queue enforces (hashicorp/aws 5.100 accepts no more).
    expect(queue.max_message_size).toBe(262144);
    expect(Number(queue.visibility_timeout_seconds)).toBeGreaterThanOrEqual(6 * Number(fn.timeout));
    const redrive = JSON.parse(iam.resolve(String(queue.redrive_policy)));
    expect(redrive).toEqual({ deadLetterTargetArn: iam.arnOf('aws_sqs_queue', 'test-POC-Queue-dlq'), maxReceiveCount: 3 });
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, { name: 'test-POC-Queue-dlq', sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
  });

  it('has POC-Topic encrypted, and no email subscription unless one is configured', () => {
    expect(synthesized).toHaveResourceWithProperties(SnsTopic, { name: 'test-POC-Topic', kms_master_key_id: 'alias/aws/sns' });
    expect(synthesized).not.toHaveResource(SnsTopicSubscription);
    const withEmail = synthStack(OrdersPipelineStack, 'orders-pipeline', { ...TEST_CONFIG, notificationEmail: 'ops@example.com' });
    expect(withEmail.synthesized).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'ops@example.com' });
  });

  it('has the two functions on nodejs22.x with explicit timeout, memory, tracing and their env vars', () => {
    for (const [functionName, variable] of [
      ['test-POC-Lambda-1', 'TABLE_NAME'],
      ['test-POC-Lambda-2', 'TOPIC_ARN'],
    ]) {
      const fn = stack.resource('aws_lambda_function', stack.findName('aws_lambda_function', 'function_name', functionName));
      expect(fn).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.handler', tracing_config: { mode: 'Active' } });
      expect(Number(fn.timeout)).toBeGreaterThan(3);
      expect(Number(fn.memory_size)).toBeGreaterThan(128);
      const variables = (fn.environment as { variables: Record<string, string> }).variables;
      expect(Object.keys(variables)).toContain(variable);
    }
    const storeOrder = stack.resource('aws_lambda_function', stack.findName('aws_lambda_function', 'function_name', 'test-POC-Lambda-1'));
    const notify = stack.resource('aws_lambda_function', stack.findName('aws_lambda_function', 'function_name', 'test-POC-Lambda-2'));
    expect(iam.resolve((storeOrder.environment as { variables: Record<string, string> }).variables.TABLE_NAME)).toBe('test-orders');
    expect(iam.resolve((notify.environment as { variables: Record<string, string> }).variables.TOPIC_ARN)).toBe(iam.arnOf('aws_sns_topic', 'test-POC-Topic'));
  });

  it('gives each function its own log group with retention, created before the function', () => {
    for (const functionName of ['test-POC-Lambda-1', 'test-POC-Lambda-2']) {
      const fnName = stack.findName('aws_lambda_function', 'function_name', functionName);
      const groupName = stack.findName('aws_cloudwatch_log_group', 'name', `/aws/lambda/${functionName}`);
      expect(stack.resource('aws_cloudwatch_log_group', groupName).retention_in_days).toBe(14);
      expect(stack.resource('aws_lambda_function', fnName).depends_on).toContain(`aws_cloudwatch_log_group.${groupName}`);
    }
  });

  it('bundles each function with esbuild and zips it with data.archive_file', () => {
    const archives = stack.json.data?.archive_file ?? {};
    expect(Object.keys(archives)).toHaveLength(2);
    expect(synthesized).toHaveDataSourceWithProperties(DataArchiveFile, { type: 'zip', output_file_mode: '0644' });
    for (const fnName of Object.keys(stack.resources('aws_lambda_function'))) {
      const fn = stack.resource('aws_lambda_function', fnName);
      expect(fn.filename).toMatch(/^\$\{data\.archive_file\.[^.]+\.output_path\}$/);
      expect(fn.source_code_hash).toMatch(/^\$\{data\.archive_file\.[^.]+\.output_base64sha256\}$/);
    }
  });
});

describe('orders-pipeline: wiring', () => {
  it('triggers POC-Lambda-1 from POC-Queue with partial batch responses', () => {
    const mapping = Object.values(stack.resources('aws_lambda_event_source_mapping')).find(
      (config) => iam.resolve(String(config.event_source_arn)) === iam.arnOf('aws_sqs_queue', 'test-POC-Queue'),
    );
    expect(mapping).toBeDefined();
    expect(iam.resolve(String(mapping!.function_name))).toBe(iam.arnOf('aws_lambda_function', 'test-POC-Lambda-1', 'arn', 'function_name'));
    expect(mapping).toMatchObject({ function_response_types: ['ReportBatchItemFailures'], batch_size: 10 });
  });

  it('triggers POC-Lambda-2 from the stream on INSERT only, bisecting, with bounded retries and an on-failure queue', () => {
    const mapping = Object.values(stack.resources('aws_lambda_event_source_mapping')).find(
      (config) => iam.resolve(String(config.event_source_arn)) === iam.arnOf('aws_dynamodb_table', 'test-orders', 'stream_arn'),
    );
    expect(mapping).toBeDefined();
    expect(iam.resolve(String(mapping!.function_name))).toBe(iam.arnOf('aws_lambda_function', 'test-POC-Lambda-2', 'arn', 'function_name'));
    expect(mapping).toMatchObject({
      starting_position: 'TRIM_HORIZON',
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 3,
      maximum_record_age_in_seconds: 3600,
      function_response_types: ['ReportBatchItemFailures'],
    });
    const filters = (mapping!.filter_criteria as { filter: { pattern: string }[] }).filter;
    expect(filters.map((f) => JSON.parse(f.pattern))).toEqual([{ eventName: ['INSERT'] }]);
    const destination = (mapping!.destination_config as { on_failure: { destination_arn: string } }).on_failure.destination_arn;
    expect(iam.resolve(destination)).toBe(iam.arnOf('aws_sqs_queue', 'test-POC-Lambda-2-failures'));
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, { bisect_batch_on_function_error: true });
  });

  it('serves POC-API, regional, POST / -> SQS SendMessage with the lab header and a URL-encoding template', () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayRestApi, { name: 'test-POC-API', endpoint_configuration: { types: ['REGIONAL'] } });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayMethod, { http_method: 'POST', authorization: 'NONE' });
    const [, integration] = only(stack.resources('aws_api_gateway_integration'));
    expect(integration).toMatchObject({
      type: 'AWS',
      integration_http_method: 'POST',
      passthrough_behavior: 'NEVER',
      request_parameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      request_templates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
    });
    expect(iam.resolve(String(integration.uri))).toBe('arn:aws:apigateway:us-east-1:sqs:path/111122223333/test-POC-Queue');
    expect(iam.resolve(String(integration.credentials))).toBe(iam.roleArn('test-APIGateway-SQS'));
    expect(synthesized).toHaveResource(ApiGatewayIntegration);
  });

  it('validates the body against the Order model and answers 400 with a clear message', () => {
    const [, method] = only(stack.resources('aws_api_gateway_method'));
    const [, validator] = only(stack.resources('aws_api_gateway_request_validator'));
    const [, model] = only(stack.resources('aws_api_gateway_model'));
    expect(validator).toMatchObject({ validate_request_body: true });
    expect(method.request_validator_id).toMatch(/aws_api_gateway_request_validator/);
    expect(method.request_models).toEqual({ 'application/json': expect.stringMatching(/aws_api_gateway_model/) });
    expect(JSON.parse(String(model.schema))).toMatchObject({ required: ['item', 'customerID'], additionalProperties: false });
    const badBody = Object.values(stack.resources('aws_api_gateway_gateway_response')).find((r) => r.response_type === 'BAD_REQUEST_BODY');
    expect(badBody).toMatchObject({ status_code: '400' });
    // Gateway responses only substitute variables: the rendered body must still be JSON.
    const template = String((badBody!.response_templates as Record<string, string>)['application/json']);
    const rendered = JSON.parse(template.replace('$context.error.validationErrorString', '[object has missing required properties ([\\"customerID\\"])]'));
    expect(rendered.message).toMatch(/item and customerID/);
    expect(rendered.details).toContain('customerID');
  });

  it('answers 200 with the order id, which is the SQS message id', () => {
    const success = Object.values(stack.resources('aws_api_gateway_integration_response')).find((r) => iam.resolve(String(r.status_code)) === '200');
    expect((success!.response_templates as Record<string, string>)['application/json']).toContain('"orderId": "$result.MessageId"');
  });

  it('has a stage with access logs, tracing and throttling', () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayStage, { stage_name: 'v1', xray_tracing_enabled: true });
    const [, stage] = only(stack.resources('aws_api_gateway_stage'));
    const accessLogs = stage.access_log_settings as { destination_arn: string; format: string };
    expect(iam.resolve(accessLogs.destination_arn)).toBe(iam.arnOf('aws_cloudwatch_log_group', '/aws/apigateway/test-POC-API/access'));
    expect(JSON.parse(accessLogs.format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    const [, settings] = only(stack.resources('aws_api_gateway_method_settings'));
    expect(settings).toMatchObject({ method_path: '*/*', settings: { throttling_rate_limit: 10, throttling_burst_limit: 20 } });
  });

  it('never holds the per-account API Gateway setting', () => {
    expect(stack.resources('aws_api_gateway_account')).toEqual({});
  });

  it('outputs the API URL, queue URL, table name and topic ARN', () => {
    expect(Object.keys(stack.json.output ?? {}).sort()).toEqual(['api_url', 'queue_url', 'table_name', 'topic_arn']);
  });
});

describe('orders-pipeline: IAM as the lab names it', () => {
  const LAB_POLICIES: Record<string, string[]> = {
    'Lambda-Write-DynamoDB': ['dynamodb:PutItem', 'dynamodb:DescribeTable'],
    'Lambda-SNS-Publish': ['sns:Publish', 'sns:GetTopicAttributes', 'sns:ListTopics'],
    'Lambda-DynamoDBStreams-Read': ['dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams', 'dynamodb:GetRecords'],
    'Lambda-Read-SQS': ['sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
  };

  it.each(Object.entries(LAB_POLICIES))('%s keeps exactly the lab action list', (policyName, actions) => {
    expect(synthesized).toHaveResourceWithProperties(IamPolicy, { name: `test-${policyName}` });
    const statements = iam.managedPolicy(`test-${policyName}`).Statement as { Action: string[] | string }[];
    const granted = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect([...granted].sort()).toEqual([...actions].sort());
  });

  it('scopes every lab policy to this pipeline, with "*" only for the list actions', () => {
    for (const policyName of Object.keys(LAB_POLICIES)) {
      const statements = iam.managedPolicy(`test-${policyName}`).Statement as { Action: string[]; Resource: string | string[] }[];
      for (const statement of statements) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        if (resources.includes('*')) {
          expect(statement.Action).toEqual(expect.arrayContaining([expect.stringMatching(/^(sns:ListTopics|dynamodb:ListStreams)$/)]));
          expect(statement.Action).toHaveLength(1);
        } else {
          for (const resource of resources) expect(resource).toMatch(/^arn:aws:(sqs|sns|dynamodb):us-east-1:111122223333:test-|table\/test-orders/);
        }
      }
    }
  });

  it.each([
    ['test-Lambda-SQS-DynamoDB', 'lambda.amazonaws.com', ['Lambda-Write-DynamoDB', 'Lambda-Read-SQS']],
    ['test-Lambda-DynamoDBStreams-SNS', 'lambda.amazonaws.com', ['Lambda-SNS-Publish', 'Lambda-DynamoDBStreams-Read']],
    ['test-APIGateway-SQS', 'apigateway.amazonaws.com', ['AmazonAPIGatewayPushToCloudWatchLogs']],
  ])('role %s is assumed by %s and has the lab attachments', (roleName, service, labPolicies) => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: roleName });
    const role = stack.resource('aws_iam_role', stack.findName('aws_iam_role', 'name', roleName));
    expect(JSON.parse(String(role.assume_role_policy)).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' },
    ]);
    const attached = iam.identityPolicies(roleName).map((p) => p.name);
    for (const policy of labPolicies) expect(attached).toContain(policy.startsWith('Amazon') ? policy : `test-${policy}`);
  });

  it('allows POC-Queue sends only from the API role and receives only by POC-Lambda-1, over TLS', () => {
    const policy = iam.resourcePolicy('aws_sqs_queue_policy', iam.arnOf('aws_sqs_queue', 'test-POC-Queue'));
    const statements = policy.Statement as { Sid: string; Effect: string; Principal: unknown; Action: unknown }[];
    expect(statements.find((s) => s.Sid === 'AllowSendFromTestAPIGatewaySQS')).toMatchObject({ Effect: 'Allow', Principal: { AWS: [iam.roleArn('test-APIGateway-SQS')] }, Action: 'sqs:SendMessage' });
    expect(statements.find((s) => s.Sid === 'AllowReceiveByTestLambdaSQSDynamoDB')).toMatchObject({ Effect: 'Allow', Principal: { AWS: [iam.roleArn('test-Lambda-SQS-DynamoDB')] } });
    expect(statements.find((s) => s.Sid === 'DenyInsecureTransport')).toMatchObject({ Effect: 'Deny', Principal: '*' });
    expect(statements).toHaveLength(3);
  });

  it('keeps POC-Topic to its own account (no "Everyone"), over TLS', () => {
    const policy = iam.resourcePolicy('aws_sns_topic_policy', iam.arnOf('aws_sns_topic', 'test-POC-Topic'));
    const statements = policy.Statement as { Effect: string; Principal: unknown }[];
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      expect(statement.Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:root' });
    }
    expect(statements.some((s) => s.Effect === 'Deny')).toBe(true);
  });
});

describe('orders-pipeline: environments side by side', () => {
  it('prefixes every named resource and the state file with the environment', () => {
    const prod = synthStack(OrdersPipelineStack, 'orders-pipeline', { ...TEST_CONFIG, environment: 'prod' }).stack;
    const names: string[] = [];
    for (const [type, resources] of Object.entries(prod.json.resource ?? {})) {
      if (type === 'aws_api_gateway_model' || type === 'aws_iam_role_policy' || type === 'aws_api_gateway_request_validator') continue; // scoped to their API or role
      for (const config of Object.values(resources)) {
        const name = config.name ?? config.function_name;
        if (typeof name === 'string' && !name.includes('${')) names.push(name.replace(/^\/aws\/(lambda|apigateway)\//, ''));
      }
    }
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) expect(name).toMatch(/^prod-/);
    expect(JSON.stringify(prod.json.terraform)).toContain('terraform.prod.orders-pipeline.tfstate');
  });
});

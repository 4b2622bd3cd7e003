import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { InventoryPipelineStack, MAX_INVENTORY_FILE_BYTES } from '../../stacks/inventory-pipeline';
import { StackIam } from '../support/iam';
import { functionOf, only, synthStack, TEST_CONFIG } from '../support/synth';

const { synthesized, stack } = synthStack(InventoryPipelineStack, 'inventory-pipeline');
const iam = new StackIam(stack, TEST_CONFIG.region);
const functionNamed = (functionName: string) => functionOf(stack, functionName).config;
const variablesOf = (functionName: string) => functionOf(stack, functionName).variables;
const [bucketKey, bucket] = only(stack.resources('aws_s3_bucket'));
const bucketRef = (attribute: string) => `\${aws_s3_bucket.${bucketKey}.${attribute}}`;
const bucketArn = iam.resolve(bucketRef('arn'));

describe('inventory-pipeline: the upload bucket', () => {
  it('is named after the lab, per environment, unique with no configuration and exact with BUCKET_SUFFIX', () => {
    expect(bucket).toMatchObject({ bucket_prefix: 'test-inventory-upload-', force_destroy: true });
    expect(bucket.bucket).toBeUndefined();
    const named = synthStack(InventoryPipelineStack, 'inventory-pipeline', { ...TEST_CONFIG, bucketSuffix: 'jane-doe' });
    expect(named.synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: 'test-inventory-upload-jane-doe' });
  });

  it('blocks all public access, disables ACLs, encrypts at rest and keeps versions', () => {
    const ofBucket = { bucket: bucketRef('id') };
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      ...ofBucket,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, { ...ofBucket, rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      ...ofBucket,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { ...ofBucket, versioning_configuration: { status: 'Enabled' } });
  });

  it('expires old versions and abandoned multipart uploads', () => {
    const [, lifecycle] = only(stack.resources('aws_s3_bucket_lifecycle_configuration'));
    const rules = lifecycle.rule as { id: string; noncurrent_version_expiration?: unknown; abort_incomplete_multipart_upload?: unknown }[];
    expect(rules.map((rule) => rule.id).sort()).toEqual(['abort-incomplete-uploads', 'expire-noncurrent-versions']);
    expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
  });

  it('refuses every request without TLS, in a policy set after Block Public Access', () => {
    const [, policy] = only(stack.resources('aws_s3_bucket_policy'));
    expect(JSON.parse(iam.resolve(String(policy.policy)))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
  });

  it('invokes ProcessInventoryFile for .json files created under uploads/ only, once S3 may invoke it', () => {
    const [, notification] = only(stack.resources('aws_s3_bucket_notification'));
    const processFile = stack.findName('aws_lambda_function', 'function_name', 'test-ProcessInventoryFile');
    expect(notification).toMatchObject({
      bucket: bucketRef('id'),
      lambda_function: [
        {
          lambda_function_arn: `\${aws_lambda_function.${processFile}.arn}`,
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'uploads/',
          filter_suffix: '.json',
        },
      ],
    });
    const [permissionKey, permission] = only(
      Object.fromEntries(Object.entries(stack.resources('aws_lambda_permission')).filter(([, config]) => config.principal === 's3.amazonaws.com')),
    );
    expect(notification.depends_on).toEqual([`aws_lambda_permission.${permissionKey}`]);
    expect(iam.resolve(String(permission.function_name))).toBe('test-ProcessInventoryFile');
    // Scoped to this bucket in this account: a same-named bucket elsewhere cannot invoke it.
    expect(permission).toMatchObject({ action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com', source_arn: bucketRef('arn') });
    expect(iam.resolve(String(permission.source_account))).toBe('111122223333');
  });

  it('retries a failed invocation twice, then keeps the event in a failure queue', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
    });
    const [, config] = only(stack.resources('aws_lambda_function_event_invoke_config'));
    expect(iam.resolve(String(config.function_name))).toBe('test-ProcessInventoryFile');
    const destination = (config.destination_config as { on_failure: { destination: string } }).on_failure.destination;
    expect(iam.resolve(destination)).toBe(iam.arnOf('aws_sqs_queue', 'test-ProcessInventoryFile-failures'));
  });
});

describe('inventory-pipeline: table, topic and functions', () => {
  it('has InventoryTable keyed by productId (String), streaming NEW_AND_OLD_IMAGES, on demand, encrypted, with PITR', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'test-InventoryTable',
      hash_key: 'productId',
      attribute: [{ name: 'productId', type: 'S' }],
      billing_mode: 'PAY_PER_REQUEST',
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
    });
  });

  it('has inventory-alerts encrypted, owner-only, TLS-only, emailing only when configured', () => {
    expect(synthesized).toHaveResourceWithProperties(SnsTopic, { name: 'test-inventory-alerts', kms_master_key_id: 'alias/aws/sns' });
    const topicArn = iam.arnOf('aws_sns_topic', 'test-inventory-alerts');
    const statements = iam.resourcePolicy('aws_sns_topic_policy', topicArn).Statement as { Sid: string; Principal: unknown }[];
    expect(statements.map((statement) => [statement.Sid, statement.Principal])).toEqual([
      ['OwnerAccountOnly', { AWS: 'arn:aws:iam::111122223333:root' }],
      ['DenyInsecureTransport', '*'],
    ]);
    expect(synthesized).not.toHaveResource(SnsTopicSubscription);
    const withEmail = synthStack(InventoryPipelineStack, 'inventory-pipeline', { ...TEST_CONFIG, notificationEmail: 'ops@example.com' });
    expect(withEmail.synthesized).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'ops@example.com' });
  });

  it('gives each function the names and settings its handler reads, and no hard-coded ARN (the lab\'s BUG 5)', () => {
    expect(Object.keys(variablesOf('test-ProcessInventoryFile')).sort()).toEqual(
      ['MAX_FILE_BYTES', 'OUTCOME_TABLE_NAME', 'POWERTOOLS_SERVICE_NAME', 'REJECTED_PREFIX', 'TABLE_NAME', 'UPLOAD_PREFIX'],
    );
    expect(iam.resolve(variablesOf('test-ProcessInventoryFile').TABLE_NAME)).toBe('test-InventoryTable');
    expect(iam.resolve(variablesOf('test-ProcessInventoryFile').OUTCOME_TABLE_NAME)).toBe('test-InventoryUploads');
    expect(variablesOf('test-ProcessInventoryFile')).toMatchObject({
      UPLOAD_PREFIX: 'uploads/',
      REJECTED_PREFIX: 'rejected/',
      MAX_FILE_BYTES: String(MAX_INVENTORY_FILE_BYTES),
    });
    expect(iam.resolve(variablesOf('test-NotifyInventoryUpdate').TOPIC_ARN)).toBe(iam.arnOf('aws_sns_topic', 'test-inventory-alerts'));
    expect(variablesOf('test-NotifyInventoryUpdate').LOW_STOCK_THRESHOLD).toBe('5');
    const lowered = synthStack(InventoryPipelineStack, 'inventory-pipeline', { ...TEST_CONFIG, lowStockThreshold: 2 }).stack;
    const loweredNotify = lowered.resource('aws_lambda_function', lowered.findName('aws_lambda_function', 'function_name', 'test-NotifyInventoryUpdate'));
    expect((loweredNotify.environment as { variables: Record<string, string> }).variables.LOW_STOCK_THRESHOLD).toBe('2');
  });

  it('gives ProcessInventoryFile room for a 10,000-product file (the lab\'s BUG 4: 3 s timeout)', () => {
    expect(functionNamed('test-ProcessInventoryFile')).toMatchObject({ timeout: 120, memory_size: 512, runtime: 'nodejs22.x' });
    expect(functionNamed('test-NotifyInventoryUpdate')).toMatchObject({ runtime: 'nodejs22.x', tracing_config: { mode: 'Active' } });
  });

  it('feeds inserts and modifications of the stream to NotifyInventoryUpdate, with failures kept', () => {
    const notify = stack.findName('aws_lambda_function', 'function_name', 'test-NotifyInventoryUpdate');
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      function_name: `\${aws_lambda_function.${notify}.arn}`,
      starting_position: 'TRIM_HORIZON',
      filter_criteria: { filter: [{ pattern: JSON.stringify({ eventName: ['INSERT', 'MODIFY'] }) }] },
      function_response_types: ['ReportBatchItemFailures'],
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 3,
    });
    const [, mapping] = only(stack.resources('aws_lambda_event_source_mapping'));
    expect(iam.resolve(String(mapping.event_source_arn))).toBe(iam.arnOf('aws_dynamodb_table', 'test-InventoryTable', 'stream_arn'));
  });

  it('gives one role to each function (the lab shares one role with four *FullAccess policies)', () => {
    const roles = Object.values(stack.resources('aws_iam_role')).map((role) => role.name).sort();
    expect(roles).toEqual([
      'test-CreateUploadUrl-role',
      'test-GetUploadOutcome-role',
      'test-InventoryApiAuthorizer-role',
      'test-ListProducts-role',
      'test-lambda-inventory-notify-role',
      'test-lambda-inventory-process-role',
    ]);
    const attachments = Object.values(stack.resources('aws_iam_role_policy_attachment')).map((a) => String(a.policy_arn));
    expect(attachments.filter((arn) => arn.includes('iam::aws:policy'))).toEqual([]);
  });
});

describe('inventory-pipeline: the dashboard user pool (STEP 8)', () => {
  it('signs in with email, MFA optional by authenticator app, a sane password policy, admin-created users', () => {
    expect(synthesized).toHaveResource(CognitoUserPool);
    expect(only(stack.resources('aws_cognito_user_pool'))[1]).toMatchObject({
      name: 'test-inventory-users',
      username_attributes: ['email'],
      auto_verified_attributes: ['email'],
      mfa_configuration: 'OPTIONAL',
      software_token_mfa_configuration: { enabled: true },
      password_policy: { minimum_length: 12, require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true },
      admin_create_user_config: { allow_admin_create_user_only: true },
    });
  });

  it('has no app client: the dashboard stack makes it, with the dashboard\'s own URLs', () => {
    expect(stack.resources('aws_cognito_user_pool_client')).toEqual({});
  });

  it('hosts the UI on a domain prefix unique to the pool, and outputs the pool', () => {
    const [, domain] = only(stack.resources('aws_cognito_user_pool_domain'));
    const [poolKey] = only(stack.resources('aws_cognito_user_pool'));
    expect(domain.domain).toBe(`test-inventory-\${substr(sha1(aws_cognito_user_pool.${poolKey}.id), 0, 10)}`);
    const outputs = stack.json.output ?? {};
    // The hosted UI's URL and the app client are the dashboard stack's now (it has the client).
    expect(Object.keys(outputs).sort()).toEqual(['dashboard_api_url', 'outcome_table_name', 'table_name', 'topic_arn', 'upload_bucket', 'user_pool_id']);
  });
});

describe('inventory-pipeline: the dashboard API', () => {
  const lambdaRef = (functionName: string, attribute: string) => `\${aws_lambda_function.${stack.findName('aws_lambda_function', 'function_name', functionName)}.${attribute}}`;
  const [apiKey, api] = only(stack.resources('aws_api_gateway_rest_api'));
  const apiRef = (attribute: string) => `\${aws_api_gateway_rest_api.${apiKey}.${attribute}}`;

  it('keeps each upload outcome in <env>-InventoryUploads, by owner and upload id, for 90 days (TTL)', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'test-InventoryUploads',
      hash_key: 'owner',
      range_key: 'uploadId',
      ttl: { enabled: true, attribute_name: 'expiresAt' },
      billing_mode: 'PAY_PER_REQUEST',
      point_in_time_recovery: { enabled: true },
    });
  });

  it('answers POST /uploads, GET /uploads/{uploadId} and GET /products with their functions, behind the access-token authorizer', () => {
    expect(api).toMatchObject({ name: 'test-inventory-dashboard', endpoint_configuration: { types: ['REGIONAL'] } });
    const [authorizerKey, authorizer] = only(stack.resources('aws_api_gateway_authorizer'));
    expect(authorizer).toMatchObject({
      type: 'TOKEN',
      authorizer_uri: lambdaRef('test-InventoryApiAuthorizer', 'invoke_arn'),
      identity_source: 'method.request.header.Authorization',
      authorizer_result_ttl_in_seconds: 0,
    });
    const paths = new Map(Object.entries(stack.resources('aws_api_gateway_resource')).map(([key, resource]) => [`\${aws_api_gateway_resource.${key}.id}`, resource]));
    const pathOf = (resourceId: string): string => {
      const resource = paths.get(resourceId);
      return resource ? `${pathOf(String(resource.parent_id))}/${String(resource.path_part)}` : '';
    };
    const routes = Object.values(stack.resources('aws_api_gateway_method')).map((method) => [method.http_method, pathOf(String(method.resource_id)), method.authorization, method.authorizer_id]);
    const authorizerId = `\${aws_api_gateway_authorizer.${authorizerKey}.id}`;
    expect(routes.sort()).toEqual([
      ['GET', '/products', 'CUSTOM', authorizerId],
      ['GET', '/uploads/{uploadId}', 'CUSTOM', authorizerId],
      ['POST', '/uploads', 'CUSTOM', authorizerId],
    ]);
    const integrations = Object.values(stack.resources('aws_api_gateway_integration')).map((integration) => [integration.type, integration.integration_http_method, integration.uri]);
    expect(integrations.sort()).toEqual(
      [
        ['AWS_PROXY', 'POST', lambdaRef('test-CreateUploadUrl', 'invoke_arn')],
        ['AWS_PROXY', 'POST', lambdaRef('test-GetUploadOutcome', 'invoke_arn')],
        ['AWS_PROXY', 'POST', lambdaRef('test-ListProducts', 'invoke_arn')],
      ].sort(),
    );
  });

  it('lets the API invoke each function for its own method and path only, and the authorizer as this authorizer only', () => {
    const permissions = Object.values(stack.resources('aws_lambda_permission')).filter((permission) => permission.principal === 'apigateway.amazonaws.com');
    expect(permissions.map((permission) => [permission.function_name, permission.source_arn]).sort()).toEqual(
      [
        [lambdaRef('test-CreateUploadUrl', 'function_name'), `${apiRef('execution_arn')}/*/POST/uploads`],
        [lambdaRef('test-GetUploadOutcome', 'function_name'), `${apiRef('execution_arn')}/*/GET/uploads/*`],
        [lambdaRef('test-ListProducts', 'function_name'), `${apiRef('execution_arn')}/*/GET/products`],
        [lambdaRef('test-InventoryApiAuthorizer', 'function_name'), `${apiRef('execution_arn')}/authorizers/\${aws_api_gateway_authorizer.${only(stack.resources('aws_api_gateway_authorizer'))[0]}.id}`],
      ].sort(),
    );
  });

  it('validates the upload request body at the API, and answers refusals as JSON', () => {
    const [, model] = only(stack.resources('aws_api_gateway_model'));
    expect(JSON.parse(String(model.schema))).toMatchObject({ required: ['fileName', 'size'], additionalProperties: false });
    const post = Object.values(stack.resources('aws_api_gateway_method')).find((method) => method.http_method === 'POST')!;
    expect(post.request_models).toEqual({ 'application/json': `\${aws_api_gateway_model.${only(stack.resources('aws_api_gateway_model'))[0]}.name}` });
    const responses = Object.values(stack.resources('aws_api_gateway_gateway_response')).map((response) => [response.response_type, response.status_code ?? null]);
    expect(responses.sort()).toEqual([['ACCESS_DENIED', '403'], ['BAD_REQUEST_BODY', '400'], ['DEFAULT_4XX', null], ['DEFAULT_5XX', null], ['UNAUTHORIZED', '401']]);
  });

  it('deploys a throttled, logged, traced stage that redeploys when a route or function changes', () => {
    const [, stage] = only(stack.resources('aws_api_gateway_stage'));
    expect(stage).toMatchObject({ stage_name: 'v1', xray_tracing_enabled: true });
    const [, deployment] = only(stack.resources('aws_api_gateway_deployment'));
    expect(Object.keys(deployment.triggers as object).sort()).toEqual(['authorizerFunctionArn', 'get-products', 'get-uploads-uploadId', 'post-uploads', 'redeployment']);
  });

  it('gives each dashboard function the names it reads, and its authorizer the pool', () => {
    expect(iam.resolve(variablesOf('test-CreateUploadUrl').UPLOAD_BUCKET)).toBe(iam.resolve(bucketRef('bucket')));
    expect(variablesOf('test-CreateUploadUrl')).toMatchObject({ UPLOAD_PREFIX: 'uploads/', MAX_FILE_BYTES: '10485760', URL_EXPIRY_SECONDS: '300' });
    for (const fn of ['test-CreateUploadUrl', 'test-GetUploadOutcome']) expect(iam.resolve(variablesOf(fn).OUTCOME_TABLE_NAME)).toBe('test-InventoryUploads');
    expect(iam.resolve(variablesOf('test-ListProducts').TABLE_NAME)).toBe('test-InventoryTable');
    expect(variablesOf('test-ListProducts').LOW_STOCK_THRESHOLD).toBe('5');
    expect(variablesOf('test-InventoryApiAuthorizer').USER_POOL_ID).toBe(`\${aws_cognito_user_pool.${only(stack.resources('aws_cognito_user_pool'))[0]}.id}`);
  });
});

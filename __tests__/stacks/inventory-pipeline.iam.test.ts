import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OTHER_ACCOUNT } from '../support/fake-aws';
import { StackIam } from '../support/iam';
import { synthStack, TEST_CONFIG } from '../support/synth';

/**
 * Least privilege, proven by simulating the synthesized policies. The lab gives its one
 * role AmazonS3ReadOnlyAccess, AmazonDynamoDBFullAccess, AmazonSNSFullAccess and
 * CloudWatchLogsFullAccess; here each function's role may do what its handler does, on
 * this pipeline's own resources, and nothing else.
 */
const { stack } = synthStack(InventoryPipelineStack, 'inventory-pipeline');
const iam = new StackIam(stack, TEST_CONFIG.region);

const bucket = iam.resolve(`\${aws_s3_bucket.${Object.keys(stack.resources('aws_s3_bucket'))[0]}.arn}`);
const arn = {
  bucket,
  upload: `${bucket}/uploads/inventory.json`,
  nestedUpload: `${bucket}/uploads/shop 1/inventory.json`,
  rejectedCopy: `${bucket}/rejected/files/inventory.json`,
  rejectedReport: `${bucket}/rejected/reports/inventory.json.errors.json`,
  table: iam.arnOf('aws_dynamodb_table', 'test-InventoryTable'),
  outcomes: iam.arnOf('aws_dynamodb_table', 'test-InventoryUploads'),
  dashboardUpload: `${bucket}/uploads/4f1c2d3e-0000-4000-8000-000000000001/5fea7756-0ea4-451a-a703-a558b933e274.json`,
  stream: iam.arnOf('aws_dynamodb_table', 'test-InventoryTable', 'stream_arn'),
  topic: iam.arnOf('aws_sns_topic', 'test-inventory-alerts'),
  processFailures: iam.arnOf('aws_sqs_queue', 'test-ProcessInventoryFile-failures'),
  notifyFailures: iam.arnOf('aws_sqs_queue', 'test-NotifyInventoryUpdate-failures'),
  processLogs: `${iam.arnOf('aws_cloudwatch_log_group', '/aws/lambda/test-ProcessInventoryFile')}:log-stream:2026/11/23/abc`,
  notifyLogs: `${iam.arnOf('aws_cloudwatch_log_group', '/aws/lambda/test-NotifyInventoryUpdate')}:log-stream:2026/11/23/abc`,
};
const elsewhere = {
  upload: arn.upload.replace('test-inventory-upload-', 'prod-inventory-upload-'),
  table: arn.table.replace('test-InventoryTable', 'prod-InventoryTable'),
  topic: arn.topic.replace('111122223333', OTHER_ACCOUNT),
  stream: arn.stream.replace('test-InventoryTable', 'test-orders'),
};


describe('ProcessInventoryFile role', () => {
  const role = 'test-lambda-inventory-process-role';

  it('may read uploaded .json files, keep rejected files, write products, report failed events and write its logs', async () => {
    await iam.expectDecisions(role, [
      ['s3:GetObject', arn.upload],
      ['s3:GetObjectVersion', arn.upload],
      ['s3:GetObject', arn.nestedUpload],
      ['s3:PutObject', arn.rejectedCopy],
      ['s3:PutObject', arn.rejectedReport],
      ['dynamodb:BatchWriteItem', arn.table],
      ['dynamodb:UpdateItem', arn.outcomes],
      ['sqs:SendMessage', arn.processFailures],
      ['logs:CreateLogStream', arn.processLogs],
      ['logs:PutLogEvents', arn.processLogs],
    ], 'Allowed');
  });

  it('may not touch anything else (the lab\'s AccessDenied fix was *FullAccess)', async () => {
    await iam.expectDecisions(role, [
      ['s3:GetObject', `${bucket}/uploads/notes.txt`],
      ['s3:GetObject', arn.rejectedCopy],
      ['s3:GetObject', elsewhere.upload],
      ['s3:PutObject', arn.upload],
      ['s3:DeleteObject', arn.upload],
      ['s3:ListBucket', arn.bucket],
      ['s3:PutBucketPolicy', arn.bucket],
      ['dynamodb:PutItem', arn.table],
      ['dynamodb:DeleteItem', arn.table],
      ['dynamodb:Scan', arn.table],
      ['dynamodb:BatchWriteItem', elsewhere.table],
      ['dynamodb:UpdateItem', arn.table],
      ['dynamodb:GetItem', arn.outcomes],
      ['dynamodb:DeleteItem', arn.outcomes],
      ['dynamodb:GetRecords', arn.stream],
      ['sns:Publish', arn.topic],
      ['sqs:SendMessage', arn.notifyFailures],
      ['logs:PutLogEvents', arn.notifyLogs],
    ], 'ImplicitlyDenied');
  });
});

describe('the dashboard API functions', () => {
  const logsOf = (functionName: string) => `${iam.arnOf('aws_cloudwatch_log_group', `/aws/lambda/${functionName}`)}:log-stream:2026/11/23/abc`;
  const everythingElse = (ownLogs: string): [string, string][] => [
    ['s3:GetObject', arn.upload],
    ['s3:PutObject', arn.rejectedCopy],
    ['s3:DeleteObject', arn.dashboardUpload],
    ['s3:ListBucket', arn.bucket],
    ['dynamodb:DeleteItem', arn.outcomes],
    ['dynamodb:BatchWriteItem', arn.table],
    ['dynamodb:PutItem', arn.table],
    ['sns:Publish', arn.topic],
    ['logs:PutLogEvents', arn.processLogs],
    ['logs:CreateLogGroup', ownLogs],
  ];

  it('CreateUploadUrl may put objects under uploads/ (what its presigned POST needs) and record a pending upload, nothing else', async () => {
    const role = 'test-CreateUploadUrl-role';
    await iam.expectDecisions(role, [
      ['s3:PutObject', arn.dashboardUpload],
      ['dynamodb:PutItem', arn.outcomes],
      ['logs:PutLogEvents', logsOf('test-CreateUploadUrl')],
    ], 'Allowed');
    await iam.expectDecisions(role, [
      ...everythingElse(logsOf('test-CreateUploadUrl')),
      ['s3:PutObject', `${bucket}/elsewhere/x.json`],
      ['s3:PutObject', elsewhere.upload],
      ['dynamodb:UpdateItem', arn.outcomes],
      ['dynamodb:GetItem', arn.outcomes],
    ], 'ImplicitlyDenied');
  });

  it('GetUploadOutcome may read outcomes, nothing else', async () => {
    const role = 'test-GetUploadOutcome-role';
    await iam.expectDecisions(role, [['dynamodb:GetItem', arn.outcomes], ['logs:PutLogEvents', logsOf('test-GetUploadOutcome')]], 'Allowed');
    await iam.expectDecisions(role, [
      ...everythingElse(logsOf('test-GetUploadOutcome')),
      ['dynamodb:Query', arn.outcomes],
      ['dynamodb:Scan', arn.outcomes],
      ['dynamodb:GetItem', arn.table],
      ['dynamodb:PutItem', arn.outcomes],
    ], 'ImplicitlyDenied');
  });

  it('ListProducts may scan the inventory table, nothing else', async () => {
    const role = 'test-ListProducts-role';
    await iam.expectDecisions(role, [['dynamodb:Scan', arn.table], ['logs:PutLogEvents', logsOf('test-ListProducts')]], 'Allowed');
    await iam.expectDecisions(role, [
      ...everythingElse(logsOf('test-ListProducts')),
      ['dynamodb:Scan', arn.outcomes],
      ['dynamodb:Scan', elsewhere.table],
      ['dynamodb:GetItem', arn.table],
    ], 'ImplicitlyDenied');
  });

  it('the API authorizer writes its logs and nothing else: GetUser is authorized by the token itself', async () => {
    const role = 'test-InventoryApiAuthorizer-role';
    await iam.expectDecisions(role, [['logs:PutLogEvents', logsOf('test-InventoryApiAuthorizer')]], 'Allowed');
    const pool = iam.arnOf('aws_cognito_user_pool', 'test-inventory-users');
    await iam.expectDecisions(role, [...everythingElse(logsOf('test-InventoryApiAuthorizer')), ['cognito-idp:AdminGetUser', pool], ['cognito-idp:ListUsers', pool], ['dynamodb:Scan', arn.table]], 'ImplicitlyDenied');
    expect(iam.identityPolicies(role).map((policy) => policy.name)).toEqual(['write-own-logs-and-traces']);
  });
});

describe('NotifyInventoryUpdate role', () => {
  const role = 'test-lambda-inventory-notify-role';

  it('may read the inventory stream, publish to inventory-alerts, report failed batches and write its logs', async () => {
    await iam.expectDecisions(role, [
      ['dynamodb:GetShardIterator', arn.stream],
      ['dynamodb:DescribeStream', arn.stream],
      ['dynamodb:GetRecords', arn.stream],
      ['dynamodb:ListStreams', '*'],
      ['sns:Publish', arn.topic],
      ['sns:GetTopicAttributes', arn.topic],
      ['sqs:SendMessage', arn.notifyFailures],
      ['logs:PutLogEvents', arn.notifyLogs],
    ], 'Allowed');
  });

  it('may not touch anything else', async () => {
    await iam.expectDecisions(role, [
      ['dynamodb:GetRecords', elsewhere.stream],
      ['dynamodb:PutItem', arn.table],
      ['dynamodb:BatchWriteItem', arn.table],
      ['sns:Publish', elsewhere.topic],
      ['sns:Subscribe', arn.topic],
      ['sns:DeleteTopic', arn.topic],
      ['s3:GetObject', arn.upload],
      ['sqs:SendMessage', arn.processFailures],
      ['logs:PutLogEvents', arn.processLogs],
    ], 'ImplicitlyDenied');
  });
});

describe('the upload bucket policy', () => {
  const policy = iam.resourcePolicy('aws_s3_bucket_policy', arn.bucket);

  it('refuses requests without TLS, even from the function allowed to read', async () => {
    const insecure = { resourcePolicy: policy, context: { 'aws:SecureTransport': 'false' } };
    const role = 'test-lambda-inventory-process-role';
    expect(await iam.decide(role, 's3:GetObject', arn.upload, insecure)).toBe('ExplicitlyDenied');
    expect(await iam.decide(role, 's3:PutObject', arn.rejectedCopy, insecure)).toBe('ExplicitlyDenied');
    expect(await iam.decide(role, 's3:GetObject', arn.upload, { resourcePolicy: policy })).toBe('Allowed');
  });
});

describe('the policies the lab names, rebuilt as explicit documents', () => {
  it.each([
    ['test-Inventory-Read-S3', ['s3:GetObject', 's3:GetObjectVersion']],
    ['test-Inventory-Write-DynamoDB', ['dynamodb:BatchWriteItem']],
    ['test-Inventory-Read-Stream', ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']],
    ['test-Inventory-SNS-Publish', ['sns:GetTopicAttributes', 'sns:ListTopics', 'sns:Publish']],
  ])('%s allows exactly %j', (policyName, actions) => {
    const statements = iam.managedPolicy(policyName).Statement as { Action: string | string[] }[];
    expect(statements.flatMap((statement) => statement.Action).sort()).toEqual(actions);
  });
});

import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { OTHER_ACCOUNT } from '../support/fake-aws';
import { StackIam } from '../support/iam';
import { synthStack, TEST_CONFIG } from '../support/synth';

/**
 * Least privilege, proven by simulating the synthesized policies: each role may do what
 * its function really does on its own resources, and nothing else - not other actions on
 * the same resources, nor the same actions on other resources.
 */
const { stack } = synthStack(OrdersPipelineStack, 'orders-pipeline');
const iam = new StackIam(stack, TEST_CONFIG.region);

const arn = {
  table: iam.arnOf('aws_dynamodb_table', 'test-orders'),
  stream: iam.arnOf('aws_dynamodb_table', 'test-orders', 'stream_arn'),
  queue: iam.arnOf('aws_sqs_queue', 'test-POC-Queue'),
  deadLetterQueue: iam.arnOf('aws_sqs_queue', 'test-POC-Queue-dlq'),
  failureQueue: iam.arnOf('aws_sqs_queue', 'test-POC-Lambda-2-failures'),
  topic: iam.arnOf('aws_sns_topic', 'test-POC-Topic'),
  lambda1Logs: `${iam.arnOf('aws_cloudwatch_log_group', '/aws/lambda/test-POC-Lambda-1')}:log-stream:2026/11/23/abc`,
  lambda2Logs: `${iam.arnOf('aws_cloudwatch_log_group', '/aws/lambda/test-POC-Lambda-2')}:log-stream:2026/11/23/abc`,
};
// Lookalikes: the same kinds of resource, owned by someone else or another pipeline.
const elsewhere = {
  table: arn.table.replace('test-orders', 'prod-orders'),
  stream: arn.stream.replace('test-orders', 'other-table'),
  queue: arn.queue.replace('test-POC-Queue', 'test-other-queue'),
  topic: arn.topic.replace('test-POC-Topic', 'test-other-topic'),
  crossAccountTopic: arn.topic.replace('111122223333', OTHER_ACCOUNT),
};


describe('Lambda-SQS-DynamoDB (POC-Lambda-1)', () => {
  const role = 'test-Lambda-SQS-DynamoDB';

  it('may poll POC-Queue, write orders and write its own logs', async () => {
    await iam.expectDecisions(role, [
      ['sqs:ReceiveMessage', arn.queue],
      ['sqs:DeleteMessage', arn.queue],
      ['sqs:GetQueueAttributes', arn.queue],
      ['sqs:ChangeMessageVisibility', arn.queue],
      ['dynamodb:PutItem', arn.table],
      ['dynamodb:DescribeTable', arn.table],
      ['logs:CreateLogStream', arn.lambda1Logs],
      ['logs:PutLogEvents', arn.lambda1Logs],
    ], 'Allowed');
  });

  it('may do nothing else, and nothing to anything else', async () => {
    await iam.expectDecisions(role, [
      ['dynamodb:DeleteItem', arn.table],
      ['dynamodb:Scan', arn.table],
      ['dynamodb:UpdateItem', arn.table],
      ['dynamodb:PutItem', elsewhere.table],
      ['sqs:SendMessage', arn.queue],
      ['sqs:PurgeQueue', arn.queue],
      ['sqs:ReceiveMessage', arn.deadLetterQueue],
      ['sqs:ReceiveMessage', elsewhere.queue],
      ['sns:Publish', arn.topic],
      ['dynamodb:GetRecords', arn.stream],
      ['logs:PutLogEvents', arn.lambda2Logs],
    ], 'ImplicitlyDenied');
  });
});

describe('Lambda-DynamoDBStreams-SNS (POC-Lambda-2)', () => {
  const role = 'test-Lambda-DynamoDBStreams-SNS';

  it('may read the orders stream, publish to POC-Topic, report failed batches and write its own logs', async () => {
    await iam.expectDecisions(role, [
      ['dynamodb:GetShardIterator', arn.stream],
      ['dynamodb:DescribeStream', arn.stream],
      ['dynamodb:GetRecords', arn.stream],
      ['dynamodb:ListStreams', '*'],
      ['sns:Publish', arn.topic],
      ['sns:GetTopicAttributes', arn.topic],
      ['sns:ListTopics', '*'],
      ['sqs:SendMessage', arn.failureQueue],
      ['logs:CreateLogStream', arn.lambda2Logs],
      ['logs:PutLogEvents', arn.lambda2Logs],
    ], 'Allowed');
  });

  it('may do nothing else, and nothing to anything else', async () => {
    await iam.expectDecisions(role, [
      ['dynamodb:GetRecords', elsewhere.stream],
      ['dynamodb:PutItem', arn.table],
      ['dynamodb:GetItem', arn.table],
      ['sns:Publish', elsewhere.topic],
      ['sns:Publish', elsewhere.crossAccountTopic],
      ['sns:Subscribe', arn.topic],
      ['sns:SetTopicAttributes', arn.topic],
      ['sqs:SendMessage', arn.queue],
      ['sqs:ReceiveMessage', arn.failureQueue],
      ['logs:PutLogEvents', arn.lambda1Logs],
    ], 'ImplicitlyDenied');
  });
});

describe('APIGateway-SQS (POC-API)', () => {
  const role = 'test-APIGateway-SQS';

  it('may send to POC-Queue', async () => {
    await iam.expectDecisions(role, [['sqs:SendMessage', arn.queue]], 'Allowed');
  });

  it('may not send elsewhere, nor read or administer the queue', async () => {
    await iam.expectDecisions(role, [
      ['sqs:SendMessage', arn.deadLetterQueue],
      ['sqs:SendMessage', elsewhere.queue],
      ['sqs:ReceiveMessage', arn.queue],
      ['sqs:DeleteMessage', arn.queue],
      ['sqs:PurgeQueue', arn.queue],
      ['sqs:SetQueueAttributes', arn.queue],
      ['dynamodb:PutItem', arn.table],
      ['sns:Publish', arn.topic],
    ], 'ImplicitlyDenied');
  });
});

describe('resource policies', () => {
  it('refuse requests to POC-Queue without TLS, even from its own roles', async () => {
    const resourcePolicy = iam.resourcePolicy('aws_sqs_queue_policy', arn.queue);
    const insecure = { 'aws:SecureTransport': 'false' };
    expect(await iam.decide('test-APIGateway-SQS', 'sqs:SendMessage', arn.queue, { resourcePolicy, context: insecure })).toBe('ExplicitlyDenied');
    expect(await iam.decide('test-Lambda-SQS-DynamoDB', 'sqs:ReceiveMessage', arn.queue, { resourcePolicy, context: insecure })).toBe('ExplicitlyDenied');
    expect(await iam.decide('test-APIGateway-SQS', 'sqs:SendMessage', arn.queue, { resourcePolicy })).toBe('Allowed');
  });

  it('refuse publishing to POC-Topic without TLS', async () => {
    const resourcePolicy = iam.resourcePolicy('aws_sns_topic_policy', arn.topic);
    expect(
      await iam.decide('test-Lambda-DynamoDBStreams-SNS', 'sns:Publish', arn.topic, { resourcePolicy, context: { 'aws:SecureTransport': 'false' } }),
    ).toBe('ExplicitlyDenied');
    expect(await iam.decide('test-Lambda-DynamoDBStreams-SNS', 'sns:Publish', arn.topic, { resourcePolicy })).toBe('Allowed');
  });
});

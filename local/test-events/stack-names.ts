/**
 * A stack's names and ARNs as the local runtime gives them, read from the synthesized
 * configuration alone, without starting an emulator: what a test event is filled with.
 * Only a stream's label is invented (DynamoDB makes one when it creates the stream); a
 * function reads the table from its own environment, never from the event's ARN.
 */
import { LOCAL_ACCOUNT_ID } from '../emulators/local-account';
import { localBucketName } from '../provision/buckets';
import { ProvisionedStack } from '../provision/provisioned-stack';
import type { SynthesizedStack } from '../stack/synthesized-stack';

export function stackNames(stack: SynthesizedStack, now: Date = new Date()): ProvisionedStack {
  const named = new ProvisionedStack(stack, stack.region);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${stack.region}:${LOCAL_ACCOUNT_ID}:${resource}`;
  for (const [name, config] of Object.entries(stack.resources('aws_dynamodb_table'))) {
    const tableArn = arn('dynamodb', `table/${String(config.name)}`);
    const streamArn = config.stream_enabled === true ? `${tableArn}/stream/${now.toISOString().replace(/Z$/, '')}` : undefined;
    named.tables.set(name, { name: String(config.name), arn: tableArn, streamArn });
  }
  for (const [name, config] of Object.entries(stack.resources('aws_sqs_queue'))) {
    const queueName = String(config.name);
    named.queues.set(name, {
      name: queueName,
      arn: arn('sqs', queueName),
      url: `https://sqs.${stack.region}.amazonaws.com/${LOCAL_ACCOUNT_ID}/${queueName}`,
      visibilityTimeoutSeconds: typeof config.visibility_timeout_seconds === 'number' ? config.visibility_timeout_seconds : 30,
    });
  }
  for (const [name, config] of Object.entries(stack.resources('aws_sns_topic'))) {
    named.topics.set(name, { name: String(config.name), arn: arn('sns', String(config.name)), emailSubscribers: [], smsSubscribers: [] });
  }
  for (const [name, config] of Object.entries(stack.resources('aws_s3_bucket'))) {
    const bucketName = localBucketName(config);
    named.buckets.set(name, { name: bucketName, arn: `arn:aws:s3:::${bucketName}` });
  }
  return named;
}

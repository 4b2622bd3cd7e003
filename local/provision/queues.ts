/**
 * A stack's SQS queues in fauxqs, with the attributes that change behaviour locally and
 * their redrive policies. Every queue is created before any redrive policy is set, because
 * a policy names its dead-letter queue's ARN and that queue may come later in the file.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ResourceConfig } from '../stack/synthesized-stack';
import type { LocalQueue, ProvisionedStack } from './provisioned-stack';
import { required, type Provisioner } from './provisioner';

/** Terraform argument -> SQS attribute, for the arguments that change behaviour locally. */
const QUEUE_ATTRIBUTES: Record<string, string> = {
  visibility_timeout_seconds: 'VisibilityTimeout',
  message_retention_seconds: 'MessageRetentionPeriod',
  delay_seconds: 'DelaySeconds',
  max_message_size: 'MaximumMessageSize',
  receive_wait_time_seconds: 'ReceiveMessageWaitTimeSeconds',
  fifo_queue: 'FifoQueue',
  content_based_deduplication: 'ContentBasedDeduplication',
};

/** SQS's default when the stack sets none. */
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
/**
 * What terraform apply sets when the stack gives no max_message_size: hashicorp/aws 5.100
 * sends its schema default, 256 KiB, where fauxqs would take 1 MiB (SQS's own default now).
 */
const PROVIDER_DEFAULT_ATTRIBUTES: Record<string, string> = { MaximumMessageSize: '262144' };

export const provisionQueues: Provisioner = async ({ stack, clients, provisioned, onCreated }) => {
  const queueEntries = Object.entries(stack.resources('aws_sqs_queue'));
  for (const [name, config] of queueEntries) {
    provisioned.queues.set(name, await createQueue(clients.sqs, config));
  }
  for (const [name, config] of queueEntries) {
    const queue = await applyRedrivePolicy(clients.sqs, provisioned, required(provisioned.queues.get(name), name), config);
    provisioned.queues.set(name, queue);
    const redrive = queue.deadLetterQueueArn
      ? `moves a message to ${provisioned.queueByArn(queue.deadLetterQueueArn).name} after ${queue.maxReceiveCount} receives`
      : 'no dead-letter queue';
    onCreated({ type: 'queue', name: queue.name, detail: `visibility ${queue.visibilityTimeoutSeconds} s, ${redrive}` });
  }
};

async function createQueue(sqs: SQSClient, config: ResourceConfig): Promise<LocalQueue> {
  const name = String(config.name);
  const attributes: Record<string, string> = { ...PROVIDER_DEFAULT_ATTRIBUTES };
  for (const [argument, attribute] of Object.entries(QUEUE_ATTRIBUTES)) {
    if (config[argument] !== undefined) attributes[attribute] = String(config[argument]);
  }
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = required(QueueUrl, 'QueueUrl');
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return {
    name,
    url,
    arn: required(Attributes?.QueueArn, 'QueueArn'),
    visibilityTimeoutSeconds: Number(config.visibility_timeout_seconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
  };
}

async function applyRedrivePolicy(sqs: SQSClient, provisioned: ProvisionedStack, queue: LocalQueue, config: ResourceConfig): Promise<LocalQueue> {
  if (typeof config.redrive_policy !== 'string') return queue;
  const policy = JSON.parse(provisioned.resolve(config.redrive_policy)) as { deadLetterTargetArn: string; maxReceiveCount: number };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { RedrivePolicy: JSON.stringify(policy) } }));
  return { ...queue, maxReceiveCount: Number(policy.maxReceiveCount), deadLetterQueueArn: policy.deadLetterTargetArn };
}

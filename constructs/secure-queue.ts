import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { denyInsecureTransport } from './iam/policy-document';
import { ResourcePolicy } from './iam/resource-policy';

export interface SecureQueueProps {
  readonly queueName: string;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default 345600 (4 days, the SQS default) */
  readonly messageRetentionSeconds?: number;
  /** JSON redrive policy, when this queue has a dead-letter queue. @default none */
  readonly redrivePolicy?: string;
}

/** The IAM actions a consumer needs to poll a queue (exactly the lab's Lambda-Read-SQS list). */
export const SQS_CONSUMER_ACTIONS = [
  'sqs:DeleteMessage',
  'sqs:ReceiveMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
];

/**
 * An SQS queue encrypted with SQS-managed keys (SSE-SQS: no KMS key policy for senders
 * such as API Gateway to get wrong) whose queue policy refuses non-TLS requests.
 * Named senders and receivers are added to the same policy with `allowSendFrom` and
 * `allowReceiveBy`.
 */
export class SecureQueue extends Construct {
  readonly queue: SqsQueue;
  private readonly policy: ResourcePolicy;

  constructor(scope: Construct, id: string, props: SecureQueueProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? 30,
      messageRetentionSeconds: props.messageRetentionSeconds ?? 345600,
      redrivePolicy: props.redrivePolicy,
    });
    this.policy = new ResourcePolicy([denyInsecureTransport('sqs:*', [this.queue.arn])]);
    new SqsQueuePolicy(this, 'policy', { queueUrl: this.queue.url, policy: this.policy.document });
  }

  get arn(): string {
    return this.queue.arn;
  }

  get url(): string {
    return this.queue.url;
  }

  get name(): string {
    return this.queue.name;
  }

  /** As the lab's "Basic" access policy: these roles may send. */
  allowSendFrom(sid: string, roleArns: string[]): void {
    this.policy.add({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: roleArns },
      Action: 'sqs:SendMessage',
      Resource: this.queue.arn,
    });
  }

  /** As the lab's "Basic" access policy: these roles may receive. */
  allowReceiveBy(sid: string, roleArns: string[]): void {
    this.policy.add({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: roleArns },
      Action: SQS_CONSUMER_ACTIONS,
      Resource: this.queue.arn,
    });
  }
}

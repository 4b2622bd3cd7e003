import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { denyInsecureTransport, sidPart } from './iam/policy-document';
import { ResourcePolicy } from './iam/resource-policy';
import { describedAs, GrantOptions, ServiceRole } from './iam/service-role';
import { OpsAlarms } from './ops-alarms';

export interface SecureQueueProps {
  readonly queueName: string;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default 345600 (4 days, the SQS default) */
  readonly messageRetentionSeconds?: number;
  /** JSON redrive policy, when this queue has a dead-letter queue. @default none */
  readonly redrivePolicy?: string;
  /**
   * The largest message the queue takes, in bytes (SQS refuses a bigger one with 400).
   * @default 262144 (256 KiB): what hashicorp/aws 5.100 sets when none is given, and the most
   *   it accepts, although SQS itself now takes up to 1 MiB
   */
  readonly maxMessageSizeBytes?: number;
  /**
   * What the queue's alarm watches. A queue that should stay empty (a dead-letter or failure
   * queue) alarms on any message; a work queue, on a message older than any should get.
   * @default { holds: 'failures' }
   */
  readonly alarm?: QueueAlarm;
}

export type QueueAlarm = { readonly holds: 'failures' } | { readonly holds: 'work'; readonly oldestMessageAgeSeconds: number };

/** hashicorp/aws 5.100's default for max_message_size, and its upper bound. */
export const DEFAULT_MAX_MESSAGE_SIZE_BYTES = 262_144;

/** What a consumer needs to poll a queue: exactly the lab's Lambda-Read-SQS list. */
const CONSUME_ACTIONS = ['sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'];
const SEND_ACTION = 'sqs:SendMessage';

/**
 * An SQS queue encrypted with SQS-managed keys (SSE-SQS: no KMS key policy for senders
 * such as API Gateway to get wrong) whose queue policy refuses non-TLS requests. A role
 * granted to send or consume is also named in the queue policy, as the lab's "Basic"
 * access policy names its roles.
 */
export class SecureQueue extends Construct {
  readonly queue: SqsQueue;
  private readonly policy: ResourcePolicy;
  private readonly queueName: string;
  /** The largest message the queue takes, in bytes: written out, so that what names it (an API's 413) matches. */
  readonly maxMessageSizeBytes: number;

  constructor(scope: Construct, id: string, props: SecureQueueProps) {
    super(scope, id);
    this.queueName = props.queueName;
    this.maxMessageSizeBytes = props.maxMessageSizeBytes ?? DEFAULT_MAX_MESSAGE_SIZE_BYTES;
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? 30,
      messageRetentionSeconds: props.messageRetentionSeconds ?? 345600,
      maxMessageSize: this.maxMessageSizeBytes,
      redrivePolicy: props.redrivePolicy,
    });
    this.policy = new ResourcePolicy([denyInsecureTransport('sqs:*', [this.queue.arn])]);
    new SqsQueuePolicy(this, 'policy', { queueUrl: this.queue.url, policy: this.policy.document });

    const alarms = OpsAlarms.of(this);
    const alarm = props.alarm ?? { holds: 'failures' };
    if (alarm.holds === 'failures') alarms?.watchFailureQueue(this, props.queueName, this.queue.name);
    else alarms?.watchWorkQueue(this, props.queueName, this.queue.name, alarm.oldestMessageAgeSeconds);
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

  /** Lets `role` poll this queue (grant `read-queue`). */
  grantConsume(role: ServiceRole, options: GrantOptions = {}): ITerraformDependable {
    const permission = role.grant(
      'read-queue',
      [{ Effect: 'Allow', Action: CONSUME_ACTIONS, Resource: [this.queue.arn] }],
      describedAs(`Lets the role poll ${this.queueName}`, options),
    );
    this.allow(`AllowReceiveBy${sidPart(role.roleName)}`, role, CONSUME_ACTIONS);
    return permission;
  }

  /** Lets `role` send to this queue (grant `send-to-queue`). */
  grantSend(role: ServiceRole, options: GrantOptions = {}): ITerraformDependable {
    const permission = role.grant(
      'send-to-queue',
      [{ Sid: 'SendToQueue', Effect: 'Allow', Action: [SEND_ACTION], Resource: [this.queue.arn] }],
      describedAs(`Lets the role send to ${this.queueName}`, options),
    );
    this.allow(`AllowSendFrom${sidPart(role.roleName)}`, role, SEND_ACTION);
    return permission;
  }

  /** Names the role in the queue policy; the Sid names it too, so each grantee has its own. */
  private allow(sid: string, role: ServiceRole, actions: string | string[]): void {
    this.policy.add({ Sid: sid, Effect: 'Allow', Principal: { AWS: [role.arn] }, Action: actions, Resource: this.queue.arn });
  }
}

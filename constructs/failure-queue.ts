import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { NodejsFunction } from './nodejs-function';
import { SecureQueue } from './secure-queue';

/** The longest SQS keeps a message: time for a person to look at what failed. */
export const FOURTEEN_DAYS_SECONDS = 14 * 24 * 60 * 60;

export interface FailureQueueProps {
  readonly queueName: string;
  /** The function whose event source sends here. */
  readonly consumer: NodejsFunction;
}

export interface FailureQueue {
  readonly queue: SecureQueue;
  /** What a resource that sends on creation (a mapping, an invoke config) must depend on. */
  readonly sendPermission: ITerraformDependable;
}

/**
 * The queue where Lambda keeps what a function's event source gave up on (a stream
 * batch's details, an asynchronous event), so nothing is dropped unseen. Lambda sends with
 * the function's own role: the role may send to this queue only, and the queue's policy
 * names the role. Created in `scope` directly, so the queue's Terraform name stays that of
 * the construct using it.
 */
export function createFailureQueue(scope: Construct, props: FailureQueueProps): FailureQueue {
  const queue = new SecureQueue(scope, 'failure-queue', {
    queueName: props.queueName,
    messageRetentionSeconds: FOURTEEN_DAYS_SECONDS,
  });
  return { queue, sendPermission: queue.grantSend(props.consumer.role) };
}

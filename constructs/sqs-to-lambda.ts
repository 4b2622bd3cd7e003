import { Construct } from 'constructs';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { NodejsFunction } from './nodejs-function';
import { FOURTEEN_DAYS_SECONDS } from './failure-queue';
import { SecureQueue } from './secure-queue';

export interface SqsToLambdaProps {
  readonly queueName: string;
  readonly consumer: NodejsFunction;
  /**
   * Name of the customer-managed policy that lets the consumer poll the queue (a lab's
   * named policy). @default an inline policy, `read-queue`
   */
  readonly readPolicyName?: string;
  /** @default `${queueName}-dlq` */
  readonly deadLetterQueueName?: string;
  /** Receives before a message moves to the dead-letter queue. @default 3 */
  readonly maxReceiveCount?: number;
  /** @default 10 */
  readonly batchSize?: number;
  /** Upper bound on concurrent invocations, protecting downstream tables. @default 10 */
  readonly maximumConcurrency?: number;
}

/** AWS's guidance: at least six times the function timeout, so retries of a batch never overlap. */
export const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

/**
 * A queue feeding a function: dead-letter queue with a bounded receive count,
 * a visibility timeout derived from the function timeout, partial batch responses,
 * and the consumer's permission to poll scoped to this queue.
 */
export class SqsToLambda extends Construct {
  readonly queue: SecureQueue;
  readonly deadLetterQueue: SecureQueue;
  readonly eventSourceMapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: SqsToLambdaProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 3;

    this.deadLetterQueue = new SecureQueue(this, 'dead-letter-queue', {
      queueName: props.deadLetterQueueName ?? `${props.queueName}-dlq`,
      messageRetentionSeconds: FOURTEEN_DAYS_SECONDS,
    });
    const visibilityTimeoutSeconds = VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * props.consumer.timeoutSeconds;
    this.queue = new SecureQueue(this, 'queue', {
      queueName: props.queueName,
      visibilityTimeoutSeconds,
      // Older than this, a message should already have gone to the dead-letter queue: the consumer has stalled.
      alarm: { holds: 'work', oldestMessageAgeSeconds: maxReceiveCount * visibilityTimeoutSeconds },
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount }),
    });
    new SqsQueueRedriveAllowPolicy(this, 'dead-letter-source', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });

    const readPermission = this.queue.grantConsume(props.consumer.role, {
      policyName: props.readPolicyName,
      description: `Lets ${props.consumer.name} poll ${props.queueName}`,
    });

    this.eventSourceMapping = new LambdaEventSourceMapping(this, 'trigger', {
      eventSourceArn: this.queue.arn,
      functionName: props.consumer.functionArn,
      batchSize: props.batchSize ?? 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: props.maximumConcurrency ?? 10 },
      // Lambda checks the role can poll the queue when the mapping is created.
      dependsOn: [readPermission],
    });
  }
}

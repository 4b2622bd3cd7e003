import { Construct } from 'constructs';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { NodejsFunction } from './nodejs-function';
import { createFailureQueue } from './failure-queue';
import { OpsAlarms } from './ops-alarms';
import { SecureQueue } from './secure-queue';
import { SecureTable } from './secure-table';

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

export interface DynamoDBStreamsToLambdaProps {
  readonly table: SecureTable;
  readonly consumer: NodejsFunction;
  /**
   * Name of the customer-managed policy that lets the consumer read the stream (a lab's
   * named policy). @default an inline policy, `read-stream`
   */
  readonly readPolicyName?: string;
  /** Name of the queue receiving the metadata of batches that kept failing. */
  readonly failureQueueName: string;
  /** Only these record types invoke the function (a filter on the mapping, not in code). @default all */
  readonly eventNames?: StreamEventName[];
  /** @default 10 */
  readonly batchSize?: number;
  /** Batches of one shard processed at the same time (1-10), in key order per batch. @default 1 */
  readonly parallelizationFactor?: number;
  /** @default 3 */
  readonly maximumRetryAttempts?: number;
  /** Records older than this go to the failure queue instead of being retried. @default 3600 */
  readonly maximumRecordAgeSeconds?: number;
}

/**
 * A DynamoDB stream feeding a function, with the reliability a stream consumer needs:
 * a poison record cannot block its shard (bisect on error, bounded retries and record
 * age, partial batch responses), and what is given up on is kept in a failure queue.
 */
export class DynamoDBStreamsToLambda extends Construct {
  readonly failureQueue: SecureQueue;
  readonly eventSourceMapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: DynamoDBStreamsToLambdaProps) {
    super(scope, id);
    const { consumer, table } = props;

    const failures = createFailureQueue(this, { queueName: props.failureQueueName, consumer });
    this.failureQueue = failures.queue;

    const readPermission = table.grantStreamRead(consumer.role, {
      policyName: props.readPolicyName,
      description: `Lets ${consumer.name} read the stream of its table`,
    });

    this.eventSourceMapping = new LambdaEventSourceMapping(this, 'trigger', {
      eventSourceArn: table.streamArn,
      functionName: consumer.functionArn,
      // TRIM_HORIZON: records written before the mapping was ready are still processed.
      startingPosition: 'TRIM_HORIZON',
      batchSize: props.batchSize ?? 10,
      parallelizationFactor: props.parallelizationFactor,
      filterCriteria: props.eventNames
        ? { filter: [{ pattern: JSON.stringify({ eventName: props.eventNames }) }] }
        : undefined,
      functionResponseTypes: ['ReportBatchItemFailures'],
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: props.maximumRetryAttempts ?? 3,
      maximumRecordAgeInSeconds: props.maximumRecordAgeSeconds ?? 3600,
      destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
      // Lambda checks the role can read the stream when the mapping is created.
      dependsOn: [readPermission, failures.sendPermission],
    });
    OpsAlarms.of(this)?.watchStreamMapping(this, consumer.name, consumer.function.functionName);
  }
}

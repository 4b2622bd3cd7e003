import { Construct } from 'constructs';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { arnPart } from './arn';
import { NodejsFunction } from './nodejs-function';
import { SecureBucket } from './secure-bucket';
import { createFailureQueue } from './failure-queue';
import { SecureQueue } from './secure-queue';

export interface S3ToLambdaProps {
  readonly bucket: SecureBucket;
  readonly consumer: NodejsFunction;
  /** Only objects whose keys start with this invoke the function, e.g. `uploads/`. */
  readonly keyPrefix: string;
  /** ... and end with this, e.g. `.json`. @default any */
  readonly keySuffix?: string;
  /**
   * Name of the customer-managed policy that lets the consumer read what triggers it (a
   * lab's named policy). @default an inline policy, `read-<key prefix>`
   */
  readonly readPolicyName?: string;
  /** Name of the queue receiving the events the function kept failing on. */
  readonly failureQueueName: string;
  /** Retries of a failed asynchronous invocation (0-2). @default 2 */
  readonly maximumRetryAttempts?: number;
  /** Events older than this are sent to the failure queue instead of being retried. @default 3600 */
  readonly maximumEventAgeSeconds?: number;
}

/**
 * New objects under a key prefix invoke a function: the bucket notification (with its
 * prefix and suffix filters), S3's permission to invoke scoped to this bucket in this
 * account, read access to those keys only, and asynchronous invocation with bounded
 * retries whose final failures land in a queue rather than being dropped.
 *
 * S3 keeps one notification configuration per bucket: a second S3ToLambda on the same
 * bucket would replace the first, so a bucket has one.
 */
export class S3ToLambda extends Construct {
  readonly failureQueue: SecureQueue;
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: S3ToLambdaProps) {
    super(scope, id);
    const { bucket, consumer } = props;

    bucket.grantRead(consumer.role, {
      prefix: props.keyPrefix,
      suffix: props.keySuffix,
      policyName: props.readPolicyName,
      description: `Lets ${consumer.name} read the objects that trigger it`,
    });

    const failures = createFailureQueue(this, { queueName: props.failureQueueName, consumer });
    this.failureQueue = failures.queue;
    new LambdaFunctionEventInvokeConfig(this, 'async-invocation', {
      functionName: consumer.function.functionName,
      maximumRetryAttempts: props.maximumRetryAttempts ?? 2,
      maximumEventAgeInSeconds: props.maximumEventAgeSeconds ?? 3600,
      destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
      dependsOn: [failures.sendPermission],
    });

    const invokePermission = new LambdaPermission(this, 'allow-bucket', {
      statementId: 'AllowInvokeFromUploadBucket',
      action: 'lambda:InvokeFunction',
      functionName: consumer.function.functionName,
      principal: 's3.amazonaws.com',
      sourceArn: bucket.arn,
      // A bucket ARN names no account: without this, a bucket of the same name in another
      // account (after this one is deleted) could invoke the function.
      sourceAccount: arnPart(consumer.functionArn, 'account'),
    });

    this.notification = new S3BucketNotification(this, 'notification', {
      bucket: bucket.bucket.id,
      lambdaFunction: [
        {
          id: `invoke-${consumer.name}`,
          lambdaFunctionArn: consumer.functionArn,
          events: ['s3:ObjectCreated:*'],
          filterPrefix: props.keyPrefix,
          filterSuffix: props.keySuffix,
        },
      ],
      // S3 tests the destination when the configuration is saved: it must be allowed to invoke.
      dependsOn: [invokePermission],
    });
  }
}

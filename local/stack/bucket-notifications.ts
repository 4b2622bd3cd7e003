/**
 * Reads which new objects invoke which function (`aws_s3_bucket_notification`). Only
 * function targets run locally; a notification to a queue or topic is refused by name.
 */
import { functionNameOf } from '../lambda/function-arn';
import type { Resolve, SynthesizedStack } from './synthesized-stack';

/** One `lambda_function` block of a bucket's notification configuration, resolved. */
export interface BucketNotificationSettings {
  /** The configuration's id, which S3 reports as `configurationId`. */
  readonly id: string;
  readonly bucket: string;
  /** e.g. `s3:ObjectCreated:*` or `s3:ObjectCreated:Put`. */
  readonly events: readonly string[];
  readonly filterPrefix?: string;
  readonly filterSuffix?: string;
  readonly functionName: string;
}

interface LambdaFunctionBlock {
  readonly id?: string;
  readonly lambda_function_arn: string;
  readonly events: string[];
  readonly filter_prefix?: string;
  readonly filter_suffix?: string;
}

export function bucketNotifications(stack: SynthesizedStack, resolve: Resolve): BucketNotificationSettings[] {
  return Object.values(stack.resources('aws_s3_bucket_notification')).flatMap((config) => {
    const bucket = resolve(String(config.bucket));
    if (config.queue !== undefined || config.topic !== undefined) {
      throw new Error(`The local runtime cannot deliver S3 notifications of bucket ${bucket} to queues or topics yet, only to functions`);
    }
    return ((config.lambda_function as LambdaFunctionBlock[] | undefined) ?? []).map((target) => ({
      // Terraform's own id for a block without one.
      id: target.id ?? 'tf-s3-lambda',
      bucket,
      events: target.events,
      filterPrefix: target.filter_prefix,
      filterSuffix: target.filter_suffix,
      functionName: functionNameOf(resolve(target.lambda_function_arn)),
    }));
  });
}

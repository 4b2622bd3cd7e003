/**
 * S3 event notifications to Lambda, as a bucket's notification configuration declares
 * them: each object created is matched against every configuration's event types and
 * key filters, and each match invokes its function asynchronously with S3's event.
 */
import type { AsyncInvoker } from '../lambda/async-invoker';
import { s3EventRecord, type CreatedObject } from './s3-event-record';

/** One `lambda_function` block of an aws_s3_bucket_notification, resolved. */
export interface LambdaNotification {
  /** The configuration's id, which S3 reports as `configurationId`. */
  readonly id: string;
  readonly bucket: string;
  /** e.g. `s3:ObjectCreated:*` or `s3:ObjectCreated:Put`. */
  readonly events: readonly string[];
  readonly filterPrefix?: string;
  readonly filterSuffix?: string;
  readonly invoker: AsyncInvoker;
}

/** Whether S3 would send this notification for this object. Filters apply to the raw key. */
export function notificationMatches(notification: Omit<LambdaNotification, 'invoker'>, object: CreatedObject): boolean {
  if (object.bucket !== notification.bucket) return false;
  const eventType = `s3:${object.eventName}`;
  const typeMatches = notification.events.some((pattern) =>
    pattern.endsWith(':*') ? eventType.startsWith(pattern.slice(0, -1)) : eventType === pattern,
  );
  return (
    typeMatches &&
    object.key.startsWith(notification.filterPrefix ?? '') &&
    object.key.endsWith(notification.filterSuffix ?? '')
  );
}

/**
 * Delivers each created object to the notifications it matches.
 * @returns what to call to stop delivering
 */
export function startS3Notifications(
  source: { onObjectCreated(listener: (object: CreatedObject) => void): () => void },
  notifications: readonly LambdaNotification[],
  region: string,
): { stop(): void } {
  const stop = source.onObjectCreated((object) => {
    for (const notification of notifications) {
      if (!notificationMatches(notification, object)) continue;
      notification.invoker.enqueue({ Records: [s3EventRecord(object, { region, configurationId: notification.id })] });
    }
  });
  return { stop };
}

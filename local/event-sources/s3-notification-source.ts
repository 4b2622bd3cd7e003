/**
 * S3 event notifications to Lambda, as a bucket's notification configuration declares
 * them: each object created is matched against every configuration's event types and
 * key filters, and each match invokes its function asynchronously with S3's event.
 */
import type { AsyncInvoker } from '../lambda/async-invoker';
import type { RunningPart } from '../running-part';
import type { BucketNotificationSettings } from '../stack/bucket-notifications';
import { s3EventRecord, type CreatedObject } from './s3-event-record';

/** One `lambda_function` block of a bucket's notification configuration, with the invoker of its function. */
export interface LambdaNotification extends Omit<BucketNotificationSettings, 'functionName'> {
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
 * Delivers each created object to the notifications it matches. Idle once every event
 * delivered has been handled by its function (or given up on); stop() stops delivering
 * and abandons the invokers' waiting retries.
 */
export function startS3Notifications(
  source: { onObjectCreated(listener: (object: CreatedObject) => void): () => void },
  notifications: readonly LambdaNotification[],
  region: string,
): RunningPart {
  const unsubscribe = source.onObjectCreated((object) => {
    for (const notification of notifications) {
      if (!notificationMatches(notification, object)) continue;
      notification.invoker.enqueue({ Records: [s3EventRecord(object, { region, configurationId: notification.id })] });
    }
  });
  const invokers = [...new Set(notifications.map((notification) => notification.invoker))];
  return {
    idle: async () => {
      await Promise.all(invokers.map((invoker) => invoker.idle()));
    },
    stop: async () => {
      unsubscribe();
      await Promise.all(invokers.map((invoker) => invoker.stop()));
    },
  };
}

import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OrderNotification } from './notification';

/**
 * Publishes one notification. Only Publish is called: the function's role allows
 * sns:Publish on this topic and nothing else.
 *
 * @returns the SNS message id, for the log line that ties a row to its email
 */
export async function publishNotification(
  sns: SNSClient,
  topicArn: string,
  notification: OrderNotification,
): Promise<string | undefined> {
  const { MessageId } = await sns.send(
    new PublishCommand({ TopicArn: topicArn, Subject: notification.subject, Message: notification.message }),
  );
  return MessageId;
}

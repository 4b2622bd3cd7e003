import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** One email as SNS sends it: the subject line and the plain-text body. */
export interface Notification {
  /** ASCII, under 100 characters, one line: what SNS accepts as an email subject. */
  readonly subject: string;
  readonly message: string;
}

/**
 * Publishes one notification. Only Publish is called: the function's role allows
 * sns:Publish on its topic and nothing else.
 *
 * @returns the SNS message id, for the log line that ties a row to its email
 */
export async function publishNotification(
  sns: SNSClient,
  topicArn: string,
  notification: Notification,
): Promise<string | undefined> {
  const { MessageId } = await sns.send(
    new PublishCommand({ TopicArn: topicArn, Subject: notification.subject, Message: notification.message }),
  );
  return MessageId;
}

/**
 * An SQS queue subscribed to an SNS topic in fauxqs, standing in for the topic's email
 * subscriber: what a handler publishes can be read back as the envelope SNS delivers.
 */
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** The envelope SNS wraps around a message it delivers to an SQS subscriber. */
export interface SnsEnvelope {
  readonly Type: string;
  readonly Subject: string | null;
  readonly Message: string;
}

export interface SubscriberClients {
  readonly sns: SNSClient;
  /** Needs an explicit endpoint: fauxqs's queue URLs name a host that does not resolve. */
  readonly sqs: SQSClient;
}

export interface SubscribedQueue {
  readonly topicArn: string;
  readonly queueUrl: string;
}

/** Creates the topic and a new queue, and subscribes the queue to the topic. */
export async function subscribeNewQueue(
  { sns, sqs }: SubscriberClients,
  { topicName, queueName }: { readonly topicName: string; readonly queueName: string },
): Promise<SubscribedQueue> {
  const { TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: topicName }));
  const { QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  // Subscribe names the queue by its ARN, which only GetQueueAttributes gives.
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
  return { topicArn, queueUrl };
}

/**
 * Everything SNS delivered to the queue (up to 10 messages, waiting up to `waitSeconds` for
 * the first), removed from it once read so that a later receive sees only newer messages.
 */
export async function receiveEnvelopes(sqs: SQSClient, queueUrl: string, waitSeconds: number): Promise<SnsEnvelope[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
  );
  if (Messages.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
  return Messages.map((message) => JSON.parse(message.Body ?? '') as SnsEnvelope);
}

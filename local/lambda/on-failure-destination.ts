/**
 * Where Lambda sends the record of what it gave up on: an event source mapping's
 * `destination_config.on_failure` or an asynchronous invocation's on-failure destination.
 * Locally, a queue or a topic of the stack; anything else is refused when the pipeline starts.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ProvisionedStack } from '../provision/provisioned-stack';

export interface OnFailureDestination {
  /** The queue's or topic's name, for progress output. */
  readonly name: string;
  /** Sends the invocation record as JSON, as Lambda does. */
  send(invocationRecord: object): Promise<void>;
}

export function onFailureDestination(
  arn: string,
  resources: ProvisionedStack,
  clients: { readonly sqs: SQSClient; readonly sns: SNSClient },
): OnFailureDestination {
  if (arn.startsWith('arn:aws:sqs:')) {
    const queue = resources.queueByArn(arn);
    return {
      name: queue.name,
      send: async (record) => {
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(record) }));
      },
    };
  }
  if (arn.startsWith('arn:aws:sns:')) {
    return {
      name: arn.split(':')[5],
      send: async (record) => {
        await clients.sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify(record) }));
      },
    };
  }
  throw new Error(`The local runtime cannot send on-failure records to ${arn}: only SQS queues and SNS topics`);
}

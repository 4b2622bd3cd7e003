/** The console's "SNS Topic Notification" template, from one of the stack's topics. */
import type { SNSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { TestEventTemplate } from '../test-event-template';

export const snsTemplate: TestEventTemplate = {
  name: 'sns',
  description: "a notification from the stack's topic, as SNS delivers it to a function",
  options: ['body'],
  unfit: (stack) => (Object.keys(stack.resources('aws_sns_topic')).length === 0 ? 'it has no SNS topic' : undefined),
  build: ({ names, options, now }): SNSEvent => {
    const [topic] = names.topics.values();
    return {
      Records: [
        {
          EventVersion: '1.0',
          EventSubscriptionArn: `${topic.arn}:${randomUUID()}`,
          EventSource: 'aws:sns',
          Sns: {
            SignatureVersion: '1',
            Timestamp: now.toISOString(),
            Signature: 'EXAMPLE',
            SigningCertUrl: 'EXAMPLE',
            MessageId: randomUUID(),
            Message: options.body ?? 'Hello from SNS!',
            MessageAttributes: {},
            Type: 'Notification',
            UnsubscribeUrl: 'EXAMPLE',
            TopicArn: topic.arn,
            Subject: 'TestInvoke',
          },
        },
      ],
    };
  },
};

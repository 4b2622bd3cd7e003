/** The console's "SNS Topic Notification" template, from one of the stack's topics. */
import type { SNSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { SynthesizedStack } from '../../stack/synthesized-stack';
import type { TestEventTemplate } from '../test-event-template';

/** The pipeline's own topics first: the ops topic, where alarms publish, carries no pipeline message. */
function byPipelineTopicsFirst(stack: SynthesizedStack) {
  const alarmTopics = new Set(
    Object.values(stack.resources('aws_cloudwatch_metric_alarm')).flatMap((alarm) => (alarm.alarm_actions ?? []) as string[]),
  );
  const isAlarmTopic = (name: string) => alarmTopics.has(`\${aws_sns_topic.${name}.arn}`);
  return ([a]: [string, unknown], [b]: [string, unknown]) => Number(isAlarmTopic(a)) - Number(isAlarmTopic(b));
}

export const snsTemplate: TestEventTemplate = {
  name: 'sns',
  description: "a notification from the stack's topic, as SNS delivers it to a function",
  options: ['body'],
  unfit: (stack) => (Object.keys(stack.resources('aws_sns_topic')).length === 0 ? 'it has no SNS topic' : undefined),
  build: ({ stack, names, options, now }): SNSEvent => {
    const [[, topic]] = [...names.topics.entries()].sort(byPipelineTopicsFirst(stack));
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

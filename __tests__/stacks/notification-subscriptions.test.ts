import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { synthStack, TEST_CONFIG, ReportPipelineTestStack } from '../support/synth';

/**
 * NOTIFICATION_EMAIL and NOTIFICATION_SMS, across every stack with a topic: each topic
 * gets one subscription per configured address, none without, and an SMS subscription
 * changes no policy (SNS delivers SMS itself).
 */
const STACKS = [
  ['orders-pipeline', OrdersPipelineStack],
  ['inventory-pipeline', InventoryPipelineStack],
  ['report-pipeline', ReportPipelineTestStack],
] as const;
const PHONE = '+14155550100';
const EMAIL = 'ops@example.com';

const POLICY_TYPES = ['aws_sns_topic_policy', 'aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_role'];

describe.each(STACKS)('%s', (id, StackType) => {
  const synth = (config: Partial<typeof TEST_CONFIG>) => synthStack(StackType, id, { ...TEST_CONFIG, ...config }).stack;
  const subscriptions = (stack: ReturnType<typeof synth>) =>
    Object.values(stack.resources('aws_sns_topic_subscription')).map(({ topic_arn, protocol, endpoint }) => ({ topic_arn, protocol, endpoint }));
  // The notification topics: the ops topic takes ALARM_EMAIL and ALARM_SMS instead (alarm-coverage.test.ts).
  const topicArns = (stack: ReturnType<typeof synth>) =>
    Object.entries(stack.resources('aws_sns_topic'))
      .filter(([, topic]) => !String(topic.name).endsWith('-ops'))
      .map(([key]) => `\${aws_sns_topic.${key}.arn}`);

  it('subscribes the phone number by SMS and the address by email to every topic', () => {
    const stack = synth({ notificationEmail: EMAIL, notificationSms: PHONE });
    const topics = topicArns(stack);
    expect(topics.length).toBeGreaterThan(0);
    expect(subscriptions(stack)).toEqual(
      expect.arrayContaining(
        topics.flatMap((topic_arn) => [
          { topic_arn, protocol: 'email', endpoint: EMAIL },
          { topic_arn, protocol: 'sms', endpoint: PHONE },
        ]),
      ),
    );
    expect(subscriptions(stack)).toHaveLength(topics.length * 2);
  });

  it('subscribes by SMS alone when only NOTIFICATION_SMS is set', () => {
    const stack = synth({ notificationSms: PHONE });
    expect(subscriptions(stack)).toEqual(topicArns(stack).map((topic_arn) => ({ topic_arn, protocol: 'sms', endpoint: PHONE })));
  });

  it('has no SMS subscription without NOTIFICATION_SMS', () => {
    expect(subscriptions(synth({}))).toEqual([]);
    expect(subscriptions(synth({ notificationEmail: EMAIL })).map((subscription) => subscription.protocol)).toEqual(
      topicArns(synth({})).map(() => 'email'),
    );
  });

  it('changes no topic policy or IAM policy for SMS', () => {
    const without = synth({ notificationEmail: EMAIL });
    const withSms = synth({ notificationEmail: EMAIL, notificationSms: PHONE });
    expect(Object.keys(without.resources('aws_sns_topic_policy')).length).toBeGreaterThan(0);
    for (const type of POLICY_TYPES) expect(withSms.resources(type)).toEqual(without.resources(type));
  });
});

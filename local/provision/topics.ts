/**
 * A stack's SNS topics in fauxqs, and their subscriptions: queue subscriptions are made
 * as declared; email and SMS ones are remembered, because nothing local can send mail or
 * texts (the notification inbox captures what each topic would send).
 */
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { required, type Provisioner } from './provisioner';

export const provisionTopics: Provisioner = async ({ stack, clients, provisioned, onCreated }) => {
  for (const [name, config] of Object.entries(stack.resources('aws_sns_topic'))) {
    const topicName = String(config.name);
    const attributes = config.fifo_topic === true ? { FifoTopic: 'true' } : undefined;
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: topicName, Attributes: attributes }));
    provisioned.topics.set(name, { name: topicName, arn: required(TopicArn, 'TopicArn'), emailSubscribers: [], smsSubscribers: [] });
    onCreated({ type: 'topic', name: topicName, detail: '' });
  }
};

/** Runs after the queues exist: a queue subscription names its queue's ARN. */
export const provisionSubscriptions: Provisioner = async ({ stack, clients, provisioned, onCreated }) => {
  for (const config of Object.values(stack.resources('aws_sns_topic_subscription'))) {
    const topicArn = provisioned.resolve(String(config.topic_arn));
    const topicEntry = [...provisioned.topics.entries()].find(([, topic]) => topic.arn === topicArn);
    if (!topicEntry) throw new Error(`A subscription names the topic ${topicArn}, which the stack does not create`);
    const [topicKey, topic] = topicEntry;
    const endpoint = provisioned.resolve(String(config.endpoint));
    switch (config.protocol) {
      case 'email':
      case 'email-json':
        provisioned.topics.set(topicKey, { ...topic, emailSubscribers: [...topic.emailSubscribers, endpoint] });
        onCreated({ type: 'subscription', name: topic.name, detail: `email to ${endpoint} (captured locally, not sent)` });
        break;
      case 'sms':
        provisioned.topics.set(topicKey, { ...topic, smsSubscribers: [...topic.smsSubscribers, endpoint] });
        onCreated({ type: 'subscription', name: topic.name, detail: `sms to ${endpoint} (captured locally, not sent)` });
        break;
      case 'sqs':
        await clients.sns.send(
          new SubscribeCommand({
            TopicArn: topicArn,
            Protocol: 'sqs',
            Endpoint: endpoint,
            Attributes: config.raw_message_delivery === true ? { RawMessageDelivery: 'true' } : undefined,
          }),
        );
        onCreated({ type: 'subscription', name: topic.name, detail: `to queue ${endpoint}` });
        break;
      default:
        throw new Error(`The local runtime cannot deliver SNS protocol ${String(config.protocol)} (topic ${topic.name})`);
    }
  }
};

import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { accountRootOf, arnPart } from './arn';
import { denyInsecureTransport, policyDocument, PolicyStatement } from './iam/policy-document';
import { describedAs, GrantOptions, ServiceRole } from './iam/service-role';
import { OpsAlarms } from './ops-alarms';

export interface SecureTopicProps {
  readonly topicName: string;
  /** Address subscribed by email; the subscription waits for the recipient to confirm. @default none */
  readonly emailSubscription?: string;
  /**
   * Phone number in E.164 form subscribed by SMS; SNS needs no confirmation for it, but an
   * account in the SMS sandbox delivers only to numbers verified there. @default none
   */
  readonly smsSubscription?: string;
  /**
   * KMS key for encryption at rest. The AWS-managed key lets same-account publishers
   * use it through SNS without a key policy of our own.
   * @default 'alias/aws/sns'
   */
  readonly kmsMasterKeyId?: string;
  /**
   * Lets CloudWatch publish the alarms whose names start with this prefix, in the topic's own
   * account (an ops topic). Its key must let CloudWatch use it too. @default no alarms
   */
  readonly alarmNamePrefix?: string;
}

/** The topic actions the owning account keeps (the console's default owner statement). */
const OWNER_ACTIONS = [
  'sns:GetTopicAttributes',
  'sns:SetTopicAttributes',
  'sns:AddPermission',
  'sns:RemovePermission',
  'sns:DeleteTopic',
  'sns:Subscribe',
  'sns:ListSubscriptionsByTopic',
  'sns:Publish',
];

/** With PUBLISH_LIST_ACTIONS: exactly the lab's Lambda-SNS-Publish list. */
const PUBLISH_ACTIONS = ['sns:Publish', 'sns:GetTopicAttributes'];
/** ListTopics acts on the account's topics, not on one topic ARN. */
const PUBLISH_LIST_ACTIONS = ['sns:ListTopics'];

/**
 * CloudWatch publishes as its service principal, which the owner statement does not admit;
 * the conditions keep it to this account's alarms under the prefix (the confused-deputy guard).
 */
function allowAlarms(topicArn: string, alarmNamePrefix: string): PolicyStatement {
  const account = arnPart(topicArn, 'account');
  return {
    Sid: 'CloudWatchAlarmsPublish',
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: 'sns:Publish',
    Resource: topicArn,
    Condition: {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${arnPart(topicArn, 'partition')}:cloudwatch:${arnPart(topicArn, 'region')}:${account}:alarm:${alarmNamePrefix}*` },
    },
  };
}

/**
 * An SNS topic encrypted at rest whose policy admits only its own account (no
 * "Everyone" statements) and refuses publishing without TLS; optionally an email
 * subscription and an SMS one.
 */
export class SecureTopic extends Construct {
  readonly topic: SnsTopic;
  private readonly topicName: string;

  constructor(scope: Construct, id: string, props: SecureTopicProps) {
    super(scope, id);
    this.topicName = props.topicName;
    this.topic = new SnsTopic(this, 'topic', {
      name: props.topicName,
      kmsMasterKeyId: props.kmsMasterKeyId ?? 'alias/aws/sns',
    });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: 'OwnerAccountOnly',
          Effect: 'Allow',
          Principal: { AWS: accountRootOf(this.topic.arn) },
          Action: OWNER_ACTIONS,
          Resource: this.topic.arn,
        },
        ...(props.alarmNamePrefix ? [allowAlarms(this.topic.arn, props.alarmNamePrefix)] : []),
        denyInsecureTransport('sns:Publish', [this.topic.arn]),
      ]),
    });
    if (props.emailSubscription) {
      new SnsTopicSubscription(this, 'email', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.emailSubscription,
      });
    }
    // SNS delivers SMS itself: the topic policy and the publishers' grants need nothing more.
    if (props.smsSubscription) {
      new SnsTopicSubscription(this, 'sms', {
        topicArn: this.topic.arn,
        protocol: 'sms',
        endpoint: props.smsSubscription,
      });
    }
    const alarms = OpsAlarms.of(this);
    if (alarms && !alarms.owns(this)) alarms.watchTopic(this, props.topicName, this.topic.name);
  }

  get arn(): string {
    return this.topic.arn;
  }

  /**
   * Lets `role` publish to this topic only (grant `publish-topic`). The topic policy needs
   * no statement for it: it already admits the account's own principals.
   */
  grantPublish(role: ServiceRole, options: GrantOptions = {}): ITerraformDependable {
    return role.grant(
      'publish-topic',
      [
        { Sid: 'PublishToTopic', Effect: 'Allow', Action: PUBLISH_ACTIONS, Resource: [this.topic.arn] },
        {
          Sid: 'ListTopics',
          Effect: 'Allow',
          Action: PUBLISH_LIST_ACTIONS,
          // ListTopics supports no resource-level permissions: "*" is the only valid resource.
          Resource: '*',
        },
      ],
      describedAs(`Lets the role publish to ${this.topicName}`, options),
    );
  }
}

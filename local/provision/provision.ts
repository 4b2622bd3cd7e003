/**
 * Creates a synthesized stack's data resources (tables, queues, topics, subscriptions)
 * in the local emulators, with the names, keys, streams and redrive policies the stack
 * declares, and resolves the stack's `${...}` references to what was created. Nothing
 * here knows the orders pipeline: it reads resource types, so a new stack's tables and
 * queues exist locally as soon as they are synthesized.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RunningMariaDb } from '../emulators/mariadb';
import type { RunningSecretsManager } from '../emulators/secrets-manager';
import type { ResourceConfig, SynthesizedStack } from '../stack/synthesized-stack';

/** The account id the emulators put in every ARN they make. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface LocalTable {
  readonly name: string;
  readonly arn: string;
  /** Absent when the table has no stream. */
  readonly streamArn?: string;
}

export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  /** From the queue's redrive policy: receives before the queue moves a message to its DLQ. */
  readonly maxReceiveCount?: number;
  readonly deadLetterQueueArn?: string;
}

export interface LocalBucket {
  readonly name: string;
  readonly arn: string;
}

/** An Aurora cluster of the stack, served locally by MariaDB. */
export interface LocalDatabase {
  readonly identifier: string;
  readonly host: string;
  readonly port: number;
  /** The local secret holding the master login, as RDS keeps it. */
  readonly secretArn: string;
}

export interface LocalTopic {
  readonly name: string;
  readonly arn: string;
  /** Addresses the stack subscribes by email; locally their mail is captured instead. */
  readonly emailSubscribers: readonly string[];
}

export interface ProvisionClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  /** Required when the stack has a database: what serves it locally. */
  readonly databases?: { readonly mariadb: RunningMariaDb; readonly secrets: RunningSecretsManager };
}

/** What one resource creation looked like, for progress output. */
export interface ProvisionedResource {
  readonly type: string;
  readonly name: string;
  readonly detail: string;
}

/**
 * Resource types that shape AWS but have no local counterpart here: IAM and resource
 * policies are proven by the policy simulation tests, logs go to the terminal, a
 * bucket's encryption, versioning, lifecycle and public access settings have nothing to
 * act on locally, nor does a VPC (every local function reaches every emulator; the
 * network rules are proven by the synth tests), a cluster's instances and parameters are
 * one MariaDB, and API Gateway, Lambda, Step Functions, Cognito user pools (as token
 * issuers) and bucket notifications are run by the runtime itself rather than provisioned.
 */
const NOT_PROVISIONED =
  /^aws_(iam_|cloudwatch_log_group|api_gateway_|lambda_|sfn_|cognito_|sqs_queue_policy|sqs_queue_redrive_allow_policy|sns_topic_policy|s3_bucket_(notification|policy|public_access_block|ownership_controls|server_side_encryption_configuration|versioning|lifecycle_configuration)$|vpc$|subnet$|route_table|default_security_group$|security_group$|vpc_security_group_(ingress|egress)_rule$|vpc_endpoint$|db_subnet_group$|rds_cluster_parameter_group$|rds_cluster_instance$)/;
/**
 * Whether a synthesized value refers to what has no local counterpart: a user pool's
 * hosted UI domain (the runtime's user pools issue tokens, they serve no sign-in pages).
 */
export function refersToNotRunResource(value: string): boolean {
  return /\$\{[^}]*\baws_cognito_user_pool_domain\./.test(value);
}
/** Stands in for the unique suffix Terraform appends to a bucket_prefix. */
export const LOCAL_BUCKET_SUFFIX = 'local';

export class ProvisionedStack {
  readonly tables = new Map<string, LocalTable>();
  readonly queues = new Map<string, LocalQueue>();
  readonly topics = new Map<string, LocalTopic>();
  readonly buckets = new Map<string, LocalBucket>();
  readonly databases = new Map<string, LocalDatabase>();
  /** Runtime-supplied attributes, e.g. the local API URL for a stage's invoke_url. */
  private readonly extraAttributes = new Map<string, string>();

  constructor(
    readonly stack: SynthesizedStack,
    readonly region: string,
  ) {}

  /** Resolves every `${...}` in a synthesized string to its local value. */
  resolve(value: string): string {
    return this.stack.resolve(value, (type, name, attribute, config) => this.attributeOf(type, name, attribute, config));
  }

  setAttribute(type: string, name: string, attribute: string, value: string): void {
    this.extraAttributes.set(`${type}.${name}.${attribute}`, value);
  }

  queueByArn(arn: string): LocalQueue {
    const queue = [...this.queues.values()].find((candidate) => candidate.arn === arn);
    if (!queue) throw new Error(`No local queue has the ARN ${arn}`);
    return queue;
  }

  queueByName(name: string): LocalQueue {
    const queue = [...this.queues.values()].find((candidate) => candidate.name === name);
    if (!queue) throw new Error(`The stack has no queue named ${name}`);
    return queue;
  }

  private attributeOf(type: string, name: string, attribute: string, config: ResourceConfig): string {
    const key = `${type}.${name}.${attribute}`;
    const extra = this.extraAttributes.get(key);
    if (extra !== undefined) return extra;
    const value = this.knownAttribute(type, name, attribute, config);
    if (value === undefined) {
      throw new Error(`The local runtime cannot resolve \${${key}}: add it to local/provision/provision.ts`);
    }
    return value;
  }

  private knownAttribute(type: string, name: string, attribute: string, config: ResourceConfig): string | undefined {
    switch (type) {
      case 'aws_dynamodb_table': {
        const table = this.tables.get(name);
        return { arn: table?.arn, stream_arn: table?.streamArn, id: table?.name }[attribute];
      }
      case 'aws_sqs_queue': {
        const queue = this.queues.get(name);
        return { arn: queue?.arn, url: queue?.url, id: queue?.url }[attribute];
      }
      case 'aws_sns_topic': {
        const topic = this.topics.get(name);
        return { arn: topic?.arn, id: topic?.arn }[attribute];
      }
      case 'aws_rds_cluster': {
        const database = this.databases.get(name);
        return {
          endpoint: database?.host,
          port: database === undefined ? undefined : String(database.port),
          'master_user_secret[0].secret_arn': database?.secretArn,
          id: database?.identifier,
          arn: database === undefined ? undefined : `arn:aws:rds:${this.region}:${LOCAL_ACCOUNT_ID}:cluster:${database.identifier}`,
        }[attribute];
      }
      case 'aws_sfn_state_machine': {
        const arn = `arn:aws:states:${this.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${String(config.name)}`;
        return { arn, id: arn, name: String(config.name) }[attribute];
      }
      case 'aws_cognito_user_pool': {
        // Ids in Cognito's own shape, so that an authorizer names the pool as in AWS.
        const id = `${this.region}_Local${name.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
        return { id, arn: `arn:aws:cognito-idp:${this.region}:${LOCAL_ACCOUNT_ID}:userpool/${id}` }[attribute];
      }
      case 'aws_cognito_user_pool_client':
        return { id: `local-client-${name.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}` }[attribute];
      case 'aws_s3_bucket': {
        const bucket = this.buckets.get(name);
        return { arn: bucket?.arn, id: bucket?.name, bucket: bucket?.name }[attribute];
      }
      case 'aws_lambda_function': {
        const arn = `arn:aws:lambda:${this.region}:${LOCAL_ACCOUNT_ID}:function:${String(config.function_name)}`;
        return { arn, qualified_arn: `${arn}:$LATEST`, id: String(config.function_name), function_name: String(config.function_name) }[attribute];
      }
      case 'aws_iam_role':
        return { arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${String(config.name)}`, id: String(config.name) }[attribute];
      case 'aws_cloudwatch_log_group':
        return { arn: `arn:aws:logs:${this.region}:${LOCAL_ACCOUNT_ID}:log-group:${String(config.name)}` }[attribute];
      default:
        // API Gateway ids only tie its resources together; the Terraform name serves.
        if (type.startsWith('aws_api_gateway_') && (attribute === 'id' || attribute === 'root_resource_id')) {
          return `${name}.${attribute}`;
        }
        return undefined;
    }
  }
}

/**
 * Creates every table, topic, queue and subscription of the stack. Queues are created
 * first and given their redrive policies afterwards, because a policy names its
 * dead-letter queue's ARN and that queue may come later in the file.
 */
export async function provisionStack(
  stack: SynthesizedStack,
  clients: ProvisionClients,
  region: string,
  onCreated: (resource: ProvisionedResource) => void = () => {},
): Promise<ProvisionedStack> {
  const provisioned = new ProvisionedStack(stack, region);
  reportUnsupported(stack);

  for (const [name, config] of Object.entries(stack.resources('aws_dynamodb_table'))) {
    const table = await createTable(clients.dynamodb, config);
    provisioned.tables.set(name, table);
    onCreated({ type: 'table', name: table.name, detail: table.streamArn ? `stream ${String(config.stream_view_type)}` : 'no stream' });
  }

  for (const [name, config] of Object.entries(stack.resources('aws_s3_bucket'))) {
    const bucketName = typeof config.bucket === 'string' ? config.bucket : `${String(config.bucket_prefix)}${LOCAL_BUCKET_SUFFIX}`;
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    provisioned.buckets.set(name, { name: bucketName, arn: `arn:aws:s3:::${bucketName}` });
    onCreated({ type: 'bucket', name: bucketName, detail: 'no versioning locally' });
  }

  for (const [name, config] of Object.entries(stack.resources('aws_rds_cluster'))) {
    if (!clients.databases) throw new Error('The stack has a database, and no local MariaDB was started for it');
    const { mariadb, secrets } = clients.databases;
    const identifier = String(config.cluster_identifier);
    const { host, port, username, password } = mariadb.credentials;
    // As RDS keeps a managed master password: a secret of its own holding the login.
    const secretArn = secrets.putSecret(`rds!cluster-${identifier}`, JSON.stringify({ username, password }));
    provisioned.databases.set(name, { identifier, host, port, secretArn });
    onCreated({ type: 'database', name: identifier, detail: `MariaDB on ${host}:${port}, login in the local Secrets Manager` });
  }

  for (const config of Object.values(stack.resources('aws_cognito_user_pool'))) {
    onCreated({ type: 'user pool', name: String(config.name), detail: 'ID tokens issued by the local runtime; no hosted UI' });
  }

  for (const [name, config] of Object.entries(stack.resources('aws_sns_topic'))) {
    const topicName = String(config.name);
    const attributes = config.fifo_topic === true ? { FifoTopic: 'true' } : undefined;
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: topicName, Attributes: attributes }));
    provisioned.topics.set(name, { name: topicName, arn: required(TopicArn, 'TopicArn'), emailSubscribers: [] });
    onCreated({ type: 'topic', name: topicName, detail: '' });
  }

  const queueEntries = Object.entries(stack.resources('aws_sqs_queue'));
  for (const [name, config] of queueEntries) {
    provisioned.queues.set(name, await createQueue(clients.sqs, config));
  }
  for (const [name, config] of queueEntries) {
    const queue = await applyRedrivePolicy(clients.sqs, provisioned, required(provisioned.queues.get(name), name), config);
    provisioned.queues.set(name, queue);
    const redrive = queue.deadLetterQueueArn
      ? `moves a message to ${provisioned.queueByArn(queue.deadLetterQueueArn).name} after ${queue.maxReceiveCount} receives`
      : 'no dead-letter queue';
    onCreated({ type: 'queue', name: queue.name, detail: `visibility ${queue.visibilityTimeoutSeconds} s, ${redrive}` });
  }

  for (const config of Object.values(stack.resources('aws_sns_topic_subscription'))) {
    await subscribe(clients.sns, provisioned, config, onCreated);
  }
  return provisioned;
}

function reportUnsupported(stack: SynthesizedStack): void {
  const handled = new Set(['aws_dynamodb_table', 'aws_sns_topic', 'aws_sqs_queue', 'aws_sns_topic_subscription', 'aws_s3_bucket', 'aws_rds_cluster']);
  const unsupported = Object.keys(stack.json.resource ?? {}).filter(
    (type) => !handled.has(type) && !NOT_PROVISIONED.test(type),
  );
  if (unsupported.length > 0) {
    // Failing beats a local run that silently lacks part of the pipeline.
    throw new Error(`The local runtime cannot create these resource types yet: ${unsupported.join(', ')}`);
  }
}

async function createTable(dynamodb: DynamoDBClient, config: ResourceConfig): Promise<LocalTable> {
  const name = String(config.name);
  const attributes = (config.attribute as { name: string; type: string }[] | undefined) ?? [];
  const indexes = (config.global_secondary_index as GlobalSecondaryIndexConfig[] | undefined) ?? [];
  const input: CreateTableCommandInput = {
    TableName: name,
    AttributeDefinitions: attributes.map((a): AttributeDefinition => ({ AttributeName: a.name, AttributeType: a.type as 'S' | 'N' | 'B' })),
    KeySchema: keySchema(String(config.hash_key), config.range_key as string | undefined),
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification:
      config.stream_enabled === true ? { StreamEnabled: true, StreamViewType: config.stream_view_type as 'NEW_IMAGE' } : undefined,
    GlobalSecondaryIndexes:
      indexes.length === 0
        ? undefined
        : indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.hash_key, index.range_key),
            Projection: { ProjectionType: index.projection_type as 'ALL', NonKeyAttributes: index.non_key_attributes },
          })),
  };
  const { TableDescription } = await dynamodb.send(new CreateTableCommand(input));
  // DynamoDB Local creates tables at once, but a description is the only source of the stream ARN.
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
  return {
    name,
    arn: required(Table?.TableArn ?? TableDescription?.TableArn, 'TableArn'),
    streamArn: Table?.LatestStreamArn,
  };
}

interface GlobalSecondaryIndexConfig {
  readonly name: string;
  readonly hash_key: string;
  readonly range_key?: string;
  readonly projection_type: string;
  readonly non_key_attributes?: string[];
}

function keySchema(hashKey: string, rangeKey: string | undefined): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: hashKey, KeyType: 'HASH' }];
  if (rangeKey !== undefined) keys.push({ AttributeName: rangeKey, KeyType: 'RANGE' });
  return keys;
}

/** Terraform argument -> SQS attribute, for the arguments that change behaviour locally. */
const QUEUE_ATTRIBUTES: Record<string, string> = {
  visibility_timeout_seconds: 'VisibilityTimeout',
  message_retention_seconds: 'MessageRetentionPeriod',
  delay_seconds: 'DelaySeconds',
  max_message_size: 'MaximumMessageSize',
  receive_wait_time_seconds: 'ReceiveMessageWaitTimeSeconds',
  fifo_queue: 'FifoQueue',
  content_based_deduplication: 'ContentBasedDeduplication',
};

/** SQS's default when the stack sets none. */
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;

async function createQueue(sqs: SQSClient, config: ResourceConfig): Promise<LocalQueue> {
  const name = String(config.name);
  const attributes: Record<string, string> = {};
  for (const [argument, attribute] of Object.entries(QUEUE_ATTRIBUTES)) {
    if (config[argument] !== undefined) attributes[attribute] = String(config[argument]);
  }
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = required(QueueUrl, 'QueueUrl');
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return {
    name,
    url,
    arn: required(Attributes?.QueueArn, 'QueueArn'),
    visibilityTimeoutSeconds: Number(config.visibility_timeout_seconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
  };
}

async function applyRedrivePolicy(
  sqs: SQSClient,
  provisioned: ProvisionedStack,
  queue: LocalQueue,
  config: ResourceConfig,
): Promise<LocalQueue> {
  if (typeof config.redrive_policy !== 'string') return queue;
  const policy = JSON.parse(provisioned.resolve(config.redrive_policy)) as { deadLetterTargetArn: string; maxReceiveCount: number };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { RedrivePolicy: JSON.stringify(policy) } }));
  return { ...queue, maxReceiveCount: Number(policy.maxReceiveCount), deadLetterQueueArn: policy.deadLetterTargetArn };
}

async function subscribe(
  sns: SNSClient,
  provisioned: ProvisionedStack,
  config: ResourceConfig,
  onCreated: (resource: ProvisionedResource) => void,
): Promise<void> {
  const topicArn = provisioned.resolve(String(config.topic_arn));
  const topicEntry = [...provisioned.topics.entries()].find(([, topic]) => topic.arn === topicArn);
  if (!topicEntry) throw new Error(`A subscription names the topic ${topicArn}, which the stack does not create`);
  const [topicKey, topic] = topicEntry;
  const endpoint = provisioned.resolve(String(config.endpoint));
  switch (config.protocol) {
    case 'email':
    case 'email-json':
      // Nothing local can send mail: the runtime's inbox captures what would be sent.
      provisioned.topics.set(topicKey, { ...topic, emailSubscribers: [...topic.emailSubscribers, endpoint] });
      onCreated({ type: 'subscription', name: topic.name, detail: `email to ${endpoint} (captured locally, not sent)` });
      return;
    case 'sqs':
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: endpoint,
          Attributes: config.raw_message_delivery === true ? { RawMessageDelivery: 'true' } : undefined,
        }),
      );
      onCreated({ type: 'subscription', name: topic.name, detail: `to queue ${endpoint}` });
      return;
    default:
      throw new Error(`The local runtime cannot deliver SNS protocol ${String(config.protocol)} (topic ${topic.name})`);
  }
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`The emulator returned no ${what}`);
  return value;
}

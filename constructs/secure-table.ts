import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { sidPart } from './iam/policy-document';
import { describedAs, GrantOptions, ServiceRole } from './iam/service-role';
import { environmentRulesOf } from './stack-environment';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface SecureTableProps {
  readonly tableName: string;
  /** Partition key, a String attribute. */
  readonly partitionKey: string;
  /** Sort key, a String attribute. @default none */
  readonly sortKey?: string;
  /** A Number attribute holding epoch seconds after which DynamoDB deletes the item. @default no expiry */
  readonly timeToLiveAttribute?: string;
  /** Turns on DynamoDB Streams with this view. @default no stream */
  readonly streamViewType?: StreamViewType;
  /**
   * @default the environment's rule (environment-rules.ts): off in development, so that
   * `cdktf destroy` cleans up as the labs' clean-up task does; on in production.
   */
  readonly deletionProtection?: boolean;
}

/** Exactly the lab's Lambda-Write-DynamoDB list: a put, and reading the table's description. */
const PUT_ITEM_ACTIONS = ['dynamodb:PutItem', 'dynamodb:DescribeTable'];
const BATCH_WRITE_ACTIONS = ['dynamodb:BatchWriteItem'];
/** With STREAM_LIST_ACTIONS: what a stream consumer needs, exactly the lab's Lambda-DynamoDBStreams-Read list. */
const STREAM_READ_ACTIONS = ['dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:GetRecords'];
/** ListStreams acts on the account's streams, not on one stream ARN. */
const STREAM_LIST_ACTIONS = ['dynamodb:ListStreams'];

/**
 * A DynamoDB table with the defaults a production table wants: on-demand capacity,
 * encryption at rest and point-in-time recovery.
 */
export class SecureTable extends Construct {
  readonly table: DynamodbTable;
  private readonly tableName: string;
  private readonly streamed: boolean;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    this.tableName = props.tableName;
    this.streamed = props.streamViewType !== undefined;
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: props.partitionKey,
      rangeKey: props.sortKey,
      attribute: [props.partitionKey, ...(props.sortKey ? [props.sortKey] : [])].map((name) => ({ name, type: 'S' })),
      ...(props.timeToLiveAttribute ? { ttl: { enabled: true, attributeName: props.timeToLiveAttribute } } : {}),
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? environmentRulesOf(this).protectData,
      streamEnabled: props.streamViewType !== undefined,
      streamViewType: props.streamViewType,
    });
  }

  get arn(): string {
    return this.table.arn;
  }

  get name(): string {
    return this.table.name;
  }

  get streamArn(): string {
    return this.table.streamArn;
  }

  /** Lets `role` put items, one at a time (grant `write-table`). */
  grantPutItem(role: ServiceRole, options: GrantOptions = {}): ITerraformDependable {
    return this.grantWrite(role, 'PutItems', PUT_ITEM_ACTIONS, options);
  }

  /** Lets `role` write items in batches of up to 25 (grant `write-table`). */
  grantBatchWrite(role: ServiceRole, options: GrantOptions = {}): ITerraformDependable {
    return this.grantWrite(role, 'BatchWriteItems', BATCH_WRITE_ACTIONS, options);
  }

  /**
   * Lets `role` call exactly these actions on the table's items (grant `<grantName>`), e.g.
   * `['dynamodb:GetItem']` for a reader that needs nothing else.
   */
  grantItemActions(role: ServiceRole, grantName: string, actions: string[], options: GrantOptions = {}): ITerraformDependable {
    return role.grant(
      grantName,
      [{ Sid: sidPart(grantName), Effect: 'Allow', Action: actions, Resource: [this.table.arn] }],
      describedAs(`Lets the role ${actions.join(', ')} on ${this.tableName}`, options),
    );
  }

  /** Lets `role` read the table's stream, as an event source mapping does with its function's role (grant `read-stream`). */
  grantStreamRead(role: ServiceRole, options: GrantOptions = {}): ITerraformDependable {
    if (!this.streamed) throw new Error(`Table ${this.tableName} has no stream to read: set streamViewType`);
    return role.grant(
      'read-stream',
      [
        { Sid: 'ReadTableStream', Effect: 'Allow', Action: STREAM_READ_ACTIONS, Resource: [this.streamArn] },
        {
          Sid: 'ListStreams',
          Effect: 'Allow',
          Action: STREAM_LIST_ACTIONS,
          // ListStreams supports no resource-level permissions: "*" is the only valid resource.
          Resource: '*',
        },
      ],
      describedAs(`Lets the role read the stream of ${this.tableName}`, options),
    );
  }

  private grantWrite(role: ServiceRole, sid: string, actions: string[], options: GrantOptions): ITerraformDependable {
    return role.grant(
      'write-table',
      [{ Sid: sid, Effect: 'Allow', Action: actions, Resource: [this.table.arn] }],
      describedAs(`Lets the role write items to ${this.tableName}`, options),
    );
  }
}

import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface SecureTableProps {
  readonly tableName: string;
  /** Partition key, a String attribute. */
  readonly partitionKey: string;
  /** Turns on DynamoDB Streams with this view. @default no stream */
  readonly streamViewType?: StreamViewType;
  /**
   * @default false, so that `cdktf destroy` cleans up as the labs' clean-up task does;
   * turn it on for an environment whose data matters.
   */
  readonly deletionProtection?: boolean;
}

/**
 * A DynamoDB table with the defaults a production table wants: on-demand capacity,
 * encryption at rest and point-in-time recovery.
 */
export class SecureTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: props.partitionKey,
      attribute: [{ name: props.partitionKey, type: 'S' }],
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? false,
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
}

/**
 * A stack's DynamoDB tables in DynamoDB Local: the keys, secondary indexes and stream view
 * type the stack declares (on-demand, encryption and recovery settings have nothing to act
 * on locally).
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { ResourceConfig } from '../stack/synthesized-stack';
import type { LocalTable } from './provisioned-stack';
import { required, type Provisioner } from './provisioner';

interface GlobalSecondaryIndexConfig {
  readonly name: string;
  readonly hash_key: string;
  readonly range_key?: string;
  readonly projection_type: string;
  readonly non_key_attributes?: string[];
}

export const provisionTables: Provisioner = async ({ stack, clients, provisioned, onCreated }) => {
  for (const [name, config] of Object.entries(stack.resources('aws_dynamodb_table'))) {
    if (!clients.dynamodb) throw new Error(`Table ${String(config.name)} needs DynamoDB Local, and none was started for this stack`);
    const table = await createTable(clients.dynamodb, config);
    provisioned.tables.set(name, table);
    onCreated({ type: 'table', name: table.name, detail: table.streamArn ? `stream ${String(config.stream_view_type)}` : 'no stream' });
  }
};

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

/** Deletes tables this process created, in a DynamoDB Local that outlives the pipeline. */
export async function deleteTables(dynamodb: DynamoDBClient, tables: Iterable<LocalTable>): Promise<void> {
  for (const { name } of tables) await dynamodb.send(new DeleteTableCommand({ TableName: name }));
}

function keySchema(hashKey: string, rangeKey: string | undefined): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: hashKey, KeyType: 'HASH' }];
  if (rangeKey !== undefined) keys.push({ AttributeName: rangeKey, KeyType: 'RANGE' });
  return keys;
}

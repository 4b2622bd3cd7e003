/**
 * What the stack's tables, buckets and queues hold after a function ran alone: what the
 * labs check in the console once a test has run (seed 001, Step 4.5: "Explore items" of
 * the orders table). They were created empty for this invocation, so everything shown is
 * what the function (or the deploy before it) put there.
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ProvisionedStack } from '../provision/provisioned-stack';

/** A person reads a few rows; the count says how many there are. */
const SHOWN_PER_RESOURCE = 10;

export interface ContentsClients {
  readonly dynamodb?: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
}

export async function describeStackContents(resources: ProvisionedStack, clients: ContentsClients): Promise<string[]> {
  const lines: string[] = [];
  for (const table of resources.tables.values()) {
    if (!clients.dynamodb) continue;
    const { Items = [], Count = 0, LastEvaluatedKey } = await clients.dynamodb.send(new ScanCommand({ TableName: table.name, Limit: SHOWN_PER_RESOURCE }));
    lines.push(`table ${table.name}: ${LastEvaluatedKey ? `more than ${Count} items, the first ${Count}` : plural(Count, 'item')}`);
    for (const item of Items) lines.push(`  ${JSON.stringify(unmarshall(item))}`);
  }
  for (const bucket of resources.buckets.values()) {
    const { Contents = [], KeyCount = 0, IsTruncated } = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket.name, MaxKeys: SHOWN_PER_RESOURCE }));
    lines.push(`bucket ${bucket.name}: ${IsTruncated ? `more than ${KeyCount} objects, the first ${KeyCount}` : plural(KeyCount, 'object')}`);
    for (const object of Contents) lines.push(`  ${object.Key} (${object.Size ?? 0} bytes)`);
  }
  for (const queue of resources.queues.values()) {
    const { Attributes = {} } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    lines.push(`queue ${queue.name}: ${plural(Number(Attributes.ApproximateNumberOfMessages ?? 0), 'message')}`);
  }
  return lines;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

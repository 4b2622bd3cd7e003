/**
 * Seed 003's ProcessInventoryFile, STEP 5, translated line for line from Python: the
 * benchmark's baseline. It reads the raw key (the lab's bug with spaces is kept, as the
 * benchmark's keys have none) and puts one item at a time, without validation.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { S3Event } from 'aws-lambda';

const s3 = new S3Client({});
const dynamodb = new DynamoDBClient({});
const table = process.env.TABLE_NAME ?? 'InventoryTable';

export async function handler(event: S3Event) {
  const bucket = event.Records[0].s3.bucket.name;
  const key = event.Records[0].s3.object.key;

  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const content = (await response.Body?.transformToString('utf-8')) ?? '';
  const items = JSON.parse(content) as Record<string, unknown>[];

  for (const item of items) {
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
  }

  return { statusCode: 200, body: 'Inventory processed successfully' };
}

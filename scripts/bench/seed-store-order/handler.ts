/**
 * The lab's POC-Lambda-1 (seed 000, Step 4.3), ported for the benchmark's baseline:
 *
 *     for record in event['Records']:
 *         table.put_item(Item={'orderID': str(uuid.uuid4()), 'order': payload})
 *
 * Sequential writes, one per record, keyed by a fresh uuid4, no partial batch response.
 * It also writes the order's item and customer so the notification names the order and
 * the benchmark can match it to its POST; that changes no request count or ordering.
 * Not deployed anywhere: `npm run bench` runs it in place of store-order.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

const table = process.env.TABLE_NAME;
const dynamodb = new DynamoDBClient({});

export async function handler(event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    const payload = record.body;
    const { item, customerID } = JSON.parse(payload) as { item: string; customerID: string };
    await dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: { orderID: { S: randomUUID() }, order: { S: payload }, item: { S: item }, customerID: { S: customerID } },
      }),
    );
  }
}

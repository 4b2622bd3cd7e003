import { PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StoredOrder } from './order';

/** `already-stored`: an earlier delivery of the same message wrote the row. */
export type PutOrderOutcome = 'stored' | 'already-stored';

/**
 * Writes the order unless a row with its id exists.
 *
 * Only PutItem is called: the function's role allows PutItem and DescribeTable on this
 * table and nothing else. The condition makes a redelivery a no-op instead of an
 * overwrite, so the row (and its stream INSERT, and its email) exists once.
 */
export async function putOrderOnce(
  dynamodb: DynamoDBClient,
  tableName: string,
  order: StoredOrder,
): Promise<PutOrderOutcome> {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toAttributeMap(order),
        ConditionExpression: 'attribute_not_exists(orderID)',
      }),
    );
    return 'stored';
  } catch (error) {
    if (isConditionalCheckFailure(error)) return 'already-stored';
    throw error;
  }
}

function toAttributeMap(order: StoredOrder): Record<string, AttributeValue> {
  return {
    orderID: { S: order.orderID },
    item: { S: order.item },
    customerID: { S: order.customerID },
    order: { S: order.order },
    receivedAt: { S: order.receivedAt },
  };
}

// Compared by name rather than `instanceof`: a bundle or test runner that loads the SDK
// twice would otherwise turn "already stored" into a failure and a retry loop.
function isConditionalCheckFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'ConditionalCheckFailedException';
}

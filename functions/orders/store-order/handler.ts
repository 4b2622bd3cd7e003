import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { requireEnv } from '../../shared/require-env';
import { toStoredOrder, type StoredOrder } from './order';
import { putOrderOnce } from './orders-table';

// Module scope: read and built once per container, reused by every invocation.
const tableName = requireEnv('TABLE_NAME');
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (local emulators).
const dynamodb = new DynamoDBClient({});
const processor = new BatchProcessor(EventType.SQS);

/**
 * POC-Lambda-1: stores each order from POC-Queue in the `orders` table.
 *
 * Records fail one by one: the response lists only the failed message ids, so SQS
 * retries those alone (the event source mapping reports batch item failures) and the
 * queue's redrive policy moves a message that keeps failing to the dead-letter queue.
 * If every record fails, Powertools throws instead, which shows up as a function error.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return processPartialResponse(event, storeOrder, processor, { context });
}

async function storeOrder(record: SQSRecord): Promise<void> {
  const { messageId } = record;
  let order: StoredOrder;
  try {
    order = toStoredOrder(record);
  } catch (error) {
    logger.error('Rejected a malformed order message; it will reach the dead-letter queue', { messageId, error });
    throw error;
  }

  try {
    const outcome = await putOrderOnce(dynamodb, tableName, order);
    if (outcome === 'already-stored') {
      logger.info('Order already stored by an earlier delivery; nothing written', { orderID: order.orderID });
    } else {
      logger.info('Order stored', { orderID: order.orderID });
    }
  } catch (error) {
    logger.error('Could not store the order; SQS will retry it', { messageId, error });
    throw error;
  }
}

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { requireEnv } from '../../shared/require-env';
import { formatOrderNotification, isNewOrder } from './notification';
import { publishNotification } from '../../shared/publish-notification';

// Module scope: read and built once per container, reused by every invocation.
const topicArn = requireEnv('TOPIC_ARN');
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_SNS when set (local emulators).
const sns = new SNSClient({});
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * POC-Lambda-2: emails a readable summary of every new row of the `orders` table.
 *
 * A record that fails is reported by its sequence number, so Lambda retries the stream
 * from there (bounded by the mapping's retry and record-age limits). If every record
 * fails, Powertools throws instead, which shows up as a function error.
 */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  return processPartialResponse(event, notifyNewOrder, processor, { context });
}

async function notifyNewOrder(record: DynamoDBRecord): Promise<void> {
  const { eventID, eventName } = record;
  if (!isNewOrder(record)) {
    logger.info('Skipped a stream record that is not a new order', { eventID, eventName });
    return;
  }

  try {
    const notification = formatOrderNotification(record.dynamodb?.NewImage);
    const messageId = await publishNotification(sns, topicArn, notification);
    logger.info('Published the new order notification', { eventID, messageId });
  } catch (error) {
    logger.error('Could not publish the new order notification', { eventID, error });
    throw error;
  }
}

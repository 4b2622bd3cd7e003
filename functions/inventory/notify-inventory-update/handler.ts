import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { publishNotification } from '../../shared/publish-notification';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { announcementModeOf } from '../shared/announcement-mode';
import { decideInventoryNotification } from './inventory-change';

// Module scope: read and built once per container, reused by every invocation.
const topicArn = requireEnv('TOPIC_ARN');
const lowStockThreshold = requireIntegerEnv('LOW_STOCK_THRESHOLD', 0);
const announcements = announcementModeOf();
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_SNS when set (local emulators).
const sns = new SNSClient({});
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * NotifyInventoryUpdate: emails the `inventory-alerts` topic when a product is added to
 * `InventoryTable` and when its quantity falls to or below LOW_STOCK_THRESHOLD.
 *
 * A record that fails is reported by its sequence number, so Lambda retries the stream
 * from there (bounded by the mapping's retry and record-age limits). If every record
 * fails, Powertools throws instead, which shows up as a function error.
 */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  return processPartialResponse(event, notifyInventoryUpdate, processor, { context });
}

async function notifyInventoryUpdate(record: DynamoDBRecord): Promise<void> {
  const { eventID, eventName } = record;
  const productId = record.dynamodb?.Keys?.productId?.S;
  try {
    const decision = decideInventoryNotification(record, lowStockThreshold, announcements);
    if (decision.kind === 'none') {
      logger.info('Skipped a stream record that calls for no notification', {
        eventID,
        eventName,
        productId,
        reason: decision.reason,
      });
      return;
    }
    const messageId = await publishNotification(sns, topicArn, decision.notification);
    logger.info('Published the inventory notification', { eventID, eventName, productId, notification: decision.kind, messageId });
  } catch (error) {
    logger.error('Could not notify about the inventory change', { eventID, eventName, productId, error });
    throw error;
  }
}

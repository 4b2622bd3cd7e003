import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, StreamRecord } from 'aws-lambda';
import { displayValue } from '../../shared/display-value';
import type { Notification } from '../../shared/publish-notification';

/** ASCII, under 100 characters, one line: what SNS accepts as an email subject. */
export const NOTIFICATION_SUBJECT = 'New Order Notification';

export { NOT_RECORDED } from '../../shared/display-value';

export type OrderNotification = Notification;

/** The stream carries a NewImage only when the table's stream view type includes it. */
export class MissingNewImageError extends Error {
  constructor() {
    super('Stream record has no NewImage: the orders table stream must use the NEW_IMAGE view type');
    this.name = 'MissingNewImageError';
  }
}

/**
 * Only a new row is a new order. The event source mapping already filters INSERT; this
 * check keeps a MODIFY or REMOVE from emailing anyone if that filter is ever lost.
 */
export function isNewOrder(record: Pick<DynamoDBRecord, 'eventName'>): boolean {
  return record.eventName === 'INSERT';
}

/**
 * Turns a new `orders` row into a message a person reads: one labelled line per field,
 * instead of the lab's dump of DynamoDB-typed JSON.
 *
 * @throws MissingNewImageError when the record has no new image to describe.
 */
export function formatOrderNotification(newImage: StreamRecord['NewImage']): OrderNotification {
  if (newImage === undefined) throw new MissingNewImageError();
  // aws-lambda and the SDK type the same wire format separately; the shapes agree for
  // everything an orders row holds (strings, numbers, booleans, maps, lists, sets).
  // Numbers are wrapped so a numeric id longer than 15 digits is shown intact.
  const row = unmarshall(newImage as Record<string, SdkAttributeValue>, { wrapNumbers: true });

  const lines = [
    'A new order was received.',
    '',
    `Order ID: ${displayValue(row.orderID)}`,
    `Item: ${displayValue(row.item)}`,
    `Customer ID: ${displayValue(row.customerID)}`,
    `Received at: ${displayValue(row.receivedAt)}`,
  ];
  return { subject: NOTIFICATION_SUBJECT, message: lines.join('\n') };
}

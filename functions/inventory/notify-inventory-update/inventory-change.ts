import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { convertToNative } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { displayValue } from '../../shared/display-value';
import type { Notification } from '../../shared/publish-notification';
import type { AnnouncementMode } from '../shared/announcement-mode';

/** The seed's subject for a new product. ASCII, under 100 characters, one line, as SNS requires. */
export const NEW_PRODUCT_SUBJECT = 'Inventory Update';

/** ASCII, under 100 characters, one line: what SNS accepts as an email subject. */
export const LOW_STOCK_SUBJECT = 'Low Stock Alert';

/** The parts of a stream record this module reads. */
export type InventoryStreamRecord = Pick<DynamoDBRecord, 'eventName' | 'dynamodb'>;

/** What an `InventoryTable` change calls for: one email, or none and why (for the log). */
export type InventoryNotificationDecision =
  | { readonly kind: 'new-product' | 'low-stock'; readonly notification: Notification }
  | { readonly kind: 'none'; readonly reason: string };

type ImageName = 'NewImage' | 'OldImage';
type StreamImage = Record<string, AttributeValue>;

/** The stream carries both images only when the table's stream view type includes them. */
export class MissingStreamImageError extends Error {
  constructor(
    readonly image: ImageName,
    eventName: string,
  ) {
    super(
      `${eventName} stream record has no ${image}: the InventoryTable stream must use the NEW_AND_OLD_IMAGES view type`,
    );
    this.name = 'MissingStreamImageError';
  }
}

/**
 * A quantity that is not a DynamoDB number cannot be compared with the threshold. Failing
 * the record (rather than alerting or skipping it) leaves the decision to a person.
 */
export class InvalidQuantityError extends Error {
  constructor(productId: string, image: ImageName, quantity: AttributeValue | undefined) {
    const found = quantity === undefined ? 'missing' : JSON.stringify(quantity);
    super(
      `Product ${productId}: quantity in the ${image} is ${found}, not a number. ` +
        'InventoryTable items must hold quantity as a DynamoDB number (N); ' +
        'the change cannot be checked against the low-stock threshold.',
    );
    this.name = 'InvalidQuantityError';
  }
}

/**
 * Decides which notification, if any, a change of `InventoryTable` deserves:
 * - INSERT: the seed's "New product added: <name>".
 * - MODIFY: a low-stock alert only when the quantity crosses to or below the threshold;
 *   every other change (same quantity on a re-upload, a rise, a fall that stays above the
 *   threshold or was already below it, a price or name change) publishes nothing.
 * - REMOVE and anything else: nothing. The event source mapping already filters INSERT and
 *   MODIFY; this keeps a lost filter from emailing anyone.
 *
 * In `digest` mode an INSERT publishes nothing: ProcessInventoryFile has announced the
 * whole upload in one email, and the stack's filter passes only MODIFY records anyway.
 *
 * @param lowStockThreshold a quantity at or below it is low stock
 * @throws MissingStreamImageError when the stream does not carry the images the change needs
 * @throws InvalidQuantityError when a MODIFY's quantity is not a number
 */
export function decideInventoryNotification(
  record: InventoryStreamRecord,
  lowStockThreshold: number,
  announcements: AnnouncementMode = 'per-product',
): InventoryNotificationDecision {
  switch (record.eventName) {
    case 'INSERT':
      if (announcements === 'digest') return { kind: 'none', reason: 'new products are announced in their upload\'s digest (ANNOUNCEMENTS=digest)' };
      return { kind: 'new-product', notification: newProductNotification(requireImage(record, 'NewImage')) };
    case 'MODIFY':
      return lowStockDecision(requireImage(record, 'OldImage'), requireImage(record, 'NewImage'), lowStockThreshold);
    default:
      return { kind: 'none', reason: `${record.eventName ?? 'An unnamed event'} is neither a new product nor a stock change` };
  }
}

/** True once, on the change that takes the quantity from above the threshold to at or below it. */
export function crossesLowStockThreshold(previous: number, current: number, threshold: number): boolean {
  return previous > threshold && current <= threshold;
}

function newProductNotification(newImage: StreamImage): Notification {
  const productId = displayValue(field(newImage, 'productId'));
  // The seed's message, exactly, for a named product; a reader of a nameless one learns its id.
  const name = displayValue(field(newImage, 'name'), `(name not recorded), product ID ${productId}`);
  return { subject: NEW_PRODUCT_SUBJECT, message: `New product added: ${name}` };
}

function lowStockDecision(oldImage: StreamImage, newImage: StreamImage, threshold: number): InventoryNotificationDecision {
  const productId = displayValue(field(newImage, 'productId'));
  const previous = quantityOf(oldImage, 'OldImage', productId);
  const current = quantityOf(newImage, 'NewImage', productId);

  if (crossesLowStockThreshold(previous.value, current.value, threshold)) {
    const lines = [
      'The stock of a product fell to or below the low-stock threshold.',
      '',
      `Product: ${displayValue(field(newImage, 'name'))}`,
      `Product ID: ${productId}`,
      `Quantity now: ${current.text}`,
      `Previous quantity: ${previous.text}`,
      `Low-stock threshold: ${threshold}`,
    ];
    return { kind: 'low-stock', notification: { subject: LOW_STOCK_SUBJECT, message: lines.join('\n') } };
  }

  const change = `quantity of ${productId} went from ${previous.text} to ${current.text}`;
  let reason: string;
  if (current.value === previous.value) reason = `quantity of ${productId} unchanged at ${current.text}`;
  else if (current.value > previous.value) reason = `${change}: a rise`;
  else if (current.value > threshold) reason = `${change}: still above the low-stock threshold ${threshold}`;
  else reason = `${change}: already at or below the low-stock threshold ${threshold} before this change`;
  return { kind: 'none', reason };
}

function requireImage(record: InventoryStreamRecord, image: ImageName): StreamImage {
  const value = record.dynamodb?.[image];
  if (value === undefined) throw new MissingStreamImageError(image, record.eventName ?? 'Unnamed');
  return value;
}

/** One attribute, unmarshalled with numbers wrapped so that they are shown exactly. */
function field(image: StreamImage, name: string): unknown {
  const value = image[name];
  // aws-lambda and the SDK type the same wire format separately; they agree on the
  // strings and numbers an inventory row holds.
  return value === undefined ? undefined : convertToNative(value as SdkAttributeValue, { wrapNumbers: true });
}

/** DynamoDB's number syntax; `Number()` alone would also accept "", " " and "0x1f". */
const DYNAMODB_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The quantity as a number to compare, and as DynamoDB's exact text to show. Quantities are
 * compared as doubles: only a fraction within about 1e-15 of the threshold could compare wrongly.
 */
function quantityOf(image: StreamImage, name: ImageName, productId: string): { value: number; text: string } {
  const quantity = image.quantity;
  const text = quantity?.N;
  const value = text !== undefined && DYNAMODB_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (text === undefined || !Number.isFinite(value)) throw new InvalidQuantityError(productId, name, quantity);
  return { value, text };
}

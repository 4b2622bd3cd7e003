import type { Notification } from '../../shared/publish-notification';
import type { InventoryItem } from './inventory-file';

/** ASCII, under 100 characters, one line: what SNS accepts as an email subject. */
export const DIGEST_SUBJECT = 'Inventory Update';
/**
 * Products named in one digest. SNS takes messages of at most 256 KiB and a product's name
 * may be 1,024 characters: 50 of them stay far below, and a person reads no further anyway.
 */
export const DIGEST_LISTED_PRODUCTS = 50;

const count = new Intl.NumberFormat('en-US');

/**
 * The one email an upload earns in digest mode: which file, how many products, the first of
 * them. It says "written", not "new": BatchWriteItem does not tell a new row from a rewritten
 * one, and asking (a read or a conditional put per product) would cost what the digest saves.
 */
export function uploadDigest(key: string, items: readonly InventoryItem[]): Notification {
  const listed = items.slice(0, DIGEST_LISTED_PRODUCTS);
  const lines = [
    `The inventory file ${key} was written: ${count.format(items.length)} ${items.length === 1 ? 'product' : 'products'}, new or updated.`,
    '',
    ...listed.map((item) => `- ${item.name} (product ID ${item.productId}): quantity ${item.quantity}, price ${item.price}`),
  ];
  if (items.length > listed.length) lines.push(`...and ${count.format(items.length - listed.length)} more.`);
  lines.push('', 'Products whose stock falls to the low-stock threshold are still announced one by one.');
  return { subject: DIGEST_SUBJECT, message: lines.join('\n') };
}

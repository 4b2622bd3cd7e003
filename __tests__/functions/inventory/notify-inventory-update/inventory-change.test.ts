import type { AttributeValue } from 'aws-lambda';
import {
  InvalidQuantityError,
  LOW_STOCK_SUBJECT,
  MissingStreamImageError,
  NEW_PRODUCT_SUBJECT,
  crossesLowStockThreshold,
  decideInventoryNotification,
  type InventoryStreamRecord,
} from '../../../../functions/inventory/notify-inventory-update/inventory-change';

type Image = Record<string, AttributeValue>;

/** An InventoryTable item as the stream carries it, from inventory.json's fields. */
function inventoryImage(item: { productId: string; name?: string; quantity?: number | string; price?: number }): Image {
  const image: Image = { productId: { S: item.productId } };
  if (item.name !== undefined) image.name = { S: item.name };
  if (item.quantity !== undefined) image.quantity = { N: String(item.quantity) };
  if (item.price !== undefined) image.price = { N: String(item.price) };
  return image;
}

const LAPTOP = { productId: 'P1001', name: 'Laptop', quantity: 20, price: 1200 };
const MOUSE = { productId: 'P1002', name: 'Mouse', quantity: 100, price: 20 };

function insert(newImage: Image | undefined): InventoryStreamRecord {
  return { eventName: 'INSERT', dynamodb: { Keys: { productId: { S: 'P1001' } }, NewImage: newImage } };
}

function modify(oldImage: Image | undefined, newImage: Image | undefined): InventoryStreamRecord {
  return { eventName: 'MODIFY', dynamodb: { Keys: { productId: { S: 'P1001' } }, OldImage: oldImage, NewImage: newImage } };
}

/** A MODIFY of the Laptop whose quantity goes from `previous` to `current`. */
function quantityChange(previous: number | string, current: number | string): InventoryStreamRecord {
  return modify(inventoryImage({ ...LAPTOP, quantity: previous }), inventoryImage({ ...LAPTOP, quantity: current }));
}

describe('subjects', () => {
  it.each([
    ['new product (the seed)', NEW_PRODUCT_SUBJECT, 'Inventory Update'],
    ['low stock', LOW_STOCK_SUBJECT, 'Low Stock Alert'],
  ])('%s: what SNS accepts as an email subject: ASCII, one line, under 100 characters', (_case, subject, expected) => {
    expect(subject).toBe(expected);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.length).toBeLessThan(100);
  });
});

describe('INSERT', () => {
  it.each([
    [LAPTOP, 'New product added: Laptop'],
    [MOUSE, 'New product added: Mouse'],
  ])("publishes the seed's message for %o", (item, message) => {
    expect(decideInventoryNotification(insert(inventoryImage(item)), 5)).toEqual({
      kind: 'new-product',
      notification: { subject: 'Inventory Update', message },
    });
  });

  it('announces a product whose quantity is already below the threshold as new, not as low stock', () => {
    const decision = decideInventoryNotification(insert(inventoryImage({ ...LAPTOP, quantity: 1 })), 5);
    expect(decision).toEqual({ kind: 'new-product', notification: { subject: 'Inventory Update', message: 'New product added: Laptop' } });
  });

  it.each([
    ['\n', 'Laptop\nSubject: Low Stock Alert'],
    ['\r\n', 'Laptop\r\nSubject: Low Stock Alert'],
    ['\r', 'Laptop\rSubject: Low Stock Alert'],
  ])('keeps the message on one line when the name holds %j', (_case, name) => {
    const decision = decideInventoryNotification(insert(inventoryImage({ ...LAPTOP, name })), 5);
    expect(decision).toEqual({
      kind: 'new-product',
      notification: { subject: 'Inventory Update', message: 'New product added: Laptop Subject: Low Stock Alert' },
    });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '  \n '],
  ])('names the product by its id when its name is %s, never "undefined"', (_case, name) => {
    const decision = decideInventoryNotification(insert(inventoryImage({ productId: 'P1001', name, quantity: 20 })), 5);
    expect(decision).toEqual({
      kind: 'new-product',
      notification: { subject: 'Inventory Update', message: 'New product added: (name not recorded), product ID P1001' },
    });
  });

  it('keeps quotes, ampersands and non-ASCII names intact', () => {
    const name = `"Größe XL" Laptop & Dock + 100% スポンジ`;
    const decision = decideInventoryNotification(insert(inventoryImage({ ...LAPTOP, name })), 5);
    expect(decision).toEqual({ kind: 'new-product', notification: { subject: 'Inventory Update', message: `New product added: ${name}` } });
  });

  it('fails clearly when the stream carries no new image', () => {
    expect(() => decideInventoryNotification(insert(undefined), 5)).toThrow(MissingStreamImageError);
    expect(() => decideInventoryNotification(insert(undefined), 5)).toThrow(
      'INSERT stream record has no NewImage: the InventoryTable stream must use the NEW_AND_OLD_IMAGES view type',
    );
  });
});

describe('MODIFY', () => {
  it('alerts when the quantity falls from above the threshold to exactly the threshold', () => {
    expect(decideInventoryNotification(quantityChange(20, 5), 5)).toEqual({
      kind: 'low-stock',
      notification: {
        subject: 'Low Stock Alert',
        message: [
          'The stock of a product fell to or below the low-stock threshold.',
          '',
          'Product: Laptop',
          'Product ID: P1001',
          'Quantity now: 5',
          'Previous quantity: 20',
          'Low-stock threshold: 5',
        ].join('\n'),
      },
    });
  });

  it.each([
    // previous, current, threshold
    [20, 3, 5],
    [6, 5, 5],
    [6, 0, 5],
    [100, -2, 5],
    [1, 0, 0],
    [5.5, 4.5, 5],
  ])('alerts when the quantity crosses: %p -> %p with threshold %p', (previous, current, threshold) => {
    const decision = decideInventoryNotification(quantityChange(previous, current), threshold);
    expect(decision).toMatchObject({ kind: 'low-stock', notification: { subject: 'Low Stock Alert' } });
    expect(decision.kind === 'low-stock' && decision.notification.message).toContain(
      `Quantity now: ${current}\nPrevious quantity: ${previous}\nLow-stock threshold: ${threshold}`,
    );
  });

  it.each([
    ['unchanged quantity (the same file uploaded again)', 20, 20, 5, /unchanged at 20/],
    ['unchanged quantity at the threshold', 5, 5, 5, /unchanged at 5/],
    ['unchanged quantity below the threshold', 2, 2, 5, /unchanged at 2/],
    ['a rise', 3, 20, 5, /from 3 to 20: a rise/],
    ['a rise from the threshold', 5, 6, 5, /from 5 to 6: a rise/],
    ['a fall that stays above the threshold', 20, 6, 5, /from 20 to 6: still above the low-stock threshold 5/],
    ['a second fall, from the threshold', 5, 3, 5, /from 5 to 3: already at or below the low-stock threshold 5/],
    ['a second fall, from below the threshold', 3, 1, 5, /from 3 to 1: already at or below/],
    ['a fall that stays above a threshold of 0', 5, 1, 0, /still above the low-stock threshold 0/],
    ['a fall from 0 with a threshold of 0', 0, -1, 0, /already at or below the low-stock threshold 0/],
  ])('publishes nothing for %s', (_case, previous, current, threshold, reason) => {
    expect(decideInventoryNotification(quantityChange(previous, current), threshold)).toEqual({
      kind: 'none',
      reason: expect.stringMatching(reason),
    });
  });

  it.each([
    ['a price change', { ...LAPTOP, price: 999 }],
    ['a name change', { ...LAPTOP, name: 'Laptop Pro' }],
  ])('publishes nothing for %s', (_case, changed) => {
    expect(decideInventoryNotification(modify(inventoryImage(LAPTOP), inventoryImage(changed)), 5)).toEqual({
      kind: 'none',
      reason: 'quantity of P1001 unchanged at 20',
    });
  });

  it('keeps one field per line when the name holds line breaks', () => {
    const name = 'Laptop\nQuantity now: 500\r\nLow-stock threshold: 1000';
    const decision = decideInventoryNotification(
      modify(inventoryImage({ ...LAPTOP, name }), inventoryImage({ ...LAPTOP, name, quantity: 1 })),
      5,
    );
    expect(decision.kind).toBe('low-stock');
    const { message } = decision.kind === 'low-stock' ? decision.notification : { message: '' };
    expect(message).toContain('Product: Laptop Quantity now: 500 Low-stock threshold: 1000\nProduct ID: P1001\n');
    expect(message.match(/^Quantity now:/gm)).toEqual(['Quantity now:']);
    expect(message.match(/^Low-stock threshold:/gm)).toEqual(['Low-stock threshold:']);
  });

  it('says plainly that a product has no name, and still names its id', () => {
    const decision = decideInventoryNotification(
      modify(inventoryImage({ productId: 'P1001', quantity: 20 }), inventoryImage({ productId: 'P1001', quantity: 5 })),
      5,
    );
    expect(decision.kind === 'low-stock' && decision.notification.message).toContain('Product: (not recorded)\nProduct ID: P1001\n');
    expect(JSON.stringify(decision)).not.toMatch(/undefined|null/);
  });

  it('shows quantities exactly, even beyond double precision', () => {
    const decision = decideInventoryNotification(quantityChange('123456789012345678901', '3'), 5);
    expect(decision.kind === 'low-stock' && decision.notification.message).toContain('Previous quantity: 123456789012345678901\n');
  });

  it.each([
    ['NewImage', modify(inventoryImage(LAPTOP), undefined)],
    ['OldImage', modify(undefined, inventoryImage({ ...LAPTOP, quantity: 1 }))],
  ])('fails clearly when the stream carries no %s', (image, record) => {
    expect(() => decideInventoryNotification(record, 5)).toThrow(MissingStreamImageError);
    expect(() => decideInventoryNotification(record, 5)).toThrow(
      `MODIFY stream record has no ${image}: the InventoryTable stream must use the NEW_AND_OLD_IMAGES view type`,
    );
  });

  const textQuantity: AttributeValue = { S: '5' };
  it.each([
    ['a string', 'NewImage', { ...inventoryImage(LAPTOP), quantity: textQuantity }, /quantity in the NewImage is \{"S":"5"\}, not a number/],
    ['a number that does not parse', 'NewImage', { ...inventoryImage(LAPTOP), quantity: { N: 'five' } }, /is \{"N":"five"\}, not a number/],
    ['an empty number', 'NewImage', { ...inventoryImage(LAPTOP), quantity: { N: '' } }, /is \{"N":""\}, not a number/],
    ['null', 'NewImage', { ...inventoryImage(LAPTOP), quantity: { NULL: true } }, /is \{"NULL":true\}, not a number/],
    ['missing', 'NewImage', inventoryImage({ productId: 'P1001', name: 'Laptop' }), /quantity in the NewImage is missing, not a number/],
  ] as const)('fails the record when the new quantity is %s, rather than alerting or skipping', (_case, _image, newImage, message) => {
    const record = modify(inventoryImage(LAPTOP), newImage);
    expect(() => decideInventoryNotification(record, 5)).toThrow(InvalidQuantityError);
    expect(() => decideInventoryNotification(record, 5)).toThrow(message);
    expect(() => decideInventoryNotification(record, 5)).toThrow(/^Product P1001: .*must hold quantity as a DynamoDB number \(N\)/);
  });

  it('fails the record when the previous quantity is not a number', () => {
    const record = modify({ ...inventoryImage(LAPTOP), quantity: { S: 'twenty' } }, inventoryImage({ ...LAPTOP, quantity: 1 }));
    expect(() => decideInventoryNotification(record, 5)).toThrow(InvalidQuantityError);
    expect(() => decideInventoryNotification(record, 5)).toThrow(/quantity in the OldImage is \{"S":"twenty"\}, not a number/);
  });
});

describe('REMOVE and other events', () => {
  it.each([
    ['REMOVE', { eventName: 'REMOVE', dynamodb: { Keys: { productId: { S: 'P1001' } }, OldImage: inventoryImage(LAPTOP) } }],
    ['an unnamed event', { dynamodb: { NewImage: inventoryImage(LAPTOP) } }],
  ] as [string, InventoryStreamRecord][])('publishes nothing for %s', (_case, record) => {
    expect(decideInventoryNotification(record, 5)).toEqual({
      kind: 'none',
      reason: expect.stringMatching(/is neither a new product nor a stock change$/),
    });
  });

  it('needs no image for a REMOVE', () => {
    expect(decideInventoryNotification({ eventName: 'REMOVE', dynamodb: {} }, 5)).toMatchObject({ kind: 'none' });
  });
});

describe('crossesLowStockThreshold', () => {
  it.each([
    [20, 5, 5, true],
    [6, 5, 5, true],
    [1, 0, 0, true],
    [5, 5, 5, false],
    [5, 4, 5, false],
    [20, 6, 5, false],
    [4, 20, 5, false],
    [0, 0, 0, false],
  ])('%p -> %p with threshold %p: %p', (previous, current, threshold, expected) => {
    expect(crossesLowStockThreshold(previous, current, threshold)).toBe(expected);
  });
});

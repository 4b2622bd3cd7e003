import type { AttributeValue } from 'aws-lambda';
import {
  MissingNewImageError,
  NOTIFICATION_SUBJECT,
  formatOrderNotification,
  isNewOrder,
} from '../../../../functions/orders/notify-new-order/notification';

/** A NewImage as the stream carries it for a row written by store-order. */
function storedOrderImage(fields: Record<string, string>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, { S: value }]));
}

describe('NOTIFICATION_SUBJECT', () => {
  it('is what SNS accepts as an email subject: ASCII, one line, under 100 characters', () => {
    expect(NOTIFICATION_SUBJECT).toBe('New Order Notification');
    expect(NOTIFICATION_SUBJECT).toMatch(/^[\x20-\x7e]+$/);
    expect(NOTIFICATION_SUBJECT.length).toBeLessThan(100);
  });
});

describe('formatOrderNotification', () => {
  it('writes a plain message a person can read', () => {
    const notification = formatOrderNotification(
      storedOrderImage({
        orderID: '059f36b4-87a3-44ab-83d2-661975830a7d',
        item: 'latex gloves',
        customerID: '12345',
        order: '{"item": "latex gloves", "customerID": "12345"}',
        receivedAt: '2023-11-14T22:13:20.000Z',
      }),
    );
    expect(notification).toEqual({
      subject: 'New Order Notification',
      message: [
        'A new order was received.',
        '',
        'Order ID: 059f36b4-87a3-44ab-83d2-661975830a7d',
        'Item: latex gloves',
        'Customer ID: 12345',
        'Received at: 2023-11-14T22:13:20.000Z',
      ].join('\n'),
    });
  });

  it('shows no DynamoDB type descriptors', () => {
    const { message } = formatOrderNotification(storedOrderImage({ orderID: 'o-1', item: 'mop', customerID: '7' }));
    expect(message).not.toMatch(/"S"|\{"S"|NewImage/);
  });

  it.each([
    ['ampersand, plus and percent signs', 'soap & water + 100% rags'],
    ['quotes', `"heavy duty" mop's head`],
    ['non-ASCII text', 'Größe XL – スポンジ – 🧽'],
  ])('keeps %s intact', (_case, item) => {
    const { message } = formatOrderNotification(storedOrderImage({ orderID: 'o-1', item, customerID: 'ÄÖÜ-007' }));
    expect(message).toContain(`Item: ${item}\n`);
    expect(message).toContain('Customer ID: ÄÖÜ-007\n');
  });

  it("says plainly which fields a row does not have (the lab's rows had only orderID and order)", () => {
    const { message } = formatOrderNotification(storedOrderImage({ orderID: 'o-1', order: '{"item":"mop"}' }));
    expect(message).toContain('Item: (not recorded)');
    expect(message).toContain('Customer ID: (not recorded)');
    expect(message).toContain('Received at: (not recorded)');
    expect(message).not.toMatch(/undefined|null/);
  });

  it('treats an empty value as not recorded', () => {
    const { message } = formatOrderNotification(storedOrderImage({ orderID: 'o-1', item: '', customerID: ' ' }));
    expect(message).toContain('Item: (not recorded)');
    expect(message).toContain('Customer ID: (not recorded)');
  });

  it('keeps one field per line when a value contains line breaks', () => {
    const { message } = formatOrderNotification(
      storedOrderImage({ orderID: 'o-1', item: 'mop\nOrder ID: forged', customerID: '7' }),
    );
    expect(message).toContain('Item: mop Order ID: forged\n');
    expect(message.match(/^Order ID:/gm)).toHaveLength(1);
  });

  it('shows numbers exactly, even beyond double precision', () => {
    const { message } = formatOrderNotification({
      orderID: { S: 'o-1' },
      item: { S: 'mop' },
      customerID: { N: '123456789012345678901' },
    });
    expect(message).toContain('Customer ID: 123456789012345678901\n');
  });

  it('fails clearly when the stream carries no new image', () => {
    expect(() => formatOrderNotification(undefined)).toThrow(MissingNewImageError);
    expect(() => formatOrderNotification(undefined)).toThrow(/NEW_IMAGE/);
  });
});

describe('isNewOrder', () => {
  it.each([
    ['INSERT', true],
    ['MODIFY', false],
    ['REMOVE', false],
    [undefined, false],
  ] as const)('%s -> %s', (eventName, expected) => {
    expect(isNewOrder({ eventName })).toBe(expected);
  });
});

import {
  InvalidOrderError,
  parseOrderRequest,
  sentTimestampToIso,
  toStoredOrder,
} from '../../../../functions/orders/store-order/order';

describe('parseOrderRequest', () => {
  it("accepts the lab's request body", () => {
    expect(parseOrderRequest('{"item": "latex gloves", "customerID": "12345"}')).toEqual({
      item: 'latex gloves',
      customerID: '12345',
    });
  });

  it.each([
    ['an ampersand', 'soap & water'],
    ['a plus sign', 'gloves+masks'],
    ['a percent sign', '100% cotton rags'],
    ['percent-encoding look-alikes', 'bleach%20%26%2B'],
    ['double and single quotes', `"heavy duty" mop's head`],
    ['non-ASCII text', 'Größe XL – スポンジ – 🧽'],
    ['leading and trailing spaces', '  broom  '],
  ])('keeps %s exactly as sent', (_case, item) => {
    const body = JSON.stringify({ item, customerID: 'ÄÖÜ-007' });
    expect(parseOrderRequest(body)).toEqual({ item, customerID: 'ÄÖÜ-007' });
  });

  it('ignores fields it does not need', () => {
    expect(parseOrderRequest('{"item":"mop","customerID":"1","note":"leave at door"}')).toEqual({
      item: 'mop',
      customerID: '1',
    });
  });

  it.each([
    ['item is missing', '{"customerID": "12345"}', /"item" is missing/],
    ['customerID is missing', '{"item": "mop"}', /"customerID" is missing/],
    ['customerID is a number', '{"item": "mop", "customerID": 12345}', /"customerID" must be a string, got a number/],
    ['item is null', '{"item": null, "customerID": "1"}', /"item" must be a string, got null/],
    ['item is an object', '{"item": {"name": "mop"}, "customerID": "1"}', /"item" must be a string, got an object/],
    ['item is a boolean', '{"item": true, "customerID": "1"}', /"item" must be a string, got a boolean/],
    ['item is empty', '{"item": "", "customerID": "1"}', /"item" must not be empty/],
    ['customerID is blank', '{"item": "mop", "customerID": "   "}', /"customerID" must not be only white space/],
    ['item is tabs and line breaks', '{"item": "\\t\\n\\r ", "customerID": "1"}', /"item" must not be only white space/],
    ['item is no-break spaces', '{"item": "\\u00a0\\u3000", "customerID": "1"}', /"item" must not be only white space/],
    ['item is past 200 characters', JSON.stringify({ item: 'x'.repeat(201), customerID: '1' }), /"item" must be at most 200 characters, got 201/],
    ['customerID is past 64 characters', JSON.stringify({ item: 'mop', customerID: '7'.repeat(65) }), /"customerID" must be at most 64 characters, got 65/],
    ['the body is not JSON', 'item=mop&customerID=1', /not valid JSON/],
    ['the body is empty', '', /not valid JSON/],
    ['the body is truncated JSON', '{"item": "mop", "customerID": "1"', /not valid JSON/],
    ['the body is a JSON array', '[{"item": "mop"}]', /must be a JSON object, got an array/],
    ['the body is a JSON string', '"mop"', /must be a JSON object, got a string/],
    ['the body is JSON null', 'null', /must be a JSON object, got null/],
  ])('rejects an order when %s, saying so', (_case, body, reason) => {
    expect(() => parseOrderRequest(body)).toThrow(InvalidOrderError);
    expect(() => parseOrderRequest(body)).toThrow(reason);
  });

  it('names every problem at once', () => {
    expect(() => parseOrderRequest('{"customerID": 7}')).toThrow(
      'Order body is invalid: "item" is missing; "customerID" must be a string, got a number',
    );
  });
});

describe('toStoredOrder', () => {
  const body = '{"item": "latex gloves", "customerID": "12345"}';
  const message = {
    messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
    body,
    attributes: { SentTimestamp: '1700000000000' },
  };

  it('keys the order by the SQS message id and keeps the raw body', () => {
    expect(toStoredOrder(message)).toEqual({
      orderID: '059f36b4-87a3-44ab-83d2-661975830a7d',
      item: 'latex gloves',
      customerID: '12345',
      order: body,
      receivedAt: '2023-11-14T22:13:20.000Z',
    });
  });

  it('builds the same row for every delivery of a message (the lab built a new uuid each time)', () => {
    expect(toStoredOrder({ ...message })).toEqual(toStoredOrder(message));
  });

  it('rejects a malformed body as an invalid order', () => {
    expect(() => toStoredOrder({ ...message, body: '{"item": "mop"}' })).toThrow(InvalidOrderError);
  });
});

describe('sentTimestampToIso', () => {
  it('converts epoch milliseconds to ISO 8601 UTC', () => {
    expect(sentTimestampToIso('1700000000123')).toBe('2023-11-14T22:13:20.123Z');
  });

  it.each(['', 'yesterday', '17e11', '-1', '99999999999999999999'])('rejects %j as a malformed event, not a bad order', (value) => {
    expect(() => sentTimestampToIso(value)).toThrow(/no valid SentTimestamp/);
    expect(() => sentTimestampToIso(value)).not.toThrow(InvalidOrderError);
  });
});

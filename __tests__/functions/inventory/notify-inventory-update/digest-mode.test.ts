import { decideInventoryNotification, type InventoryStreamRecord } from '../../../../functions/inventory/notify-inventory-update/inventory-change';

const image = (quantity: string) => ({ productId: { S: 'P001' }, name: { S: 'Laptop' }, quantity: { N: quantity }, price: { N: '999.99' } });
const insert: InventoryStreamRecord = { eventName: 'INSERT', dynamodb: { NewImage: image('20') } };
const fallsToFive: InventoryStreamRecord = { eventName: 'MODIFY', dynamodb: { OldImage: image('20'), NewImage: image('5') } };

describe('NotifyInventoryUpdate with ANNOUNCEMENTS=digest', () => {
  it("announces no new product: the upload's digest has", () => {
    expect(decideInventoryNotification(insert, 5, 'digest')).toEqual({
      kind: 'none',
      reason: "new products are announced in their upload's digest (ANNOUNCEMENTS=digest)",
    });
  });

  it('still alerts, product by product, when the stock falls to the threshold', () => {
    expect(decideInventoryNotification(fallsToFive, 5, 'digest')).toMatchObject({ kind: 'low-stock', notification: { subject: 'Low Stock Alert' } });
  });

  it("announces each new product in the seed's per-product mode, the default", () => {
    expect(decideInventoryNotification(insert, 5)).toEqual(decideInventoryNotification(insert, 5, 'per-product'));
    expect(decideInventoryNotification(insert, 5)).toMatchObject({ kind: 'new-product', notification: { message: 'New product added: Laptop' } });
  });
});

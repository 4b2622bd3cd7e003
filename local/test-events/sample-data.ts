/**
 * What the test event templates put in the rows and inputs they carry: one of each thing
 * the stacks' functions read, typed by the functions' own types, so that a change to a
 * handler's input fails to compile here rather than in front of the person testing it.
 */
import type { InventoryItem } from '../../functions/inventory/process-inventory-file/inventory-file';
import type { StoredOrder } from '../../functions/orders/store-order/order';
import type { SupplierData } from '../../functions/report/fetch-supplier-data/supplier-data';

/** The lab's test order (seed 000, Task 9), as POC-Lambda-1 stores it. */
export function sampleOrder(orderID: string, receivedAt: Date): StoredOrder {
  const order = { item: 'latex gloves', customerID: '12345' };
  return { orderID, ...order, order: JSON.stringify(order), receivedAt: receivedAt.toISOString() };
}

/** The first product of seed 003's inventory.json. */
export const SAMPLE_PRODUCT: InventoryItem = { productId: 'P1001', name: 'Laptop', quantity: 20, price: 1200 };

/** Seed 004's supplier data as FetchSupplierData returns it: the input of the steps after it. */
export function sampleSupplierData(readAt: Date): SupplierData {
  return {
    readAt: readAt.toISOString(),
    suppliers: [
      {
        id: 1,
        name: 'Coffee Bean Co.',
        address: '100 Main Street, Anytown',
        phone: '206-555-0100',
        beans: [{ type: 'arabica', productName: 'Morning Blend', quantity: 40 }],
      },
    ],
  };
}

/**
 * A row for a table, chosen by the table's partition key: the stacks' own rows where the
 * key is theirs, otherwise a row of the key attributes alone.
 */
export function sampleItemFor(keys: { readonly hashKey: string; readonly rangeKey?: string }, id: string, now: Date): Record<string, unknown> {
  if (keys.hashKey === 'orderID' && keys.rangeKey === undefined) return { ...sampleOrder(id, now) };
  if (keys.hashKey === 'productId' && keys.rangeKey === undefined) return { ...SAMPLE_PRODUCT };
  return { [keys.hashKey]: id, ...(keys.rangeKey === undefined ? {} : { [keys.rangeKey]: now.toISOString() }) };
}

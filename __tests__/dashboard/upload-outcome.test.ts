import { parseInventoryFile } from '../../functions/inventory/process-inventory-file/inventory-file';
import { checkBeforeUpload } from '../../dashboard/src/check-file';
import { formatBytes, outcomeOfCheck, outcomeOfRecord } from '../../dashboard/src/upload-outcome';

const RECORD = { uploadId: 'u1', fileName: 'inventory.json', createdAt: '2025-01-01T00:00:00Z' };

describe('outcomeOfRecord: the pipeline\'s decision in words', () => {
  test('written', () => {
    expect(outcomeOfRecord({ ...RECORD, status: 'written', products: 2 })).toEqual({
      accepted: true,
      decidedBy: 'pipeline',
      headline: 'Accepted: 2 products written',
      rows: [],
    });
    expect(outcomeOfRecord({ ...RECORD, status: 'written', products: 1 }).headline).toBe('Accepted: 1 product written');
    // As the Inventory panel counts them: "10,003 products".
    expect(outcomeOfRecord({ ...RECORD, status: 'written', products: 10000 }).headline).toBe('Accepted: 10,000 products written');
  });

  test('rejected, with its reasons as rows and a note when not all were listed', () => {
    const outcome = outcomeOfRecord({
      ...RECORD,
      status: 'rejected',
      reason: '2 of 3 products are invalid',
      errorCount: 150,
      errors: [
        { item: 0, productId: 'P1', field: 'price', reason: 'price must be a number of at least 0, got -1' },
        { item: null, productId: null, field: null, reason: 'the file is not valid JSON' },
      ],
    });
    expect(outcome.headline).toBe('Rejected: 2 of 3 products are invalid');
    expect(outcome.rows).toEqual([
      { item: '0', productId: 'P1', field: 'price', reason: 'price must be a number of at least 0, got -1' },
      { item: 'whole file', productId: '', field: '', reason: 'the file is not valid JSON' },
    ]);
    expect(outcome.note).toBe('Showing the first 2 of 150 problems.');
  });
});

describe('the browser\'s check uses ProcessInventoryFile\'s module', () => {
  const file = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    return { size: bytes.length, arrayBuffer: async () => bytes.buffer as ArrayBuffer };
  };

  test('a valid file may be uploaded', async () => {
    await expect(checkBeforeUpload(file('[{"productId":"P1","name":"Laptop","quantity":5,"price":1200}]'), 1000)).resolves.toBeUndefined();
  });

  test('a non-JSON file is refused with the pipeline\'s own words', async () => {
    const rejection = await checkBeforeUpload(file('productId,name\nP1,Laptop'), 1000);
    const pipeline = parseInventoryFile('productId,name\nP1,Laptop');
    expect(pipeline.valid).toBe(false);
    expect(rejection).toEqual(pipeline.valid ? undefined : pipeline.rejection);
    const outcome = outcomeOfCheck(rejection!);
    expect(outcome.headline).toBe('Rejected before upload: The file is not valid JSON');
    expect(outcome.decidedBy).toBe('browser');
    expect(outcome.rows[0].reason).toMatch(/^the file is not valid JSON: /);
  });

  test('a file over the limit is refused unread', async () => {
    const unread = { size: 12 * 1024 * 1024, arrayBuffer: () => Promise.reject(new Error('read')) };
    const rejection = await checkBeforeUpload(unread, 10 * 1024 * 1024);
    expect(rejection?.reason).toBe('The file is too large');
    const outcome = outcomeOfCheck(rejection!, '12.0 MiB; the limit is 10.0 MiB');
    expect(outcome.headline).toBe('Rejected before upload: The file is too large (12.0 MiB; the limit is 10.0 MiB)');
    expect(outcome.rows).toEqual([
      { item: 'whole file', productId: '', field: '', reason: 'the file is 12582912 bytes, over the limit of 10485760 bytes' },
    ]);
  });

  test('an invalid item becomes a row with its index, productId and field', async () => {
    const rejection = await checkBeforeUpload(file('[{"productId":"P1","name":"Laptop","quantity":-1,"price":1}]'), 1000);
    expect(outcomeOfCheck(rejection!).rows).toEqual([
      { item: '0', productId: 'P1', field: 'quantity', reason: 'quantity must be a whole number of at least 0, got -1' },
    ]);
  });

  test('at most 100 problems are listed, as the pipeline keeps', async () => {
    const rejection = await checkBeforeUpload(file(JSON.stringify(Array.from({ length: 150 }, () => ({})))), 1_000_000);
    const outcome = outcomeOfCheck(rejection!);
    expect(outcome.rows).toHaveLength(100);
    expect(outcome.note).toBe('Showing the first 100 of 600 problems.');
  });
});

test('formatBytes', () => {
  expect(formatBytes(512)).toBe('512 bytes');
  expect(formatBytes(2048)).toBe('2.0 KiB');
  expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MiB');
});

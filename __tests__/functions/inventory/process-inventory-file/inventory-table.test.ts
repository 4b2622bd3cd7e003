/**
 * The batch writer against a stand-in client: DynamoDB Local never leaves items
 * unprocessed, so chunking, retries and giving up are proven here; the handler test
 * proves the writes against DynamoDB Local itself.
 */
import type { BatchWriteItemCommand, BatchWriteItemCommandOutput, WriteRequest } from '@aws-sdk/client-dynamodb';
import type { InventoryItem } from '../../../../functions/inventory/process-inventory-file/inventory-file';
import {
  BATCH_SIZE,
  InventoryWriteError,
  writeInventoryItems,
  type BatchWriteClient,
} from '../../../../functions/inventory/process-inventory-file/inventory-table';

const TABLE = 'InventoryTable';

function items(count: number): InventoryItem[] {
  return Array.from({ length: count }, (_, i) => ({
    productId: `P${i}`,
    name: `Product ${i}`,
    quantity: i,
    price: i + 0.5,
  }));
}

/** Records each call's requests; `respond` decides which of them come back unprocessed. */
function stubClient(respond: (requests: WriteRequest[], call: number) => WriteRequest[] | Error = () => []) {
  const calls: WriteRequest[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client: BatchWriteClient = {
    send: async (command: BatchWriteItemCommand): Promise<BatchWriteItemCommandOutput> => {
      const requests = command.input.RequestItems?.[TABLE] ?? [];
      calls.push(requests);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      const outcome = respond(requests, calls.length);
      if (outcome instanceof Error) throw outcome;
      return { $metadata: {}, UnprocessedItems: outcome.length === 0 ? {} : { [TABLE]: outcome } };
    },
  };
  return { client, calls, maxInFlight: () => maxInFlight };
}

const noWait = { sleep: async () => undefined };

it('writes 60 items in 3 calls of at most 25 puts, each row exactly the item', async () => {
  const stub = stubClient();

  await writeInventoryItems(stub.client, TABLE, items(60), noWait);

  expect(stub.calls.map((requests) => requests.length).sort()).toEqual([10, 25, 25]);
  expect(stub.calls.flat()).toHaveLength(60);
  expect(stub.calls[0][0]).toEqual({
    PutRequest: {
      Item: { productId: { S: 'P0' }, name: { S: 'Product 0' }, quantity: { N: '0' }, price: { N: '0.5' } },
    },
  });
});

it('writes a few chunks at a time, no more than asked', async () => {
  const stub = stubClient();

  await writeInventoryItems(stub.client, TABLE, items(BATCH_SIZE * 12), { ...noWait, concurrency: 3 });

  expect(stub.calls).toHaveLength(12);
  expect(stub.maxInFlight()).toBe(3);
});

it('retries only the unprocessed items, waiting longer each time', async () => {
  const delays: number[] = [];
  // The first two calls for the chunk leave its last 5, then 2 items unprocessed.
  const stub = stubClient((requests, call) => (call === 1 ? requests.slice(-5) : call === 2 ? requests.slice(-2) : []));

  await writeInventoryItems(stub.client, TABLE, items(25), {
    baseDelayMs: 100,
    sleep: async (ms) => {
      delays.push(ms);
    },
  });

  expect(stub.calls.map((requests) => requests.length)).toEqual([25, 5, 2]);
  expect(stub.calls[2]).toEqual(stub.calls[0].slice(-2));
  expect(delays).toHaveLength(2);
  // Full jitter: anywhere up to the doubling bound.
  expect(delays[0]).toBeLessThanOrEqual(100);
  expect(delays[1]).toBeLessThanOrEqual(200);
});

it('gives up after the bound, saying how many items were not written', async () => {
  // A throttled partition: the items of P3 never get through.
  const stub = stubClient((requests) => requests.filter((request) => request.PutRequest?.Item?.productId.S === 'P3'));

  const writing = writeInventoryItems(stub.client, TABLE, items(30), { ...noWait, maxAttempts: 4, concurrency: 1 });

  await expect(writing).rejects.toThrow(InventoryWriteError);
  await expect(writing).rejects.toThrow(
    '6 of 30 inventory items were not written to InventoryTable: DynamoDB still left 1 item unprocessed after 4 attempts',
  );
  // The 5 items of the second chunk count as not written: it is never started once one has failed.
  await expect(writing).rejects.toMatchObject({ written: 24, notWritten: 6 });
  // 4 attempts for the first chunk, none for the second.
  expect(stub.calls.map((requests) => requests.length)).toEqual([25, 1, 1, 1]);
});

it('makes 8 attempts per chunk by default', async () => {
  const stub = stubClient((requests) => requests);

  await expect(writeInventoryItems(stub.client, TABLE, items(2), noWait)).rejects.toThrow(
    /2 items unprocessed after 8 attempts/,
  );
  expect(stub.calls).toHaveLength(8);
});

it('reports an error from DynamoDB with the count of items not written, keeping it as the cause', async () => {
  const outage = Object.assign(new Error('injected outage'), { name: 'ServiceUnavailableException' });
  const stub = stubClient((_requests, call) => (call === 2 ? outage : []));

  const writing = writeInventoryItems(stub.client, TABLE, items(75), { ...noWait, concurrency: 1 });

  await expect(writing).rejects.toThrow(
    '50 of 75 inventory items were not written to InventoryTable: ServiceUnavailableException: injected outage',
  );
  await expect(writing).rejects.toMatchObject({ cause: outage });
  // The SDK has retried the error already: no retry on top, and no chunk after it.
  expect(stub.calls).toHaveLength(2);
});

it('waits with real timers when no sleep is given, within the bound', async () => {
  const stub = stubClient((requests, call) => (call === 1 ? requests : []));
  const started = Date.now();

  await writeInventoryItems(stub.client, TABLE, items(1), { baseDelayMs: 20 });

  expect(stub.calls).toHaveLength(2);
  expect(Date.now() - started).toBeLessThan(1_000);
});

import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { InventoryItem } from './inventory-file';

/** The most puts one BatchWriteItem call accepts. */
export const BATCH_SIZE = 25;

/** What the writer needs of a DynamoDBClient: sending BatchWriteItem, nothing else. */
export interface BatchWriteClient {
  send(command: BatchWriteItemCommand): Promise<BatchWriteItemCommandOutput>;
}

export interface WriteOptions {
  /**
   * Calls per chunk, the first included, while DynamoDB keeps returning unprocessed
   * items (it does so when a partition is throttled). Errors the SDK throws are not
   * retried here: the SDK has already retried them with its own policy.
   * @default 8
   */
  readonly maxAttempts?: number;
  /** Chunks written at the same time. @default 4 */
  readonly concurrency?: number;
  /** The longest first retry delay; it doubles with each attempt (full jitter). @default 50 */
  readonly baseDelayMs?: number;
  /** The longest any retry delay may grow. @default 5000 */
  readonly maxDelayMs?: number;
  /** How to wait between attempts; tests pass one that does not. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Some items did not reach the table. The writes are idempotent puts: retrying the whole file is safe. */
export class InventoryWriteError extends Error {
  constructor(
    readonly written: number,
    readonly notWritten: number,
    tableName: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${notWritten} of ${written + notWritten} inventory items were not written to ${tableName}: ${detail}`,
      options,
    );
    this.name = 'InventoryWriteError';
  }
}

/** DynamoDB kept returning unprocessed items until the attempts ran out. */
class UnprocessedItemsLeftError extends Error {}

/**
 * Puts every item into the table, 25 per BatchWriteItem call, a few calls at a time.
 *
 * Only BatchWriteItem is called: the function's role allows nothing else on the table.
 * Each row is the file's item exactly (the seed's four attributes), so uploading the same
 * file again rewrites identical rows and changes nothing.
 *
 * @throws InventoryWriteError saying how many items were not written, when DynamoDB
 *   fails (after the SDK's own retries) or leaves items unprocessed `maxAttempts` times
 */
export async function writeInventoryItems(
  dynamodb: BatchWriteClient,
  tableName: string,
  items: readonly InventoryItem[],
  options: WriteOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const chunks: WriteRequest[][] = [];
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    chunks.push(items.slice(start, start + BATCH_SIZE).map((item) => ({ PutRequest: { Item: marshall(item) } })));
  }

  let written = 0;
  let failure: unknown;
  let nextChunk = 0;

  const writeChunk = async (requests: WriteRequest[]): Promise<void> => {
    let pending = requests;
    for (let attempt = 1; ; attempt++) {
      const { UnprocessedItems } = await dynamodb.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      const unprocessed = UnprocessedItems?.[tableName] ?? [];
      written += pending.length - unprocessed.length;
      if (unprocessed.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new UnprocessedItemsLeftError(
          `DynamoDB still left ${unprocessed.length} ${
            unprocessed.length === 1 ? 'item' : 'items'
          } unprocessed after ${maxAttempts} attempts`,
        );
      }
      pending = unprocessed;
      // Full jitter: concurrent chunks throttled together do not retry together.
      await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    }
  };

  // Workers take the next chunk until none is left or one fails; a failure stops new chunks.
  const worker = async (): Promise<void> => {
    while (failure === undefined && nextChunk < chunks.length) {
      try {
        await writeChunk(chunks[nextChunk++]);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, chunks.length));
  await Promise.all(Array.from({ length: workers }, worker));

  if (failure !== undefined) {
    const detail =
      failure instanceof UnprocessedItemsLeftError
        ? failure.message
        : `${errorName(failure)}: ${errorMessage(failure)}`;
    throw new InventoryWriteError(written, items.length - written, tableName, detail, { cause: failure });
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

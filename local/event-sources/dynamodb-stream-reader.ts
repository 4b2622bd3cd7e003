/**
 * Reads a table's stream (from DynamoDB Local, or DynamoDB) the way Lambda's event source
 * mapping reads it, and hands back records in the shape Lambda delivers: a handler sees
 * what the stream actually produced, not a hand-written fixture.
 *
 * Two levels:
 * - `ShardCursor`: one shard, read page by page from a starting position, surviving
 *   expired iterators; what the event source mapping (dynamodb-stream-event-source.ts)
 *   polls, one cursor per shard.
 * - `DynamoDbStreamReader`: shard discovery (DescribeStream, every page, with each
 *   shard's parent), plus `readNew()`/`nextEvent()` for tests that want "whatever the
 *   stream holds now" as one Lambda event.
 */
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type ShardIteratorType,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StreamShard {
  readonly shardId: string;
  /** The shard this one was split from; its records come first (DynamoDB keeps lineage). */
  readonly parentShardId?: string;
  readonly startingSequenceNumber?: string;
  /** Present once DynamoDB has closed the shard: it gets no more records after this one. */
  readonly endingSequenceNumber?: string;
}

/** Where a cursor starts: the oldest record kept, the next record written, or after a known one. */
export type ShardPosition = 'TRIM_HORIZON' | 'LATEST' | { readonly afterSequenceNumber: string };

export class DynamoDbStreamReader {
  /** Cursors of readNew(), one per shard seen, all from TRIM_HORIZON. */
  private readonly cursors = new Map<string, ShardCursor>();

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    readonly streamArn: string,
  ) {}

  /** Every shard the stream describes, parents before their children. */
  async listShards(): Promise<StreamShard[]> {
    const shards: StreamShard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId === undefined) continue;
        shards.push({
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId,
          startingSequenceNumber: shard.SequenceNumberRange?.StartingSequenceNumber,
          endingSequenceNumber: shard.SequenceNumberRange?.EndingSequenceNumber,
        });
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    return parentsFirst(shards);
  }

  /** A cursor over one shard; it asks for its iterator on the first read. */
  openShard(shardId: string, position: ShardPosition): ShardCursor {
    return new ShardCursor(this.streams, this.streamArn, shardId, position);
  }

  /**
   * Records written since the previous call (since the stream began, on the first): one
   * page of every shard, parents' records before their children's.
   */
  async readNew(): Promise<DynamoDBRecord[]> {
    for (const { shardId } of await this.listShards()) {
      if (!this.cursors.has(shardId)) this.cursors.set(shardId, this.openShard(shardId, 'TRIM_HORIZON'));
    }
    const records: DynamoDBRecord[] = [];
    for (const cursor of this.cursors.values()) {
      if (!cursor.finished) records.push(...(await cursor.read()));
    }
    return records;
  }

  /** Waits until `count` new records have arrived and returns them as one event. */
  async nextEvent(count: number, timeoutMs = 5_000): Promise<DynamoDBStreamEvent> {
    const records: DynamoDBRecord[] = [];
    const giveUpAt = Date.now() + timeoutMs;
    while (records.length < count) {
      records.push(...(await this.readNew()));
      if (records.length >= count) break;
      if (Date.now() > giveUpAt) throw new Error(`Expected ${count} stream records, got ${records.length}`);
      await sleep(50);
    }
    return { Records: records };
  }
}

/**
 * Reads one shard in order. A shard iterator expires after 15 minutes; the cursor then
 * asks for a new one after the last record it returned, so a long-idle poller neither
 * loses nor repeats records.
 */
export class ShardCursor {
  private iterator: string | undefined;
  private lastSequenceNumber: string | undefined;
  private closedAndRead = false;

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    readonly streamArn: string,
    readonly shardId: string,
    private readonly position: ShardPosition,
  ) {}

  /** The shard is closed and every record in it has been returned: reading again returns nothing. */
  get finished(): boolean {
    return this.closedAndRead;
  }

  /** Sequence number of the last record returned, if any. */
  get lastSequenceNumberRead(): string | undefined {
    return this.lastSequenceNumber;
  }

  /** The next page of records (possibly none: the shard is open and nothing new was written). */
  async read(): Promise<DynamoDBRecord[]> {
    if (this.closedAndRead) return [];
    this.iterator ??= await this.newIterator();
    if (this.iterator === undefined) {
      this.closedAndRead = true;
      return [];
    }
    let page;
    try {
      page = await this.streams.send(new GetRecordsCommand({ ShardIterator: this.iterator }));
    } catch (error) {
      // Expired (15 minutes) or trimmed (older than 24 hours) iterator: drop it, so the
      // next read starts from where this cursor stands, then report the problem.
      if (isNamed(error, 'ExpiredIteratorException') || isNamed(error, 'TrimmedDataAccessException')) this.iterator = undefined;
      throw error;
    }
    const records = (page.Records ?? []).map((record) => toLambdaRecord(record, this.streamArn));
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined) this.lastSequenceNumber = last;
    this.iterator = page.NextShardIterator ?? undefined;
    // No next iterator: the shard is closed and this page was its end.
    if (this.iterator === undefined) this.closedAndRead = true;
    return records;
  }

  private async newIterator(): Promise<string | undefined> {
    const position: ShardPosition =
      this.lastSequenceNumber !== undefined ? { afterSequenceNumber: this.lastSequenceNumber } : this.position;
    const type: ShardIteratorType = typeof position === 'string' ? position : 'AFTER_SEQUENCE_NUMBER';
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: this.shardId,
        ShardIteratorType: type,
        SequenceNumber: typeof position === 'string' ? undefined : position.afterSequenceNumber,
      }),
    );
    return ShardIterator ?? undefined;
  }
}

/** Orders shards so that each parent (when listed) comes before its children. */
function parentsFirst(shards: StreamShard[]): StreamShard[] {
  const byId = new Map(shards.map((shard) => [shard.shardId, shard]));
  const ordered: StreamShard[] = [];
  const placed = new Set<string>();
  const place = (shard: StreamShard, seen: Set<string>): void => {
    if (placed.has(shard.shardId) || seen.has(shard.shardId)) return;
    seen.add(shard.shardId);
    const parent = shard.parentShardId === undefined ? undefined : byId.get(shard.parentShardId);
    if (parent) place(parent, seen);
    placed.add(shard.shardId);
    ordered.push(shard);
  };
  for (const shard of shards) place(shard, new Set());
  return ordered;
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** The Streams API and Lambda's event differ in a few details; this is Lambda's side. */
export function toLambdaRecord(record: StreamApiRecord, streamArn: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      // Lambda sends epoch seconds; the SDK has already parsed it into a Date.
      ApproximateCreationDateTime:
        change.ApproximateCreationDateTime === undefined ? undefined : Math.floor(change.ApproximateCreationDateTime.getTime() / 1000),
      Keys: toLambdaImage(change.Keys),
      NewImage: toLambdaImage(change.NewImage),
      OldImage: toLambdaImage(change.OldImage),
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    // Present only on deletes made by TTL, as in Lambda's event.
    ...(record.userIdentity === undefined ? {} : { userIdentity: { ...record.userIdentity } }),
  };
}

/** Lambda events carry binary values as base64 text; the SDK decodes them to bytes. */
function toLambdaImage(image: object | undefined): StreamRecord['NewImage'] {
  if (image === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(image, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)),
  ) as StreamRecord['NewImage'];
}

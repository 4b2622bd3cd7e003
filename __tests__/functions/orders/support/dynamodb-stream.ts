import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads a table's stream from DynamoDB Local the way Lambda's event source mapping reads
 * it from DynamoDB, and hands back records in the shape Lambda delivers: the handler
 * under test sees what DynamoDB Local actually produced, not a hand-written fixture.
 */
export class DynamoDbStreamReader {
  /** Next iterator per shard; null once a shard is closed and fully read. */
  private readonly iterators = new Map<string, string | null>();

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    readonly streamArn: string,
  ) {}

  /** Records written since the previous call (since the stream began, on the first). */
  async readNew(): Promise<DynamoDBRecord[]> {
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const { ShardId } of StreamDescription?.Shards ?? []) {
      if (ShardId === undefined || this.iterators.has(ShardId)) continue;
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      this.iterators.set(ShardId, ShardIterator ?? null);
    }

    const records: DynamoDBRecord[] = [];
    for (const [shardId, iterator] of this.iterators) {
      if (iterator === null) continue;
      const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []).map((record) => toLambdaRecord(record, this.streamArn)));
      this.iterators.set(shardId, page.NextShardIterator ?? null);
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

/** The Streams API and Lambda's event differ in a few details; this is Lambda's side. */
function toLambdaRecord(record: StreamApiRecord, streamArn: string): DynamoDBRecord {
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
  };
}

/** Lambda events carry binary values as base64 text; the SDK decodes them to bytes. */
function toLambdaImage(image: object | undefined): StreamRecord['NewImage'] {
  if (image === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(image, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)),
  ) as StreamRecord['NewImage'];
}

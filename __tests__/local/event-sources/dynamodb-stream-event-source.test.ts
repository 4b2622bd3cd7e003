/**
 * The DynamoDB stream event source against DynamoDB Local's real stream (one shard per
 * table there), plus one test with an in-memory stream for what DynamoDB Local cannot
 * produce on demand: several shards and a split (parent and child shards).
 */
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  startStreamEventSource,
  type RunningStreamEventSource,
  type StreamEventSourceConfig,
  type StreamEventSourceEvents,
} from '../../../local/event-sources/dynamodb-stream-event-source';
import type { Invocation, Invokable } from '../../../local/lambda/invocation';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';

const CLIENT_CONFIG = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } as const;
const POLL_INTERVAL_MS = 20;

type Reply = { readonly ok: true; readonly result?: unknown } | { readonly ok: false; readonly timedOut?: boolean };

interface Call {
  readonly ids: string[];
  readonly records: DynamoDBRecord[];
  invocation?: Invocation;
}

function idOf(record: DynamoDBRecord): string {
  return record.dynamodb?.Keys?.id?.S ?? '?';
}

function sequenceOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

/** A function that records every event it gets and answers as `reply` says. */
class FakeFunction implements Invokable {
  readonly functionName = 'stream-consumer';
  readonly calls: Call[] = [];
  maxInFlight = 0;
  private inFlight = 0;

  constructor(private readonly reply: (records: DynamoDBRecord[], call: number) => Reply | Promise<Reply> = () => ({ ok: true })) {}

  async invoke(event: unknown): Promise<Invocation> {
    const records = (event as DynamoDBStreamEvent).Records;
    const call: Call = { ids: records.map(idOf), records };
    this.calls.push(call);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const startedAt = Date.now();
    try {
      const reply = await this.reply(records, this.calls.length);
      const common = { requestId: randomUUID(), durationMs: Date.now() - startedAt };
      call.invocation = reply.ok
        ? { ...common, ok: true, result: reply.result ?? null }
        : {
            ...common,
            ok: false,
            timedOut: reply.timedOut ?? false,
            error: reply.timedOut
              ? { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' }
              : { errorType: 'Error', errorMessage: 'the function failed' },
          };
      return call.invocation;
    } finally {
      this.inFlight -= 1;
    }
  }

  get batches(): string[][] {
    return this.calls.map((call) => call.ids);
  }
}

// DynamoDB Local is shared with the other suites of this jest worker: table names are this suite's own.
const names = uniqueNames();
let dynamodb: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let errors: unknown[];
const running: RunningStreamEventSource[] = [];
let tables = 0;

beforeAll(async () => {
  const dynamoDbLocal = await workerEmulators().dynamodb();
  dynamodb = new DynamoDBClient({ ...CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  streams = new DynamoDBStreamsClient({ ...CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(() => {
  dynamodb?.destroy();
  streams?.destroy();
});

beforeEach(() => {
  errors = [];
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((source) => source.stop()));
  expect(errors).toEqual([]);
});

/** A fresh table with a NEW_IMAGE stream, like the orders table; returns its name and stream ARN. */
async function createTable(): Promise<{ name: string; streamArn: string }> {
  const name = names.table(`stream-test-${++tables}`);
  const { TableDescription } = await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  return { name, streamArn: TableDescription?.LatestStreamArn as string };
}

async function put(table: string, ...ids: string[]): Promise<void> {
  for (const id of ids) await dynamodb.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }));
}

function start(
  streamArn: string,
  fn: Invokable,
  config: Partial<StreamEventSourceConfig> = {},
  events: StreamEventSourceEvents = {},
  client: DynamoDBStreamsClient = streams,
): RunningStreamEventSource {
  const source = startStreamEventSource(
    client,
    fn,
    {
      streamArn,
      batchSize: 10,
      startingPosition: 'TRIM_HORIZON',
      filterPatterns: [],
      reportBatchItemFailures: false,
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: -1,
      ...config,
    },
    { onError: (error) => errors.push(error), ...events },
    { pollIntervalMs: POLL_INTERVAL_MS },
  );
  running.push(source);
  return source;
}

it("delivers only INSERT records with the orders stack's filter: MODIFY and REMOVE never reach the function", async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'a', 'b');
  await dynamodb.send(
    new UpdateItemCommand({ TableName: name, Key: { id: { S: 'a' } }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'x' } } }),
  );
  await dynamodb.send(new DeleteItemCommand({ TableName: name, Key: { id: { S: 'b' } } }));
  await put(name, 'c');

  const fn = new FakeFunction();
  const source = start(streamArn, fn, { filterPatterns: ['{"eventName":["INSERT"]}'] });
  await source.idle();

  expect(fn.batches).toEqual([['a', 'b', 'c']]);
  expect(fn.calls[0].records.map((record) => record.eventName)).toEqual(['INSERT', 'INSERT', 'INSERT']);
  expect(fn.calls[0].records[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventSourceARN: streamArn, dynamodb: { NewImage: { id: { S: 'a' } } } });
});

it('honours the batch size', async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7');

  const fn = new FakeFunction();
  await start(streamArn, fn, { batchSize: 3 }).idle();

  expect(fn.batches).toEqual([
    ['r1', 'r2', 'r3'],
    ['r4', 'r5', 'r6'],
    ['r7'],
  ]);
});

it('retries a partial batch failure from the lowest failed record, re-sending the records after it', async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'p1', 'p2', 'p3', 'p4', 'p5');

  const fn = new FakeFunction((records, call) => {
    if (call > 1) return { ok: true, result: { batchItemFailures: [] } };
    // p4 and p2 fail, reported out of order: the checkpoint goes before p2, the lowest.
    const failed = records.filter((record) => ['p4', 'p2'].includes(idOf(record))).reverse();
    return { ok: true, result: { batchItemFailures: failed.map((record) => ({ itemIdentifier: sequenceOf(record) })) } };
  });
  await start(streamArn, fn, { reportBatchItemFailures: true, maximumRetryAttempts: 3 }).idle();

  expect(fn.batches).toEqual([
    ['p1', 'p2', 'p3', 'p4', 'p5'],
    ['p2', 'p3', 'p4', 'p5'],
  ]);
});

it('treats an invalid partial response as a failure of the whole batch, and ignores the response without ReportBatchItemFailures', async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'v1', 'v2');
  const unknownIdentifier = new FakeFunction((_records, call) =>
    call === 1 ? { ok: true, result: { batchItemFailures: [{ itemIdentifier: '999' }] } } : { ok: true, result: null },
  );
  const emptyIdentifier = new FakeFunction((_records, call) => (call === 1 ? { ok: true, result: { batchItemFailures: [{ itemIdentifier: '' }] } } : { ok: true }));
  const notReported = new FakeFunction(() => ({ ok: true, result: { batchItemFailures: [{ itemIdentifier: 'whatever' }] } }));

  await Promise.all([
    start(streamArn, unknownIdentifier, { reportBatchItemFailures: true }).idle(),
    start(streamArn, emptyIdentifier, { reportBatchItemFailures: true }).idle(),
    start(streamArn, notReported, { reportBatchItemFailures: false }).idle(),
  ]);

  expect(unknownIdentifier.batches).toEqual([
    ['v1', 'v2'],
    ['v1', 'v2'],
  ]);
  expect(emptyIdentifier.batches).toEqual([
    ['v1', 'v2'],
    ['v1', 'v2'],
  ]);
  expect(notReported.batches).toEqual([['v1', 'v2']]);
});

it('bisects on function errors to isolate a poison record, which ends in the on-failure destination after its retries', async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'ok1', 'ok2', 'poison', 'ok3');

  const fn = new FakeFunction((records) => (records.some((record) => idOf(record) === 'poison') ? { ok: false } : { ok: true }));
  const sent: object[] = [];
  const discarded: Parameters<NonNullable<StreamEventSourceEvents['onDiscarded']>>[0][] = [];
  await start(
    streamArn,
    fn,
    {
      batchSize: 10,
      reportBatchItemFailures: true,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 2,
      onFailure: async (record) => {
        sent.push(record);
      },
    },
    { onDiscarded: (info) => discarded.push(info) },
  ).idle();

  expect(fn.batches).toEqual([
    ['ok1', 'ok2', 'poison', 'ok3'], // fails: split in two (no retry counted)
    ['ok1', 'ok2'],
    ['poison', 'ok3'], // fails: split again
    ['poison'], // fails: retry 1
    ['poison'], // fails: retry 2
    ['poison'], // fails: retries exhausted, discarded
    ['ok3'],
  ]);
  const succeeded = fn.calls.filter((call) => call.invocation?.ok).flatMap((call) => call.ids);
  expect(succeeded).toEqual(['ok1', 'ok2', 'ok3']);

  const poison = fn.calls[3].records[0];
  expect(discarded).toHaveLength(1);
  expect(discarded[0].reason).toBe('retries-exhausted');
  expect(discarded[0].records.map(idOf)).toEqual(['poison']);
  expect(sent).toEqual([discarded[0].invocationRecord]);
  const [record] = sent as Record<string, Record<string, unknown>>[];
  expect(record).toEqual({
    requestContext: {
      requestId: fn.calls[5].invocation?.requestId,
      functionArn: 'arn:aws:lambda:ddblocal:000000000000:function:stream-consumer',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 5,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    DDBStreamBatchInfo: {
      shardId: expect.stringMatching(/^shardId-/),
      startSequenceNumber: sequenceOf(poison),
      endSequenceNumber: sequenceOf(poison),
      approximateArrivalOfFirstRecord: new Date((poison.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString().replace('.000Z', 'Z'),
      approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      batchSize: 1,
      streamArn,
    },
  });
  // What an operator reads from the failure queue is valid JSON, as SQS would carry it.
  expect(JSON.parse(JSON.stringify(record))).toEqual(record);
});

it('without bisect retries the whole batch (timeouts included) and discards it whole; then moves on', async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'b1', 'b2', 'b3');

  const fn = new FakeFunction((_records, call) => (call === 1 ? { ok: false, timedOut: true } : call === 2 ? { ok: false } : { ok: true }));
  const discarded: object[] = [];
  const source = start(streamArn, fn, { batchSize: 2, maximumRetryAttempts: 1, onFailure: async (record) => void discarded.push(record) });
  await source.idle();

  expect(fn.batches).toEqual([
    ['b1', 'b2'],
    ['b1', 'b2'],
    ['b3'],
  ]);
  expect(discarded).toMatchObject([
    { requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 }, DDBStreamBatchInfo: { batchSize: 2 } },
  ]);
});

it('discards records older than the maximum record age without invoking the function', async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'old1', 'old2');
  // DynamoDB Local rounds ApproximateCreationDateTime down to the minute, so only an age of
  // 0 s is certain to be exceeded here without waiting.
  const fn = new FakeFunction();
  const discarded: Parameters<NonNullable<StreamEventSourceEvents['onDiscarded']>>[0][] = [];
  await start(streamArn, fn, { maximumRecordAgeSeconds: 0 }, { onDiscarded: (info) => discarded.push(info) }).idle();

  expect(fn.calls).toEqual([]);
  expect(discarded).toHaveLength(1);
  expect(discarded[0].reason).toBe('record-too-old');
  expect(discarded[0].records.map(idOf)).toEqual(['old1', 'old2']);
  expect(discarded[0].invocationRecord).toMatchObject({
    requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    DDBStreamBatchInfo: { batchSize: 2, streamArn },
  });
  expect(discarded[0].invocationRecord).not.toHaveProperty('responseContext.functionError');
});

it('preserves order within a shard: one batch at a time, in sequence, while records keep arriving', async () => {
  const { name, streamArn } = await createTable();
  const fn = new FakeFunction(async () => {
    await sleep(Math.random() * 10);
    return { ok: true };
  });
  const source = start(streamArn, fn, { batchSize: 4 });
  const ids = Array.from({ length: 30 }, (_, index) => `o${String(index).padStart(2, '0')}`);
  await put(name, ...ids);
  await source.idle();

  expect(fn.calls.flatMap((call) => call.ids)).toEqual(ids);
  expect(fn.maxInFlight).toBe(1);
  expect(fn.calls.every((call) => call.ids.length <= 4)).toBe(true);
  const sequence = fn.calls.flatMap((call) => call.records.map((record) => BigInt(sequenceOf(record))));
  expect(sequence.every((value, index) => index === 0 || value > sequence[index - 1])).toBe(true);
});

it('starts at LATEST: records written before the source started are not delivered', async () => {
  const { name, streamArn } = await createTable();
  await put(name, 'before');
  const fn = new FakeFunction();
  const source = start(streamArn, fn, { startingPosition: 'LATEST' });
  await source.idle();
  await put(name, 'after');
  await source.idle();

  expect(fn.batches).toEqual([['after']]);
});

it('stop() waits for the invocation in flight, then nothing polls or runs any more', async () => {
  const { name, streamArn } = await createTable();
  const timers = trackSourceTimers();
  let release: () => void = () => undefined;
  let finished = false;
  const fn = new FakeFunction(async () => {
    await new Promise<void>((resolve) => (release = resolve));
    finished = true;
    return { ok: true };
  });
  let streamCalls = 0;
  const countingClient = {
    send: (...args: Parameters<DynamoDBStreamsClient['send']>) => {
      streamCalls += 1;
      return streams.send(...args);
    },
  } as unknown as DynamoDBStreamsClient;
  const source = start(streamArn, fn, {}, {}, countingClient);
  await put(name, 's1');
  while (fn.calls.length === 0) await sleep(10);

  let stopped = false;
  const stopping = source.stop().then(() => (stopped = true));
  await sleep(100);
  expect(stopped).toBe(false);
  release();
  await stopping;
  expect(finished).toBe(true);
  timers.restore();
  expect(timers.created()).toBeGreaterThan(0);
  expect(timers.pending()).toBe(0);

  const callsAtStop = streamCalls;
  await put(name, 's2');
  await sleep(200);
  expect(streamCalls).toBe(callsAtStop);
  expect(fn.batches).toEqual([['s1']]);
  await expect(source.idle()).resolves.toBeUndefined();
  await expect(source.stop()).resolves.toBeUndefined();
});

it('reads shards in parallel and a child shard only after its parent (in-memory stream)', async () => {
  const stream = new FakeStream({
    parent: { records: ['p1', 'p2'], closed: true },
    child: { parent: 'parent', records: ['c1'] },
    other: { records: ['x1'] },
  });
  let releaseParent: () => void = () => undefined;
  const parentHeld = new Promise<void>((resolve) => (releaseParent = resolve));
  let parentHandled = false;
  let childSawParentHandled: boolean | undefined;
  const fn = new FakeFunction(async (records) => {
    const first = idOf(records[0]);
    // The parent's batch waits until the other shard's batch has been invoked: only
    // parallel shards get past this.
    if (first === 'p1') {
      await parentHeld;
      parentHandled = true;
    }
    if (first === 'x1') releaseParent();
    if (first === 'c1') childSawParentHandled = parentHandled;
    return { ok: true };
  });
  await start('arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/label', fn, {}, {}, stream.client).idle();

  expect([...fn.batches].sort()).toEqual([['c1'], ['p1', 'p2'], ['x1']]);
  expect(fn.maxInFlight).toBe(2);
  expect(childSawParentHandled).toBe(true);
});

/**
 * Follows the timers the event source module sets (its polls and sleeps), not the SDK's
 * or jest's: how many it created, and how many are neither fired nor cleared.
 */
function trackSourceTimers(): { created(): number; pending(): number; restore(): void } {
  const realSetTimeout = global.setTimeout;
  const realClearTimeout = global.clearTimeout;
  const live = new Set<unknown>();
  let created = 0;
  const setSpy = jest.spyOn(global, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const fromSource = /local[/\\]event-sources[/\\]dynamodb-stream-event-source\.ts/.test(new Error().stack ?? '');
    const timer = realSetTimeout(
      (...callbackArgs: unknown[]) => {
        live.delete(timer);
        callback(...callbackArgs);
      },
      ms,
      ...args,
    );
    if (fromSource) {
      created += 1;
      live.add(timer);
    }
    return timer;
  }) as unknown as typeof setTimeout);
  const clearSpy = jest.spyOn(global, 'clearTimeout').mockImplementation((timer) => {
    live.delete(timer);
    realClearTimeout(timer);
  });
  return {
    created: () => created,
    pending: () => live.size,
    restore: () => {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    },
  };
}

/**
 * A DynamoDB Streams API over in-memory shards, answering the three calls the reader
 * makes: DescribeStream, GetShardIterator (TRIM_HORIZON only) and GetRecords.
 */
class FakeStream {
  readonly client: DynamoDBStreamsClient;

  constructor(shards: Record<string, { parent?: string; records: string[]; closed?: boolean }>) {
    let sequence = 0;
    const records = new Map(
      Object.entries(shards).map(([shardId, shard]) => [
        shardId,
        shard.records.map(
          (id): StreamApiRecord => ({
            eventID: id,
            eventName: 'INSERT',
            eventSource: 'aws:dynamodb',
            dynamodb: { Keys: { id: { S: id } }, SequenceNumber: String(++sequence).padStart(21, '0'), ApproximateCreationDateTime: new Date() },
          }),
        ),
      ]),
    );
    const send = async (command: unknown): Promise<unknown> => {
      await sleep(1);
      if (command instanceof DescribeStreamCommand) {
        return {
          StreamDescription: {
            Shards: Object.entries(shards).map(([shardId, shard]) => ({
              ShardId: shardId,
              ParentShardId: shard.parent,
              SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: shard.closed ? '999' : undefined },
            })),
          },
        };
      }
      if (command instanceof GetShardIteratorCommand) return { ShardIterator: `${command.input.ShardId}@0` };
      if (command instanceof GetRecordsCommand) {
        const [shardId, position] = String(command.input.ShardIterator).split('@');
        const page = records.get(shardId)?.slice(Number(position)) ?? [];
        const next = Number(position) + page.length;
        const atEnd = shards[shardId].closed === true;
        return { Records: page, NextShardIterator: atEnd ? undefined : `${shardId}@${next}` };
      }
      throw new Error(`FakeStream does not answer ${String(command)}`);
    };
    this.client = { send } as unknown as DynamoDBStreamsClient;
  }
}

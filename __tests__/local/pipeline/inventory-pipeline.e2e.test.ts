/**
 * The inventory pipeline end to end on the local runtime, from the synthesized stack:
 * seed 003's TEST 1-5 with its own inventory.json, its "Common Bugs" made impossible or
 * shown handled, the bad files people upload, a 10,000-product file, and an outage.
 * Every check looks at what a person would: the bucket, the table, the captured emails
 * and the failure queue.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineEvent } from '../../../local/pipeline/pipeline-events';
import { formatPipelineEvent } from '../../../local/pipeline/terminal-report';
import { startLocalPipeline, type LocalPipeline } from '../../../local/pipeline/local-pipeline';
import { synthesizeStack } from '../../../local/stack/synthesize';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { pipelineDynamoDb } from '../support/pipeline-dynamodb';
import { startWireRecorder, type WireRecorder } from '../../support/aws-wire-recorder';
import { scanTable } from '../../support/scan-table';
import { TEST_CONFIG } from '../../support/synth';

jest.setTimeout(240_000);

const TABLE = 'test-InventoryTable';
const PROCESS_FILE = 'test-ProcessInventoryFile';
const SEED_FILE = readFileSync(join(__dirname, '../../../samples/inventory.json'));
/** How long to keep watching for something that must not happen. */
const QUIET_WATCH_MS = 2_500;
/** Product ids containing this make DynamoDB unavailable for their writes. */
const OUTAGE_MARKER = 'OUTAGE-';
/** Seed 003's "Email/SMS": alerts go to a phone too. */
const PHONE = '+14155550100';

type FileOutcome = { key: string; outcome: 'written' | 'rejected' | 'skipped'; items?: number; errors?: number; reportKey?: string };

let outdir: string;
let pipeline: LocalPipeline;
let bucket: string;
let dynamodbWire: WireRecorder;
const events: PipelineEvent[] = [];

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'inventory-e2e-'));
  const stackDir = synthesizeStack('inventory-pipeline', { ...TEST_CONFIG, notificationEmail: 'ops@example.com', notificationSms: PHONE, lowStockThreshold: 5 }, outdir);
  dynamodbWire = await startWireRecorder(() => pipelineDynamoDb(pipeline).endpoint, {
    unavailableFor: (call) => call.operation === 'BatchWriteItem' && call.body.includes(OUTAGE_MARKER),
  });
  pipeline = await startLocalPipeline({
    // This jest worker's DynamoDB Local: the stack's tables are created there, and deleted by stop().
    dynamodbEndpoint: (await workerEmulators().dynamodb()).endpoint,
    stackDir,
    retryDelaySeconds: 0,
    functionEndpoints: { DYNAMODB: dynamodbWire.endpoint },
    onEvent: (event) => events.push(event),
  });
  bucket = pipeline.outputs.upload_bucket;
});

afterAll(async () => {
  await pipeline?.stop();
  await dynamodbWire?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

async function upload(key: string, body: string | Buffer): Promise<void> {
  await pipeline.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
}

/** The outcomes ProcessInventoryFile returned for this key, waiting for `count` of them. */
async function outcomesFor(key: string, count = 1, timeoutMs = 30_000): Promise<FileOutcome[]> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const outcomes = events.flatMap((event) =>
      event.kind === 'invocation' && event.functionName === PROCESS_FILE && event.invocation.ok
        ? ((event.invocation.result as { files: FileOutcome[] }).files ?? []).filter((file) => file.key === key)
        : [],
    );
    if (outcomes.length >= count) return outcomes;
    if (Date.now() > giveUpAt) {
      const errors = events.flatMap((event) => (event.kind === 'log' && event.functionName === PROCESS_FILE && /"level":"ERROR"/.test(event.line) ? [event.line] : []));
      throw new Error(`${outcomes.length} of ${count} outcome(s) for ${key} within ${timeoutMs} ms; the function's errors:\n${errors.slice(-3).join('\n')}`);
    }
    await sleep(50);
  }
}

async function eventuallyTrue(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!check() && Date.now() < giveUpAt) await sleep(50);
  return check();
}

function invocationsOfProcessFile(): number {
  return events.filter((event) => event.kind === 'invocation' && event.functionName === PROCESS_FILE).length;
}

function products(): Promise<Record<string, unknown>[]> {
  return scanTable(pipelineDynamoDb(pipeline).client, TABLE);
}

async function productsWithIdPrefix(prefix: string): Promise<Record<string, unknown>[]> {
  return (await products()).filter((item) => String(item.productId).startsWith(prefix));
}

async function readObject(key: string): Promise<string> {
  const { Body } = await pipeline.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Body?.transformToString() ?? '';
}

function emailsContaining(text: string) {
  return pipeline.notifications.all().filter((notification) => notification.message.includes(text));
}

describe("seed 003's TEST 1-5 with its own inventory.json", () => {
  beforeAll(async () => {
    await upload('uploads/inventory.json', SEED_FILE);
  });

  test('TEST 1: the upload under uploads/ triggers ProcessInventoryFile', async () => {
    expect(await outcomesFor('uploads/inventory.json')).toEqual([{ key: 'uploads/inventory.json', outcome: 'written', items: 2 }]);
  });

  test("TEST 2: InventoryTable holds the lab's two products, exactly", async () => {
    const seedProducts = (await products()).filter((item) => ['P1001', 'P1002'].includes(String(item.productId)));
    expect(seedProducts.sort((a, b) => String(a.productId).localeCompare(String(b.productId)))).toEqual([
      { productId: 'P1001', name: 'Laptop', quantity: 20, price: 1200 },
      { productId: 'P1002', name: 'Mouse', quantity: 100, price: 20 },
    ]);
  });

  test('TEST 3 and 4: the stream invokes NotifyInventoryUpdate, which emails and texts "Inventory Update" per new product', async () => {
    const emails = await pipeline.notifications.waitFor(2, (n) => /^New product added: (Laptop|Mouse)$/.test(n.message));
    expect(emails.map((email) => [email.subject, email.message, email.emailSubscribers, email.smsSubscribers]).sort()).toEqual([
      ['Inventory Update', 'New product added: Laptop', ['ops@example.com'], [PHONE]],
      ['Inventory Update', 'New product added: Mouse', ['ops@example.com'], [PHONE]],
    ]);
    const [laptop] = emails.filter((email) => email.message === 'New product added: Laptop');
    expect(formatPipelineEvent({ kind: 'notification', notification: laptop })).toBe(
      [
        'email     to ops@example.com (captured, not sent)',
        '          | Subject: Inventory Update',
        '          | New product added: Laptop',
        `sms       to ${PHONE} (captured, not sent)`,
        '          | New product added: Laptop',
      ].join('\n'),
    );
    // The inbox can capture an email before the invocation that published it has returned.
    const notifyInvoked = () =>
      events.some((event) => event.kind === 'invocation' && event.functionName === 'test-NotifyInventoryUpdate' && event.source === `${TABLE} stream`);
    expect(await eventuallyTrue(notifyInvoked)).toBe(true);
  });

  test('TEST 3, by hand: a product inserted directly into the table is announced too', async () => {
    await pipelineDynamoDb(pipeline).client.send(
      new PutItemCommand({ TableName: TABLE, Item: marshall({ productId: 'P-MANUAL', name: 'Keyboard', quantity: 7, price: 45 }) }),
    );
    await pipeline.notifications.waitFor(1, (n) => n.message === 'New product added: Keyboard');
  });

  test('TEST 5: re-uploading the same file changes nothing and announces nothing again', async () => {
    await upload('uploads/inventory.json', SEED_FILE);
    await outcomesFor('uploads/inventory.json', 2);
    await sleep(QUIET_WATCH_MS);
    expect(emailsContaining('Laptop')).toHaveLength(1);
    expect(emailsContaining('Mouse')).toHaveLength(1);
  });
});

describe('low stock (beyond the seed)', () => {
  test('one alert when a product falls to the threshold, none as it keeps falling or rises again', async () => {
    const file = (quantity: number) => JSON.stringify([{ productId: 'P-LOW', name: 'Webcam', quantity, price: 60 }]);
    const key = 'uploads/low-stock.json';
    const uploadAndWait = async (quantity: number, round: number) => {
      await upload(key, file(quantity));
      await outcomesFor(key, round);
    };
    await uploadAndWait(12, 1);
    await pipeline.notifications.waitFor(1, (n) => n.message === 'New product added: Webcam');
    await uploadAndWait(5, 2);
    const [alert] = await pipeline.notifications.waitFor(1, (n) => n.message.includes('P-LOW') && n.subject !== 'Inventory Update');
    expect(alert.subject).toMatch(/low stock/i);
    expect(alert.message).toMatch(/Webcam/);
    await uploadAndWait(3, 3);
    await uploadAndWait(20, 4);
    await sleep(QUIET_WATCH_MS);
    expect(emailsContaining('P-LOW')).toHaveLength(1);
  });
});

describe("seed 003's Common Bugs", () => {
  test('BUG 1 (not triggered): only .json files under uploads/ trigger, and a key with spaces is decoded', async () => {
    const before = invocationsOfProcessFile();
    await upload('inventory-at-root.json', JSON.stringify([{ productId: 'P-ROOT', name: 'Root', quantity: 1, price: 1 }]));
    await upload('uploads/notes.txt', 'not inventory');
    await sleep(QUIET_WATCH_MS);
    expect(invocationsOfProcessFile()).toBe(before);
    expect(await productsWithIdPrefix('P-ROOT')).toEqual([]);

    await upload('uploads/shop 1/my inventory+spring.json', JSON.stringify([{ productId: 'P-SPACE', name: 'Desk lamp', quantity: 9, price: 25 }]));
    expect(await outcomesFor('uploads/shop 1/my inventory+spring.json')).toEqual([
      { key: 'uploads/shop 1/my inventory+spring.json', outcome: 'written', items: 1 },
    ]);
    expect(await productsWithIdPrefix('P-SPACE')).toEqual([{ productId: 'P-SPACE', name: 'Desk lamp', quantity: 9, price: 25 }]);
  });

  describe('BUG 3 and BUG 7 (bad JSON, wrong key): a bad file writes nothing, stays, and is explained under rejected/', () => {
    const badFiles: [string, string, RegExp][] = [
      ['invalid JSON (a trailing comma)', '[{"productId": "P-BAD-JSON", "name": "x", "quantity": 1, "price": 1},]', /JSON/i],
      ['not a list of products', '{"productId": "P-BAD-SHAPE", "name": "x", "quantity": 1, "price": 1}', /array|list/i],
      ['a missing productId', '[{"name": "No id", "quantity": 1, "price": 1}, {"productId": "P-BAD-MISSING", "name": "ok", "quantity": 1, "price": 1}]', /productId/],
      ['a numeric productId (the partition key is a String)', '[{"productId": 1001, "name": "Laptop", "quantity": 1, "price": 1}]', /productId/],
      ['a negative quantity', '[{"productId": "P-BAD-NEG", "name": "x", "quantity": -1, "price": 1}]', /quantity/],
      ['duplicate productIds', '[{"productId": "P-BAD-DUP", "name": "a", "quantity": 1, "price": 1}, {"productId": "P-BAD-DUP", "name": "b", "quantity": 2, "price": 1}]', /duplicate/i],
      ['an empty list', '[]', /no products|empty/i],
    ];

    test.each(badFiles)('%s', async (_case, content, reason) => {
      const key = `uploads/bad-${_case.replace(/[^a-z]+/gi, '-')}.json`;
      const before = await products();
      await upload(key, content);
      const [outcome] = await outcomesFor(key);
      expect(outcome).toMatchObject({ key, outcome: 'rejected' });

      expect(await products()).toHaveLength(before.length);
      expect(await readObject(key)).toBe(content);
      const path = key.replace(/^uploads\//, '');
      expect(await readObject(`rejected/files/${path}`)).toBe(content);
      const report = JSON.parse(await readObject(`rejected/reports/${path}.errors.json`)) as { sourceKey: string; errorCount: number; reason: string; errors: unknown[] };
      expect(report.sourceKey).toBe(key);
      expect(report.errorCount).toBeGreaterThan(0);
      expect(report.errors).toHaveLength(report.errorCount);
      expect(JSON.stringify(report)).toMatch(reason);
    });

    test('the report lists every bad product by index and reason', async () => {
      const key = 'uploads/many-problems.json';
      await upload(
        key,
        JSON.stringify([
          { productId: 'P-OK-1', name: 'fine', quantity: 1, price: 1 },
          { productId: '', name: 'empty id', quantity: 1, price: 1 },
          { productId: 'P-OK-2', name: 'bad numbers', quantity: 1.5, price: -2 },
        ]),
      );
      await outcomesFor(key);
      const report = JSON.parse(await readObject('rejected/reports/many-problems.json.errors.json')) as { errors: { index?: number }[] };
      expect(report.errors.map((error) => error.index)).toEqual([1, 2, 2]);
      expect(await productsWithIdPrefix('P-OK-')).toEqual([]);
    });
  });

  test('BUG 5 and 8 (missing email, publish permission): the topic ARN comes from the stack, and the subscription from config', () => {
    const notify = pipeline.stack.resource(
      'aws_lambda_function',
      pipeline.stack.findName('aws_lambda_function', 'function_name', 'test-NotifyInventoryUpdate'),
    );
    const topicArn = pipeline.resources.resolve((notify.environment as { variables: Record<string, string> }).variables.TOPIC_ARN);
    expect(topicArn).toBe(pipeline.outputs.topic_arn);
    expect([...pipeline.resources.topics.values()][0].emailSubscribers).toEqual(['ops@example.com']);
    expect([...pipeline.resources.topics.values()][0].smsSubscribers).toEqual([PHONE]);
    expect(events).toContainEqual({
      kind: 'resource',
      resource: { type: 'subscription', name: 'test-inventory-alerts', detail: `sms to ${PHONE} (captured locally, not sent)` },
    });
  });

  test('an outage is retried twice, then the S3 event is kept in the failure queue, not lost', async () => {
    const key = 'uploads/during-outage.json';
    await upload(key, JSON.stringify([{ productId: `${OUTAGE_MARKER}1`, name: 'Unlucky', quantity: 1, price: 1 }]));
    const failureQueue = pipeline.resources.queueByName('test-ProcessInventoryFile-failures');
    let record: { requestContext: { condition: string; approximateInvokeCount: number }; requestPayload: { Records: { s3: { object: { key: string } } }[] } } | undefined;
    const giveUpAt = Date.now() + 90_000;
    while (!record && Date.now() < giveUpAt) {
      const { Messages = [] } = await pipeline.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: failureQueue.url, WaitTimeSeconds: 1 }));
      if (Messages[0]) record = JSON.parse(Messages[0].Body ?? '{}');
    }
    expect(record?.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(record?.requestPayload.Records[0].s3.object.key).toBe('uploads/during-outage.json');
    expect(await productsWithIdPrefix(OUTAGE_MARKER)).toEqual([]);
    expect(events).toContainEqual({
      kind: 'discarded',
      functionName: PROCESS_FILE,
      records: 1,
      reason: 'retries exhausted',
      destination: 'test-ProcessInventoryFile-failures',
    });
  });
});

// Last: its 10,000 new-product emails keep NotifyInventoryUpdate busy for a while.
test('BUG 4 (timeout) and size: a 10,000-product file is written whole within the function\'s timeout and memory', async () => {
  const many = Array.from({ length: 10_000 }, (_, i) => ({ productId: `P-BULK-${String(i).padStart(5, '0')}`, name: `Bulk item ${i}`, quantity: i % 50, price: i / 100 }));
  const startedAt = Date.now();
  await upload('uploads/bulk.json', JSON.stringify(many));
  expect(await outcomesFor('uploads/bulk.json', 1, 120_000)).toEqual([{ key: 'uploads/bulk.json', outcome: 'written', items: 10_000 }]);
  process.stdout.write(`10,000-product file written in ${Date.now() - startedAt} ms\n`);
  expect(await productsWithIdPrefix('P-BULK-')).toHaveLength(10_000);
});

test('a file over the local S3\'s 11 MiB is refused on upload, saying it is not supported locally, and nothing runs', async () => {
  // Real S3 takes it (up to 5 GB in one PUT) and the function then rejects it for its size;
  // fauxqs takes no body over 11 MiB, and the local S3 says so rather than cutting the connection.
  const before = invocationsOfProcessFile();
  const error = await upload('uploads/too-big.json', Buffer.alloc(11 * 1024 * 1024 + 1, 0x20)).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ name: 'EntityTooLarge', $metadata: { httpStatusCode: 400 } });
  expect((error as Error).message).toMatch(/not supported locally.*11534336 bytes.*real S3 takes up to 5 GB in one PUT/);
  await sleep(QUIET_WATCH_MS);
  expect(invocationsOfProcessFile()).toBe(before);
});

test('the functions call only what their roles allow: BatchWriteItem on DynamoDB', () => {
  expect(dynamodbWire.operations()).toEqual(['BatchWriteItem']);
});

/**
 * ProcessInventoryFile against DynamoDB Local and fauxqs's S3: the rows a file becomes,
 * what a bad file leaves behind (nothing in the table; its copy and report under
 * rejected/files/ and rejected/reports/), large files, and failures. The handler reaches both emulators through
 * pass-through recorders, which prove the exact S3 and DynamoDB actions it calls (its
 * role allows no others) and can make either service unavailable.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { S3Event } from 'aws-lambda';
import { s3EventRecord } from '../../../../local/event-sources/s3-event-record';
import { startWireRecorder, type WireCall, type WireRecorder } from '../../../support/aws-wire-recorder';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators, type SharedEmulator } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { lambdaContext, s3Event } from '../../support/lambda-events';
import { LOCAL_CLIENT_CONFIG, useLocalAwsEnvironment } from '../../support/local-aws-env';
import { SEED_INVENTORY_TEXT } from '../../support/seed-inventory';
import { expectStartRefusedWithout } from '../../support/start-refusal';

// Imported only once the environment points at the emulators: the handler reads it at module scope.
const HANDLER_MODULE = '../../../../functions/inventory/process-inventory-file/handler';
type HandlerModule = typeof import('../../../../functions/inventory/process-inventory-file/handler');

// The emulators are shared with the other suites of this jest worker.
const names = uniqueNames();
const BUCKET = names.bucket('inventory-upload-test');
const TABLE_NAME = names.table('InventoryTable');
const OUTCOME_TABLE_NAME = names.table('InventoryUploads');
/** Smaller than the stack's 10 MiB, so that an oversized upload stays quick to make. */
const MAX_FILE_BYTES = 2_097_152;

let fauxqs: SharedEmulator;
let dynamodbWire: WireRecorder;
let s3Wire: WireRecorder;
let dynamodb: DynamoDBClient;
let s3: S3Client;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;
/** Switches for the outages the recorders inject. */
let dynamodbUnavailable = false;
let getObjectUnavailable = false;

const context = lambdaContext('ProcessInventoryFile');

beforeAll(async () => {
  const emulators = workerEmulators();
  let dynamoDbLocal: SharedEmulator;
  [dynamoDbLocal, fauxqs] = await Promise.all([emulators.dynamodb(), emulators.fauxqs()]);

  dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE_NAME,
      KeySchema: [{ AttributeName: 'productId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'productId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await dynamodb.send(
    new CreateTableCommand({
      TableName: OUTCOME_TABLE_NAME,
      KeySchema: [
        { AttributeName: 'owner', KeyType: 'HASH' },
        { AttributeName: 'uploadId', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'owner', AttributeType: 'S' },
        { AttributeName: 'uploadId', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: fauxqs.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

  dynamodbWire = await startWireRecorder(dynamoDbLocal.endpoint, {
    unavailableFor: (call) => dynamodbUnavailable && call.operation === 'BatchWriteItem',
  });
  s3Wire = await startWireRecorder(fauxqs.endpoint, {
    unavailableFor: (call) => getObjectUnavailable && call.operation === 'GetObject',
  });
  useLocalAwsEnvironment(context.functionName, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbWire.endpoint,
    // No forcePathStyle in the handler: with an IP address for an endpoint the SDK uses path style.
    AWS_ENDPOINT_URL_S3: s3Wire.endpoint,
    TABLE_NAME,
    OUTCOME_TABLE_NAME,
    UPLOAD_PREFIX: 'uploads/',
    REJECTED_PREFIX: 'rejected/',
    MAX_FILE_BYTES: String(MAX_FILE_BYTES),
  });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  dynamodb?.destroy();
  s3?.destroy();
  await Promise.all([dynamodbWire?.stop(), s3Wire?.stop()]);
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs?.restore();
  dynamodbUnavailable = false;
  getObjectUnavailable = false;
});

interface UploadOptions {
  /** The version S3 would name in the event; fauxqs keeps no versions and ignores it. */
  readonly versionId?: string;
  /** The size the event reports. @default the body's */
  readonly eventSize?: number;
}

/** Puts the file into the bucket as a user would and returns the event S3 would send for it. */
async function upload(key: string, body: string | Uint8Array, options: UploadOptions = {}): Promise<S3Event> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const { ETag = '"etag"' } = await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: 'application/json' }),
  );
  const record = s3EventRecord(
    {
      bucket: BUCKET,
      key,
      size: options.eventSize ?? bytes.length,
      eTag: ETag,
      eventName: 'ObjectCreated:Put',
      ...(options.versionId === undefined ? {} : { versionId: options.versionId }),
    },
    { region: 'us-east-1', configurationId: 'invoke-ProcessInventoryFile' },
  );
  return s3Event(record);
}

async function objectText(key: string): Promise<string | undefined> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await Body?.transformToString('utf8');
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function row(productId: string): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: TABLE_NAME, Key: { productId: { S: productId } }, ConsistentRead: true }),
  );
  return Item;
}

async function countRows(filter: Partial<ScanCommandInput> = {}): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: TABLE_NAME, Select: 'COUNT', ConsistentRead: true, ExclusiveStartKey, ...filter }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return count;
}

function rowsStartingWith(prefix: string): Promise<number> {
  return countRows({
    FilterExpression: 'begins_with(productId, :prefix)',
    ExpressionAttributeValues: { ':prefix': { S: prefix } },
  });
}

/** The handler's S3 requests for one object, matched on the decoded key. */
function s3CallsFor(key: string): WireCall[] {
  return s3Wire.calls.filter(
    (call) => decodeURIComponent(new URL(call.path, 'http://wire').pathname) === `/${BUCKET}/${key}`,
  );
}

function item(productId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { productId, name: `Product ${productId}`, quantity: 1, price: 9.99, ...overrides };
}

describe('a valid file', () => {
  it("writes the seed's inventory.json as the lab's TEST 2 table shows it, and nothing more", async () => {
    const event = await upload('uploads/inventory.json', SEED_INVENTORY_TEXT);

    await expect(handler(event, context)).resolves.toEqual({
      files: [{ key: 'uploads/inventory.json', outcome: 'written', items: 2 }],
    });

    expect(await row('P1001')).toEqual({
      productId: { S: 'P1001' },
      name: { S: 'Laptop' },
      quantity: { N: '20' },
      price: { N: '1200' },
    });
    expect(await row('P1002')).toEqual({
      productId: { S: 'P1002' },
      name: { S: 'Mouse' },
      quantity: { N: '100' },
      price: { N: '20' },
    });
    expect(logs.at('INFO')).toContainEqual(
      expect.objectContaining({
        message: 'Inventory file written',
        key: 'uploads/inventory.json',
        items: 2,
        durationMs: expect.any(Number),
      }),
    );
  });

  it('changes nothing when the same file is uploaded again', async () => {
    const before = [await row('P1001'), await row('P1002'), await countRows()];

    await handler(await upload('uploads/inventory.json', SEED_INVENTORY_TEXT), context);

    expect([await row('P1001'), await row('P1002'), await countRows()]).toEqual(before);
  });

  it('reads a key with spaces, a plus sign and non-ASCII characters, as S3 encodes it in the event', async () => {
    const key = "uploads/store 12/inventaire d'été + más.json";
    const event = await upload(key, JSON.stringify([item('SPACE-1', { name: 'Crème brûlée' })]));
    expect(event.Records[0].s3.object.key).toMatch(
      /^uploads\/store\+12\/inventaire\+d.*%C3%A9t%C3%A9\+%2B\+m%C3%A1s\.json$/,
    );

    await expect(handler(event, context)).resolves.toEqual({ files: [{ key, outcome: 'written', items: 1 }] });

    expect((await row('SPACE-1'))?.name).toEqual({ S: 'Crème brûlée' });
  });

  it('reads the version that triggered the event when the bucket is versioned', async () => {
    const versionId = 'v-3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY';
    const event = await upload('uploads/versioned.json', JSON.stringify([item('VERSION-1')]), { versionId });

    await handler(event, context);

    const [read] = s3CallsFor('uploads/versioned.json');
    expect(read.operation).toBe('GetObject');
    expect(new URL(read.path, 'http://wire').searchParams.get('versionId')).toBe(versionId);
    // An unversioned bucket's event has no version, and neither has the read.
    expect(new URL(s3CallsFor('uploads/inventory.json')[0].path, 'http://wire').searchParams.has('versionId')).toBe(
      false,
    );
  });
});

/** A bad file: its text, and the problems its report must list, in order. */
interface BadFile {
  readonly name: string;
  readonly body: string;
  readonly reason: string | RegExp;
  readonly errors: readonly { index?: number; productId?: string; field?: string; message: RegExp }[];
}

const BAD_FILES: BadFile[] = [
  {
    name: "a trailing comma (the seed's BUG 7)",
    body: SEED_INVENTORY_TEXT.replace('"P1001"', '"BAD-COMMA"').replace(/}\n]/, '},\n]'),
    reason: 'The file is not valid JSON',
    errors: [{ message: /^the file is not valid JSON: Unexpected token/ }],
  },
  {
    name: 'an object instead of an array',
    body: JSON.stringify({ items: [item('BAD-OBJECT')] }),
    reason: 'The file is not a JSON array of products',
    errors: [{ message: /must be a JSON array of products .*got an object$/ }],
  },
  {
    name: 'an empty array',
    body: '[]',
    reason: 'The file lists no products',
    errors: [{ message: /lists no products/ }],
  },
  {
    name: 'items that are not objects',
    body: JSON.stringify([item('BAD-SHAPE-OK'), ['BAD-SHAPE-1', 'Laptop', 20, 1200], 'BAD-SHAPE-2']),
    reason: '2 of 3 products are invalid',
    errors: [
      { index: 1, message: /^item must be an object .*got an array$/ },
      { index: 2, message: /^item must be an object .*got the string "BAD-SHAPE-2"$/ },
    ],
  },
  {
    name: 'a missing productId',
    body: JSON.stringify([item('BAD-MISSING-OK'), { name: 'Laptop', quantity: 1, price: 1 }]),
    reason: '1 of 2 products is invalid',
    errors: [{ index: 1, field: 'productId', message: /^productId is missing$/ }],
  },
  {
    name: 'an empty productId',
    body: JSON.stringify([item('BAD-EMPTY-OK'), item('')]),
    reason: '1 of 2 products is invalid',
    errors: [{ index: 1, field: 'productId', message: /^productId must not be empty$/ }],
  },
  {
    name: "a numeric productId (the seed's BUG 3)",
    body: JSON.stringify([item('BAD-NUMBER-OK'), item(1003 as unknown as string)]),
    reason: '1 of 2 products is invalid',
    errors: [
      { index: 1, field: 'productId', message: /^productId must be a string matching the table's partition key/ },
    ],
  },
  {
    name: 'a negative quantity',
    body: JSON.stringify([item('BAD-NEGQ-OK'), item('BAD-NEGQ-1', { quantity: -3 })]),
    reason: '1 of 2 products is invalid',
    errors: [{ index: 1, productId: 'BAD-NEGQ-1', field: 'quantity', message: /got -3$/ }],
  },
  {
    name: 'a fractional quantity',
    body: JSON.stringify([item('BAD-FRACQ-OK'), item('BAD-FRACQ-1', { quantity: 1.5 })]),
    reason: '1 of 2 products is invalid',
    errors: [{ index: 1, productId: 'BAD-FRACQ-1', field: 'quantity', message: /whole number .*got 1.5$/ }],
  },
  {
    name: 'a negative price and a price that is not a number',
    body: JSON.stringify([
      item('BAD-PRICE-1', { price: -1 }),
      item('BAD-PRICE-OK'),
      item('BAD-PRICE-2', { price: 'NaN' }),
    ]),
    reason: '2 of 3 products are invalid',
    errors: [
      { index: 0, productId: 'BAD-PRICE-1', field: 'price', message: /got -1$/ },
      { index: 2, productId: 'BAD-PRICE-2', field: 'price', message: /got the string "NaN"$/ },
    ],
  },
  {
    name: 'duplicate productIds',
    body: JSON.stringify([item('BAD-DUP-1'), item('BAD-DUP-2'), item('BAD-DUP-1', { quantity: 5 })]),
    reason: '1 of 3 products is invalid',
    errors: [
      {
        index: 2,
        productId: 'BAD-DUP-1',
        field: 'productId',
        message: /^duplicate productId "BAD-DUP-1": item 0 has it too/,
      },
    ],
  },
  {
    name: 'an unknown field',
    body: JSON.stringify([item('BAD-FIELD-OK'), item('BAD-FIELD-1', { colour: 'grey' })]),
    reason: '1 of 2 products is invalid',
    errors: [{ index: 1, productId: 'BAD-FIELD-1', field: 'colour', message: /^unexpected field "colour"/ }],
  },
  {
    name: 'several problems in one item and bad items throughout',
    body: JSON.stringify([
      item('BAD-MANY-1', { name: '', quantity: -1, price: 'free', colour: 'red' }),
      item('BAD-MANY-OK'),
      item(1002 as unknown as string, { quantity: 0.5 }),
    ]),
    reason: '2 of 3 products are invalid',
    errors: [
      { index: 0, productId: 'BAD-MANY-1', field: 'name', message: /must not be empty/ },
      { index: 0, productId: 'BAD-MANY-1', field: 'quantity', message: /got -1$/ },
      { index: 0, productId: 'BAD-MANY-1', field: 'price', message: /got the string "free"$/ },
      { index: 0, productId: 'BAD-MANY-1', field: 'colour', message: /unexpected field/ },
      { index: 2, field: 'productId', message: /must be a string/ },
      { index: 2, field: 'quantity', message: /got 0.5$/ },
    ],
  },
];

describe('a file that is not a valid inventory', () => {
  it.each(BAD_FILES.map((bad, n) => [bad.name, bad, n] as const))(
    'rejects %s: nothing written, the upload kept, its copy and a report listing every problem under rejected/',
    async (_name, bad, n) => {
      const key = `uploads/bad files/${n}.json`;
      const rowsBefore = await countRows();
      const event = await upload(key, bad.body, { versionId: `bad-version-${n}` });

      const summary = await handler(event, context);

      const reportKey = `rejected/reports/bad files/${n}.json.errors.json`;
      expect(summary).toEqual({ files: [{ key, outcome: 'rejected', errors: bad.errors.length, reportKey }] });
      expect(await countRows()).toBe(rowsBefore);
      expect(await objectText(key)).toBe(bad.body);
      expect(await objectText(`rejected/files/bad files/${n}.json`)).toBe(bad.body);

      const report = JSON.parse((await objectText(reportKey)) as string);
      expect(report).toEqual({
        bucket: BUCKET,
        sourceKey: key,
        sourceVersionId: `bad-version-${n}`,
        rejectedCopyKey: `rejected/files/bad files/${n}.json`,
        rejectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        reason: bad.reason,
        errorCount: bad.errors.length,
        errors: bad.errors.map(({ message, ...located }) => ({ ...located, message: expect.stringMatching(message) })),
      });
      expect(Date.now() - Date.parse(report.rejectedAt)).toBeLessThan(60_000);
      expect(logs.at('WARN')).toEqual([
        expect.objectContaining({ key, reason: bad.reason, errorCount: bad.errors.length, reportKey }),
      ]);
      expect(logs.at('ERROR')).toEqual([]);
    },
  );

  it('keeps each report apart from every copy: an upload named like an earlier report does not overwrite it', async () => {
    const first = 'uploads/collide/a.json';
    const second = 'uploads/collide/a.json.errors.json';
    const firstSummary = await handler(await upload(first, '{"first": "not a list"}'), context);
    const secondSummary = await handler(await upload(second, '{"second": "not a list either"}'), context);

    const reportKeys = [firstSummary, secondSummary].map(({ files: [outcome] }) => (outcome as { reportKey: string }).reportKey);
    expect(new Set(reportKeys).size).toBe(2);
    const reports = await Promise.all(reportKeys.map(async (reportKey) => JSON.parse((await objectText(reportKey)) as string)));
    expect(reports.map((report) => report.sourceKey)).toEqual([first, second]);
    const copies = reports.map((report) => report.rejectedCopyKey as string);
    expect(copies.filter((copy) => reportKeys.includes(copy))).toEqual([]);
    expect(await Promise.all(copies.map(objectText))).toEqual(['{"first": "not a list"}', '{"second": "not a list either"}']);
  });

  it('stores the report as JSON, and the copy with the upload content type', async () => {
    await handler(await upload('uploads/content-types.json', '[]'), context);

    const copy = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'rejected/files/content-types.json' }));
    const report = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'rejected/reports/content-types.json.errors.json' }),
    );
    await Promise.all([copy.Body?.transformToString(), report.Body?.transformToString()]);
    expect(copy.ContentType).toBe('application/json');
    expect(report.ContentType).toBe('application/json');
  });

  it('rejects a file over MAX_FILE_BYTES unread, with a report of its size and no copy', async () => {
    const key = 'uploads/too big.json';
    const body = JSON.stringify([item('BIG-1', { name: 'x'.repeat(MAX_FILE_BYTES) })]);
    const event = await upload(key, body);

    await expect(handler(event, context)).resolves.toEqual({
      files: [{ key, outcome: 'rejected', errors: 1, reportKey: 'rejected/reports/too big.json.errors.json' }],
    });

    expect(s3CallsFor(key)).toEqual([]);
    expect(await objectText('rejected/files/too big.json')).toBeUndefined();
    expect(await objectText(key)).toBe(body);
    expect(JSON.parse((await objectText('rejected/reports/too big.json.errors.json')) as string)).toMatchObject({
      sourceKey: key,
      reason: 'The file is too large',
      errors: [{ message: `the file is ${body.length} bytes, over the limit of ${MAX_FILE_BYTES} bytes` }],
    });
    expect(await row('BIG-1')).toBeUndefined();
  });

  it('rejects a file whose stored size is over the limit even when the event says less', async () => {
    const key = 'uploads/grew.json';
    const body = JSON.stringify([item('GREW-1', { name: 'x'.repeat(MAX_FILE_BYTES) })]);
    const event = await upload(key, body, { eventSize: 100 });

    await expect(handler(event, context)).resolves.toMatchObject({ files: [{ key, outcome: 'rejected' }] });

    expect(s3CallsFor(key).map((call) => call.operation)).toEqual(['GetObject']);
    expect(await objectText('rejected/files/grew.json')).toBeUndefined();
    expect(await objectText('rejected/reports/grew.json.errors.json')).toContain(`over the limit of ${MAX_FILE_BYTES} bytes`);
  });
});

// A 10,000-product file is written in __tests__/local/inventory-pipeline.e2e.test.ts, under the
// local runtime's enforcement of the function's timeout and memory.

describe('objects that are not inventory files', () => {
  it('skips a key outside the upload prefix without touching it', async () => {
    const event = await upload('elsewhere/inventory.json', SEED_INVENTORY_TEXT.replace('P1001', 'ELSEWHERE-1'));

    await expect(handler(event, context)).resolves.toEqual({
      files: [{ key: 'elsewhere/inventory.json', outcome: 'skipped', reason: 'not under uploads/' }],
    });

    expect(s3CallsFor('elsewhere/inventory.json')).toEqual([]);
    expect(await row('ELSEWHERE-1')).toBeUndefined();
    expect(logs.at('WARN')).toEqual([expect.objectContaining({ key: 'elsewhere/inventory.json' })]);
  });

  it('skips the folder marker the S3 console creates', async () => {
    await expect(handler(await upload('uploads/', ''), context)).resolves.toEqual({
      files: [{ key: 'uploads/', outcome: 'skipped', reason: 'folder marker' }],
    });
    expect(s3CallsFor('uploads/')).toEqual([]);
  });
});

describe('transient failures', () => {
  it('throws when DynamoDB is unavailable, writes no rejection, and succeeds when the event is retried', async () => {
    const key = 'uploads/during-outage.json';
    const event = await upload(key, JSON.stringify([item('OUTAGE-1'), item('OUTAGE-2')]));
    dynamodbUnavailable = true;

    await expect(handler(event, context)).rejects.toThrow(
      `2 of 2 inventory items were not written to ${TABLE_NAME}: ServiceUnavailableException: injected outage`,
    );

    expect(dynamodbWire.calls.filter((call) => call.refused).length).toBeGreaterThan(0);
    expect(await rowsStartingWith('OUTAGE-')).toBe(0);
    expect(await objectText('rejected/reports/during-outage.json.errors.json')).toBeUndefined();
    expect(logs.at('ERROR')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Lambda will retry/), key, error: expect.anything() }),
    ]);

    dynamodbUnavailable = false;
    await expect(handler(event, context)).resolves.toEqual({ files: [{ key, outcome: 'written', items: 2 }] });
    expect(await rowsStartingWith('OUTAGE-')).toBe(2);
  });

  it('throws when S3 is unavailable, with the error S3 answered', async () => {
    const event = await upload('uploads/s3-outage.json', JSON.stringify([item('S3-OUTAGE-1')]));
    getObjectUnavailable = true;

    await expect(handler(event, context)).rejects.toMatchObject({
      name: 'ServiceUnavailable',
      message: 'injected outage',
    });

    expect(s3CallsFor('uploads/s3-outage.json').every((call) => call.refused)).toBe(true);
    expect(await row('S3-OUTAGE-1')).toBeUndefined();
    expect(logs.at('ERROR')).toHaveLength(1);
  });
});

// The assertion below can only fail if the recorder tells S3's actions apart: prove that it does.
describe('the wire recorder in front of S3', () => {
  it('names each S3 action a client calls, refused or not', async () => {
    const wire = await startWireRecorder(fauxqs.endpoint, {
      unavailableFor: (call) => call.operation === 'HeadObject' && call.path.includes('unavailable'),
    });
    const client = new S3Client({
      ...LOCAL_CLIENT_CONFIG,
      endpoint: wire.endpoint,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    try {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'wire/a b.json', Body: '[]' }));
      await client.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'wire/copy.json', CopySource: `${BUCKET}/wire/a%20b.json` }),
      );
      await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'wire/copy.json' }));
      await (
        await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'wire/copy.json' }))
      ).Body?.transformToString();
      await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'wire/' }));
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'wire/copy.json' }));
      await client
        .send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'wire/a b.json', Tagging: { TagSet: [] } }))
        .catch(() => undefined);
      await expect(
        client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'wire/unavailable.json' })),
      ).rejects.toMatchObject({
        $metadata: { httpStatusCode: 503 },
      });
      await expect(
        client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'wire/unavailable.json' })),
      ).rejects.toMatchObject({
        name: 'NoSuchKey',
      });

      expect(wire.calls.map((call) => call.operation)).toEqual([
        'PutObject',
        'CopyObject',
        'HeadObject',
        'GetObject',
        'ListObjectsV2',
        'DeleteObject',
        'PutObjectTagging',
        'HeadObject',
        'GetObject',
      ]);
      expect(wire.calls[0]).toMatchObject({
        method: 'PUT',
        path: expect.stringMatching(new RegExp(`^/${BUCKET}/wire/a%20b\\.json`)),
      });
    } finally {
      client.destroy();
      await wire.stop();
    }
  });

  it('answers S3 with an S3 error document during an outage', async () => {
    const wire = await startWireRecorder(fauxqs.endpoint, { unavailableFor: () => true });
    const client = new S3Client({
      ...LOCAL_CLIENT_CONFIG,
      endpoint: wire.endpoint,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    try {
      await expect(
        client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/inventory.json' })),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailable',
        message: 'injected outage',
        $metadata: { httpStatusCode: 503 },
      });
    } finally {
      client.destroy();
      await wire.stop();
    }
  });
});

describe('the outcome of an upload made through the dashboard (uploads/<sub>/<uploadId>.json)', () => {
  const OWNER = '4f1c2d3e-0000-4000-8000-00000000000a';
  let uploadNumber = 0;
  const nextUpload = () => {
    const uploadId = `0000000${++uploadNumber}-aaaa-4bbb-8ccc-dddddddddddd`;
    return { uploadId, key: `uploads/${OWNER}/${uploadId}.json` };
  };

  /** The pending record CreateUploadUrl writes before it hands out the URL. */
  async function pending(uploadId: string): Promise<void> {
    await dynamodb.send(
      new PutItemCommand({
        TableName: OUTCOME_TABLE_NAME,
        Item: marshall({ owner: OWNER, uploadId, fileName: 'my inventory.json', status: 'pending', createdAt: '2026-12-05T10:00:00.000Z', expiresAt: 1_800_000_000 }),
      }),
    );
  }

  async function outcome(uploadId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: OUTCOME_TABLE_NAME, Key: marshall({ owner: OWNER, uploadId }), ConsistentRead: true }),
    );
    return Item && unmarshall(Item);
  }

  it('records a written file with how many products it wrote, keeping what CreateUploadUrl recorded', async () => {
    const { uploadId, key } = nextUpload();
    await pending(uploadId);
    await handler(await upload(key, SEED_INVENTORY_TEXT), context);
    expect(await outcome(uploadId)).toEqual({
      owner: OWNER,
      uploadId,
      fileName: 'my inventory.json',
      status: 'written',
      products: 2,
      createdAt: '2026-12-05T10:00:00.000Z',
      decidedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      expiresAt: 1_800_000_000,
    });
  });

  it('records a rejected file with its reason and the first 100 problems, as the page shows them', async () => {
    const { uploadId, key } = nextUpload();
    await pending(uploadId);
    const items = Array.from({ length: 150 }, (_, index) => item(`DASH-BAD-${index}`, { colour: 'red' }));
    await handler(await upload(key, JSON.stringify(items)), context);
    const record = await outcome(uploadId);
    expect(record).toMatchObject({ status: 'rejected', fileName: 'my inventory.json', errorCount: 150, reason: expect.any(String) });
    const errors = record?.errors as unknown[];
    expect(errors).toHaveLength(100);
    expect(errors[0]).toEqual({ item: 0, productId: 'DASH-BAD-0', field: 'colour', reason: expect.stringMatching(/^unexpected field "colour"/) });
    expect(record).not.toHaveProperty('products');
  });

  it('records a file that is not JSON with no item, product or field to point at', async () => {
    const { uploadId, key } = nextUpload();
    await pending(uploadId);
    await handler(await upload(key, 'not json'), context);
    const record = await outcome(uploadId);
    expect(record).toMatchObject({ status: 'rejected', errorCount: 1 });
    expect(record?.errors).toEqual([{ item: null, productId: null, field: null, reason: expect.any(String) }]);
  });

  it('keeps only the last outcome when the same URL uploads twice: a good file after a bad one leaves no reasons', async () => {
    const { uploadId, key } = nextUpload();
    await pending(uploadId);
    await handler(await upload(key, '[{}]'), context);
    expect(await outcome(uploadId)).toMatchObject({ status: 'rejected' });
    await handler(await upload(key, SEED_INVENTORY_TEXT), context);
    const record = await outcome(uploadId);
    expect(record).toMatchObject({ status: 'written', products: 2 });
    expect(Object.keys(record ?? {})).not.toEqual(expect.arrayContaining(['reason']));
    expect(record).not.toHaveProperty('errors');
    expect(record).not.toHaveProperty('errorCount');
  });

  it('records nothing for any other key under uploads/ (the lab\'s curl upload)', async () => {
    const before = dynamodbWire.calls.filter((call) => call.operation === 'UpdateItem').length;
    await handler(await upload('uploads/inventory.json', SEED_INVENTORY_TEXT), context);
    await handler(await upload(`uploads/${OWNER}/nested/x.json`, SEED_INVENTORY_TEXT), context);
    expect(dynamodbWire.calls.filter((call) => call.operation === 'UpdateItem').length).toBe(before);
  });
});

describe('what the function may call', () => {
  it('calls GetObject and PutObject on S3, and BatchWriteItem and UpdateItem (outcomes) on DynamoDB, nothing else', () => {
    expect(s3Wire.operations()).toEqual(['GetObject', 'PutObject']);
    expect(dynamodbWire.operations()).toEqual(['BatchWriteItem', 'UpdateItem']);
  });
});

describe('cold start', () => {
  it.each(['TABLE_NAME', 'OUTCOME_TABLE_NAME', 'UPLOAD_PREFIX', 'REJECTED_PREFIX', 'MAX_FILE_BYTES'])(
    'refuses to start without %s, naming it',
    async (variable) => {
      await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), variable);
    },
  );

  async function expectStartRefusedWith(variable: string, value: string, error: RegExp): Promise<void> {
    const saved = process.env[variable];
    process.env[variable] = value;
    try {
      await jest.isolateModulesAsync(async () => {
        await expect(import(require.resolve(HANDLER_MODULE))).rejects.toThrow(error);
      });
    } finally {
      process.env[variable] = saved;
    }
  }

  it.each(['10MB', '1.5', '0', '-1'])('refuses MAX_FILE_BYTES=%s', async (value) => {
    await expectStartRefusedWith(
      'MAX_FILE_BYTES',
      value,
      new RegExp(`MAX_FILE_BYTES="${value.replace('.', '\\.')}" must be a whole number of at least 1`),
    );
  });

  it('refuses a REJECTED_PREFIX inside UPLOAD_PREFIX: every rejected copy would trigger the function again', async () => {
    await expectStartRefusedWith(
      'REJECTED_PREFIX',
      'uploads/rejected/',
      /REJECTED_PREFIX="uploads\/rejected\/" must be a prefix/,
    );
  });
});

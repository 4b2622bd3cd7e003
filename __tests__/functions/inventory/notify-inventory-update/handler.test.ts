/**
 * NotifyInventoryUpdate between two emulators: its events are real stream records
 * (NEW_AND_OLD_IMAGES) read from DynamoDB Local, and what it publishes goes through fauxqs
 * SNS to a subscribed SQS queue, where the test reads it as an email subscriber would
 * receive it. The handler reaches SNS through a pass-through recorder, which proves it
 * calls Publish only and can make SNS unreachable for a single record.
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDbStreamReader } from '../../../../local/event-sources/dynamodb-stream-reader';
import { startWireRecorder, type WireRecorder } from '../../../support/aws-wire-recorder';
import { CONDITION_DEADLINE_MS, EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { lambdaContext } from '../../support/lambda-events';
import { LOCAL_CLIENT_CONFIG, useLocalAwsEnvironment } from '../../support/local-aws-env';
import { SEED_INVENTORY_ITEMS } from '../../support/seed-inventory';
import { receiveEnvelopes, subscribeNewQueue, type SnsEnvelope } from '../../support/sns-subscriber';
import { expectStartRefusedWithout } from '../../support/start-refusal';

// Imported only once the environment points at the emulators: the handler reads it at module scope.
const HANDLER_MODULE = '../../../../functions/inventory/notify-inventory-update/handler';
type HandlerModule = typeof import('../../../../functions/inventory/notify-inventory-update/handler');

// The emulators are shared with the other suites of this jest worker.
const names = uniqueNames();
const TABLE_NAME = names.table('InventoryTable');
const LOW_STOCK_THRESHOLD = 5;

/** Publishing the notification about a product of this name finds SNS unreachable. */
const UNREACHABLE_PRODUCT = 'product-behind-a-broken-network';

let recorder: WireRecorder;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let streams: DynamoDBStreamsClient;
let stream: DynamoDbStreamReader;
let subscriberQueueUrl: string;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;

const context = lambdaContext('NotifyInventoryUpdate');

beforeAll(async () => {
  const emulators = workerEmulators();
  const [dynamoDbLocal, fauxqs] = await Promise.all([emulators.dynamodb(), emulators.fauxqs()]);

  dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  const { TableDescription } = await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE_NAME,
      KeySchema: [{ AttributeName: 'productId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'productId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  streams = new DynamoDBStreamsClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  stream = new DynamoDbStreamReader(streams, TableDescription?.LatestStreamArn as string);

  // The SQS client needs the explicit endpoint: fauxqs's queue URLs name a host that does not resolve.
  sqs = new SQSClient({ ...LOCAL_CLIENT_CONFIG, endpoint: fauxqs.endpoint });
  const sns = new SNSClient({ ...LOCAL_CLIENT_CONFIG, endpoint: fauxqs.endpoint });
  const { topicArn, queueUrl } = await subscribeNewQueue(
    { sns, sqs },
    { topicName: names.topic('inventory-alerts'), queueName: names.queue('inventory-emails') },
  );
  subscriberQueueUrl = queueUrl;
  sns.destroy();

  recorder = await startWireRecorder(fauxqs.endpoint, {
    dropConnection: (call) => call.operation === 'Publish' && call.body.includes(UNREACHABLE_PRODUCT),
  });
  useLocalAwsEnvironment(context.functionName, {
    AWS_ENDPOINT_URL_SNS: recorder.endpoint,
    TOPIC_ARN: topicArn,
    LOW_STOCK_THRESHOLD: String(LOW_STOCK_THRESHOLD),
  });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  dynamodb?.destroy();
  streams?.destroy();
  sqs?.destroy();
  await recorder?.stop();
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs?.restore();
});

/** Writes items the way ProcessInventoryFile does: one PutItem per product of the file. */
async function putItems(items: readonly Record<string, unknown>[]): Promise<void> {
  for (const item of items) {
    await dynamodb.send(new PutItemCommand({ TableName: TABLE_NAME, Item: marshall(item) }));
  }
}

async function setAttribute(productId: string, attribute: string, value: AttributeValue): Promise<void> {
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: TABLE_NAME,
      Key: { productId: { S: productId } },
      UpdateExpression: 'SET #attribute = :value',
      ExpressionAttributeNames: { '#attribute': attribute },
      ExpressionAttributeValues: { ':value': value },
    }),
  );
}

/**
 * Every record the stream holds up to and including the first that `isLast` accepts: for
 * writes that may or may not produce records of their own, followed by one that surely does.
 */
async function eventThrough(isLast: (record: DynamoDBRecord) => boolean, timeoutMs = CONDITION_DEADLINE_MS): Promise<DynamoDBStreamEvent> {
  const records: DynamoDBRecord[] = [];
  const giveUpAt = Date.now() + timeoutMs;
  while (!records.some(isLast)) {
    if (Date.now() > giveUpAt) throw new Error(`The awaited stream record did not arrive; got ${records.length} others`);
    records.push(...(await stream.readNew()));
    await sleep(50);
  }
  expect(records.at(-1)).toBe(records.find(isLast));
  return { Records: records };
}

/** Everything SNS delivered to the subscribed queue, removed from it once read. */
function receiveEmails(waitSeconds: number): Promise<SnsEnvelope[]> {
  return receiveEnvelopes(sqs, subscriberQueueUrl, waitSeconds);
}

/** Waits for `count` emails (a receive may return fewer than are queued), then checks no other follows. */
async function receiveExactly(count: number): Promise<SnsEnvelope[]> {
  const emails: SnsEnvelope[] = [];
  const giveUpAt = Date.now() + CONDITION_DEADLINE_MS;
  while (emails.length < count && Date.now() < giveUpAt) emails.push(...(await receiveEmails(1)));
  emails.push(...(await receiveEmails(1)));
  expect(emails).toHaveLength(count);
  return emails;
}

const sequenceNumberOf = (record: DynamoDBRecord | undefined) => record?.dynamodb?.SequenceNumber;

describe("the seed's inventory file: uploaded, uploaded again, then sold down", () => {
  it("announces each new product with the seed's subject and message", async () => {
    await putItems(SEED_INVENTORY_ITEMS);
    const event = await stream.nextEvent(2, CONDITION_DEADLINE_MS);
    expect(event.Records.map((record) => record.eventName)).toEqual(['INSERT', 'INSERT']);

    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

    const emails = await receiveExactly(2);
    expect(emails.map((email) => [email.Type, email.Subject, email.Message]).sort()).toEqual([
      ['Notification', 'Inventory Update', 'New product added: Laptop'],
      ['Notification', 'Inventory Update', 'New product added: Mouse'],
    ]);
    // Records are processed concurrently: their log lines come in either order.
    expect(logs.at('INFO')).toHaveLength(2);
    expect(logs.at('INFO')).toEqual(
      expect.arrayContaining(
        event.Records.map((record) =>
          expect.objectContaining({
            message: 'Published the inventory notification',
            eventID: record.eventID,
            messageId: expect.any(String),
          }),
        ),
      ),
    );
  });

  it('announces nothing when the same file is uploaded again, nor for a price change', async () => {
    const publishesBefore = recorder.calls.length;
    await putItems(SEED_INVENTORY_ITEMS);
    // DynamoDB skips stream records for writes that change nothing; whether DynamoDB Local
    // does too or sends MODIFY records, this price change comes after them in the stream.
    await setAttribute('P1002', 'price', { N: '25' });
    const event = await eventThrough((record) => record.dynamodb?.NewImage?.price?.N === '25');
    expect(new Set(event.Records.map((record) => record.eventName))).toEqual(new Set(['MODIFY']));

    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

    expect(recorder.calls.length).toBe(publishesBefore);
    expect(await receiveEmails(1)).toEqual([]);
    expect(logs.at('INFO')).toHaveLength(event.Records.length);
    expect(logs.at('INFO')).toEqual(
      expect.arrayContaining(
        event.Records.map((record) =>
          expect.objectContaining({ eventID: record.eventID, eventName: 'MODIFY', reason: expect.stringMatching(/unchanged/) }),
        ),
      ),
    );
  });

  it('alerts once when the Laptop falls from 20 to the threshold, 5', async () => {
    await setAttribute('P1001', 'quantity', { N: '5' });
    const event = await stream.nextEvent(1, CONDITION_DEADLINE_MS);
    expect(event.Records.map((record) => record.eventName)).toEqual(['MODIFY']);

    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

    expect(await receiveExactly(1)).toEqual([
      expect.objectContaining({
        Type: 'Notification',
        Subject: 'Low Stock Alert',
        Message: [
          'The stock of a product fell to or below the low-stock threshold.',
          '',
          'Product: Laptop',
          'Product ID: P1001',
          'Quantity now: 5',
          'Previous quantity: 20',
          'Low-stock threshold: 5',
        ].join('\n'),
      }),
    ]);
    expect(logs.at('INFO')).toEqual([
      expect.objectContaining({ eventID: event.Records[0].eventID, notification: 'low-stock', messageId: expect.any(String) }),
    ]);
  });

  it('does not alert again when the Laptop falls further, from 5 to 3', async () => {
    const publishesBefore = recorder.calls.length;
    await setAttribute('P1001', 'quantity', { N: '3' });
    const event = await stream.nextEvent(1, CONDITION_DEADLINE_MS);

    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

    expect(recorder.calls.length).toBe(publishesBefore);
    expect(await receiveEmails(1)).toEqual([]);
    expect(logs.at('INFO')).toEqual([
      expect.objectContaining({
        eventID: event.Records[0].eventID,
        productId: 'P1001',
        reason: 'quantity of P1001 went from 5 to 3: already at or below the low-stock threshold 5 before this change',
      }),
    ]);
  });

  it('publishes nothing when a product is removed (should the INSERT/MODIFY filter ever be lost)', async () => {
    const publishesBefore = recorder.calls.length;
    await dynamodb.send(new DeleteItemCommand({ TableName: TABLE_NAME, Key: { productId: { S: 'P1002' } } }));
    const event = await stream.nextEvent(1, CONDITION_DEADLINE_MS);
    expect(event.Records.map((record) => record.eventName)).toEqual(['REMOVE']);

    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

    expect(recorder.calls.length).toBe(publishesBefore);
    expect(await receiveEmails(1)).toEqual([]);
    expect(logs.at('INFO')).toEqual([
      expect.objectContaining({ message: 'Skipped a stream record that calls for no notification', eventName: 'REMOVE' }),
    ]);
  });
});

it('fails only the record whose notification SNS could not take', async () => {
  await putItems([
    { productId: 'P2001', name: 'Keyboard', quantity: 40, price: 50 },
    { productId: 'P2002', name: UNREACHABLE_PRODUCT, quantity: 40, price: 50 },
  ]);
  const event = await stream.nextEvent(2, CONDITION_DEADLINE_MS);
  const unreachable = event.Records.find((record) => record.dynamodb?.Keys?.productId?.S === 'P2002');

  await expect(handler(event, context)).resolves.toEqual({
    batchItemFailures: [{ itemIdentifier: sequenceNumberOf(unreachable) }],
  });

  expect((await receiveExactly(1)).map((email) => email.Message)).toEqual(['New product added: Keyboard']);
  expect(logs.at('ERROR')).toEqual([
    expect.objectContaining({ message: 'Could not notify about the inventory change', eventID: unreachable?.eventID }),
  ]);
});

it('fails only the change whose quantity is not a number, without alerting or skipping it', async () => {
  await setAttribute('P2001', 'quantity', { S: 'a few' });
  await putItems([{ productId: 'P3001', name: 'Monitor', quantity: 7, price: 150 }]);
  const event = await stream.nextEvent(2, CONDITION_DEADLINE_MS);
  expect(event.Records.map((record) => record.eventName)).toEqual(['MODIFY', 'INSERT']);
  const [unreadable] = event.Records;

  await expect(handler(event, context)).resolves.toEqual({
    batchItemFailures: [{ itemIdentifier: sequenceNumberOf(unreadable) }],
  });

  expect((await receiveExactly(1)).map((email) => email.Message)).toEqual(['New product added: Monitor']);
  expect(logs.at('ERROR')).toEqual([
    expect.objectContaining({
      eventID: unreadable.eventID,
      productId: 'P2001',
      error: expect.objectContaining({
        name: 'InvalidQuantityError',
        message: expect.stringContaining('Product P2001: quantity in the NewImage is {"S":"a few"}, not a number'),
      }),
    }),
  ]);
});

it('calls no SNS action but Publish (its role allows sns:Publish only)', () => {
  expect(recorder.calls.length).toBeGreaterThan(0);
  expect(recorder.operations()).toEqual(['Publish']);
});

describe('cold start', () => {
  it.each(['TOPIC_ARN', 'LOW_STOCK_THRESHOLD'])('refuses to start without %s, naming it', async (variable) => {
    await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), variable);
  });

  it.each(['-1', '5.5', 'five'])('refuses LOW_STOCK_THRESHOLD=%s, naming the variable and the rule', async (value) => {
    const saved = process.env.LOW_STOCK_THRESHOLD;
    process.env.LOW_STOCK_THRESHOLD = value;
    try {
      await jest.isolateModulesAsync(async () => {
        await expect(import(require.resolve(HANDLER_MODULE))).rejects.toThrow(
          `Environment variable LOW_STOCK_THRESHOLD="${value}" must be a whole number of at least 0`,
        );
      });
    } finally {
      process.env.LOW_STOCK_THRESHOLD = saved;
    }
  });

  it('accepts a threshold of 0', async () => {
    const saved = process.env.LOW_STOCK_THRESHOLD;
    process.env.LOW_STOCK_THRESHOLD = '0';
    try {
      await jest.isolateModulesAsync(async () => {
        await expect(import(require.resolve(HANDLER_MODULE))).resolves.toHaveProperty('handler');
      });
    } finally {
      process.env.LOW_STOCK_THRESHOLD = saved;
    }
  });
});

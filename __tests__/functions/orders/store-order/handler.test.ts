/**
 * store-order (POC-Lambda-1) against DynamoDB Local: the rows it writes, what a
 * redelivery does, and which records fail. The handler reaches DynamoDB Local through a
 * pass-through recorder, which proves it calls PutItem only and can make DynamoDB
 * unreachable for a single record.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { startWireRecorder, type WireRecorder } from '../../../support/aws-wire-recorder';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { expectStartRefusedWithout } from '../../support/start-refusal';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { lambdaContext, sqsEvent, sqsRecord } from '../../support/lambda-events';
import { LOCAL_CLIENT_CONFIG, useLocalAwsEnvironment } from '../../support/local-aws-env';

// Imported only once the environment points at the emulator: the handler reads it at module scope.
const HANDLER_MODULE = '../../../../functions/orders/store-order/handler';
type HandlerModule = typeof import('../../../../functions/orders/store-order/handler');

// DynamoDB Local is shared with the other suites of this jest worker.
const TABLE_NAME = uniqueNames().table('orders');
/** Orders whose customer has this id find DynamoDB unreachable. */
const UNREACHABLE_CUSTOMER = 'customer-behind-a-broken-network';

let recorder: WireRecorder;
let dynamodb: DynamoDBClient;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;

const context = lambdaContext('POC-Lambda-1');

beforeAll(async () => {
  const dynamoDbLocal = await workerEmulators().dynamodb();
  dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE_NAME,
      KeySchema: [{ AttributeName: 'orderID', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'orderID', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  recorder = await startWireRecorder(dynamoDbLocal.endpoint, {
    dropConnection: (call) => call.body.includes(UNREACHABLE_CUSTOMER),
  });

  useLocalAwsEnvironment(context.functionName, { AWS_ENDPOINT_URL_DYNAMODB: recorder.endpoint, TABLE_NAME });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  dynamodb?.destroy();
  await recorder?.stop();
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs?.restore();
});

function orderBody(item: string, customerID: string): string {
  return JSON.stringify({ item, customerID });
}

async function storedRow(orderID: string): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: TABLE_NAME, Key: { orderID: { S: orderID } }, ConsistentRead: true }),
  );
  return Item;
}

async function rowsOfCustomer(customerID: string): Promise<Record<string, AttributeValue>[]> {
  const { Items } = await dynamodb.send(
    new ScanCommand({
      TableName: TABLE_NAME,
      FilterExpression: 'customerID = :customer',
      ExpressionAttributeValues: { ':customer': { S: customerID } },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

function failedIds(records: SQSRecord[]): { itemIdentifier: string }[] {
  return records.map((record) => ({ itemIdentifier: record.messageId }));
}

it('stores an order keyed by its SQS message id, with every attribute', async () => {
  const body = orderBody('latex gloves', '12345');
  const record = sqsRecord(body, { sentAt: new Date('2025-03-01T09:30:00.000Z') });

  await expect(handler(sqsEvent(record), context)).resolves.toEqual({ batchItemFailures: [] });

  expect(await storedRow(record.messageId)).toEqual({
    orderID: { S: record.messageId },
    item: { S: 'latex gloves' },
    customerID: { S: '12345' },
    order: { S: body },
    receivedAt: { S: '2025-03-01T09:30:00.000Z' },
  });
});

it('stores values with &, +, %, quotes and non-ASCII text intact', async () => {
  const item = `"Größe XL" soap & water + 100% スポンジ 🧽`;
  const record = sqsRecord(orderBody(item, 'ÄÖÜ-007'));

  await expect(handler(sqsEvent(record), context)).resolves.toEqual({ batchItemFailures: [] });

  const row = await storedRow(record.messageId);
  expect(row?.item).toEqual({ S: item });
  expect(row?.customerID).toEqual({ S: 'ÄÖÜ-007' });
});

it('stores a redelivered message once and reports both deliveries as done', async () => {
  const record = sqsRecord(orderBody('mop', 'customer-redelivered'));
  const redelivery: SQSRecord = { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } };

  await expect(handler(sqsEvent(record), context)).resolves.toEqual({ batchItemFailures: [] });
  const firstRow = await storedRow(record.messageId);
  await expect(handler(sqsEvent(redelivery), context)).resolves.toEqual({ batchItemFailures: [] });

  expect(await rowsOfCustomer('customer-redelivered')).toHaveLength(1);
  expect(await storedRow(record.messageId)).toEqual(firstRow);
  expect(logs.at('INFO')).toContainEqual(
    expect.objectContaining({ message: expect.stringMatching(/already stored/), orderID: record.messageId }),
  );
});

it('fails only the malformed record of a batch, logging its message id and reason', async () => {
  const before = sqsRecord(orderBody('bucket', 'customer-batch'));
  const malformed = sqsRecord('{"item": "bucket"}');
  const after = sqsRecord(orderBody('sponge', 'customer-batch'));

  const response = await handler(sqsEvent(before, malformed, after), context);

  expect(response).toEqual({ batchItemFailures: failedIds([malformed]) });
  expect(await storedRow(before.messageId)).toBeDefined();
  expect(await storedRow(after.messageId)).toBeDefined();
  expect(await storedRow(malformed.messageId)).toBeUndefined();
  const errors = logs.at('ERROR');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ messageId: malformed.messageId });
  expect(JSON.stringify(errors[0])).toContain('\\"customerID\\" is missing');
});

it('fails only the record for which DynamoDB is unreachable', async () => {
  const reachable = sqsRecord(orderBody('broom', 'customer-reachable'));
  const unreachable = sqsRecord(orderBody('broom', UNREACHABLE_CUSTOMER));

  const response = await handler(sqsEvent(reachable, unreachable), context);

  expect(response).toEqual({ batchItemFailures: failedIds([unreachable]) });
  expect(await storedRow(reachable.messageId)).toBeDefined();
  expect(await storedRow(unreachable.messageId)).toBeUndefined();
  expect(logs.at('ERROR')).toEqual([
    expect.objectContaining({ message: expect.stringMatching(/Could not store/), messageId: unreachable.messageId }),
  ]);
});

it('throws when every record of the batch fails, so the invocation counts as an error', async () => {
  const malformed = sqsRecord('not json');

  await expect(handler(sqsEvent(malformed), context)).rejects.toThrow(/All records failed processing/);
});

it('calls no DynamoDB action but PutItem (its role allows PutItem and DescribeTable only)', () => {
  expect(recorder.calls.length).toBeGreaterThan(0);
  expect(recorder.operations()).toEqual(['PutItem']);
});

it('refuses to start without TABLE_NAME, naming it', async () => {
  await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), 'TABLE_NAME');
});

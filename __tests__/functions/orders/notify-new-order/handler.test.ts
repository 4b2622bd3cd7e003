/**
 * notify-new-order (POC-Lambda-2) between two emulators: its events are real stream
 * records read from DynamoDB Local, and what it publishes goes through fauxqs SNS to a
 * subscribed SQS queue, where the test reads it as an email subscriber would receive it.
 * The handler reaches SNS through a pass-through recorder, which proves it calls Publish
 * only and can make SNS unreachable for a single record.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { startWireRecorder, type WireRecorder } from '../../../support/aws-wire-recorder';
import { CONDITION_DEADLINE_MS, EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { expectStartRefusedWithout } from '../../support/start-refusal';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { DynamoDbStreamReader } from '../../../../local/event-sources/dynamodb-stream-reader';
import { lambdaContext } from '../../support/lambda-events';
import { LOCAL_CLIENT_CONFIG, useLocalAwsEnvironment } from '../../support/local-aws-env';
import { receiveEnvelopes, subscribeNewQueue, type SnsEnvelope } from '../../support/sns-subscriber';

// Imported only once the environment points at the emulators: the handler reads it at module scope.
const HANDLER_MODULE = '../../../../functions/orders/notify-new-order/handler';
type HandlerModule = typeof import('../../../../functions/orders/notify-new-order/handler');

/** Publishing for orders of this customer finds SNS unreachable. */
const UNREACHABLE_CUSTOMER = 'customer-behind-a-broken-network';

// The emulators are shared with the other suites of this jest worker.
const names = uniqueNames();
const TABLE_NAME = names.table('orders');

let recorder: WireRecorder;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let streams: DynamoDBStreamsClient;
let stream: DynamoDbStreamReader;
let subscriberQueueUrl: string;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;

const context = lambdaContext('POC-Lambda-2');

beforeAll(async () => {
  const emulators = workerEmulators();
  const [dynamoDbLocal, fauxqs] = await Promise.all([emulators.dynamodb(), emulators.fauxqs()]);

  dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  const { TableDescription } = await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE_NAME,
      KeySchema: [{ AttributeName: 'orderID', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'orderID', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  streams = new DynamoDBStreamsClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  stream = new DynamoDbStreamReader(streams, TableDescription?.LatestStreamArn as string);

  // The SQS client needs the explicit endpoint: fauxqs's queue URLs name a host that does not resolve.
  sqs = new SQSClient({ ...LOCAL_CLIENT_CONFIG, endpoint: fauxqs.endpoint });
  const sns = new SNSClient({ ...LOCAL_CLIENT_CONFIG, endpoint: fauxqs.endpoint });
  const { topicArn, queueUrl } = await subscribeNewQueue(
    { sns, sqs },
    { topicName: names.topic('POC-Topic'), queueName: names.queue('order-emails') },
  );
  subscriberQueueUrl = queueUrl;
  sns.destroy();

  recorder = await startWireRecorder(fauxqs.endpoint, {
    dropConnection: (call) => call.operation === 'Publish' && call.body.includes(UNREACHABLE_CUSTOMER),
  });
  useLocalAwsEnvironment(context.functionName, { AWS_ENDPOINT_URL_SNS: recorder.endpoint, TOPIC_ARN: topicArn });
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

/** Writes a row the way store-order does; DynamoDB Local turns it into an INSERT record. */
async function insertOrder(fields: Record<string, string>): Promise<void> {
  const item: Record<string, AttributeValue> = Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, { S: value }]),
  );
  await dynamodb.send(new PutItemCommand({ TableName: TABLE_NAME, Item: item }));
}

/** Everything SNS delivered to the subscribed queue, removed from it once read. */
function receiveEmails(waitSeconds: number): Promise<SnsEnvelope[]> {
  return receiveEnvelopes(sqs, subscriberQueueUrl, waitSeconds);
}

it('publishes one readable email for a new order', async () => {
  const orderID = randomUUID();
  const item = `"Größe XL" latex gloves & soap + 100% スポンジ`;
  await insertOrder({
    orderID,
    item,
    customerID: '12345',
    order: JSON.stringify({ item, customerID: '12345' }),
    receivedAt: '2025-03-01T09:30:00.000Z',
  });
  const event = await stream.nextEvent(1, CONDITION_DEADLINE_MS);
  expect(event.Records.map((record) => record.eventName)).toEqual(['INSERT']);

  await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

  const emails = await receiveEmails(2);
  expect(emails).toEqual([
    expect.objectContaining({
      Type: 'Notification',
      Subject: 'New Order Notification',
      Message: [
        'A new order was received.',
        '',
        `Order ID: ${orderID}`,
        `Item: ${item}`,
        'Customer ID: 12345',
        'Received at: 2025-03-01T09:30:00.000Z',
      ].join('\n'),
    }),
  ]);
  expect(await receiveEmails(0)).toEqual([]);
});

it('publishes nothing when an order is modified', async () => {
  const orderID = randomUUID();
  await insertOrder({ orderID, item: 'mop', customerID: '7' });
  await stream.nextEvent(1, CONDITION_DEADLINE_MS);
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: TABLE_NAME,
      Key: { orderID: { S: orderID } },
      UpdateExpression: 'SET #item = :item',
      // `item` is a DynamoDB reserved word.
      ExpressionAttributeNames: { '#item': 'item' },
      ExpressionAttributeValues: { ':item': { S: 'bucket' } },
    }),
  );
  const event = await stream.nextEvent(1, CONDITION_DEADLINE_MS);
  expect(event.Records.map((record) => record.eventName)).toEqual(['MODIFY']);
  const publishesBefore = recorder.calls.length;

  await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });

  expect(recorder.calls.length).toBe(publishesBefore);
  expect(await receiveEmails(1)).toEqual([]);
  expect(logs.at('INFO')).toContainEqual(expect.objectContaining({ eventName: 'MODIFY' }));
});

it("describes a row without item and customer (the lab's row shape) without printing undefined", async () => {
  const orderID = randomUUID();
  await insertOrder({ orderID, order: '{"item": "mop", "customerID": "7"}' });

  await expect(handler(await stream.nextEvent(1, CONDITION_DEADLINE_MS), context)).resolves.toEqual({ batchItemFailures: [] });

  const [email] = await receiveEmails(2);
  expect(email.Message).toContain(`Order ID: ${orderID}\nItem: (not recorded)\nCustomer ID: (not recorded)`);
  expect(email.Message).not.toContain('undefined');
});

it('fails only the record whose notification SNS could not take', async () => {
  await insertOrder({ orderID: randomUUID(), item: 'broom', customerID: 'customer-reachable' });
  await insertOrder({ orderID: randomUUID(), item: 'broom', customerID: UNREACHABLE_CUSTOMER });
  const event = await stream.nextEvent(2, CONDITION_DEADLINE_MS);
  const unreachable = event.Records.find((record) =>
    JSON.stringify(record.dynamodb?.NewImage).includes(UNREACHABLE_CUSTOMER),
  );

  const response = await handler(event, context);

  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: unreachable?.dynamodb?.SequenceNumber }] });
  const emails = await receiveEmails(2);
  expect(emails.map((email) => email.Message)).toEqual([expect.stringContaining('Customer ID: customer-reachable')]);
  expect(logs.at('ERROR')).toEqual([expect.objectContaining({ eventID: unreachable?.eventID })]);
});

it('calls no SNS action but Publish (its role allows sns:Publish only)', () => {
  expect(recorder.calls.length).toBeGreaterThan(0);
  expect(recorder.operations()).toEqual(['Publish']);
});

it('refuses to start without TOPIC_ARN, naming it', async () => {
  await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), 'TOPIC_ARN');
});

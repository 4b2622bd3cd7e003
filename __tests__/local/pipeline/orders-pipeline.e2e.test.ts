/**
 * The orders pipeline end to end on the local runtime, from the synthesized stack: the
 * lab's Task 9 order, the bad inputs a public API receives, redelivery, an outage, and
 * a load run. Every check looks at the outcome a person would (HTTP answer, table rows,
 * captured emails, the dead-letter queue), never at internals.
 */
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { postOrdersConcurrently } from '../../../local/load/post-orders';
import { startLocalPipeline, type LocalPipeline } from '../../../local/pipeline/local-pipeline';
import { synthesizeStack } from '../../../local/stack/synthesize';
import { scanTable } from '../../support/scan-table';
import { TEST_CONFIG } from '../../support/synth';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { pipelineDynamoDb } from '../support/pipeline-dynamodb';
import { startWireRecorder, type WireRecorder } from '../../support/aws-wire-recorder';

jest.setTimeout(180_000);

const TABLE = 'test-orders';
const STORE_ORDER = 'test-POC-Lambda-1';
/** How long to keep watching for a duplicate after the expected outcome arrived. */
const DUPLICATE_WATCH_MS = 1_500;

let outdir: string;
let pipeline: LocalPipeline;
/** Between the functions and DynamoDB Local: counts their writes and can fail chosen ones. */
let dynamodbWire: WireRecorder;
let dynamodbFailsFor: (body: string) => boolean = () => false;
/** The ALARM lines the local runtime printed: the alarms the deployed stack would raise. */
const alarmsRaised: string[] = [];

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'orders-e2e-'));
  const stackDir = synthesizeStack('orders-pipeline', TEST_CONFIG, outdir);
  dynamodbWire = await startWireRecorder(() => pipelineDynamoDb(pipeline).endpoint, {
    unavailableFor: (call) => call.operation === 'PutItem' && dynamodbFailsFor(call.body),
  });
  pipeline = await startLocalPipeline({
    // This jest worker's DynamoDB Local: the stack's tables are created there, and deleted by stop().
    dynamodbEndpoint: (await workerEmulators().dynamodb()).endpoint,
    stackDir,
    apiPort: 0,
    // Load runs would be refused at the stage's 10 requests/s; the API tests prove throttling.
    throttle: false,
    retryDelaySeconds: 0,
    functionEndpoints: { DYNAMODB: dynamodbWire.endpoint },
    onEvent: (event) => {
      if (event.kind === 'alarm') alarmsRaised.push(event.alarmName);
    },
  });
});

afterAll(async () => {
  await pipeline?.stop();
  await dynamodbWire?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

function post(body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(pipeline.apiUrl as string, { method: 'POST', headers: { 'content-type': contentType }, body });
}

function rows(): Promise<Record<string, unknown>[]> {
  return scanTable(pipelineDynamoDb(pipeline).client, TABLE);
}

async function rowsWhere(predicate: (row: Record<string, unknown>) => boolean, count: number, timeoutMs = 15_000) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const matching = (await rows()).filter(predicate);
    if (matching.length >= count || Date.now() > giveUpAt) return matching;
    await sleep(100);
  }
}

function notificationsNaming(text: string) {
  return pipeline.notifications.all().filter((notification) => notification.message.includes(text));
}

test("the lab's Task 9 order is accepted, stored once and announced once", async () => {
  const response = await post('{"item": "latex gloves", "customerID": "12345"}');
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { orderId: string; status: string };
  expect(answer).toEqual({ orderId: expect.stringMatching(/\S+/), status: 'accepted' });

  const stored = await rowsWhere((row) => row.orderID === answer.orderId, 1);
  expect(stored).toEqual([expect.objectContaining({ orderID: answer.orderId, item: 'latex gloves', customerID: '12345' })]);

  await pipeline.notifications.waitFor(1, (n) => n.message.includes(answer.orderId));
  await sleep(DUPLICATE_WATCH_MS);
  const notifications = notificationsNaming(answer.orderId);
  expect(notifications).toHaveLength(1);
  expect(notifications[0].subject).toBe('New Order Notification');
  expect(notifications[0].message).toContain('Item: latex gloves');
});

test('idle() resolves once an order has gone all the way: stored and announced', async () => {
  const response = await post('{"item": "idle-order", "customerID": "7"}');
  const { orderId } = (await response.json()) as { orderId: string };
  await pipeline.idle();
  expect((await rows()).filter((row) => row.orderID === orderId)).toHaveLength(1);
  expect(notificationsNaming(orderId)).toHaveLength(1);
});

describe('bad input is refused at the API and nothing of it is stored', () => {
  const refused: [string, string, number][] = [
    ['invalid JSON', '{"item": "bad-json-order", "customerID": ', 400],
    ['a missing field', '{"item": "missing-customer-order"}', 400],
    ['a non-string field', '{"item": "numeric-customer-order", "customerID": 12345}', 400],
    ['an empty field', '{"item": "", "customerID": "empty-item-order"}', 400],
    ['a field of only spaces and tabs', '{"item": " \\t \\t ", "customerID": "blank-item-order"}', 400],
    ['an extra field', '{"item": "extra-field-order", "customerID": "1", "price": 0}', 400],
    ['a value past the model limit', JSON.stringify({ item: `oversized-order-${'x'.repeat(300_000)}`, customerID: '1' }), 400],
    ['a body past the 10 MiB payload limit', JSON.stringify({ item: `huge-order-${'x'.repeat(11 * 1024 * 1024)}`, customerID: '1' }), 413],
  ];

  test.each(refused.map(([name, body, status]) => ({ name, body, status })))('$name -> $status', async ({ body, status }) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toEqual(expect.any(String));
  });

  test('a body that is not JSON content -> 415', async () => {
    expect((await post('item=latex gloves', 'text/plain')).status).toBe(415);
  });

  test('none of the refused orders reached the table', async () => {
    await sleep(DUPLICATE_WATCH_MS);
    const markers = /bad-json-order|missing-customer-order|numeric-customer-order|empty-item-order|blank-item-order|extra-field-order|oversized-order|huge-order/;
    expect((await rows()).filter((row) => markers.test(String(row.order)))).toEqual([]);
  });
});

describe("a valid order padded with white space past the queue's message size limit", () => {
  // POC-Queue's MaximumMessageSize: hashicorp/aws 5.100's most (and default), 256 KiB.
  const QUEUE_LIMIT_BYTES = 262_144;
  const padded = (marker: string, bytes: number) => {
    const order = JSON.stringify({ item: marker, customerID: '1' });
    return `${order.slice(0, -1)}${' '.repeat(bytes - order.length)}}`;
  };

  test.each([
    ['1 byte past the limit', QUEUE_LIMIT_BYTES + 1],
    ['past 1 MiB', 1024 * 1024 + 1024],
  ])('%s -> 413 naming the limit, and nothing stored', async (_case, bytes) => {
    const response = await post(padded('padded-past-limit-order', bytes));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toContain(`at most ${QUEUE_LIMIT_BYTES} bytes`);
  });

  // SQS documents the limit as the most a message may hold yet words its error "shorter
  // than": 1 byte under it is accepted either way.
  test('1 byte under the limit -> accepted and stored as sent', async () => {
    const body = padded('padded-at-limit-order', QUEUE_LIMIT_BYTES - 1);
    const response = await post(body);
    expect(response.status).toBe(200);
    const { orderId } = (await response.json()) as { orderId: string };
    const [row] = await rowsWhere((candidate) => candidate.orderID === orderId, 1);
    expect(row).toMatchObject({ item: 'padded-at-limit-order', order: body });
  });

  test('none of the refused ones reached the table', async () => {
    await sleep(DUPLICATE_WATCH_MS);
    expect((await rows()).filter((row) => String(row.order).includes('padded-past-limit-order'))).toEqual([]);
  });
});

test('&, +, %, quotes and non-ASCII text arrive intact in the table and the email', async () => {
  // Characters outside the BMP (emoji) are left out: fauxqs 1.9.2 refuses them, real SQS does not.
  const item = `Gloves & masks + 100% "latex" 'nitrile' é 漢字 Ω a=b;c`;
  const customerID = 'cust+42&x=%20';
  const response = await post(JSON.stringify({ item, customerID }));
  expect(response.status).toBe(200);
  const { orderId } = (await response.json()) as { orderId: string };

  const [row] = await rowsWhere((candidate) => candidate.orderID === orderId, 1);
  expect(row).toMatchObject({ item, customerID });
  const [notification] = await pipeline.notifications.waitFor(1, (n) => n.message.includes(orderId));
  expect(notification.message).toContain(`Item: ${item}`);
  expect(notification.message).toContain(`Customer ID: ${customerID}`);
});

test('the same SQS message delivered twice makes one order and one email', async () => {
  const body = JSON.stringify({ item: 'delivered-twice', customerID: '7' });
  const record = {
    messageId: `redelivered-${Date.now()}`,
    receiptHandle: 'local',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'local', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: pipeline.resources.queueByName('test-POC-Queue').arn,
    awsRegion: 'us-east-1',
  };
  const storeOrder = pipeline.functions.get(STORE_ORDER);
  // Two pollers holding the same message at once: what a visibility timeout that ran out does.
  const [first, second] = await Promise.all([storeOrder!.invoke({ Records: [record] }), storeOrder!.invoke({ Records: [record] })]);
  expect([first.ok, second.ok]).toEqual([true, true]);

  await pipeline.notifications.waitFor(1, (n) => n.message.includes(record.messageId));
  await sleep(DUPLICATE_WATCH_MS);
  expect(await rowsWhere((row) => row.orderID === record.messageId, 2, 0)).toHaveLength(1);
  expect(notificationsNaming(record.messageId)).toHaveLength(1);
});

test('a message the writer cannot parse ends in the dead-letter queue after 3 receives, raising its alarm, and nothing is stored', async () => {
  const queue = pipeline.resources.queueByName('test-POC-Queue');
  const deadLetterQueue = pipeline.resources.queueByName('test-POC-Queue-dlq');
  const body = 'not an order: unparseable-message';
  await pipeline.clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));

  // Before the message is read from the dead-letter queue below, while it is visible there.
  const dlqAlarm = 'test/orders-pipeline/test-POC-Queue-dlq/messages-visible';
  const alarmDeadline = Date.now() + 30_000;
  while (!alarmsRaised.includes(dlqAlarm) && Date.now() < alarmDeadline) await sleep(100);
  expect(alarmsRaised).toContain(dlqAlarm);
  expect(alarmsRaised).toContain('test/orders-pipeline/test-POC-Lambda-1/errors');

  const giveUpAt = Date.now() + 30_000;
  let parked: { Body?: string; Attributes?: Record<string, string> } | undefined;
  while (!parked && Date.now() < giveUpAt) {
    const { Messages } = await pipeline.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetterQueue.url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }),
    );
    parked = Messages?.find((message) => message.Body === body);
  }
  expect(parked?.Body).toBe(body);
  expect(Number(parked?.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(3);
  expect((await rows()).filter((row) => String(row.order).includes('unparseable-message'))).toEqual([]);
});

test('DynamoDB failing for one record of a batch: only that record is retried, every order is stored and announced once', async () => {
  const markers = ['outage-a', 'outage-b', 'outage-c'];
  let outageOver = false;
  dynamodbFailsFor = (body) => !outageOver && body.includes('outage-b');
  const queue = pipeline.resources.queueByName('test-POC-Queue');
  // Straight onto the queue, so that the three are likely to share a batch.
  const sent = await Promise.all(
    markers.map((item) => pipeline.clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ item, customerID: '9' }) }))),
  );
  const ids = sent.map((result) => result.MessageId as string);

  const failedPuts = () => dynamodbWire.calls.filter((call) => call.refused && call.body.includes('outage-b'));
  const giveUpAt = Date.now() + 20_000;
  while (failedPuts().length === 0 && Date.now() < giveUpAt) await sleep(50);
  expect(failedPuts().length).toBeGreaterThan(0);
  outageOver = true;

  const stored = await rowsWhere((row) => ids.includes(String(row.orderID)), 3);
  expect(stored.map((row) => row.item).sort()).toEqual(markers);
  for (const id of ids) await pipeline.notifications.waitFor(1, (n) => n.message.includes(id));
  await sleep(DUPLICATE_WATCH_MS);
  for (const id of ids) expect(notificationsNaming(id)).toHaveLength(1);

  const putsOf = (item: string) => dynamodbWire.calls.filter((call) => call.operation === 'PutItem' && call.body.includes(item));
  // The healthy records were written by one request each: never re-sent to the function.
  expect(putsOf('outage-a')).toHaveLength(1);
  expect(putsOf('outage-c')).toHaveLength(1);
  expect(putsOf('outage-b').filter((call) => !call.refused)).toHaveLength(1);
  dynamodbFailsFor = () => false;
});

test('a load run: 1,000 orders posted concurrently all arrive exactly once', async () => {
  const count = 1_000;
  const bodies = Array.from({ length: count }, (_, index) => JSON.stringify({ item: `load-item-${index}`, customerID: `load-${index}` }));
  const posted = await postOrdersConcurrently(pipeline.apiUrl as string, bodies);
  expect(posted.filter((order) => order.status !== 200)).toEqual([]);
  const orderIds = posted.map((order) => order.orderId as string);
  expect(new Set(orderIds).size).toBe(count);

  const idSet = new Set(orderIds);
  const announcedOrderId = (message: string) => /Order ID: (\S+)/.exec(message)?.[1];
  await pipeline.notifications.waitFor(count, (n) => idSet.has(announcedOrderId(n.message) ?? ''), 120_000);
  await sleep(DUPLICATE_WATCH_MS);

  const stored = (await rows()).filter((row) => idSet.has(String(row.orderID)));
  expect(stored).toHaveLength(count);
  const announced = pipeline.notifications
    .all()
    .map((n) => announcedOrderId(n.message))
    .filter((id) => id !== undefined && idSet.has(id));
  expect(announced).toHaveLength(count);
  expect(new Set(announced).size).toBe(count);
});

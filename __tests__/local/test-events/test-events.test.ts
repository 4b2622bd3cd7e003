/**
 * The console's test event templates: each fits the stacks it should, carries the stack's
 * own names, and is read by the handler it is for as that handler reads AWS's events
 * (their shapes are also checked at compile time: every template returns its
 * @types/aws-lambda event type).
 */
import type { APIGatewayProxyEvent, DynamoDBStreamEvent, S3Event, SNSEvent, SQSEvent } from 'aws-lambda';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideInventoryNotification } from '../../../functions/inventory/notify-inventory-update/inventory-change';
import { uploadLocationOf } from '../../../functions/inventory/process-inventory-file/upload-location';
import { formatOrderNotification } from '../../../functions/orders/notify-new-order/notification';
import { InvalidOrderError, toStoredOrder } from '../../../functions/orders/store-order/order';
import type { RenderReportInput } from '../../../functions/report/render-report/handler';
import { renderReportHtml } from '../../../functions/report/render-report/report-html';
import type { TemplateOptions } from '../../../local/test-events/test-event-template';
import { buildTestEvent, templateNamed, TEST_EVENT_TEMPLATES } from '../../../local/test-events/test-events';
import { InventoryPipelineStack } from '../../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../../stacks/orders-pipeline';
import { synthStack, ReportPipelineTestStack } from '../../support/synth';

const STACKS = {
  orders: synthStack(OrdersPipelineStack, 'orders-pipeline').stack,
  inventory: synthStack(InventoryPipelineStack, 'inventory-pipeline').stack,
  report: synthStack(ReportPipelineTestStack, 'report-pipeline').stack,
};
const NOW = new Date('2026-12-05T10:00:00.000Z');

function build<T>(template: string, stack: keyof typeof STACKS, options: TemplateOptions = {}): T {
  return buildTestEvent(templateNamed(template), STACKS[stack], options, NOW) as T;
}

describe('which stacks each template fits', () => {
  it.each([
    ['sqs', ['orders']],
    ['dynamodb-insert', ['orders', 'inventory']],
    ['s3-put', ['inventory']],
    ['apigateway-aws-proxy', ['orders', 'inventory', 'report']],
    ['sns', ['orders', 'inventory', 'report']],
    ['stepfunctions', ['report']],
  ])('%s fits %j and says why not elsewhere', (name, fits) => {
    const template = templateNamed(name);
    for (const [stackName, stack] of Object.entries(STACKS)) {
      expect([stackName, template.unfit(stack)]).toEqual([stackName, fits.includes(stackName) ? undefined : expect.any(String)]);
    }
  });
});

describe('sqs (seed 001, Step 4.4)', () => {
  it("is the console's message from the orders queue, which POC-Lambda-1 refuses as no order", () => {
    const { Records } = build<SQSEvent>('sqs', 'orders');
    expect(Records).toHaveLength(1);
    expect(Records[0]).toMatchObject({
      body: 'Hello from SQS!',
      md5OfBody: '7b270e59b47ff90a553787216d55d91d',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test-POC-Queue',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(NOW.getTime()) },
    });
    expect(() => toStoredOrder(Records[0])).toThrow(InvalidOrderError);
  });

  it('with --body an order, becomes the row POC-Lambda-1 stores', () => {
    const { Records } = build<SQSEvent>('sqs', 'orders', { body: '{"item": "latex gloves", "customerID": "12345"}' });
    expect(toStoredOrder(Records[0])).toMatchObject({ orderID: Records[0].messageId, item: 'latex gloves', customerID: '12345', receivedAt: NOW.toISOString() });
  });
});

describe('dynamodb-insert (seed 001, Step 7.4; seed 003, TEST 3)', () => {
  it("is a new orders row on the table's stream, which POC-Lambda-2 turns into a full notification", () => {
    const { Records } = build<DynamoDBStreamEvent>('dynamodb-insert', 'orders');
    const [record] = Records;
    expect(record).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { StreamViewType: 'NEW_IMAGE' } });
    expect(record.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/test-orders\/stream\//);
    expect(record.dynamodb?.Keys).toEqual({ orderID: record.dynamodb?.NewImage?.orderID });
    const { message } = formatOrderNotification(record.dynamodb?.NewImage);
    expect(message).toContain('Item: latex gloves');
    expect(message).not.toContain('(not recorded)');
  });

  it('is a new product on the inventory stream, which NotifyInventoryUpdate announces', () => {
    const [record] = build<DynamoDBStreamEvent>('dynamodb-insert', 'inventory').Records;
    expect(record.dynamodb).toMatchObject({ StreamViewType: 'NEW_AND_OLD_IMAGES', Keys: { productId: { S: 'P1001' } } });
    expect(record.dynamodb?.OldImage).toBeUndefined();
    const decision = decideInventoryNotification(record, 5);
    expect(decision.kind === 'new-product' && decision.notification.message).toContain('Laptop');
  });
});

describe('s3-put (seed 003, TEST 1)', () => {
  it('is a new object under the upload prefix, with the size and ETag of --file, where ProcessInventoryFile looks', () => {
    const folder = mkdtempSync(join(tmpdir(), 's3-put-'));
    try {
      const file = join(folder, 'inventory.json');
      writeFileSync(file, '[]');
      const [record] = build<S3Event>('s3-put', 'inventory', { file, key: 'uploads/spring stock.json' }).Records;
      expect(record).toMatchObject({ eventName: 'ObjectCreated:Put', s3: { object: { key: 'uploads/spring+stock.json', size: 2, eTag: 'd751713988987e9331980363e24189ce' } } });
      expect(uploadLocationOf(record)).toMatchObject({ bucket: expect.stringContaining('inventory-upload'), key: 'uploads/spring stock.json' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("defaults to inventory.json under the notification's prefix, with the console's figures", () => {
    const [record] = build<S3Event>('s3-put', 'inventory').Records;
    expect(record.s3.object).toMatchObject({ key: 'uploads/inventory.json', size: 1024 });
    expect(() => build('s3-put', 'inventory', { file: '/no/such/file' })).toThrow('--file /no/such/file: there is no such file');
  });
});

describe('stepfunctions (seed 004)', () => {
  it("fills each task's Payload: the execution's name, and the supplier data for RenderReport", () => {
    expect(build('stepfunctions', 'report')).toEqual({ executionName: `local-test-${NOW.getTime()}` });
    const input = build<RenderReportInput>('stepfunctions', 'report', { functionName: 'render-report' });
    expect(renderReportHtml(input.data, { executionName: input.executionName })).toContain('Coffee Bean Co.');
    expect(() => build('stepfunctions', 'report', { functionName: 'test-MigrateReportDatabase' })).toThrow(/No state machine task invokes test-MigrateReportDatabase/);
    expect(() => build('stepfunctions', 'report', { functionName: 'render-report', body: '{not json' })).toThrow(/--body must be the state input as JSON/);
  });
});

describe('apigateway-aws-proxy and sns', () => {
  it("use the stack's API stage, path and method, and its topic", () => {
    const request = build<APIGatewayProxyEvent>('apigateway-aws-proxy', 'orders', { body: '{"item":"pen"}' });
    expect(request).toMatchObject({ httpMethod: 'POST', path: '/', resource: '/', body: '{"item":"pen"}', requestContext: { stage: 'v1', httpMethod: 'POST' } });
    const [record] = build<SNSEvent>('sns', 'orders').Records;
    expect(record.Sns.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:test-POC-Topic');
    expect(record.EventSubscriptionArn.startsWith(`${record.Sns.TopicArn}:`)).toBe(true);
  });
});

describe('what a person gets wrong', () => {
  it('an unknown template lists the templates; an option the template does not read is refused', () => {
    expect(() => templateNamed('kinesis')).toThrow(`There is no test event template named "kinesis". Templates: ${TEST_EVENT_TEMPLATES.map((t) => t.name).join(', ')}.`);
    expect(() => build('dynamodb-insert', 'orders', { body: 'x' })).toThrow('The dynamodb-insert template does not take --body.');
  });
});

/**
 * One CloudWatch dashboard per pipeline, reading left to right as the README's diagram
 * does, and showing every function, queue, table, topic, API, state machine, bucket and
 * database the stack makes: a resource added later without a panel fails here.
 */
import type { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { only, synthStack, ReportPipelineTestStack } from '../support/synth';

interface Widget {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly properties: { readonly title: string; readonly metrics: readonly (string | object)[][] };
}

function dashboardOf(stack: SynthesizedStack): { name: string; widgets: Widget[]; body: string } {
  const [, config] = only(stack.resources('aws_cloudwatch_dashboard'));
  const body = String(config.dashboard_body);
  return { name: String(config.dashboard_name), widgets: (JSON.parse(body) as { widgets: Widget[] }).widgets, body };
}

/** The reference a panel must hold for each watched resource of the stack, e.g. `${aws_sqs_queue.q.name}`. */
const WATCHED: readonly (readonly [type: string, attribute: string])[] = [
  ['aws_lambda_function', 'function_name'],
  ['aws_sqs_queue', 'name'],
  ['aws_dynamodb_table', 'name'],
  ['aws_sns_topic', 'name'],
  ['aws_api_gateway_rest_api', 'name'],
  ['aws_sfn_state_machine', 'arn'],
  ['aws_s3_bucket', 'bucket'],
  ['aws_rds_cluster', 'cluster_identifier'],
];

function unwatched(stack: SynthesizedStack, body: string): string[] {
  return WATCHED.flatMap(([type, attribute]) =>
    Object.keys(stack.resources(type))
      .map((name) => `\${${type}.${name}.${attribute}}`)
      .filter((reference) => !body.includes(reference)),
  );
}

describe.each([
  [
    'orders-pipeline',
    OrdersPipelineStack,
    ['POC-API', 'POC-Queue', 'POC-Lambda-1', 'orders table', 'POC-Lambda-2', 'POC-Lambda-2 failed', 'POC-Topic', 'alarms raised'],
  ],
  [
    'inventory-pipeline',
    InventoryPipelineStack,
    [
      'dashboard API',
      'InventoryApiAuthorizer',
      'CreateUploadUrl',
      'upload bucket',
      'ProcessInventoryFile',
      'ProcessInventoryFile failed',
      'InventoryUploads',
      'InventoryTable',
      'NotifyInventoryUpdate',
      'NotifyInventoryUpdate failed',
      'alerts topic',
      'GetUploadOutcome',
      'ListProducts',
      'alarms raised',
    ],
  ],
  [
    'report-pipeline',
    ReportPipelineTestStack,
    [
      'create_report',
      'ReportApiAuthorizer',
      'CreateReport',
      'FetchSupplierData',
      'COFFEE database',
      'MigrateReportDatabase',
      'RenderReport',
      'PresignReportUrl',
      'report bucket',
      'EmailReport topic',
      'ReportStatus',
      'alarms raised',
    ],
  ],
] as const)('the %s dashboard', (id, Stack, flow) => {
  const { stack } = synthStack(Stack, id);
  const dashboard = dashboardOf(stack);

  it('is named after the environment and the pipeline', () => {
    expect(dashboard.name).toBe(`test-${id}`);
  });

  it("has a panel per stage in the order the data flows, left to right, then row by row", () => {
    expect(dashboard.widgets.map((widget) => widget.properties.title)).toEqual(flow.map((stage, index) => expect.stringMatching(new RegExp(`^${index + 1}\\. ${stage}`))));
    const positions = dashboard.widgets.map((widget) => widget.y * 24 + widget.x);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const widget of dashboard.widgets) expect(widget.x + widget.width).toBeLessThanOrEqual(24);
  });

  it('watches every function, queue, table, topic, API, state machine, bucket and database of the stack', () => {
    expect(unwatched(stack, dashboard.body)).toEqual([]);
  });
});

test('the coverage check itself reports a resource that has no panel', () => {
  const { stack } = synthStack(OrdersPipelineStack, 'orders-pipeline');
  const { body } = dashboardOf(stack);
  const [topicName] = Object.keys(stack.resources('aws_sns_topic'));
  const topicReference = `\${aws_sns_topic.${topicName}.name}`;
  expect(unwatched(stack, body.split(topicReference).join('removed'))).toEqual([topicReference]);
});

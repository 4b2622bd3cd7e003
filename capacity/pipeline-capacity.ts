/**
 * What each synthesized pipeline carries and costs: every limit on its path, in units of
 * work per second, the lowest of which binds; the cost of a million units of work; and the
 * cost of a month in which nobody uses it. Every setting is read from the synthesized stack,
 * every AWS figure from aws-limits-and-prices.ts, every duration from measured-durations.ts.
 */
import { approximateMaxConnections } from '../constructs/aurora-mysql-serverless';
import { HOURS_PER_MONTH, PRICES, QUOTAS } from './aws-limits-and-prices';
import { DURATIONS, invocationMs, type FunctionDuration } from './measured-durations';
import {
  apiThrottle,
  countOf,
  emailSubscriptionsOf,
  fixedMonitoring,
  functionSettings,
  isQueueMapping,
  isStreamMapping,
  mappingSettings,
  referencedResource,
  resourcesOf,
  theOne,
  type FunctionSettings,
  type TerraformJson,
} from './synthesized-stack';

export interface Limit {
  readonly name: string;
  /** Units of work per second this limit allows. */
  readonly perSecond: number;
  /** How the figure follows from the settings. */
  readonly detail: string;
  /** True for an AWS quota an account can have raised; undefined for a setting of ours. */
  readonly raisable?: boolean;
}

export interface CostLine {
  readonly item: string;
  readonly usd: number;
}

export interface PipelineCapacity {
  readonly pipeline: string;
  /** What one unit of work is: an order, a product, a report. */
  readonly unit: 'order' | 'product' | 'report';
  /** How the ceiling is shown: orders and products per second, reports per minute. */
  readonly per: 'second' | 'minute';
  /** Lowest first: the first binds, the second is the next limit after it. */
  readonly limits: readonly Limit[];
  readonly perMillion: readonly CostLine[];
  readonly idleMonth: readonly CostLine[];
  readonly durations: readonly { readonly functionName: string; readonly duration: FunctionDuration }[];
  readonly notes: readonly string[];
}

/** A new on-demand table takes 4,000 writes/s at once, which takes at least four partitions, each with its stream shard. */
export const NEW_TABLE_SHARDS = QUOTAS.dynamodbNewTableWrites.value / QUOTAS.dynamodbPartitionWrites.value;
/** The inventory cost assumes uploads of this many products (the benchmark's file). */
export const PRODUCTS_PER_UPLOAD = 10_000;
/** An idle SQS event source keeps long-polling: about five pollers, each a receive every 20 s (an estimate). */
const IDLE_QUEUE_RECEIVES_PER_MONTH = 5 * 3 * 60 * HOURS_PER_MONTH;

const MILLION = 1e6;

function sortLimits(limits: Limit[]): Limit[] {
  return limits.filter((limit) => Number.isFinite(limit.perSecond)).sort((a, b) => a.perSecond - b.perSecond);
}

function lambdaCost(fn: FunctionSettings, invocations: number, durationMs: number): number {
  return invocations * (PRICES.lambdaRequest.usd + (durationMs / 1000) * (fn.memoryMb / 1024) * PRICES.lambdaGbSecond.usd);
}

function monitoringLines(stack: TerraformJson): CostLine[] {
  const { alarms, dashboards, kmsKeys } = fixedMonitoring(stack);
  return [
    { item: `${alarms} CloudWatch alarms`, usd: alarms * PRICES.cloudwatchAlarmMonth.usd },
    { item: `${dashboards} CloudWatch dashboard (the account's first 3 are free)`, usd: dashboards * PRICES.cloudwatchDashboardMonth.usd },
    { item: `${kmsKeys} KMS key (the ops topic's)`, usd: kmsKeys * PRICES.kmsKeyMonth.usd },
  ];
}

/** A stream's readers: each shard's batches, `parallelizationFactor` at a time. */
function streamReaderLimit(reader: FunctionSettings, batchSize: number, parallelizationFactor: number, duration: FunctionDuration): Limit {
  const perShard = (parallelizationFactor * batchSize * 1000) / invocationMs(duration, batchSize);
  return {
    name: `stream readers (${reader.name})`,
    perSecond: NEW_TABLE_SHARDS * perShard,
    detail:
      `${NEW_TABLE_SHARDS} shards x ${parallelizationFactor} batch(es) of ${batchSize} per shard / ${invocationMs(duration, batchSize).toFixed(0)} ms ` +
      `(Lambda is one of the ${QUOTAS.streamReadersPerShard.value} readers a shard allows; a shard takes ${QUOTAS.dynamodbPartitionWrites.value} writes/s)`,
  };
}

function emailLimit(subscriptions: number, emailsPerUnit: number, unit: string): Limit | undefined {
  if (subscriptions === 0) return undefined;
  return {
    name: 'SNS email delivery',
    perSecond: QUOTAS.snsEmailDelivery.value / (subscriptions * emailsPerUnit),
    detail: `${QUOTAS.snsEmailDelivery.value} emails/s per account / (${subscriptions} address(es) x ${formatShare(emailsPerUnit)} email per ${unit})`,
    raisable: QUOTAS.snsEmailDelivery.raisable,
  };
}

function formatShare(value: number): string {
  return value >= 0.01 ? String(Number(value.toFixed(4))) : value.toExponential(1);
}

function accountConcurrencyLimit(concurrencySecondsPerUnit: number): Limit {
  return {
    name: 'Lambda concurrency (account)',
    perSecond: QUOTAS.lambdaConcurrency.value / concurrencySecondsPerUnit,
    detail: `${QUOTAS.lambdaConcurrency.value} executions / ${(concurrencySecondsPerUnit * 1000).toFixed(2)} ms of function time per unit, shared with every function in the account`,
    raisable: QUOTAS.lambdaConcurrency.raisable,
  };
}

function tableLimits(): Limit[] {
  return [
    {
      name: 'DynamoDB on-demand, new table',
      perSecond: QUOTAS.dynamodbNewTableWrites.value,
      detail: `${QUOTAS.dynamodbNewTableWrites.value} writes/s at once (items under 1 KB: 1 WRU each); grows with use up to the table maximum`,
      raisable: false,
    },
    {
      name: 'DynamoDB table maximum',
      perSecond: QUOTAS.dynamodbTableWrites.value,
      detail: `${QUOTAS.dynamodbTableWrites.value} WRU/s per table`,
      raisable: QUOTAS.dynamodbTableWrites.raisable,
    },
  ];
}

export function ordersCapacity(stack: TerraformJson): PipelineCapacity {
  const throttle = apiThrottle(stack);
  const mappings = resourcesOf(stack, 'aws_lambda_event_source_mapping');
  const queue = mappingSettings(stack, theOne(stack, 'aws_lambda_event_source_mapping', 'the queue trigger', isQueueMapping));
  const stream = mappingSettings(stack, mappings.filter(isStreamMapping)[0]);
  const store = queue.consumer;
  const notify = stream.consumer;
  const emails = emailSubscriptionsOf(stack, notify.environment.TOPIC_ARN);

  const storeBatchMs = invocationMs(DURATIONS.storeOrder, queue.batchSize);
  const notifyBatchMs = invocationMs(DURATIONS.notifyNewOrder, stream.batchSize);
  const pollers = Math.min(queue.maximumConcurrency ?? QUOTAS.sqsMaximumConcurrency.value, store.reservedConcurrency ?? Infinity);
  const limits: (Limit | undefined)[] = [
    { name: 'API stage throttle', perSecond: throttle.rate, detail: `rate ${throttle.rate} requests/s, burst ${throttle.burst} (ORDERS_API_RATE_LIMIT)` },
    { name: 'API Gateway account rate', perSecond: QUOTAS.apiGatewayAccountRate.value, detail: `${QUOTAS.apiGatewayAccountRate.value} requests/s shared by every API in the account`, raisable: true },
    {
      name: `queue pollers (${store.name})`,
      perSecond: (pollers * queue.batchSize * 1000) / storeBatchMs,
      detail:
        `${pollers} concurrent batches (maximum concurrency ${queue.maximumConcurrency}` +
        `${store.reservedConcurrency === undefined ? '' : `, reserved ${store.reservedConcurrency}`}) x ${queue.batchSize} orders / ${storeBatchMs.toFixed(0)} ms`,
    },
    accountConcurrencyLimit(storeBatchMs / 1000 / queue.batchSize + notifyBatchMs / 1000 / stream.batchSize),
    ...tableLimits(),
    streamReaderLimit(notify, stream.batchSize, stream.parallelizationFactor, DURATIONS.notifyNewOrder),
    { name: 'SNS publish', perSecond: QUOTAS.snsPublish.value, detail: `${QUOTAS.snsPublish.value} publishes/s per account, one per order`, raisable: true },
    emailLimit(emails, 1, 'order'),
  ];

  const perMillion: CostLine[] = [
    { item: 'API Gateway requests', usd: MILLION * PRICES.apiGatewayRequest.usd },
    { item: `SQS: a send per order, a receive and a delete per batch of ${queue.batchSize}`, usd: MILLION * (1 + 2 / queue.batchSize) * PRICES.sqsRequest.usd },
    { item: `${store.name}: ${MILLION / queue.batchSize} invocations of ${storeBatchMs.toFixed(0)} ms at ${store.memoryMb} MB`, usd: lambdaCost(store, MILLION / queue.batchSize, storeBatchMs) },
    { item: 'DynamoDB: one write per order (stream reads by Lambda are free)', usd: MILLION * PRICES.dynamodbWrite.usd },
    { item: `${notify.name}: ${MILLION / stream.batchSize} invocations of ${notifyBatchMs.toFixed(0)} ms at ${notify.memoryMb} MB`, usd: lambdaCost(notify, MILLION / stream.batchSize, notifyBatchMs) },
    { item: 'SNS publishes', usd: MILLION * PRICES.snsPublish.usd },
    ...(emails > 0 ? [{ item: `SNS emails to ${emails} address(es)`, usd: MILLION * emails * PRICES.snsEmail.usd }] : []),
  ];
  const idleMonth = [
    ...monitoringLines(stack),
    { item: "SQS: the trigger's idle long polls (estimate: 5 pollers, one receive each 20 s)", usd: IDLE_QUEUE_RECEIVES_PER_MONTH * PRICES.sqsRequest.usd },
  ];
  return {
    pipeline: 'orders-pipeline',
    unit: 'order',
    per: 'second',
    limits: sortLimits(limits.filter((limit): limit is Limit => limit !== undefined)),
    perMillion,
    idleMonth,
    durations: [
      { functionName: store.name, duration: DURATIONS.storeOrder },
      { functionName: notify.name, duration: DURATIONS.notifyNewOrder },
    ],
    notes: [
      ...(emails === 0 ? ['No email subscription in this synth: with NOTIFICATION_EMAIL set, SNS email delivery (10/s per account) binds at 10 orders/s per address.'] : []),
      `A burst above the ceiling queues: Lambda starts ${QUOTAS.sqsPollersInitial.value} pollers and adds ${QUOTAS.sqsPollersAddedPerMinute.value} a minute, so ${pollers} are reached after ${Math.max(0, Math.ceil(((pollers - QUOTAS.sqsPollersInitial.value) / QUOTAS.sqsPollersAddedPerMinute.value) * 60))} s.`,
    ],
  };
}

export function inventoryCapacity(stack: TerraformJson): PipelineCapacity {
  const mapping = mappingSettings(stack, resourcesOf(stack, 'aws_lambda_event_source_mapping').filter(isStreamMapping)[0]);
  const notify = mapping.consumer;
  const notification = theOne(stack, 'aws_s3_bucket_notification', 'the upload trigger');
  const functions = (notification.config.lambda_function as { lambda_function_arn: string }[] | undefined) ?? [];
  const processResource = referencedResource(stack, functions[0]?.lambda_function_arn);
  if (processResource === undefined) throw new Error('The upload trigger names no function of the stack');
  const process = functionSettings(processResource);
  const digest = process.environment.ANNOUNCEMENTS === 'digest';
  const emails = emailSubscriptionsOf(stack, notify.environment.TOPIC_ARN);
  const newProductsInvoke = mapping.eventNames === undefined || mapping.eventNames.includes('INSERT');

  const uploadMs = invocationMs(DURATIONS.processInventoryFile, PRODUCTS_PER_UPLOAD);
  const notifyBatchMs = invocationMs(DURATIONS.notifyInventoryUpdate, mapping.batchSize);
  const emailsPerProduct = digest ? 1 / PRODUCTS_PER_UPLOAD : 1;
  const limits: (Limit | undefined)[] = [
    accountConcurrencyLimit(uploadMs / 1000 / PRODUCTS_PER_UPLOAD + (newProductsInvoke ? notifyBatchMs / 1000 / mapping.batchSize : 0)),
    ...tableLimits(),
    newProductsInvoke ? streamReaderLimit(notify, mapping.batchSize, mapping.parallelizationFactor, DURATIONS.notifyInventoryUpdate) : undefined,
    {
      name: 'SNS publish',
      perSecond: QUOTAS.snsPublish.value / emailsPerProduct,
      detail: digest ? `${QUOTAS.snsPublish.value} publishes/s, one per upload` : `${QUOTAS.snsPublish.value} publishes/s, one per new product`,
      raisable: true,
    },
    emailLimit(emails, emailsPerProduct, 'product'),
  ];
  const uploads = MILLION / PRODUCTS_PER_UPLOAD;
  const perMillion: CostLine[] = [
    { item: `S3: ${uploads} uploads of ${PRODUCTS_PER_UPLOAD} products (a PUT and a GET each)`, usd: uploads * (PRICES.s3Put.usd + PRICES.s3Get.usd) },
    { item: `${process.name}: ${uploads} invocations of ${(uploadMs / 1000).toFixed(1)} s at ${process.memoryMb} MB`, usd: lambdaCost(process, uploads, uploadMs) },
    { item: 'DynamoDB: one write per product', usd: MILLION * PRICES.dynamodbWrite.usd },
    ...(newProductsInvoke
      ? [{ item: `${notify.name}: ${MILLION / mapping.batchSize} invocations of ${notifyBatchMs.toFixed(0)} ms at ${notify.memoryMb} MB`, usd: lambdaCost(notify, MILLION / mapping.batchSize, notifyBatchMs) }]
      : []),
    { item: digest ? `SNS: one digest per upload (${uploads})` : 'SNS: one publish per new product', usd: MILLION * emailsPerProduct * PRICES.snsPublish.usd },
    ...(emails > 0 ? [{ item: `SNS emails to ${emails} address(es)`, usd: MILLION * emailsPerProduct * emails * PRICES.snsEmail.usd }] : []),
  ];
  return {
    pipeline: 'inventory-pipeline',
    unit: 'product',
    per: 'second',
    limits: sortLimits(limits.filter((limit): limit is Limit => limit !== undefined)),
    perMillion,
    idleMonth: monitoringLines(stack),
    durations: [
      { functionName: process.name, duration: DURATIONS.processInventoryFile },
      { functionName: notify.name, duration: DURATIONS.notifyInventoryUpdate },
    ],
    notes: [
      digest
        ? `Announcements: digest (one email per upload of ${PRODUCTS_PER_UPLOAD} products; new products do not invoke ${notify.name}).`
        : `Announcements: per-product (the seed's email per new product); a ${PRODUCTS_PER_UPLOAD}-product upload sends ${PRODUCTS_PER_UPLOAD} emails. INVENTORY_ANNOUNCEMENTS=digest sends one.`,
      ...(emails === 0 ? ['No email subscription in this synth: with NOTIFICATION_EMAIL set, SNS email delivery (10/s per account) limits the emails.'] : []),
      'Figures are for new products (the worst case); a product uploaded again publishes nothing.',
      `One upload is written at ~${Math.round((PRODUCTS_PER_UPLOAD * 1000) / uploadMs)} products/s (${PRODUCTS_PER_UPLOAD} in ${(uploadMs / 1000).toFixed(1)} s, measured locally); uploads in parallel add up to the limits above.`,
    ],
  };
}

/** Every state an execution enters, Parallel branches included: the transitions it is billed for. */
export function statesEntered(definition: { States?: Record<string, { Branches?: unknown[]; Iterator?: unknown; ItemProcessor?: unknown }> }): number {
  return Object.values(definition.States ?? {}).reduce((sum, state) => {
    const nested = [...(state.Branches ?? []), ...(state.Iterator ? [state.Iterator] : []), ...(state.ItemProcessor ? [state.ItemProcessor] : [])];
    return sum + 1 + nested.reduce<number>((inner, branch) => inner + statesEntered(branch as never), 0);
  }, 0);
}

export function reportCapacity(stack: TerraformJson): PipelineCapacity {
  const throttle = apiThrottle(stack);
  const machine = theOne(stack, 'aws_sfn_state_machine', 'the report workflow');
  const transitions = statesEntered(JSON.parse(String(machine.config.definition)) as never);
  const fn = (suffix: string) => functionSettings(theOne(stack, 'aws_lambda_function', suffix, (resource) => String(resource.config.function_name).endsWith(suffix)));
  const fetch = fn('FetchSupplierData');
  const render = fn('RenderReport');
  const presign = fn('PresignReportUrl');
  const fetchMs = invocationMs(DURATIONS.fetchSupplierData, 1);
  const renderMs = invocationMs(DURATIONS.renderReport, 1);
  const presignMs = invocationMs(DURATIONS.presignReportUrl, 1);
  const emailTopic = resourcesOf(stack, 'aws_sns_topic').find((resource) => String(resource.config.name).endsWith('EmailReport'));
  const emails = emailSubscriptionsOf(stack, emailTopic ? `\${aws_sns_topic.${emailTopic.id}.arn}` : undefined);

  const cluster = resourcesOf(stack, 'aws_rds_cluster')[0];
  const scaling = cluster?.config.serverlessv2_scaling_configuration as { min_capacity: number; max_capacity: number; seconds_until_auto_pause?: number } | undefined;
  const endpoints = resourcesOf(stack, 'aws_vpc_endpoint');
  const endpointAzs = endpoints.reduce((sum, endpoint) => sum + ((endpoint.config.subnet_ids as unknown[] | undefined)?.length ?? 0), 0);
  const connections = scaling ? approximateMaxConnections(scaling.max_capacity) : undefined;

  const limits: (Limit | undefined)[] = [
    { name: 'API stage throttle', perSecond: throttle.rate, detail: `rate ${throttle.rate} requests/s, burst ${throttle.burst} (REPORT_API_RATE_LIMIT)` },
    { name: 'Step Functions StartExecution', perSecond: QUOTAS.sfnStartExecutionRefill.value, detail: `bucket ${QUOTAS.sfnStartExecutionBucket.value}, refilled ${QUOTAS.sfnStartExecutionRefill.value}/s`, raisable: true },
    { name: 'Step Functions state transitions', perSecond: QUOTAS.sfnStateTransitions.value / transitions, detail: `${QUOTAS.sfnStateTransitions.value} transitions/s / ${transitions} per report`, raisable: true },
    accountConcurrencyLimit((fetchMs + renderMs + presignMs) / 1000),
    connections === undefined
      ? undefined
      : {
          name: 'Aurora connections',
          perSecond: (connections * 1000) / fetchMs,
          detail: `about ${connections} connections at ${scaling?.max_capacity} ACU (AURORA_MAX_ACU), one per FetchSupplierData environment, each busy ${fetchMs} ms per report`,
        },
    { name: 'SNS publish', perSecond: QUOTAS.snsPublish.value, detail: `${QUOTAS.snsPublish.value} publishes/s, one per report`, raisable: true },
    emailLimit(emails, 1, 'report'),
  ];
  const perMillion: CostLine[] = [
    { item: 'API Gateway requests', usd: MILLION * PRICES.apiGatewayRequest.usd },
    { item: `Step Functions: ${transitions} state transitions per report`, usd: MILLION * transitions * PRICES.sfnTransition.usd },
    {
      item: `Lambda: FetchSupplierData, RenderReport, PresignReportUrl (${fetchMs + renderMs + presignMs} ms together)`,
      usd: lambdaCost(fetch, MILLION, fetchMs) + lambdaCost(render, MILLION, renderMs) + lambdaCost(presign, MILLION, presignMs),
    },
    { item: 'S3: the report written, and read once', usd: MILLION * (PRICES.s3Put.usd + PRICES.s3Get.usd) },
    { item: 'SNS publishes', usd: MILLION * PRICES.snsPublish.usd },
    ...(emails > 0 ? [{ item: `SNS emails to ${emails} address(es)`, usd: MILLION * emails * PRICES.snsEmail.usd }] : []),
  ];
  const idleMonth: CostLine[] = [
    ...monitoringLines(stack),
    ...(scaling
      ? [
          {
            item:
              scaling.min_capacity === 0
                ? `Aurora at 0 ACU: paused after ${scaling.seconds_until_auto_pause ?? 300} s idle (the first report after a pause waits ~${QUOTAS.auroraResumeSeconds.value} s)`
                : `Aurora at its minimum, ${scaling.min_capacity} ACU, every hour`,
            usd: scaling.min_capacity * HOURS_PER_MONTH * PRICES.auroraAcuHour.usd,
          },
        ]
      : []),
    ...(endpointAzs > 0 ? [{ item: `Secrets Manager interface endpoint in ${endpointAzs} AZs`, usd: endpointAzs * HOURS_PER_MONTH * PRICES.vpcEndpointAzHour.usd }] : []),
    ...(cluster?.config.manage_master_user_password ? [{ item: "the database's master secret", usd: PRICES.secretMonth.usd }] : []),
  ];
  return {
    pipeline: 'report-pipeline',
    unit: 'report',
    per: 'minute',
    limits: sortLimits(limits.filter((limit): limit is Limit => limit !== undefined)),
    perMillion,
    idleMonth,
    durations: [
      { functionName: fetch.name, duration: DURATIONS.fetchSupplierData },
      { functionName: render.name, duration: DURATIONS.renderReport },
      { functionName: presign.name, duration: DURATIONS.presignReportUrl },
    ],
    notes: [
      ...(emails === 0 ? ['No email subscription in this synth: with NOTIFICATION_EMAIL set, SNS email delivery (10/s per account) binds at 600 reports/min per address.'] : []),
      scaling
        ? `Aurora ${scaling.min_capacity}-${scaling.max_capacity} ACU: a busy hour at the maximum costs $${(scaling.max_capacity * PRICES.auroraAcuHour.usd).toFixed(2)}; storage ($0.10 per GB-month) and I/O are not counted.`
        : 'An existing database (REPORT_DB_*): its cost and connections are its owner\'s.',
      `${countOf(stack, 'aws_lambda_function')} functions, ${transitions} transitions per report.`,
    ],
  };
}

/** The pipelines of the synthesized stacks, by stack name; stacks without a pipeline are skipped. */
export function capacityOf(stacks: ReadonlyMap<string, TerraformJson>): PipelineCapacity[] {
  const analyses: [string, (stack: TerraformJson) => PipelineCapacity][] = [
    ['orders-pipeline', ordersCapacity],
    ['inventory-pipeline', inventoryCapacity],
    ['report-pipeline', reportCapacity],
  ];
  return analyses.flatMap(([name, analyse]) => {
    const stack = stacks.get(name);
    return stack === undefined ? [] : [analyse(stack)];
  });
}

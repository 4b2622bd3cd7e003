/**
 * The capacity report against synthesized stacks: each PIPELINE_SCALE profile fits the
 * default quotas of a fresh account (or the report says which it exceeds), and the ceilings
 * and costs follow from the synthesized settings: change a setting, and the number moves.
 */
import { loadConfig } from '../../config';
import { QUOTAS } from '../../capacity/aws-limits-and-prices';
import { ceilingText, formatCapacity, totalUsd } from '../../capacity/capacity-report';
import { DURATIONS, invocationMs } from '../../capacity/measured-durations';
import { inventoryCapacity, NEW_TABLE_SHARDS, ordersCapacity, reportCapacity, type PipelineCapacity } from '../../capacity/pipeline-capacity';
import { quotaFindings } from '../../capacity/quota-check';
import { SCALE_PROFILES, type ScaleProfileName } from '../../capacity/scale-settings';
import type { TerraformJson } from '../../capacity/synthesized-stack';
import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { ReportPipelineTestStack, synthStack } from '../support/synth';

type Env = Record<string, string>;

// A synth takes a second or more: each stack and configuration is synthesized once.
const synthesized = new Map<string, TerraformJson>();
function synth(StackType: typeof OrdersPipelineStack | typeof InventoryPipelineStack | typeof ReportPipelineTestStack, id: string, env: Env = {}): TerraformJson {
  const key = `${id} ${JSON.stringify(env)}`;
  let stack = synthesized.get(key);
  if (stack === undefined) {
    stack = JSON.parse(synthStack(StackType, id, loadConfig({ PIPELINE_ENV: 'test', ...env })).synthesized) as TerraformJson;
    synthesized.set(key, stack);
  }
  return stack;
}

const orders = (env: Env = {}) => ordersCapacity(synth(OrdersPipelineStack, 'orders-pipeline', env));
const inventory = (env: Env = {}) => inventoryCapacity(synth(InventoryPipelineStack, 'inventory-pipeline', env));
const binding = (capacity: PipelineCapacity) => capacity.limits[0];
const limitNamed = (capacity: PipelineCapacity, start: string) => {
  const found = capacity.limits.find((limit) => limit.name.startsWith(start));
  if (found === undefined) throw new Error(`no limit "${start}" in ${capacity.limits.map((limit) => limit.name).join(', ')}`);
  return found;
};

describe.each(Object.keys(SCALE_PROFILES) as ScaleProfileName[])('PIPELINE_SCALE=%s', (profile) => {
  let stacks: Map<string, TerraformJson>;
  beforeAll(() => {
    const env: Env = { PIPELINE_SCALE: profile };
    stacks = new Map([
      ['orders-pipeline', synth(OrdersPipelineStack, 'orders-pipeline', env)],
      ['inventory-pipeline', synth(InventoryPipelineStack, 'inventory-pipeline', env)],
      ['report-pipeline', synth(ReportPipelineTestStack, 'report-pipeline', env)],
    ]);
  });

  it('fits within every default quota of a fresh account', () => {
    expect(quotaFindings(stacks)).toEqual([]);
  });

  it('keeps at least 100 concurrent executions unreserved, and every queue within what the account can run', () => {
    const settings = SCALE_PROFILES[profile];
    expect(settings.storeOrderReservedConcurrency ?? 0).toBeLessThanOrEqual(QUOTAS.lambdaConcurrency.value - QUOTAS.lambdaUnreservedMinimum.value);
    expect(settings.ordersQueueMaxConcurrency).toBeLessThanOrEqual(QUOTAS.sqsMaximumConcurrency.value);
    expect(settings.auroraMaxAcu).toBeLessThanOrEqual(QUOTAS.auroraMaxAcu.value);
  });

  it("reads the profile's settings back from the synthesized stacks", () => {
    const settings = SCALE_PROFILES[profile];
    const capacity = ordersCapacity(stacks.get('orders-pipeline') as TerraformJson);
    expect(limitNamed(capacity, 'API stage throttle').perSecond).toBe(settings.ordersApiRateLimit);
    const pollers = Math.min(settings.ordersQueueMaxConcurrency, settings.storeOrderReservedConcurrency ?? Infinity);
    expect(limitNamed(capacity, 'queue pollers').perSecond).toBeCloseTo((pollers * settings.ordersQueueBatchSize * 1000) / invocationMs(DURATIONS.storeOrder, settings.ordersQueueBatchSize));
    expect(limitNamed(reportCapacity(stacks.get('report-pipeline') as TerraformJson), 'API stage throttle').perSecond).toBe(settings.reportApiRateLimit);
  });

  it('prints a report naming the binding limit, the next one, and both costs', () => {
    for (const capacity of [ordersCapacity, inventoryCapacity, reportCapacity].map((analyse, index) => analyse([...stacks.values()][index]))) {
      const text = formatCapacity(capacity, profile);
      expect(text).toContain(`ceiling  ${ceilingText(capacity, capacity.limits[0].perSecond)}, bound by ${capacity.limits[0].name}`);
      expect(text).toContain(`next     ${ceilingText(capacity, capacity.limits[1].perSecond)}, ${capacity.limits[1].name}`);
      expect(text).toMatch(/cost per million \w+s: \$/);
      expect(text).toMatch(/cost per idle month: \$/);
    }
  });
});

describe('the quota check', () => {
  it('says so when the settings, taken together, exceed a default quota', () => {
    // Two environments of the same stack in one account.
    const stack = synth(OrdersPipelineStack, 'orders-pipeline', { STORE_ORDER_RESERVED_CONCURRENCY: '600', ORDERS_QUEUE_MAX_CONCURRENCY: '600' });
    const findings = quotaFindings(new Map([['dev', stack], ['staging', stack]]));
    expect(findings.map((found) => found.message)).toEqual([
      expect.stringMatching(/^Reserved concurrency of all functions needs 1200 concurrent executions; the default Lambda concurrency less the 100 that must stay unreserved is 900: ask for an increase/),
      expect.stringMatching(/^The queues' maximum concurrency, added up, needs 1200 concurrent executions; the default Lambda concurrency per account and region is 1000/),
    ]);
  });

  it('adds up the API stages of every stack against the account rate and burst', () => {
    const stack = synth(OrdersPipelineStack, 'orders-pipeline', { ORDERS_API_RATE_LIMIT: '6000', ORDERS_API_BURST_LIMIT: '3000' });
    const findings = quotaFindings(new Map([['dev', stack], ['staging', stack]]));
    expect(findings.map((found) => found.quota)).toEqual(['API Gateway REST: steady rate per account and region, all APIs', 'API Gateway REST: burst per account and region']);
    expect(findings[1].raisable).toBe(false);
  });
});

describe('the ceilings follow the synthesized settings', () => {
  it('binds the lab orders pipeline at its stage throttle, and moves with ORDERS_API_RATE_LIMIT', () => {
    expect(binding(orders())).toMatchObject({ name: 'API stage throttle', perSecond: 10 });
    expect(binding(orders({ ORDERS_API_RATE_LIMIT: '100' }))).toMatchObject({ name: 'API stage throttle', perSecond: 100 });
  });

  it('binds at the queue pollers once the stage lets more through, and moves with their concurrency and batch size', () => {
    const open = { ORDERS_API_RATE_LIMIT: '5000', ORDERS_API_BURST_LIMIT: '5000' };
    const wider = orders({ ...open, ORDERS_QUEUE_MAX_CONCURRENCY: '20', STORE_ORDER_RESERVED_CONCURRENCY: '50', STREAM_PARALLELIZATION_FACTOR: '3' });
    expect(binding(wider).name).toBe('queue pollers (test-POC-Lambda-1)');
    // Reserved concurrency below the queue's maximum is refused by the configuration; above it, the queue decides.
    expect(binding(wider).perSecond).toBeCloseTo((20 * 10 * 1000) / invocationMs(DURATIONS.storeOrder, 10));
    const smaller = orders({ ...open, ORDERS_QUEUE_BATCH_SIZE: '1', STREAM_BATCH_SIZE: '100' });
    expect(limitNamed(smaller, 'queue pollers').perSecond).toBeCloseTo((10 * 1 * 1000) / invocationMs(DURATIONS.storeOrder, 1));
  });

  it('moves the stream readers with STREAM_BATCH_SIZE and STREAM_PARALLELIZATION_FACTOR', () => {
    const open = { ORDERS_API_RATE_LIMIT: '5000', ORDERS_API_BURST_LIMIT: '5000' };
    const readers = (env: Env) => limitNamed(orders(env), 'stream readers').perSecond;
    const lab = readers({});
    expect(lab).toBeCloseTo((NEW_TABLE_SHARDS * 10 * 1000) / invocationMs(DURATIONS.notifyNewOrder, 10));
    expect(readers({ ...open, ORDERS_QUEUE_MAX_CONCURRENCY: '20', STORE_ORDER_RESERVED_CONCURRENCY: '50', STREAM_PARALLELIZATION_FACTOR: '3' })).toBeCloseTo(3 * lab);
    expect(readers({ ...open, ORDERS_QUEUE_BATCH_SIZE: '1', STREAM_BATCH_SIZE: '100' })).toBeCloseTo((NEW_TABLE_SHARDS * 100 * 1000) / invocationMs(DURATIONS.notifyNewOrder, 100));
  });

  it('binds at SNS email delivery, 10 a second per account, once an address is subscribed', () => {
    const capacity = orders({ NOTIFICATION_EMAIL: 'cafe@example.com', ORDERS_API_RATE_LIMIT: '500', ORDERS_API_BURST_LIMIT: '1000' });
    expect(binding(capacity)).toMatchObject({ name: 'SNS email delivery', perSecond: 10, raisable: true });
    expect(capacity.perMillion.map((line) => line.item)).toContain('SNS emails to 1 address(es)');
    expect(orders().notes.join(' ')).toMatch(/No email subscription in this synth/);
  });

  it('lets a digest take the inventory pipeline past the email limit', () => {
    const perProduct = inventory({ NOTIFICATION_EMAIL: 'cafe@example.com' });
    expect(binding(perProduct)).toMatchObject({ name: 'SNS email delivery', perSecond: 10 });
    const digest = inventory({ NOTIFICATION_EMAIL: 'cafe@example.com', INVENTORY_ANNOUNCEMENTS: 'digest' });
    expect(binding(digest).name).toBe('DynamoDB on-demand, new table');
    expect(limitNamed(digest, 'SNS email delivery').perSecond).toBe(100_000);
    expect(digest.limits.some((limit) => limit.name.startsWith('stream readers'))).toBe(false);
    expect(totalUsd(digest.perMillion)).toBeLessThan(totalUsd(perProduct.perMillion) / 10);
  });

  it('costs no Aurora hours in an idle month with a 0 ACU minimum, and moves the connection limit with the maximum', () => {
    const report = (env: Env) => reportCapacity(synth(ReportPipelineTestStack, 'report-pipeline', env));
    const always = report({ PIPELINE_SCALE: 'lab' });
    const paused = report({ AURORA_MIN_ACU: '0', AURORA_MAX_ACU: '8' });
    const aurora = (capacity: PipelineCapacity) => capacity.idleMonth.find((line) => line.item.startsWith('Aurora')) as { usd: number };
    expect(aurora(always).usd).toBeCloseTo(0.5 * 730 * 0.12);
    expect(aurora(paused).usd).toBe(0);
    expect(limitNamed(paused, 'Aurora connections').perSecond).toBeGreaterThan(limitNamed(always, 'Aurora connections').perSecond);
  });
});

import { ConfigError, loadConfig } from '../../config';
import { readScaleSettings, SCALE_PROFILES } from '../../capacity/scale-settings';

describe('scale settings', () => {
  it("default to the lab profile: the stacks' sizes before these settings existed", () => {
    expect(loadConfig({}).scale).toEqual(SCALE_PROFILES.lab);
    expect(SCALE_PROFILES.lab).toMatchObject({
      ordersApiRateLimit: 10,
      ordersApiBurstLimit: 20,
      ordersQueueBatchSize: 10,
      ordersQueueMaxConcurrency: 10,
      storeOrderReservedConcurrency: undefined,
      streamBatchSize: 10,
      streamParallelizationFactor: 1,
      reportApiRateLimit: 10,
      reportApiBurstLimit: 20,
      auroraMinAcu: 0.5,
      auroraMaxAcu: 2,
      inventoryAnnouncements: 'per-product',
    });
  });

  it('are set together by PIPELINE_SCALE, and one by one by their own variables, which win', () => {
    expect(loadConfig({ PIPELINE_SCALE: 'production' }).scale).toEqual(SCALE_PROFILES.production);
    const scale = loadConfig({ PIPELINE_SCALE: 'production', ORDERS_API_RATE_LIMIT: ' 50 ', AURORA_MIN_ACU: '1.5', INVENTORY_ANNOUNCEMENTS: 'per-product' }).scale;
    expect(scale).toEqual({ ...SCALE_PROFILES.production, ordersApiRateLimit: 50, auroraMinAcu: 1.5, inventoryAnnouncements: 'per-product' });
  });

  it.each([
    [{ PIPELINE_SCALE: 'huge' }, 'PIPELINE_SCALE="huge" must be one of "lab", "production".'],
    [{ ORDERS_API_RATE_LIMIT: '0' }, 'ORDERS_API_RATE_LIMIT="0" must be a whole number from 1 to 10000'],
    [{ ORDERS_API_RATE_LIMIT: '10.5' }, 'ORDERS_API_RATE_LIMIT="10.5" must be a whole number'],
    [{ ORDERS_API_BURST_LIMIT: '5001' }, "at most the account's burst of 5,000"],
    [{ ORDERS_QUEUE_BATCH_SIZE: '11' }, 'ORDERS_QUEUE_BATCH_SIZE="11" must be a whole number from 1 to 10 (messages per invocation; above 10 SQS needs a batching window'],
    [{ ORDERS_QUEUE_MAX_CONCURRENCY: '1' }, 'ORDERS_QUEUE_MAX_CONCURRENCY="1" must be a whole number from 2 to 1000'],
    [{ STORE_ORDER_RESERVED_CONCURRENCY: '901' }, 'the account must keep 100 of its default 1,000 unreserved'],
    [{ STREAM_PARALLELIZATION_FACTOR: '11' }, 'STREAM_PARALLELIZATION_FACTOR="11"'],
    [{ AURORA_MIN_ACU: '0.25' }, 'AURORA_MIN_ACU="0.25" must be a multiple of 0.5 from 0 to 256'],
    [{ AURORA_MAX_ACU: 'lots' }, 'AURORA_MAX_ACU="lots" must be a multiple of 0.5'],
    [{ AURORA_AUTO_PAUSE_SECONDS: '60' }, 'AURORA_AUTO_PAUSE_SECONDS="60" must be a whole number from 300 to 86400'],
    [{ INVENTORY_ANNOUNCEMENTS: 'weekly' }, 'INVENTORY_ANNOUNCEMENTS="weekly" must be "per-product" (an email per new product) or "digest" (one email per upload).'],
    [{ AURORA_MIN_ACU: '4', AURORA_MAX_ACU: '2' }, 'AURORA_MAX_ACU (2) must be at least AURORA_MIN_ACU (4).'],
    [{ STORE_ORDER_RESERVED_CONCURRENCY: '5' }, 'STORE_ORDER_RESERVED_CONCURRENCY (5) is below ORDERS_QUEUE_MAX_CONCURRENCY (10)'],
  ])('refuse %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('report every problem at once', () => {
    expect(readScaleSettings({ ORDERS_API_RATE_LIMIT: 'x', STREAM_BATCH_SIZE: '0' }).problems).toHaveLength(2);
  });
});

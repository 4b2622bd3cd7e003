import { DURATIONS, invocationMs } from '../../capacity/measured-durations';
import { compareWithModel, fitDuration, localPipelineSettings, type MeasuredRun } from '../../capacity/model-check';
import { percentileOf, seededRandom, simulateOrders, type OrdersSimulationSettings } from '../../capacity/orders-simulation';

const LAB: OrdersSimulationSettings = {
  apiRateLimit: 10,
  apiBurstLimit: 20,
  queueBatchSize: 10,
  queueConcurrency: 10,
  pollerRamp: true,
  storeOrder: DURATIONS.storeOrder,
  streamBatchSize: 10,
  parallelizationFactor: 1,
  shards: 4,
  streamPollIntervalMs: 250,
  notifyNewOrder: DURATIONS.notifyNewOrder,
  overheadMs: { apiToQueue: 20, invoke: 10, delivery: 100 },
};
const OPEN = { ...LAB, apiRateLimit: 1e6, apiBurstLimit: 1e6 };

describe('the orders simulation', () => {
  it('gives the same answer for the same seed, and another for another', () => {
    const run = { rate: 8, seconds: 30, seed: 7 };
    expect(simulateOrders(LAB, run)).toEqual(simulateOrders(LAB, run));
    expect(simulateOrders(LAB, { ...run, seed: 8 }).latencyMs).not.toEqual(simulateOrders(LAB, run).latencyMs);
  });

  it('below every limit: refuses nothing, builds no backlog, and an order takes its service times and a stream poll', () => {
    const result = simulateOrders(LAB, { rate: 5, seconds: 60 });
    expect(result.refused).toBe(0);
    expect(result.delivered).toBe(result.arrived);
    expect(result.bottleneck).toBeUndefined();
    const service = 20 + 10 + invocationMs(DURATIONS.storeOrder, 1) + 10 + invocationMs(DURATIONS.notifyNewOrder, 1) + 100;
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(service);
    expect(result.latencyMs.p99).toBeLessThan(service + 250 + 2 * invocationMs(DURATIONS.storeOrder, 3));
  });

  it("above the stage's rate: the token bucket refuses what its burst and rate cannot take", () => {
    const result = simulateOrders(LAB, { rate: 50, seconds: 60 });
    const admitted = result.arrived - result.refused;
    // At most the burst, then the rate: 20 + 10 x 60 = 620.
    expect(admitted).toBeLessThanOrEqual(620);
    expect(admitted).toBeGreaterThan(600);
    expect(result.delivered).toBe(admitted);
  });

  it('puts the backlog at the queue when the pollers are too few, and the latency grows over the run', () => {
    const capacity = (2 * 10 * 1000) / invocationMs(DURATIONS.storeOrder, 10);
    const result = simulateOrders({ ...OPEN, queueConcurrency: 2 }, { rate: capacity * 1.5, seconds: 30 });
    expect(result.bottleneck).toBe('POC-Queue (SQS), waiting for POC-Lambda-1');
    expect(result.backlogs[0].maxDepth).toBeGreaterThan(100);
    expect(result.latencyMs.p99).toBeGreaterThan(5_000);
  });

  it('puts the backlog at SNS email delivery when an address is subscribed, at 10 emails a second', () => {
    const result = simulateOrders({ ...OPEN, emailsPerSecond: 10 }, { rate: 20, seconds: 30 });
    expect(result.bottleneck).toBe('SNS email delivery');
    // ~600 orders at 10 a second: the last email ~30 s after the last order.
    expect(result.drainMs).toBeGreaterThan(25_000);
  });

  it('starts the queue with 5 pollers, as Lambda does, so a sudden load queues at first', () => {
    const rate = (8 * 10 * 1000) / invocationMs(DURATIONS.storeOrder, 10);
    const ramped = simulateOrders({ ...OPEN, queueConcurrency: 1000 }, { rate, seconds: 5 });
    const allAtOnce = simulateOrders({ ...OPEN, queueConcurrency: 1000, pollerRamp: false }, { rate, seconds: 5 });
    expect(ramped.backlogs[0].meanWaitMs).toBeGreaterThan(allAtOnce.backlogs[0].meanWaitMs);
  });
});

describe('the check against local measurements', () => {
  it('fits a function duration by batch size from REPORT lines', () => {
    const invocations = [1, 2, 5, 10].map((records) => ({ functionName: 'check-POC-Lambda-1', records, durationMs: 30 + 4 * records }));
    expect(fitDuration(invocations, 'POC-Lambda-1', 'test')).toMatchObject({ perInvocationMs: 30, perRecordMs: 4 });
    expect(fitDuration(invocations, 'POC-Lambda-2', 'test')).toBeUndefined();
  });

  it("compares a run's refusals and latency percentiles with the model's for the same rate", () => {
    const random = seededRandom(3);
    const run: MeasuredRun = {
      rate: 5,
      seconds: 10,
      throttle: true,
      arrived: 50,
      refused: 0,
      failed: 0,
      latenciesMs: Array.from({ length: 50 }, () => 400 + random() * 200),
      invocations: [],
    };
    const [row] = compareWithModel([run]);
    expect(row.measured.p50).toBe(percentileOf([...run.latenciesMs].sort((a, b) => a - b), 50));
    expect(row.model.refused).toBe(0);
    expect(row.calibrated).toEqual(row.model);
    expect(localPipelineSettings(false).apiRateLimit).toBeGreaterThan(1e6);
  });
});

/**
 * The model's check against the local pipeline: what scripts/bench/capacity-check.ts
 * measured, beside what the simulation predicts for the same settings, rates and durations.
 */
import { DURATIONS, type FunctionDuration } from './measured-durations';
import { percentileOf, simulateOrders, type OrdersSimulationSettings, type SimulationResult } from './orders-simulation';

export interface MeasuredRun {
  readonly rate: number;
  readonly seconds: number;
  readonly throttle: boolean;
  readonly arrived: number;
  readonly refused: number;
  readonly failed: number;
  readonly latenciesMs: readonly number[];
  readonly invocations: readonly { readonly functionName: string; readonly records: number; readonly durationMs: number }[];
}

/**
 * The local runtime as the model sees it: the lab profile's settings, all ten pollers at
 * once, DynamoDB Local's one shard polled every 100 ms, emails read back from a queue.
 */
export function localPipelineSettings(throttle: boolean): OrdersSimulationSettings {
  return {
    apiRateLimit: throttle ? 10 : 1e9,
    apiBurstLimit: throttle ? 20 : 1e9,
    queueBatchSize: 10,
    queueConcurrency: 10,
    pollerRamp: false,
    storeOrder: DURATIONS.storeOrder,
    streamBatchSize: 10,
    parallelizationFactor: 1,
    shards: 1,
    streamPollIntervalMs: 100,
    notifyNewOrder: DURATIONS.notifyNewOrder,
    emailsPerSecond: undefined,
    overheadMs: { apiToQueue: 15, invoke: 5, delivery: 60 },
  };
}

/** A least-squares line through (records, duration): what one invocation and each record cost. */
export function fitDuration(invocations: MeasuredRun['invocations'], functionName: string, source: string): FunctionDuration | undefined {
  const points = invocations.filter((invocation) => invocation.functionName.endsWith(functionName));
  if (points.length < 2) return undefined;
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.records, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.durationMs, 0) / n;
  const sxx = points.reduce((sum, point) => sum + (point.records - meanX) ** 2, 0);
  const sxy = points.reduce((sum, point) => sum + (point.records - meanX) * (point.durationMs - meanY), 0);
  const perRecordMs = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  return { perInvocationMs: Math.max(0, meanY - perRecordMs * meanX), perRecordMs, measured: true, source };
}

export interface CheckRow {
  readonly run: MeasuredRun;
  readonly measured: { readonly refused: number; readonly p50: number; readonly p95: number; readonly p99: number };
  /** With the durations of measured-durations.ts. */
  readonly model: SimulationResult;
  /** With durations fitted to this run's own invocations: the queueing alone is under test. */
  readonly calibrated: SimulationResult;
}

/** The local settings with each function's durations fitted to the run's invocations, where it has enough. */
export function calibratedSettings(run: MeasuredRun): OrdersSimulationSettings {
  const settings = localPipelineSettings(run.throttle);
  return {
    ...settings,
    storeOrder: fitDuration(run.invocations, 'POC-Lambda-1', 'this run') ?? settings.storeOrder,
    notifyNewOrder: fitDuration(run.invocations, 'POC-Lambda-2', 'this run') ?? settings.notifyNewOrder,
  };
}

export function compareWithModel(runs: readonly MeasuredRun[]): CheckRow[] {
  return runs.map((run, index) => {
    const sorted = [...run.latenciesMs].sort((a, b) => a - b);
    const simulation = { rate: run.rate, seconds: run.seconds, seed: 1000 + index };
    return {
      run,
      measured: { refused: run.refused, p50: percentileOf(sorted, 50), p95: percentileOf(sorted, 95), p99: percentileOf(sorted, 99) },
      model: simulateOrders(localPipelineSettings(run.throttle), simulation),
      calibrated: simulateOrders(calibratedSettings(run), simulation),
    };
  });
}

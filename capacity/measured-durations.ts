/**
 * How long each function takes, as the capacity report and the simulation assume it: from
 * runs of the local pipeline on the project's 2-core machine (BENCHMARKS.md), where every
 * emulator, poller and function shares two cores with DynamoDB Local's JVM. A warm function
 * in AWS is usually faster, so a ceiling that a duration decides is a floor for that limit.
 * Figures nobody has measured are marked `estimate` and the report says so.
 */

export interface FunctionDuration {
  /** Milliseconds of an invocation whatever its batch holds. */
  readonly perInvocationMs: number;
  /** Milliseconds each record of the batch adds. */
  readonly perRecordMs: number;
  readonly measured: boolean;
  /** Where the figures come from. */
  readonly source: string;
}

/** Milliseconds one invocation of `records` records takes. */
export function invocationMs(duration: FunctionDuration, records: number): number {
  return duration.perInvocationMs + duration.perRecordMs * records;
}

export const DURATIONS = {
  // Two points of the local pipeline, joined by a line: one record (REPORT of a single
  // invocation, cold, so on the slow side) and full batches of 10 at 10 pollers (the
  // backlog run: 1,000 orders at 232/s, so 431 ms a batch).
  storeOrder: {
    perInvocationMs: 191,
    perRecordMs: 24,
    measured: true,
    source:
      'BENCHMARKS.md: "One function alone" (2026-12-05, POC-Lambda-1 REPORT Duration 197-234 ms for 1 record) and ' +
      '"The orders pipeline end to end" (2026-11-23, queue backlog 232 orders/s at 10 batches of 10)',
  },
  // The fixed part from one invocation (cold); each record's share from the inventory run,
  // where the same handler shape announced 10,000 records in ~19.5 s.
  notifyNewOrder: {
    perInvocationMs: 43,
    perRecordMs: 2,
    measured: true,
    source:
      'BENCHMARKS.md: "One function alone" (2026-12-05, POC-Lambda-2 REPORT Duration 38-51 ms for 1 record) and ' +
      '"The inventory pipeline end to end" (2026-11-23, ~2 ms per announced record)',
  },
  // The same handler shape as POC-Lambda-2 (one Publish per record, records in parallel).
  notifyInventoryUpdate: {
    perInvocationMs: 43,
    perRecordMs: 2,
    measured: true,
    source: 'as POC-Lambda-2 (the same shape: one Publish per record); BENCHMARKS.md "The inventory pipeline end to end" (2026-11-23, 10,000 records in ~19.5 s)',
  },
  // A whole upload per invocation: 25 products per BatchWriteItem, four at a time.
  processInventoryFile: {
    perInvocationMs: 150,
    perRecordMs: 1000 / 802,
    measured: true,
    source: 'BENCHMARKS.md "The inventory pipeline end to end" (2026-11-23): 802 products/s into the table (median), DynamoDB Local bound',
  },
  fetchSupplierData: { perInvocationMs: 100, perRecordMs: 0, measured: false, source: 'estimate: one query of the COFFEE database over a kept connection' },
  renderReport: { perInvocationMs: 150, perRecordMs: 0, measured: false, source: 'estimate: render a small HTML page and one PutObject' },
  presignReportUrl: { perInvocationMs: 20, perRecordMs: 0, measured: false, source: 'estimate: a local signature, no network call' },
} as const satisfies Record<string, FunctionDuration>;

/**
 * Polls a table's stream and invokes a function the way Lambda's DynamoDB event source
 * mapping does, configured from a synthesized `aws_lambda_event_source_mapping`'s fields
 * (the caller resolves ARNs and maps the fields; see StreamEventSourceConfig).
 *
 * What it reproduces (AWS docs: "Using Lambda with DynamoDB", "Configuring partial batch
 * response", "Retaining discarded batches"):
 * - One poller per shard, one batch per shard in the function at a time, so records of
 *   one shard are processed in order (ParallelizationFactor 1, the default); shards are
 *   processed in parallel. A child shard (after a split) starts once its parent's records
 *   are all handled, so an item's changes stay in order across the split.
 * - Filter criteria: records no pattern matches are never sent and count as processed.
 * - Batches of up to `batchSize` matching records; with a batching window, a smaller batch
 *   waits up to the window for more records.
 * - Function errors (including timeouts) retry the batch, split in halves first when
 *   `bisectBatchOnFunctionError` is on; partial batch responses retry from the lowest
 *   failed record; records past `maximumRetryAttempts` or `maximumRecordAgeSeconds` are
 *   discarded, their batch's metadata sent to the on-failure destination.
 *
 * Not reproduced: the 6 MB payload limit on a batch, tumbling windows, parallelization
 * factors above 1, and Lambda's throttling back-off (an Invokable that rejects instead of
 * returning an Invocation is reported and retried half a second later, without counting
 * as an attempt, like a throttle or service error in AWS).
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { DynamoDbStreamReader, type ShardCursor, type ShardPosition, type StreamShard } from './dynamodb-stream-reader';
import { compileFilterCriteria } from './event-filter';
import type { Invocation, Invokable } from '../lambda/invocation';

export interface StreamEventSourceConfig {
  /** The mapping's UUID: shown in the error messages of this source. @default random */
  readonly uuid?: string;
  /** The stream's ARN as DynamoDB Local reports it (its format differs from AWS's). */
  readonly streamArn: string;
  /**
   * ARN reported as `requestContext.functionArn` in on-failure records.
   * @default arn:aws:lambda:<region>:<account>:function:<fn.functionName>, region and account taken from the stream ARN
   */
  readonly functionArn?: string;
  /** batch_size (AWS uses 100 when it is unset). */
  readonly batchSize: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** filter_criteria.filter[].pattern */
  readonly filterPatterns: readonly string[];
  /** function_response_types includes ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1 = infinite (the AWS default when unset). */
  readonly maximumRetryAttempts: number;
  /**
   * -1 = infinite (the AWS default when unset). AWS's minimum otherwise is 60; any value
   * >= 0 is accepted here. Ages come from ApproximateCreationDateTime, which DynamoDB
   * rounds down to the second and DynamoDB Local down to the minute: locally a record can
   * look up to 60 s older than it is.
   */
  readonly maximumRecordAgeSeconds: number;
  /** @default 0 */
  readonly maximumBatchingWindowSeconds?: number;
  /**
   * Sends Lambda's on-failure invocation record (JSON) to destination_config.on_failure;
   * absent → records are dropped after retries, as AWS does.
   */
  readonly onFailure?: (invocationRecord: object) => Promise<void>;
}

export interface StreamEventSourceEvents {
  /** A batch (or a retry or half of one) is about to be sent; `attempt` counts from 1. */
  onBatch?(info: { records: number; attempt: number; firstSequenceNumber: string }): void;
  onInvocation?(info: { records: DynamoDBRecord[]; invocation: Invocation }): void;
  onDiscarded?(info: { records: DynamoDBRecord[]; reason: 'retries-exhausted' | 'record-too-old'; invocationRecord: object }): void;
  /** Polling problems (and failures to deliver an on-failure record); the source keeps polling. */
  onError?(error: unknown): void;
}

export interface StreamEventSourceOptions {
  /** Pause between reads of a shard that had nothing new, and before a retry. @default 100 */
  readonly pollIntervalMs?: number;
  /** How often the stream is described again to find new shards. @default 1000 */
  readonly shardDiscoveryIntervalMs?: number;
}

export interface RunningStreamEventSource {
  readonly uuid: string;
  /** Stops polling, waits for the invocation in flight (and its retries' bookkeeping), leaves no timers. */
  stop(): Promise<void>;
  /**
   * Resolves once every record read so far has been handled (succeeded, filtered out or
   * discarded) AND every shard has been read once more after this call, with nothing new:
   * records written before the call are therefore handled too. Resolves at once after stop().
   */
  idle(): Promise<void>;
}

/** Pause after a failed read or a rejected invoke, so a lasting problem is not reported ten times a second. */
const ERROR_BACKOFF_MS = 500;

type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** A batch, or a part of one still to get through the function. */
interface Attempt {
  records: DynamoDBRecord[];
  /** Retries so far; bisection does not add to it (see handleBatch). */
  retries: number;
  /** Invocations that carried these records, for approximateInvokeCount. */
  invocations: number;
  last?: Invocation;
}

type Outcome = { readonly kind: 'success' } | { readonly kind: 'function-error' } | { readonly kind: 'invalid-response' } | { readonly kind: 'partial'; readonly failedIndex: number };

export function startStreamEventSource(
  streams: DynamoDBStreamsClient,
  fn: Invokable,
  config: StreamEventSourceConfig,
  events: StreamEventSourceEvents = {},
  options: StreamEventSourceOptions = {},
): RunningStreamEventSource {
  const poller = new StreamPoller(streams, fn, config, events, options);
  poller.start();
  // A plain object: callers spread it into their own handles.
  return { uuid: poller.uuid, stop: () => poller.stop(), idle: () => poller.idle() };
}

/**
 * A sleep that stop() and idle() can cut short, and that never outlives stop(). A wake()
 * while not asleep makes the next sleep return at once, so a wake-up is never lost.
 */
class Waker {
  private timer: NodeJS.Timeout | undefined;
  private endSleep: (() => void) | undefined;
  private wakeRequested = false;
  private closed = false;

  sleep(ms: number): Promise<void> {
    if (this.closed || this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.endSleep = () => {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.endSleep = undefined;
        resolve();
      };
      this.timer = setTimeout(this.endSleep, ms);
    });
  }

  wake(): void {
    if (this.endSleep) this.endSleep();
    else this.wakeRequested = true;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}

interface ShardWorker {
  readonly shardId: string;
  readonly cursor: ShardCursor;
  readonly waker: Waker;
  /** Matching records read and not yet handled, in stream order. */
  pending: DynamoDBRecord[];
  /** When the oldest pending record was read (for the batching window). */
  firstPendingAt: number;
  /** Tick at which the last successful read started (for idle()). */
  lastReadStartedAt: number;
  busy: boolean;
  done: boolean;
  loop?: Promise<void>;
}

class StreamPoller {
  readonly uuid: string;
  private readonly reader: DynamoDbStreamReader;
  private readonly matches: (record: object) => boolean;
  private readonly functionArn: string;
  private readonly pollIntervalMs: number;
  private readonly discoveryIntervalMs: number;
  private readonly batchingWindowMs: number;

  private stopped = false;
  private stopping: Promise<void> | undefined;
  /** Logical clock for idle(): each idle() call and each read notes the current tick. */
  private tick = 0;
  private readonly workers = new Map<string, ShardWorker>();
  /** Shards whose records are all handled, or that LATEST skips. */
  private readonly finished = new Set<string>();
  /** Shards open when the source started: LATEST applies to them only. */
  private initialShards: Set<string> | undefined;
  private lastShards: StreamShard[] = [];
  private discoveredAt = -1;
  private readonly discoveryWaker = new Waker();
  private discoveryLoop: Promise<void> | undefined;
  private readonly idleWaiters: { since: number; resolve: () => void }[] = [];

  constructor(
    streams: DynamoDBStreamsClient,
    private readonly fn: Invokable,
    private readonly config: StreamEventSourceConfig,
    private readonly events: StreamEventSourceEvents,
    options: StreamEventSourceOptions,
  ) {
    validate(config);
    this.uuid = config.uuid ?? randomUUID();
    this.reader = new DynamoDbStreamReader(streams, config.streamArn);
    // Compiled here so that a bad pattern fails start, as CreateEventSourceMapping would.
    this.matches = compileFilterCriteria(config.filterPatterns);
    this.functionArn = config.functionArn ?? defaultFunctionArn(config.streamArn, fn.functionName);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.discoveryIntervalMs = options.shardDiscoveryIntervalMs ?? 1_000;
    this.batchingWindowMs = (config.maximumBatchingWindowSeconds ?? 0) * 1_000;
  }

  start(): void {
    this.discoveryLoop = this.discover().catch((error: unknown) => this.report(error));
  }

  idle(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const since = ++this.tick;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push({ since, resolve }));
    // Read everything now rather than after the sleeps in progress.
    this.discoveryWaker.wake();
    for (const worker of this.workers.values()) worker.waker.wake();
    this.checkIdle();
    return idle;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      this.discoveryWaker.close();
      for (const worker of this.workers.values()) worker.waker.close();
      // No worker starts once stopped is set, so this list is complete.
      await Promise.allSettled([this.discoveryLoop, ...[...this.workers.values()].map((worker) => worker.loop)]);
      for (const waiter of this.idleWaiters.splice(0)) waiter.resolve();
    })();
    return this.stopping;
  }

  // -------------------------------------------------------------------------------
  // Shards

  private async discover(): Promise<void> {
    while (!this.stopped) {
      const startedAt = this.tick;
      try {
        const shards = await this.reader.listShards();
        if (this.stopped) break;
        this.lastShards = shards;
        this.startReadyShards();
        this.discoveredAt = startedAt;
      } catch (error) {
        this.report(new Error(`Event source mapping ${this.uuid}: cannot describe ${this.config.streamArn}`, { cause: error }));
      }
      this.checkIdle();
      await this.discoveryWaker.sleep(this.discoveryIntervalMs);
    }
  }

  /** Starts a worker for every shard not started yet whose parent (if still listed) is done. */
  private startReadyShards(): void {
    const shards = this.lastShards;
    const listed = new Set(shards.map((shard) => shard.shardId));
    const firstDiscovery = this.initialShards === undefined;
    if (firstDiscovery) this.initialShards = listed;
    for (const shard of shards) {
      if (this.stopped) return;
      if (this.finished.has(shard.shardId) || this.workers.has(shard.shardId)) continue;
      if (firstDiscovery && this.config.startingPosition === 'LATEST' && shard.endingSequenceNumber !== undefined) {
        // Closed before the mapping existed: everything in it predates LATEST.
        this.finished.add(shard.shardId);
        continue;
      }
      const parent = shard.parentShardId;
      // A parent no longer listed has been trimmed away: nothing left to wait for.
      if (parent !== undefined && listed.has(parent) && !this.finished.has(parent)) continue;
      // LATEST applies to the shards open at start; shards created later are read from
      // their beginning, or the records written to them before the first poll would be lost.
      const position: ShardPosition =
        this.config.startingPosition === 'LATEST' && this.initialShards?.has(shard.shardId) ? 'LATEST' : 'TRIM_HORIZON';
      this.startWorker(shard.shardId, position);
    }
  }

  private startWorker(shardId: string, position: ShardPosition): void {
    const worker: ShardWorker = {
      shardId,
      cursor: this.reader.openShard(shardId, position),
      waker: new Waker(),
      pending: [],
      firstPendingAt: 0,
      lastReadStartedAt: -1,
      busy: false,
      done: false,
    };
    this.workers.set(shardId, worker);
    worker.loop = this.runWorker(worker)
      .catch((error: unknown) => this.report(error))
      .finally(() => this.checkIdle());
  }

  /** The shard is closed and all its records handled. */
  private shardDone(worker: ShardWorker): void {
    worker.done = true;
    this.finished.add(worker.shardId);
    // In the same turn, so that idle() never sees the parent done and its children not started.
    this.startReadyShards();
    // A closed shard usually means new shards to discover.
    this.discoveryWaker.wake();
  }

  private async runWorker(worker: ShardWorker): Promise<void> {
    const { batchSize } = this.config;
    while (!this.stopped) {
      let nothingNew = false;
      if (!worker.cursor.finished && worker.pending.length < batchSize) {
        const startedAt = this.tick;
        try {
          const records = await worker.cursor.read();
          worker.lastReadStartedAt = startedAt;
          nothingNew = records.length === 0;
          const wanted = records.filter((record) => this.matches(record));
          if (wanted.length > 0 && worker.pending.length === 0) worker.firstPendingAt = Date.now();
          worker.pending.push(...wanted);
        } catch (error) {
          this.report(new Error(`Event source mapping ${this.uuid}: cannot read shard ${worker.shardId}`, { cause: error }));
          await worker.waker.sleep(Math.max(this.pollIntervalMs, ERROR_BACKOFF_MS));
          continue;
        } finally {
          this.checkIdle();
        }
      }
      if (this.stopped) break;

      if (worker.pending.length > 0 && this.batchReady(worker)) {
        worker.busy = true;
        try {
          await this.handleBatch(worker, worker.pending.slice(0, batchSize));
        } finally {
          worker.busy = false;
          this.checkIdle();
        }
        continue;
      }
      if (worker.cursor.finished && worker.pending.length === 0) {
        this.shardDone(worker);
        return;
      }
      // Records keep coming: read on at once. Otherwise wait for the next poll, or for
      // the end of the batching window if that comes first.
      if (nothingNew) {
        const windowLeft = worker.firstPendingAt + this.batchingWindowMs - Date.now();
        await worker.waker.sleep(worker.pending.length > 0 ? Math.max(0, Math.min(this.pollIntervalMs, windowLeft)) : this.pollIntervalMs);
      }
    }
  }

  private batchReady(worker: ShardWorker): boolean {
    return (
      worker.pending.length >= this.config.batchSize ||
      worker.cursor.finished ||
      Date.now() - worker.firstPendingAt >= this.batchingWindowMs
    );
  }

  // -------------------------------------------------------------------------------
  // Batches

  /**
   * Gets one batch through the function, or discards what cannot get through.
   *
   * Retry accounting (AWS documents the pieces but not every combination; choices here):
   * - A function error (invocation.ok false, timeouts included) with bisect on splits the
   *   batch into halves, first half first. Splitting is not a retry: each half inherits
   *   the retry count of the batch it came from ("split the batch in two and retry";
   *   bisection does not count against MaximumRetryAttempts). A batch of one record that
   *   fails, or any batch with bisect off, is retried and its count grows; once a batch
   *   has had maximumRetryAttempts retries, its next failure discards it.
   * - A partial batch response commits the records before the lowest failed sequence
   *   number and retries the rest of the batch (records after a failed one are sent
   *   again, as in AWS); that retry counts against maximumRetryAttempts, so a record that
   *   keeps failing is discarded after the same number of retries as a function error.
   *   With bisect on, AWS documents the same thing: the batch is split at the failed record.
   * - An invalid partial response (itemIdentifier null, empty, not a string or not in the
   *   batch; batchItemFailures not a list) fails the whole batch, as AWS does, and is
   *   retried like a function error but not bisected: the function did not fail.
   * - approximateInvokeCount counts every invocation that carried the discarded records,
   *   the invocations of the batches they were bisected from included.
   * - Record age is checked before every attempt (the first included); too-old records are
   *   discarded on their own with RecordAgeExceeded and the rest of the batch goes on.
   * Records stay pending (unhandled) when stop() interrupts; nothing checkpoints them.
   */
  private async handleBatch(worker: ShardWorker, batch: DynamoDBRecord[]): Promise<void> {
    const queue: Attempt[] = [{ records: batch, retries: 0, invocations: 0 }];
    const { bisectBatchOnFunctionError, maximumRetryAttempts } = this.config;
    while (queue.length > 0 && !this.stopped) {
      const attempt = queue[0];

      const tooOld = attempt.records.filter((record) => this.tooOld(record));
      if (tooOld.length > 0) {
        await this.discard(worker, tooOld, 'RecordAgeExceeded', attempt);
        attempt.records = attempt.records.filter((record) => !tooOld.includes(record));
        if (attempt.records.length === 0) {
          queue.shift();
          continue;
        }
      }

      this.notify(() =>
        this.events.onBatch?.({
          records: attempt.records.length,
          attempt: attempt.invocations + 1,
          firstSequenceNumber: sequenceNumberOf(attempt.records[0]),
        }),
      );
      const records = [...attempt.records];
      let invocation: Invocation;
      try {
        invocation = await this.fn.invoke({ Records: records } satisfies DynamoDBStreamEvent);
      } catch (error) {
        this.report(new Error(`Event source mapping ${this.uuid}: could not invoke ${this.fn.functionName}`, { cause: error }));
        await worker.waker.sleep(Math.max(this.pollIntervalMs, ERROR_BACKOFF_MS));
        continue;
      }
      attempt.invocations += 1;
      attempt.last = invocation;
      this.notify(() => this.events.onInvocation?.({ records, invocation }));

      const outcome = this.judge(attempt.records, invocation);
      if (outcome.kind === 'success') {
        this.commit(worker, attempt.records);
        queue.shift();
        continue;
      }
      if (outcome.kind === 'partial') {
        this.commit(worker, attempt.records.slice(0, outcome.failedIndex));
        attempt.records = attempt.records.slice(outcome.failedIndex);
      }
      if (outcome.kind === 'function-error' && bisectBatchOnFunctionError && attempt.records.length > 1) {
        const middle = Math.ceil(attempt.records.length / 2);
        queue.splice(
          0,
          1,
          { ...attempt, records: attempt.records.slice(0, middle) },
          { ...attempt, records: attempt.records.slice(middle) },
        );
        continue;
      }
      if (maximumRetryAttempts >= 0 && attempt.retries >= maximumRetryAttempts) {
        await this.discard(worker, attempt.records, 'RetryAttemptsExhausted', attempt);
        queue.shift();
        continue;
      }
      attempt.retries += 1;
      await worker.waker.sleep(this.pollIntervalMs);
    }
  }

  /** What the invocation means for the batch, by Lambda's rules for stream mappings. */
  private judge(records: readonly DynamoDBRecord[], invocation: Invocation): Outcome {
    if (!invocation.ok) return { kind: 'function-error' };
    // Without ReportBatchItemFailures, Lambda ignores the response: success commits the batch.
    if (!this.config.reportBatchItemFailures) return { kind: 'success' };
    const response = invocation.result;
    // A null or non-object response is "empty": complete success.
    if (typeof response !== 'object' || response === null) return { kind: 'success' };
    const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return { kind: 'success' };
    if (!Array.isArray(failures)) return { kind: 'invalid-response' };
    if (failures.length === 0) return { kind: 'success' };
    let lowest = Number.POSITIVE_INFINITY;
    for (const failure of failures) {
      const identifier = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
      const index = typeof identifier === 'string' && identifier !== '' ? records.findIndex((record) => sequenceNumberOf(record) === identifier) : -1;
      if (index < 0) return { kind: 'invalid-response' };
      lowest = Math.min(lowest, index);
    }
    return { kind: 'partial', failedIndex: lowest };
  }

  private tooOld(record: DynamoDBRecord): boolean {
    const maximumAge = this.config.maximumRecordAgeSeconds;
    const created = record.dynamodb?.ApproximateCreationDateTime;
    if (maximumAge < 0 || created === undefined) return false;
    return Date.now() / 1_000 - created > maximumAge;
  }

  /** Handled records leave the shard's pending list: the checkpoint moves past them. */
  private commit(worker: ShardWorker, records: readonly DynamoDBRecord[]): void {
    if (records.length === 0) return;
    const handled = new Set(records);
    worker.pending = worker.pending.filter((record) => !handled.has(record));
  }

  private async discard(worker: ShardWorker, records: DynamoDBRecord[], condition: DiscardCondition, attempt: Attempt): Promise<void> {
    const invocationRecord = this.invocationRecord(worker.shardId, records, condition, attempt);
    this.commit(worker, records);
    this.notify(() =>
      this.events.onDiscarded?.({
        records,
        reason: condition === 'RetryAttemptsExhausted' ? 'retries-exhausted' : 'record-too-old',
        invocationRecord,
      }),
    );
    if (!this.config.onFailure) return;
    try {
      await this.config.onFailure(invocationRecord);
    } catch (error) {
      // AWS would keep trying the destination; here the record is reported and dropped.
      this.report(new Error(`Event source mapping ${this.uuid}: could not send the on-failure record`, { cause: error }));
    }
  }

  /** Lambda's on-failure invocation record for a DynamoDB stream batch. */
  private invocationRecord(shardId: string, records: DynamoDBRecord[], condition: DiscardCondition, attempt: Attempt): object {
    const first = records[0];
    const last = records[records.length - 1];
    const lastInvocation = attempt.last;
    return {
      requestContext: {
        // The request ID of the last invocation that carried these records (what Lambda
        // reports); records too old to be sent at all were never part of a request.
        requestId: lastInvocation?.requestId ?? randomUUID(),
        functionArn: this.functionArn,
        condition,
        approximateInvokeCount: attempt.invocations,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(lastInvocation !== undefined && !lastInvocation.ok ? { functionError: 'Unhandled' } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: sequenceNumberOf(first),
        endSequenceNumber: sequenceNumberOf(last),
        approximateArrivalOfFirstRecord: arrivalOf(first),
        approximateArrivalOfLastRecord: arrivalOf(last),
        batchSize: records.length,
        streamArn: this.config.streamArn,
      },
    };
  }

  // -------------------------------------------------------------------------------
  // Idle tracking and reporting

  private checkIdle(): void {
    if (this.idleWaiters.length === 0) return;
    for (const waiter of [...this.idleWaiters]) {
      if (!this.idleSince(waiter.since)) continue;
      this.idleWaiters.splice(this.idleWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private idleSince(since: number): boolean {
    if (this.discoveredAt < since) return false;
    for (const worker of this.workers.values()) {
      if (worker.done) continue;
      if (worker.busy || worker.pending.length > 0 || worker.lastReadStartedAt < since) return false;
      // Fully read but not yet marked done: its children are about to start.
      if (worker.cursor.finished) return false;
    }
    return true;
  }

  private report(error: unknown): void {
    if (this.stopped) return;
    try {
      this.events.onError?.(error);
    } catch {
      // A failing listener must not stop the poller.
    }
  }

  /** Calls a listener; one that throws is reported, never allowed to break polling. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.report(error);
    }
  }
}

function validate(config: StreamEventSourceConfig): void {
  const problems: string[] = [];
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1 || config.batchSize > 10_000) problems.push(`batchSize ${config.batchSize} is not 1-10000`);
  if (!Number.isInteger(config.maximumRetryAttempts) || config.maximumRetryAttempts < -1) problems.push(`maximumRetryAttempts ${config.maximumRetryAttempts} is not -1 or more`);
  if (!Number.isFinite(config.maximumRecordAgeSeconds) || config.maximumRecordAgeSeconds < -1) problems.push(`maximumRecordAgeSeconds ${config.maximumRecordAgeSeconds} is not -1 or more`);
  const window = config.maximumBatchingWindowSeconds ?? 0;
  if (!Number.isFinite(window) || window < 0 || window > 300) problems.push(`maximumBatchingWindowSeconds ${window} is not 0-300`);
  if (config.startingPosition !== 'TRIM_HORIZON' && config.startingPosition !== 'LATEST') problems.push(`startingPosition ${String(config.startingPosition)} is not TRIM_HORIZON or LATEST`);
  if (problems.length > 0) throw new Error(`Invalid DynamoDB stream event source for ${config.streamArn}: ${problems.join('; ')}`);
}

function defaultFunctionArn(streamArn: string, functionName: string): string {
  // arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label> (DynamoDB Local: region "ddblocal").
  const [, partition = 'aws', , region = 'us-east-1', account = '000000000000'] = streamArn.split(':');
  return `arn:${partition}:lambda:${region || 'us-east-1'}:${account || '000000000000'}:function:${functionName}`;
}

function sequenceNumberOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

/** ISO 8601 without milliseconds, as Lambda writes approximateArrivalOf...Record. */
function arrivalOf(record: DynamoDBRecord): string | undefined {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return seconds === undefined ? undefined : new Date(seconds * 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

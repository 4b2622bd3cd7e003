/**
 * Polls a table's stream and invokes a function the way Lambda's DynamoDB event source
 * mapping does, configured from a synthesized `aws_lambda_event_source_mapping`'s fields
 * (see local/stack/event-source-mappings.ts).
 *
 * What it reproduces (AWS docs: "Using Lambda with DynamoDB"):
 * - One poller per shard, one batch per shard in the function at a time, so records of
 *   one shard are processed in order (ParallelizationFactor 1, the default); shards are
 *   processed in parallel. A child shard (after a split) starts once its parent's records
 *   are all handled, so an item's changes stay in order across the split.
 * - Filter criteria: records no pattern matches are never sent and count as processed.
 * - Batches of up to `batchSize` matching records; with a batching window, a smaller batch
 *   waits up to the window for more records.
 * - What happens after each invocation (retries, bisection, partial batch responses,
 *   discarding to the on-failure destination): stream-batch-policy.ts.
 *
 * Not reproduced: the 6 MB payload limit on a batch, tumbling windows, parallelization
 * factors above 1, and Lambda's throttling back-off (an Invokable that rejects instead of
 * returning an Invocation is reported and retried half a second later, without counting
 * as an attempt, like a throttle or service error in AWS).
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { Invokable } from '../lambda/invocation';
import type { RunningPart } from '../running-part';
import type { EventSourceEvents } from './event-source-events';
import { DynamoDbStreamReader, type ShardCursor, type ShardPosition, type StreamShard } from './dynamodb-stream-reader';
import { compileFilterCriteria } from './event-filter';
import { shardsToStart } from './shard-lineage';
import { functionArnBesideStream, type StreamBatchSettings } from './stream-batch-policy';
import { runBatch, type BatchContext, type BatchShard } from './stream-batch-runner';
import { Waker } from './waker';

export interface StreamEventSourceConfig extends StreamBatchSettings {
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
  /** @default 0 */
  readonly maximumBatchingWindowSeconds?: number;
  /**
   * Sends Lambda's on-failure invocation record (JSON) to destination_config.on_failure;
   * absent → records are dropped after retries, as AWS does.
   */
  readonly onFailure?: (invocationRecord: object) => Promise<void>;
}

export type StreamDiscardReason = 'retries-exhausted' | 'record-too-old';
export type StreamEventSourceEvents = EventSourceEvents<DynamoDBRecord, StreamDiscardReason>;

export interface StreamEventSourceOptions {
  /** Pause between reads of a shard that had nothing new, and before a retry. @default 100 */
  readonly pollIntervalMs?: number;
  /** How often the stream is described again to find new shards. @default 1000 */
  readonly shardDiscoveryIntervalMs?: number;
}

/**
 * stop() stops polling, waits for the invocation in flight (and its retries' bookkeeping)
 * and leaves no timers. idle() resolves once every record read so far has been handled
 * (succeeded, filtered out or discarded) AND every shard has been read once more after the
 * call, with nothing new: records written before the call are therefore handled too.
 */
export interface RunningStreamEventSource extends RunningPart {
  readonly uuid: string;
}

/** Pause after a failed read or a rejected invoke, so a lasting problem is not reported ten times a second. */
const ERROR_BACKOFF_MS = 500;

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
  private readonly pollIntervalMs: number;
  private readonly discoveryIntervalMs: number;
  private readonly batchingWindowMs: number;
  private readonly batchContext: BatchContext;

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
    fn: Invokable,
    private readonly config: StreamEventSourceConfig,
    private readonly events: StreamEventSourceEvents,
    options: StreamEventSourceOptions,
  ) {
    validate(config);
    this.uuid = config.uuid ?? randomUUID();
    this.reader = new DynamoDbStreamReader(streams, config.streamArn);
    // Compiled here so that a bad pattern fails start, as CreateEventSourceMapping would.
    this.matches = compileFilterCriteria(config.filterPatterns);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.discoveryIntervalMs = options.shardDiscoveryIntervalMs ?? 1_000;
    this.batchingWindowMs = (config.maximumBatchingWindowSeconds ?? 0) * 1_000;
    this.batchContext = {
      fn,
      settings: config,
      source: { uuid: this.uuid, streamArn: config.streamArn, functionArn: config.functionArn ?? functionArnBesideStream(config.streamArn, fn.functionName) },
      events,
      onFailure: config.onFailure,
      retryDelayMs: this.pollIntervalMs,
      errorBackoffMs: Math.max(this.pollIntervalMs, ERROR_BACKOFF_MS),
      stopped: () => this.stopped,
      report: (error) => this.report(error),
    };
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
    if (this.stopped) return;
    const firstDiscovery = this.initialShards === undefined;
    this.initialShards ??= new Set(this.lastShards.map((shard) => shard.shardId));
    const { start, skip } = shardsToStart(this.lastShards, {
      finished: this.finished,
      started: new Set(this.workers.keys()),
      initialShards: this.initialShards,
      firstDiscovery,
      startingPosition: this.config.startingPosition,
    });
    for (const shardId of skip) this.finished.add(shardId);
    for (const { shardId, position } of start) this.startWorker(shardId, position);
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
          await runBatch(worker.pending.slice(0, batchSize), this.batchShard(worker), this.batchContext);
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

  /** The shard as a batch sees it: handled records leave its pending list, so the checkpoint moves past them. */
  private batchShard(worker: ShardWorker): BatchShard {
    return {
      shardId: worker.shardId,
      commit: (records) => {
        const handled = new Set(records);
        worker.pending = worker.pending.filter((record) => !handled.has(record));
      },
      sleep: (ms) => worker.waker.sleep(ms),
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

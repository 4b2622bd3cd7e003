/**
 * A discrete-event model of the orders pipeline, for rates nobody can measure here:
 * arrivals (Poisson) -> the API stage's token bucket -> POC-Queue -> the queue's pollers ->
 * POC-Lambda-1 -> the orders table -> its stream's shards -> POC-Lambda-2 -> SNS -> email.
 *
 * It follows each order through every stage and reports how deep each backlog got, the
 * end-to-end latency percentiles, and the stage where orders waited longest. Randomness is
 * seeded, so the same input gives the same answer.
 */
import { invocationMs, type FunctionDuration } from './measured-durations';

export interface OrdersSimulationSettings {
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  readonly queueBatchSize: number;
  /** Batches in POC-Lambda-1 at once: the mapping's maximum concurrency, or the reserved concurrency when lower. */
  readonly queueConcurrency: number;
  /** Lambda's SQS pollers start at 5 and add 300 a minute (AWS); the local runtime starts them all. */
  readonly pollerRamp: boolean;
  readonly storeOrder: FunctionDuration;
  readonly streamBatchSize: number;
  readonly parallelizationFactor: number;
  readonly shards: number;
  /** How often an idle shard reader looks for records: 250 ms in AWS (4 polls a second), 100 ms locally. */
  readonly streamPollIntervalMs: number;
  readonly notifyNewOrder: FunctionDuration;
  /** Emails per second the account delivers; undefined when nobody is subscribed by email. */
  readonly emailsPerSecond?: number;
  /** Fixed time of the hops the model does not queue: API -> SQS, invocation start, publish -> inbox. */
  readonly overheadMs: { readonly apiToQueue: number; readonly invoke: number; readonly delivery: number };
}

export interface SimulationRun {
  /** Orders per second arriving at the API. */
  readonly rate: number;
  readonly seconds: number;
  readonly seed?: number;
}

export interface StageBacklog {
  readonly stage: string;
  readonly maxDepth: number;
  readonly meanDepth: number;
  /** Mean milliseconds an order waited to be taken by this stage. */
  readonly meanWaitMs: number;
}

export interface SimulationResult {
  readonly arrived: number;
  /** Refused by the API stage's throttle (429). */
  readonly refused: number;
  readonly delivered: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  readonly backlogs: readonly StageBacklog[];
  /** The stage where orders waited longest, or undefined when none waited noticeably. */
  readonly bottleneck?: string;
  /** Milliseconds after the last arrival until the last email. */
  readonly drainMs: number;
}

/** A small, seedable generator (mulberry32): the same seed, the same arrivals. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A time-ordered queue of events (a binary heap); ties keep insertion order. */
class EventQueue {
  private heap: { at: number; order: number; run: () => void }[] = [];
  private count = 0;

  push(at: number, run: () => void): void {
    const heap = this.heap;
    heap.push({ at, order: this.count++, run });
    for (let index = heap.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index], heap[parent])) break;
      [heap[index], heap[parent]] = [heap[parent], heap[index]];
      index = parent;
    }
  }

  pop(): { at: number; run: () => void } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let index = 0; ; ) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && this.before(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && this.before(heap[right], heap[smallest])) smallest = right;
        if (smallest === index) break;
        [heap[index], heap[smallest]] = [heap[smallest], heap[index]];
        index = smallest;
      }
    }
    return top;
  }

  private before(a: { at: number; order: number }, b: { at: number; order: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }
}

/** A backlog's depth over time, and how long its items waited. */
class Backlog<T extends { waitingSince: number }> {
  readonly items: T[] = [];
  maxDepth = 0;
  private area = 0;
  private lastChange = 0;
  private waited = 0;
  private taken = 0;

  constructor(readonly stage: string) {}

  add(now: number, item: T): void {
    this.account(now);
    item.waitingSince = now;
    this.items.push(item);
    this.maxDepth = Math.max(this.maxDepth, this.items.length);
  }

  take(now: number, count: number): T[] {
    this.account(now);
    const taken = this.items.splice(0, count);
    for (const item of taken) this.waited += now - item.waitingSince;
    this.taken += taken.length;
    return taken;
  }

  summary(end: number): StageBacklog {
    this.account(end);
    return {
      stage: this.stage,
      maxDepth: this.maxDepth,
      meanDepth: end > 0 ? this.area / end : 0,
      meanWaitMs: this.taken > 0 ? this.waited / this.taken : 0,
    };
  }

  private account(now: number): void {
    this.area += this.items.length * (now - this.lastChange);
    this.lastChange = now;
  }
}

interface Order {
  readonly arrivedAt: number;
  waitingSince: number;
}

const SQS_POLLERS_AT_START = 5;
const SQS_POLLERS_ADDED_PER_MINUTE = 300;

export function simulateOrders(settings: OrdersSimulationSettings, run: SimulationRun): SimulationResult {
  const random = seededRandom(run.seed ?? 1);
  const events = new EventQueue();
  const endOfArrivals = run.seconds * 1000;
  const latencies: number[] = [];
  let arrived = 0;
  let refused = 0;
  let lastDelivery = 0;

  // The API stage: a token bucket of `burst` tokens refilled at `rate` per second.
  let tokens = settings.apiBurstLimit;
  let tokensAt = 0;
  const takeToken = (now: number): boolean => {
    tokens = Math.min(settings.apiBurstLimit, tokens + ((now - tokensAt) / 1000) * settings.apiRateLimit);
    tokensAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  const queue = new Backlog<Order>('POC-Queue (SQS), waiting for POC-Lambda-1');
  const stream = Array.from({ length: settings.shards }, () => new Backlog<Order>('orders stream, waiting for POC-Lambda-2'));
  const email = new Backlog<Order>('SNS email delivery');

  const deliver = (now: number, order: Order) => {
    const at = now + settings.overheadMs.delivery;
    latencies.push(at - order.arrivedAt);
    lastDelivery = Math.max(lastDelivery, at);
  };

  // SNS email delivery: one email every 1/rate seconds at most, when someone is subscribed.
  let emailBusyUntil = 0;
  const sendEmails = (now: number) => {
    if (settings.emailsPerSecond === undefined || email.items.length === 0 || emailBusyUntil > now) return;
    const [order] = email.take(now, 1);
    emailBusyUntil = now + 1000 / settings.emailsPerSecond;
    deliver(emailBusyUntil, order);
    events.push(emailBusyUntil, () => sendEmails(emailBusyUntil));
  };
  const published = (now: number, order: Order) => {
    if (settings.emailsPerSecond === undefined) return deliver(now, order);
    email.add(now, order);
    sendEmails(now);
  };

  // Shard readers: `parallelizationFactor` batches per shard at once; an idle one looks again after the poll interval.
  const readersBusy = new Array<number>(settings.shards).fill(0);
  const readShard = (now: number, shard: number) => {
    const backlog = stream[shard];
    while (readersBusy[shard] < settings.parallelizationFactor && backlog.items.length > 0) {
      const batch = backlog.take(now, settings.streamBatchSize);
      readersBusy[shard] += 1;
      const end = now + settings.overheadMs.invoke + invocationMs(settings.notifyNewOrder, batch.length);
      events.push(end, () => {
        readersBusy[shard] -= 1;
        for (const order of batch) published(end, order);
        readShard(end, shard);
      });
    }
  };
  const pollShard = (now: number, shard: number) => {
    readShard(now, shard);
    if (now < endOfArrivals || queue.items.length > 0 || stream.some((backlog) => backlog.items.length > 0) || pollersBusy > 0) {
      events.push(now + settings.streamPollIntervalMs, () => pollShard(now + settings.streamPollIntervalMs, shard));
    }
  };

  // The queue's pollers: each takes up to a batch as soon as messages wait (a long poll returns at once).
  let pollersBusy = 0;
  const pollerLimit = (now: number) =>
    settings.pollerRamp
      ? Math.min(settings.queueConcurrency, SQS_POLLERS_AT_START + Math.floor((SQS_POLLERS_ADDED_PER_MINUTE * now) / 60_000))
      : settings.queueConcurrency;
  const poll = (now: number) => {
    while (pollersBusy < pollerLimit(now) && queue.items.length > 0) {
      const batch = queue.take(now, settings.queueBatchSize);
      pollersBusy += 1;
      const end = now + settings.overheadMs.invoke + invocationMs(settings.storeOrder, batch.length);
      events.push(end, () => {
        pollersBusy -= 1;
        // Each stored order is a stream record on the shard its key hashes to.
        for (const order of batch) stream[Math.floor(random() * settings.shards)].add(end, order);
        poll(end);
      });
    }
  };

  const arrive = (now: number) => {
    arrived += 1;
    if (takeToken(now)) {
      const order: Order = { arrivedAt: now, waitingSince: now };
      const at = now + settings.overheadMs.apiToQueue;
      events.push(at, () => {
        queue.add(at, order);
        poll(at);
      });
    } else {
      refused += 1;
    }
    const next = now - (Math.log(1 - random()) / run.rate) * 1000;
    if (next < endOfArrivals) events.push(next, () => arrive(next));
  };

  // The first arrival, then each schedules the next.
  const firstAt = run.rate > 0 ? (-Math.log(1 - random()) / run.rate) * 1000 : endOfArrivals;
  if (firstAt < endOfArrivals) events.push(firstAt, () => arrive(firstAt));
  for (let shard = 0; shard < settings.shards; shard++) {
    const offset = random() * settings.streamPollIntervalMs;
    events.push(offset, () => pollShard(offset, shard));
  }

  let now = 0;
  for (let event = events.pop(); event !== undefined; event = events.pop()) {
    now = event.at;
    event.run();
  }

  const end = Math.max(now, endOfArrivals);
  const streamSummary = mergeShards(stream.map((backlog) => backlog.summary(end)));
  const backlogs = [queue.summary(end), streamSummary, ...(settings.emailsPerSecond === undefined ? [] : [email.summary(end)])];
  const worst = [...backlogs].sort((a, b) => b.meanWaitMs - a.meanWaitMs)[0];
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    arrived,
    refused,
    delivered: latencies.length,
    latencyMs: { p50: percentileOf(sorted, 50), p95: percentileOf(sorted, 95), p99: percentileOf(sorted, 99), max: sorted.at(-1) ?? 0 },
    backlogs,
    // Waits shorter than a stream poll are what an idle pipeline costs, not a backlog.
    bottleneck: worst !== undefined && worst.meanWaitMs > settings.streamPollIntervalMs ? worst.stage : undefined,
    drainMs: Math.max(0, lastDelivery - endOfArrivals),
  };
}

function mergeShards(shards: StageBacklog[]): StageBacklog {
  const count = shards.length;
  return {
    stage: shards[0].stage,
    maxDepth: shards.reduce((sum, shard) => sum + shard.maxDepth, 0),
    meanDepth: shards.reduce((sum, shard) => sum + shard.meanDepth, 0),
    meanWaitMs: shards.reduce((sum, shard) => sum + shard.meanWaitMs, 0) / count,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentileOf(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

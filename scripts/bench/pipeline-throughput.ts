/**
 * Orders through the local orders pipeline, end to end: POST -> API -> queue ->
 * store-order -> table -> stream -> notify-new-order -> topic -> captured email.
 * Reports orders/second and POST-to-email latency for our handlers and, in the same
 * run, for the lab's own store-order logic (the baseline). A second figure drains a
 * backlog put straight on the queue: without the API in front, the functions get full
 * batches, which is where the handlers' own work shows.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config';
import { bundleFunction } from '../../constructs/bundle';
import { postOrdersConcurrently } from '../../local/load/post-orders';
import { startLocalPipeline } from '../../local/pipeline/local-pipeline';
import { synthesizeStack } from '../../local/stack/synthesize';
import { formatSummary, percentile, summarize } from './stats';

const STORE_ORDER = 'bench-POC-Lambda-1';
const WARM_UP_ORDERS = 50;

export interface ThroughputResult {
  readonly label: string;
  readonly ordersPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Orders per second draining a backlog sent straight to the queue. */
  readonly backlogOrdersPerSecond: number;
}

const itemOf = (message: string) => /Item: (\S+)/.exec(message)?.[1] ?? '';

/** Runs `orders` orders through a fresh pipeline and measures them. */
async function measure(label: string, stackDir: string, orders: number, codeOverrides?: Record<string, string>): Promise<ThroughputResult> {
  const pipeline = await startLocalPipeline({ stackDir, apiPort: 0, throttle: false, retryDelaySeconds: 0, codeOverrides });
  try {
    const run = async (prefix: string, count: number) => {
      const items = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
      const posted = await postOrdersConcurrently(
        pipeline.apiUrl as string,
        items.map((item) => JSON.stringify({ item, customerID: 'bench' })),
      );
      const refused = posted.filter((order) => order.status !== 200);
      if (refused.length > 0) throw new Error(`${label}: ${refused.length} orders refused, e.g. ${refused[0].status} ${refused[0].response}`);
      const wanted = new Set(items);
      const captured = await pipeline.notifications.waitFor(count, (n) => wanted.has(itemOf(n.message)), 300_000);
      const capturedAt = new Map(captured.map((n) => [itemOf(n.message), n.capturedAt]));
      const latencies = posted.map((order, index) => (capturedAt.get(items[index]) as number) - order.sentAt);
      const elapsedMs = Math.max(...capturedAt.values()) - Math.min(...posted.map((order) => order.sentAt));
      return { latencies, elapsedMs };
    };
    const drainBacklog = async (count: number) => {
      const queueUrl = pipeline.resources.queueByName('bench-POC-Queue').url;
      const items = Array.from({ length: count }, (_, index) => `${label}-backlog-${index}`);
      const startedAt = Date.now();
      await Promise.all(
        Array.from({ length: Math.ceil(count / 10) }, (_, batch) =>
          pipeline.clients.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: items.slice(batch * 10, batch * 10 + 10).map((item, index) => ({ Id: String(index), MessageBody: JSON.stringify({ item, customerID: 'bench' }) })),
            }),
          ),
        ),
      );
      const wanted = new Set(items);
      const captured = await pipeline.notifications.waitFor(count, (n) => wanted.has(itemOf(n.message)), 300_000);
      return (count * 1000) / (Math.max(...captured.map((n) => n.capturedAt)) - startedAt);
    };
    // Cold starts and JIT warm-up are not what this measures.
    await run(`${label}-warm-up`, WARM_UP_ORDERS);
    const { latencies, elapsedMs } = await run(`${label}-measured`, orders);
    const backlogOrdersPerSecond = await drainBacklog(orders);
    return {
      label,
      ordersPerSecond: (orders * 1000) / elapsedMs,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      backlogOrdersPerSecond,
    };
  } finally {
    await pipeline.stop();
  }
}

export async function benchPipelineThroughput(orders: number, runs: number): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
  try {
    const stackDir = synthesizeStack('orders-pipeline', loadConfig({ PIPELINE_ENV: 'bench' }), outdir);
    const seedBundle = bundleFunction('scripts/bench/seed-store-order/handler.ts');
    const ours: ThroughputResult[] = [];
    const seed: ThroughputResult[] = [];
    for (let run = 0; run < runs; run++) {
      // Alternated so that machine noise falls on both alike.
      ours.push(await measure('ours', stackDir, orders));
      seed.push(await measure('seed', stackDir, orders, { [STORE_ORDER]: seedBundle }));
    }
    for (const [label, results] of [['our handlers', ours], ['seed store-order (baseline)', seed]] as const) {
      console.log(
        `${`pipeline, ${orders} orders, ${label}`.padEnd(48)} ${formatSummary(summarize(results.map((r) => r.ordersPerSecond)), 'orders/s', 0)}; ` +
          `latency p50 ${formatSummary(summarize(results.map((r) => r.p50Ms)), 'ms', 0)}, p95 ${formatSummary(summarize(results.map((r) => r.p95Ms)), 'ms', 0)}  (${results.length} runs)`,
      );
      console.log(
        `${`queue backlog, ${orders} orders, ${label}`.padEnd(48)} ${formatSummary(summarize(results.map((r) => r.backlogOrdersPerSecond)), 'orders/s', 0)}`,
      );
    }
    const ratio = (pick: (result: ThroughputResult) => number) => summarize(ours.map((result, index) => pick(result) / pick(seed[index])));
    console.log(`${'pipeline throughput, ours / seed'.padEnd(48)} ${formatSummary(ratio((r) => r.ordersPerSecond), 'x', 2)}`);
    console.log(`${'queue backlog throughput, ours / seed'.padEnd(48)} ${formatSummary(ratio((r) => r.backlogOrdersPerSecond), 'x', 2)}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

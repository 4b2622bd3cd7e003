/**
 * A 10,000-product file through the local inventory pipeline: upload -> S3 notification
 * -> ProcessInventoryFile -> InventoryTable -> stream -> NotifyInventoryUpdate -> topic
 * -> captured email. Reports products/second into the table (upload to the function's
 * return) and to the last email, for our handler and, in the same run, for the lab's
 * one-put-per-product handler (the baseline).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config';
import { bundleFunction } from '../../constructs/bundle';
import { startLocalPipeline, type LocalPipeline } from '../../local/pipeline/local-pipeline';
import type { PipelineEvent } from '../../local/pipeline/pipeline-events';
import { synthesizeStack } from '../../local/stack/synthesize';
import { formatSummary, summarize } from './stats';

const PROCESS_FILE = 'bench-ProcessInventoryFile';

interface FileResult {
  /** Products per second from the upload to the function's return (all rows written). */
  readonly toTable: number;
  /** Products per second from the upload to the last "New product added" email. */
  readonly toEmail: number;
}

function inventoryFile(prefix: string, products: number): string {
  return JSON.stringify(
    Array.from({ length: products }, (_, index) => ({ productId: `${prefix}-${index}`, name: `${prefix} item ${index}`, quantity: 10 + (index % 90), price: index / 100 })),
  );
}

/** Resolves with the next successful invocation of ProcessInventoryFile; rejects on a failed one. */
function nextProcessing(events: PipelineEvent[], from: number, timeoutMs: number): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      const invocation = events.slice(from).find((event) => event.kind === 'invocation' && event.functionName === PROCESS_FILE);
      if (invocation?.kind === 'invocation') {
        if (invocation.invocation.ok) resolve();
        else reject(new Error(`${PROCESS_FILE} failed: ${invocation.invocation.error.errorMessage}`));
      } else if (Date.now() > giveUpAt) reject(new Error(`${PROCESS_FILE} did not finish within ${timeoutMs} ms`));
      else setTimeout(check, 20);
    };
    check();
  });
}

async function measure(label: string, stackDir: string, products: number, codeOverrides?: Record<string, string>): Promise<FileResult> {
  const events: PipelineEvent[] = [];
  const pipeline: LocalPipeline = await startLocalPipeline({ stackDir, retryDelaySeconds: 0, codeOverrides, onEvent: (event) => events.push(event) });
  try {
    const upload = async (prefix: string, count: number) => {
      const body = inventoryFile(prefix, count);
      const from = events.length;
      const startedAt = Date.now();
      await pipeline.clients.s3.send(new PutObjectCommand({ Bucket: pipeline.outputs.upload_bucket, Key: `uploads/${prefix}.json`, Body: body }));
      await nextProcessing(events, from, 300_000);
      const writtenAt = Date.now();
      const emails = await pipeline.notifications.waitFor(count, (n) => n.message.startsWith(`New product added: ${prefix} item `), 600_000);
      const lastEmailAt = Math.max(...emails.map((email) => email.capturedAt));
      return { toTable: (count * 1000) / (writtenAt - startedAt), toEmail: (count * 1000) / (lastEmailAt - startedAt) };
    };
    // Cold starts and JIT warm-up are not what this measures.
    await upload(`${label}-warm-up`, 100);
    return await upload(`${label}-measured`, products);
  } finally {
    await pipeline.stop();
  }
}

export async function benchInventoryFile(products: number, runs: number): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-inventory-'));
  try {
    const stackDir = synthesizeStack('inventory-pipeline', loadConfig({ PIPELINE_ENV: 'bench' }), outdir);
    const seedBundle = bundleFunction('scripts/bench/seed-process-inventory/handler.ts');
    const ours: FileResult[] = [];
    const seed: FileResult[] = [];
    for (let run = 0; run < runs; run++) {
      // Alternated so that machine noise falls on both alike.
      ours.push(await measure('ours', stackDir, products));
      seed.push(await measure('seed', stackDir, products, { [PROCESS_FILE]: seedBundle }));
    }
    for (const [label, results] of [['our handler', ours], ['seed handler (baseline)', seed]] as const) {
      console.log(
        `${`inventory file, ${products} products, ${label}`.padEnd(48)} into the table ${formatSummary(summarize(results.map((r) => r.toTable)), 'products/s', 0)}; ` +
          `to the last email ${formatSummary(summarize(results.map((r) => r.toEmail)), 'products/s', 0)}  (${results.length} runs)`,
      );
    }
    const ratio = summarize(ours.map((result, index) => result.toTable / seed[index].toTable));
    console.log(`${'inventory file into the table, ours / seed'.padEnd(48)} ${formatSummary(ratio, 'x', 2)}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

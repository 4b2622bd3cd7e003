/**
 * The measurement half of the capacity model's check: orders arrive at the local orders
 * pipeline at a steady random (Poisson) rate, through its API with the stage's throttling
 * honoured, and every order is followed to its email. Writes what it saw (each order's fate
 * and latency, each invocation's batch and duration) to a JSON file that
 * `npm run capacity -- check <file>` compares with the model's prediction for the same
 * settings and rates.
 *
 *   node --import tsx scripts/bench/capacity-check.ts [out.json] [rate:seconds:throttle ...]
 *   e.g. ... /tmp/check.json 8:20:on 30:20:on 60:15:off
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config';
import { startLocalPipeline } from '../../local/pipeline/local-pipeline';
import { synthesizeStack } from '../../local/stack/synthesize';
import { seededRandom } from '../../capacity/orders-simulation';
import type { MeasuredRun } from '../../capacity/model-check';

const itemOf = (message: string) => /Item: (\S+)/.exec(message)?.[1] ?? '';
const WARM_UP_ORDERS = 20;

interface Scenario {
  readonly rate: number;
  readonly seconds: number;
  readonly throttle: boolean;
}

function parseScenario(text: string): Scenario {
  const [rate, seconds, throttle] = text.split(':');
  return { rate: Number(rate), seconds: Number(seconds), throttle: throttle !== 'off' };
}

async function measure(stackDir: string, scenario: Scenario, seed: number): Promise<MeasuredRun> {
  const invocations: { functionName: string; records: number; durationMs: number }[] = [];
  let measuring = false;
  const pipeline = await startLocalPipeline({
    stackDir,
    apiPort: 0,
    throttle: scenario.throttle,
    onEvent: (event) => {
      if (measuring && event.kind === 'invocation') {
        invocations.push({ functionName: event.functionName, records: event.records, durationMs: event.invocation.durationMs });
      }
    },
  });
  try {
    const url = pipeline.apiUrl as string;
    const post = async (item: string) => {
      const sentAt = Date.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item, customerID: 'check' }) });
      await response.text();
      return { item, sentAt, status: response.status };
    };
    // Cold starts are not what this measures; spaced so the throttle lets every one through.
    const warmUp: string[] = [];
    for (let index = 0; index < WARM_UP_ORDERS; index++) {
      const order = await post(`warm-${index}`);
      if (order.status === 200) warmUp.push(order.item);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const warmSet = new Set(warmUp);
    await pipeline.notifications.waitFor(warmUp.length, (n) => warmSet.has(itemOf(n.message)), 120_000);
    // Let the throttle's bucket fill again.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    measuring = true;
    const random = seededRandom(seed);
    const startedAt = Date.now();
    const posts: Promise<{ item: string; sentAt: number; status: number }>[] = [];
    let at = 0;
    for (let index = 0; ; index++) {
      at += -Math.log(1 - random()) / scenario.rate;
      if (at >= scenario.seconds) break;
      const wait = startedAt + at * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      posts.push(post(`r${scenario.rate}-${index}`));
    }
    const posted = await Promise.all(posts);
    const accepted = posted.filter((order) => order.status === 200);
    const wanted = new Set(accepted.map((order) => order.item));
    const captured = await pipeline.notifications.waitFor(accepted.length, (n) => wanted.has(itemOf(n.message)), 300_000);
    const capturedAt = new Map(captured.map((n) => [itemOf(n.message), n.capturedAt]));
    return {
      rate: scenario.rate,
      seconds: scenario.seconds,
      throttle: scenario.throttle,
      arrived: posted.length,
      refused: posted.filter((order) => order.status === 429).length,
      failed: posted.filter((order) => order.status !== 200 && order.status !== 429).length,
      latenciesMs: accepted.map((order) => (capturedAt.get(order.item) as number) - order.sentAt),
      invocations,
    };
  } finally {
    await pipeline.stop();
  }
}

async function main(): Promise<void> {
  const [outFile = path.join(os.tmpdir(), 'capacity-check.json'), ...scenarioTexts] = process.argv.slice(2);
  const scenarios = (scenarioTexts.length > 0 ? scenarioTexts : ['8:20:on', '30:20:on', '60:15:off']).map(parseScenario);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-check-'));
  try {
    const stackDir = synthesizeStack('orders-pipeline', loadConfig({ PIPELINE_ENV: 'check', PIPELINE_SCALE: 'lab' }), outdir);
    const runs: MeasuredRun[] = [];
    for (const [index, scenario] of scenarios.entries()) {
      const run = await measure(stackDir, scenario, 1000 + index);
      console.log(`rate ${run.rate}/s for ${run.seconds} s, throttle ${run.throttle ? 'on' : 'off'}: ${run.arrived} arrived, ${run.refused} refused, ${run.latenciesMs.length} emailed`);
      runs.push(run);
    }
    fs.writeFileSync(outFile, JSON.stringify({ measuredAt: new Date().toISOString(), loadAverage: os.loadavg(), runs }, null, 1));
    console.log(`written to ${outFile}; compare: npm run capacity -- check ${outFile}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

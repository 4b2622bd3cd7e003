/**
 * `npm run bench`: prints the figures BENCHMARKS.md records, each as min/median/max
 * over several runs on this machine. No timed assertions: numbers, for people.
 *
 * - app synth of every stack (`node scripts/run-app.js`): wall time and peak RSS, warm
 *   (bundles up to date, the normal case) and once cold (after a source change)
 * - `cdktf synth` end to end
 * - per function: zip size, and cold module-load time of its bundle in a fresh Node
 * - the local orders pipeline end to end: orders/second and POST-to-email latency, ours
 *   against the lab's store-order logic (scripts/bench/pipeline-throughput.ts)
 * - a 10,000-product file through the local inventory pipeline: products/second into the
 *   table and to the last email, ours against the lab's handler (scripts/bench/inventory-file-throughput.ts)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SynthesizedStack } from '../local/stack/synthesized-stack';
import { benchInventoryFile } from './bench/inventory-file-throughput';
import { benchPipelineThroughput } from './bench/pipeline-throughput';
import { formatSummary, summarize } from './bench/stats';
import { zipSingleFile } from './offline-plan/zip';

const ROOT = path.resolve(__dirname, '..');
// The SDK warns about Node < 22 once per process; this script reports the Node version itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PIPELINE_ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const INVENTORY_PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 10_000);
/** e.g. BENCH_ONLY=inventory: the parts to run (synth, functions, orders, inventory); all by default. */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'synth,functions,orders,inventory').split(',').map((part) => part.trim()));
const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
// Benchmark the zero-config synth whatever the caller's shell has set.
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', PIPELINE_ENV: '', PIPELINE_REGION: '', NOTIFICATION_EMAIL: '', NOTIFICATION_SMS: '' };

interface Run {
  seconds: number;
  maxRssMiB: number;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = ENV): Run {
  const rssFile = path.join(SCRATCH, 'rss');
  fs.rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...env, BENCH_RSS_FILE: rssFile }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const maxRssMiB = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  return { seconds, maxRssMiB };
}

function report(label: string, runs: Run[], withRss = true): void {
  const time = formatSummary(summarize(runs.map((r) => r.seconds)), 's', 2);
  const rss = withRss ? `; peak RSS ${formatSummary(summarize(runs.map((r) => r.maxRssMiB)), 'MiB')}` : '';
  console.log(`${label.padEnd(34)} ${time}${rss}  (${runs.length} runs)`);
}

const APP = ['-r', './scripts/bench/report-max-rss.js', 'scripts/run-app.js'];

function benchAppSynth(): void {
  timed('node', APP); // warm-up: bundles and the compiled app are up to date afterwards
  report('app synth, all stacks (warm)', Array.from({ length: RUNS }, () => timed('node', APP)));
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  report('app synth, all stacks (cold, 1st)', [timed('node', APP)]);
}

function benchCdktfSynth(): void {
  const cli = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
  const runs = Math.min(RUNS, 3);
  report('cdktf synth (CLI, end to end)', Array.from({ length: runs }, () => timed(cli, ['synth'])), false);
}

function benchFunctions(): void {
  const stacksDir = path.join(ROOT, 'cdktf.out', 'stacks');
  for (const stackId of fs.readdirSync(stacksDir)) {
    const stack = SynthesizedStack.parse(fs.readFileSync(path.join(stacksDir, stackId, 'cdk.tf.json'), 'utf8'));
    for (const archive of Object.values(stack.json.data?.archive_file ?? {})) {
      const bundle = path.join(stacksDir, stackId, String(archive.source_file));
      const name = path.basename(String(archive.output_path), '.zip');
      const zipBytes = zipSingleFile('index.js', fs.readFileSync(bundle)).length;
      const loads = Array.from({ length: RUNS }, () => coldLoadMs(bundle));
      console.log(
        `${`${stackId} ${name}`.padEnd(34)} zip ${(zipBytes / 1024).toFixed(0)} KiB (bundle ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB); ` +
          `cold module load ${formatSummary(summarize(loads), 'ms', 1)}`,
      );
    }
  }
}

/** Time to require the bundle in a fresh Node: the part of a Lambda cold start our code controls. */
function coldLoadMs(bundle: string): number {
  const probe = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const result = spawnSync('node', ['-e', probe], {
    // Handlers read their configuration at load time, as in Lambda.
    env: {
      ...ENV,
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'bench',
      TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bench',
      UPLOAD_PREFIX: 'uploads/',
      REJECTED_PREFIX: 'rejected/',
      MAX_FILE_BYTES: '10485760',
      LOW_STOCK_THRESHOLD: '5',
      DB_HOST: '127.0.0.1',
      DB_PORT: '3306',
      DB_NAME: 'COFFEE',
      DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:bench-AbCdEf',
      REPORT_BUCKET: 'bench',
      LINK_EXPIRY_SECONDS: '3600',
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Loading ${bundle} failed:\n${result.stderr}`);
  return Number(result.stdout.trim());
}

console.log(`serverless-pipelines benchmark: ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`);
async function main(): Promise<void> {
  if (ONLY.has('synth')) {
    benchAppSynth();
    benchCdktfSynth();
  }
  if (ONLY.has('functions')) benchFunctions();
  if (ONLY.has('orders')) await benchPipelineThroughput(PIPELINE_ORDERS, Math.min(RUNS, 3));
  if (ONLY.has('inventory')) await benchInventoryFile(INVENTORY_PRODUCTS, Math.min(RUNS, 3));
}

void main().then(
  () => fs.rmSync(SCRATCH, { recursive: true, force: true }),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * `npm run capacity`: what each synthesized pipeline carries and costs.
 *
 *   npm run capacity                        the stacks as configured (cdktf.out, synthesized
 *                                           first), then every PIPELINE_SCALE profile side by side
 *   npm run capacity -- --no-synth          the same, reading cdktf.out as it is
 *   npm run capacity -- --profile production   one profile in full (or `all`)
 *   npm run capacity -- simulate --rate 50 [--seconds 60] [--profile lab] [--emails 1] [--seed 1]
 *   npm run capacity -- check <measured.json>  the model beside a local measurement
 *                                           (scripts/bench/capacity-check.ts writes it)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatCapacity, formatProfileTable, formatSimulation, sourcesLine, type ProfileCapacity } from '../capacity/capacity-report';
import { compareWithModel, type MeasuredRun } from '../capacity/model-check';
import { simulateOrders } from '../capacity/orders-simulation';
import { capacityOf } from '../capacity/pipeline-capacity';
import { quotaFindings } from '../capacity/quota-check';
import { SCALE_PROFILES, type ScaleProfileName } from '../capacity/scale-settings';
import { ordersSimulationSettings } from '../capacity/simulation-settings';
import type { TerraformJson } from '../capacity/synthesized-stack';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.resolve(ROOT, process.env.CDKTF_OUTDIR ?? 'cdktf.out');

class UsageError extends Error {}

/** Runs the cdktf app into `outdir` with `env` over this process's environment. */
function synthesize(outdir: string, env: Record<string, string> = {}): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-app.js')], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new UsageError('Synthesis failed (see above).');
}

/** Every stack under `<outdir>/stacks`, parsed. */
function readStacks(outdir: string): Map<string, TerraformJson> {
  const stacksDir = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacksDir)) throw new UsageError(`${stacksDir} is missing: run without --no-synth, or \`npm run synth\` first.`);
  const stacks = new Map<string, TerraformJson>();
  for (const name of fs.readdirSync(stacksDir)) {
    const file = path.join(stacksDir, name, 'cdk.tf.json');
    if (fs.existsSync(file)) stacks.set(name, JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson);
  }
  return stacks;
}

/** A profile's stacks, synthesized into a folder of their own. */
function profileStacks(profile: ScaleProfileName): Map<string, TerraformJson> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `capacity-${profile}-`));
  try {
    synthesize(outdir, { PIPELINE_SCALE: profile });
    return readStacks(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.`);
  return value;
}

function numberOption(args: string[], name: string, fallback: number): number {
  const text = option(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value >= 0) || !Number.isFinite(value)) throw new UsageError(`${name} must be a number of 0 or more, got "${text}".`);
  return value;
}

function profileNames(choice: string): ScaleProfileName[] {
  if (choice === 'all') return Object.keys(SCALE_PROFILES) as ScaleProfileName[];
  if (!(choice in SCALE_PROFILES)) throw new UsageError(`--profile must be one of ${Object.keys(SCALE_PROFILES).join(', ')} or all, got "${choice}".`);
  return [choice as ScaleProfileName];
}

function report(args: string[]): void {
  const profile = option(args, '--profile');
  if (profile !== undefined) {
    for (const name of profileNames(profile)) {
      const stacks = profileStacks(name);
      for (const capacity of capacityOf(stacks)) console.log(`${formatCapacity(capacity, `PIPELINE_SCALE=${name}`)}\n`);
      console.log(`${formatQuotaFindings(stacks, `PIPELINE_SCALE=${name}`)}\n`);
    }
    console.log(sourcesLine());
    return;
  }
  if (!args.includes('--no-synth')) synthesize(OUT_DIR);
  const configured = process.env.PIPELINE_SCALE?.trim() || 'lab';
  const synthesized = readStacks(OUT_DIR);
  for (const capacity of capacityOf(synthesized)) console.log(`${formatCapacity(capacity, `as synthesized in ${path.relative(ROOT, OUT_DIR) || '.'}, PIPELINE_SCALE=${configured}`)}\n`);
  console.log(`${formatQuotaFindings(synthesized, 'these stacks')}\n`);
  const profiles: ProfileCapacity[] = profileNames('all').map((name) => {
    const stacks = profileStacks(name);
    const findings = quotaFindings(stacks);
    return { profile: findings.length === 0 ? name : `${name} (needs ${findings.length} quota increase(s))`, pipelines: capacityOf(stacks) };
  });
  console.log('Every profile (each synthesized with this environment and PIPELINE_SCALE set):\n');
  console.log(formatProfileTable(profiles));
  console.log(`\n${sourcesLine()}`);
}

function formatQuotaFindings(stacks: Map<string, TerraformJson>, label: string): string {
  const findings = quotaFindings(stacks);
  if (findings.length === 0) return `Default quotas: ${label} fit within every default quota of a fresh account.`;
  return [`Default quotas: ${label} exceed ${findings.length}:`, ...findings.map((found) => `  - ${found.message}`)].join('\n');
}

function simulate(args: string[]): void {
  const profile = profileNames(option(args, '--profile') ?? 'lab')[0];
  const run = { rate: numberOption(args, '--rate', 50), seconds: numberOption(args, '--seconds', 60), seed: numberOption(args, '--seed', 1) };
  const emailText = option(args, '--emails');
  const stack = profileStacks(profile).get('orders-pipeline');
  if (stack === undefined) throw new UsageError('The app synthesized no orders-pipeline stack.');
  const settings = ordersSimulationSettings(stack, emailText === undefined ? {} : { emailAddresses: numberOption(args, '--emails', 0) });
  console.log(formatSimulation(run, `PIPELINE_SCALE=${profile}, as AWS would run it`, simulateOrders(settings, run)));
}

function check(args: string[]): void {
  const file = args[0];
  if (file === undefined) throw new UsageError('check needs the JSON file scripts/bench/capacity-check.ts wrote.');
  const { runs, loadAverage } = JSON.parse(fs.readFileSync(file, 'utf8')) as { runs: MeasuredRun[]; loadAverage?: number[] };
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`The model beside the local pipeline (load average when measured: ${loadAverage?.map((value) => value.toFixed(1)).join(', ') ?? 'unknown'})\n`);
  console.log('| rate, throttle | refused: measured / model / calibrated | p50 | p95 | p99 | model: backlog builds at |');
  console.log('|---|---|---|---|---|---|');
  for (const row of compareWithModel(runs)) {
    const triple = (measured: number, model: number, calibrated: number) => `${seconds(measured)} / ${seconds(model)} / ${seconds(calibrated)}`;
    const { measured, model, calibrated } = row;
    console.log(
      `| ${row.run.rate}/s for ${row.run.seconds} s, ${row.run.throttle ? 'on' : 'off'} | ${measured.refused} / ${model.refused} / ${calibrated.refused} of ${row.run.arrived} | ` +
        `${triple(measured.p50, model.latencyMs.p50, calibrated.latencyMs.p50)} | ${triple(measured.p95, model.latencyMs.p95, calibrated.latencyMs.p95)} | ` +
        `${triple(measured.p99, model.latencyMs.p99, calibrated.latencyMs.p99)} | ${model.bottleneck ?? 'nowhere'}; calibrated: ${calibrated.bottleneck ?? 'nowhere'} |`,
    );
  }
  console.log('\nmodel: durations from capacity/measured-durations.ts; calibrated: durations fitted to the run\'s own REPORT lines (least squares by batch size).');
}

function main(args: string[]): void {
  const [command, ...rest] = args;
  if (command === 'simulate') return simulate(rest);
  if (command === 'check') return check(rest);
  return report(args);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exit(2);
}

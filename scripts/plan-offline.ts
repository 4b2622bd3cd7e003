// `npm run plan:offline [-- [--no-synth] [stack ...]]`: proves, with no AWS account and no
// internet, that each synthesized stack validates and plans with the real hashicorp/aws 5.100.0.
// It plans a rewritten copy of each stack (see scripts/offline-plan/), never cdktf.out/stacks itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs, PlanOfflineOptions, selectStacks, UsageError, USAGE } from './offline-plan/cli-args';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from './offline-plan/offline-stack-config';
import { prepareOfflineStack, PrebuiltArchive, StandInRemoteState } from './offline-plan/offline-stack-copy';
import { formatPlanSummary, PlanJson, summarizePlan } from './offline-plan/plan-summary';
import { AWS_PROVIDER, findProviderMirror, terraformCliConfig, terraformPlatform } from './offline-plan/provider-mirror';
import { formatValidateDiagnostics, parseDiagnostics, ValidateJson } from './offline-plan/terraform-diagnostics';
import { CommandResult, runCommand, terraformEnvironment } from './offline-plan/terraform-runner';

const ROOT = resolve(__dirname, '..');
const OUTDIR = join(ROOT, 'cdktf.out');
const WORK_DIR = join(OUTDIR, 'offline-plan');

interface ManifestStack {
  workingDirectory: string;
}

/** Raised for a failed step whose output is already in the report. */
class StepFailed extends Error {}

/**
 * One stack's output, held back until the stack is done: stacks plan in parallel, and
 * interleaved lines from two of them would be unreadable.
 */
class StackReport {
  private readonly lines: { text: string; error: boolean }[] = [];

  out(text: string): void {
    this.lines.push({ text, error: false });
  }

  err(text: string): void {
    this.lines.push({ text, error: true });
  }

  indented(texts: string[]): void {
    for (const text of texts) this.out(`    ${text.replace(/\n/g, '\n    ')}`);
  }

  print(): void {
    for (const line of this.lines) (line.error ? console.error : console.log)(line.text);
  }
}

interface StackRun {
  stack: string;
  stackCopy: string;
  env: NodeJS.ProcessEnv;
  report: StackReport;
}

function synthesize(): void {
  console.log('Synthesizing: node scripts/run-app.js');
  const result = spawnSync(process.execPath, [join('scripts', 'run-app.js')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`synth failed (exit ${result.status ?? result.signal})`);
}

function readManifest(): Record<string, ManifestStack> {
  const path = join(OUTDIR, 'manifest.json');
  if (!existsSync(path)) throw new UsageError(`${relative(ROOT, path)} not found: synthesize first (drop --no-synth)`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { stacks: Record<string, ManifestStack> }).stacks;
}

function writeCliConfig(): string {
  const mirror = findProviderMirror({ override: process.env.TF_PROVIDER_MIRROR || undefined, home: homedir(), platform: terraformPlatform(), exists: existsSync });
  const path = join(WORK_DIR, 'terraform-cli.tfrc');
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(path, terraformCliConfig(mirror));
  console.log(`Provider: ${AWS_PROVIDER.source} ${AWS_PROVIDER.version} from the filesystem mirror ${mirror} (no network installs; CLI config ${relative(ROOT, path)})`);
  return path;
}

function describeArchive(archive: PrebuiltArchive): string {
  return (
    `  data.archive_file.${archive.name}: pre-resolved by scripts/plan-offline.ts, not by hashicorp/archive (not available offline): ` +
    `${archive.outputPath} (${archive.entries.join(', ')}), ${archive.size} bytes, base64 sha256 ${archive.base64sha256}`
  );
}

function describeRemoteState(remote: StandInRemoteState): string {
  const values = Object.entries(remote.outputs).map(([output, value]) => `${output.replace(/^cross-stack-output-/, '')} = "${value}"`);
  return (
    `  data.terraform_remote_state.${remote.name}: ${remote.stackId}'s state does not exist offline; read instead from a stand-in ` +
    `written by scripts/plan-offline.ts, ${remote.path}, whose placeholder outputs this stack reads: ${values.join(', ')}`
  );
}

/** Runs one terraform step in the copy, logging its output there; on failure reports everything it said. */
async function terraform(run: StackRun, args: string[]): Promise<CommandResult> {
  const result = await runCommand('terraform', args, { cwd: run.stackCopy, env: run.env });
  const log = join(run.stackCopy, `terraform-${args[0]}${args.includes('-json') ? '-json' : ''}.log`);
  writeFileSync(log, `$ ${result.command}\n${result.stdout}\n${result.stderr}`);
  const step = args.filter((arg) => !arg.startsWith('-input') && arg !== '-no-color').join(' ');
  if (result.exitCode !== 0) {
    run.report.err(`  terraform ${step}: FAILED (exit ${result.exitCode}, ${result.seconds.toFixed(1)} s)`);
    if (result.stdout.trim()) run.report.err(result.stdout.trimEnd());
    if (result.stderr.trim()) run.report.err(result.stderr.trimEnd());
    throw new StepFailed(`${result.command} failed`);
  }
  run.report.out(`  terraform ${step}: ok (${result.seconds.toFixed(1)} s)`);
  return result;
}

/**
 * Validates, listing every diagnostic by resource: the plain output folds similar warnings into
 * "(and N more ...)", so on any it asks again for the complete JSON list.
 * Returns the summaries reported, so the plan step does not repeat them.
 */
async function validate(run: StackRun): Promise<Set<string>> {
  const plain = await terraform(run, ['validate', '-no-color']);
  const found = parseDiagnostics(plain.stdout + plain.stderr);
  if (found.length === 0) return new Set();
  const json = await terraform(run, ['validate', '-json', '-no-color']);
  const listed = formatValidateDiagnostics(JSON.parse(json.stdout) as ValidateJson);
  run.report.out(`  terraform validate raised ${listed.length} diagnostic(s) on the synthesized configuration:`);
  run.report.indented(listed);
  return new Set(found.map((diagnostic) => diagnostic.summary));
}

async function plan(run: StackRun, alreadyReported: Set<string>): Promise<void> {
  const result = await terraform(run, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=tfplan']);
  const fresh = parseDiagnostics(result.stdout + result.stderr).filter((diagnostic) => !alreadyReported.has(diagnostic.summary));
  if (fresh.length === 0) return;
  run.report.out(`  terraform plan raised ${fresh.length} more diagnostic(s) (full plan in ${relative(ROOT, join(run.stackCopy, 'terraform-plan.log'))}):`);
  run.report.indented(fresh.map((diagnostic) => diagnostic.text));
}

async function planStack(run: StackRun, manifest: ManifestStack): Promise<void> {
  run.report.out(`\n== ${run.stack} (planning a copy in ${relative(ROOT, run.stackCopy)}) ==`);
  const { archives, remoteStates } = prepareOfflineStack(join(OUTDIR, manifest.workingDirectory), run.stackCopy);
  archives.forEach((archive) => run.report.out(describeArchive(archive)));
  remoteStates.forEach((remote) => run.report.out(describeRemoteState(remote)));
  if (remoteStates.length > 0) {
    run.report.out('  (a placeholder is the value the other stack configures, or one shaped like what AWS assigns: the real plan reads the deployed state)');
  }
  if (archives.length > 0) {
    run.report.out("  (same files, entry names and modes as hashicorp/archive's zips, but Go's deflate output differs from zlib's: a real plan shows other hashes)");
  }
  const fake = OFFLINE_AWS_PROVIDER_SETTINGS.access_key;
  run.report.out(`  aws provider: fake credentials ("${fake}"); account id look-up, credential validation and metadata API skipped; no backend (empty state)`);
  await terraform(run, ['init', '-input=false', '-no-color']);
  const reported = await validate(run);
  await plan(run, reported);
  const shown = await terraform(run, ['show', '-json', 'tfplan']);
  formatPlanSummary(summarizePlan(JSON.parse(shown.stdout) as PlanJson)).forEach((line) => run.report.out(`  ${line}`));
}

/** Plans one stack, never throwing: a failure is reported and planning goes on with the others. */
async function planStackSafely(run: StackRun, manifest: ManifestStack): Promise<boolean> {
  try {
    await planStack(run, manifest);
    return true;
  } catch (error) {
    if (!(error instanceof StepFailed)) run.report.err(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** Runs `task` over `items` with at most `limit` at once; results keep the items' order. */
function inPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R>[] {
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    if (running < limit) {
      running++;
      return;
    }
    await new Promise<void>((resolveSlot) => waiting.push(resolveSlot));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return items.map(async (item) => {
    await slot();
    try {
      return await task(item);
    } finally {
      release();
    }
  });
}

async function planStacks(options: PlanOfflineOptions): Promise<boolean> {
  if (options.synth) synthesize();
  const manifest = readManifest();
  const stacks = selectStacks(options.stacks, Object.keys(manifest));
  const env = terraformEnvironment(process.env, writeCliConfig());
  // Each terraform step is mostly one CPU loading the 700 MB provider: one stack per core.
  const jobs = Math.max(1, Math.min(availableParallelism(), stacks.length));
  const runs = stacks.map((stack) => ({ stack, stackCopy: join(WORK_DIR, stack), env, report: new StackReport() }));
  const outcomes = inPool(runs, jobs, (run) => planStackSafely(run, manifest[run.stack]));
  const planned: string[] = [];
  const failed: string[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    const ok = await outcome;
    runs[index].report.print();
    (ok ? planned : failed).push(runs[index].stack);
  }
  const failures = failed.length > 0 ? `; FAILED: ${failed.join(', ')}` : '';
  console.log(`\nPlanned OK offline (${planned.length}/${stacks.length}): ${planned.join(', ') || 'none'}${failures}`);
  return failed.length === 0;
}

async function main(): Promise<number> {
  try {
    const options = parseArgs(process.argv.slice(2));
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    return (await planStacks(options)) ? 0 : 1;
  } catch (error) {
    console.error(`plan:offline: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});

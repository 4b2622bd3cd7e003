/**
 * What every `npm run local` command shares: where the synthesized stacks are,
 * synthesizing them, the checks made before anything starts, and how a failure is reported.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { STACK_IDS } from '../../stacks/stack-ids';
import { EXIT_USAGE, UsageError } from './usage-error';

export const ROOT = resolve(__dirname, '..', '..');
/** Where cdktf writes the stacks: CDKTF_OUTDIR, which cdktf itself honours, lets tests use a folder of their own. */
const OUT_DIR = resolve(ROOT, process.env.CDKTF_OUTDIR ?? 'cdktf.out');

/**
 * Runs the cdktf app. Its output goes to `output`: a command whose standard output is
 * data (the invoke command's response) sends it to standard error.
 */
export function synthesize(output: 'stdout' | 'stderr' = 'stdout'): void {
  const say = output === 'stdout' ? console.log : console.error;
  say('synth     running the cdktf app (node scripts/run-app.js)');
  const stream = output === 'stdout' ? 'inherit' : process.stderr;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-app.js')], { cwd: ROOT, stdio: ['ignore', stream, 'inherit'] });
  if (result.status !== 0) throw new UsageError('Synthesis failed (see above); nothing was started.');
}

/** The synthesized stacks, by name, with their directories. */
export function synthesizedStacks(): Map<string, string> {
  const manifestPath = join(OUT_DIR, 'manifest.json');
  if (!existsSync(manifestPath)) throw new UsageError(`${manifestPath} is missing: run \`npm run synth\` first.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
  return new Map(Object.entries(manifest.stacks).map(([name, entry]) => [name, join(OUT_DIR, entry.workingDirectory)]));
}

/** Refuses a stack the app does not have, before anything is synthesized or started. */
export function checkStackName(stack: string): void {
  const known: readonly string[] = Object.values(STACK_IDS);
  if (!known.includes(stack)) throw new UsageError(`There is no stack named "${stack}". Stacks: ${known.join(', ')}.`);
}

/** Refuses a port something else listens on, before anything is synthesized or started. */
export async function checkPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`Port ${port} is in use. Pass --port <n>, or --port 0 for any free port.`);
    throw error;
  } finally {
    if (probe.listening) await new Promise((resolve) => probe.close(resolve));
  }
}

/**
 * Stops the command when the process that started it is gone (npm killed outright, a
 * closed terminal): otherwise its emulators would run on with no one to stop them.
 */
export function stopWhenOrphaned(stop: () => void): void {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    stop();
  }, 1000).unref();
}

/** The stack's directory, or a message listing the stacks there are. */
export function stackDirectory(stack: string): string {
  const stacks = synthesizedStacks();
  const directory = stacks.get(stack);
  if (directory === undefined) throw new UsageError(`There is no stack named "${stack}". Stacks: ${[...stacks.keys()].join(', ')}.`);
  return directory;
}

/** Said once before functions run, rather than by the SDK in every execution environment. */
export function nodeVersionNote(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= 22) return undefined;
  return `note      the functions are declared nodejs22.x; this machine runs them on Node ${process.versions.node}`;
}

/** Reports a failed command: a usage error as its message, anything else with its stack. */
export function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(error.message);
    return EXIT_USAGE;
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('The API port is in use. Pass --port <n>, or --port 0 for any free port.');
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  return 1;
}

/**
 * `npm run synth:diff -- [--base <git ref>]`: what the working tree's changes do to the
 * synthesized stacks. Synthesizes the app as it was at the ref (in a temporary git
 * worktree) and as it is now, both with the zero-configuration defaults, and lists stack by
 * stack every resource, data source, output and block that was added, removed or changed.
 *
 * A guard for refactors: exit 0 when every stack's cdk.tf.json is byte for byte the same,
 * 1 when anything differs (read the list: a deliberate rename shows as one resource
 * removed and one added), 2 when it could not compare.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { diffStacks, formatDifferences, type StackJson } from './synth-diff/stack-diff';

const ROOT = resolve(__dirname, '..');
const USAGE = `Usage: npm run synth:diff -- [--base <git ref>]

Synthesizes every stack at <git ref> (default HEAD) and in the working tree, and lists
what differs in each stack's cdk.tf.json. Exit 0: identical; 1: differences; 2: error.`;

// Zero configuration on both sides, whatever the caller's shell has set.
const SYNTH_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(PIPELINE_|NOTIFICATION_|BUCKET_|LOW_STOCK_|COGNITO_|REPORT_)/.test(name))),
  CHECKPOINT_DISABLE: '1',
};

function synthesize(projectDir: string, outdir: string): void {
  const result = spawnSync(process.execPath, ['scripts/run-app.js'], {
    cwd: projectDir,
    env: { ...SYNTH_ENV, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`synth failed in ${projectDir}:\n${result.stdout}${result.stderr}`);
}

function git(args: string[]): string {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

function stackFiles(outdir: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return new Map(Object.entries(manifest.stacks).map(([name, stack]) => [name, join(outdir, stack.synthesizedStackPath)]));
}

function main(): number {
  const { values } = parseArgs({ options: { base: { type: 'string', default: 'HEAD' }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const commit = git(['rev-parse', '--verify', `${values.base}^{commit}`]);
  const scratch = mkdtempSync(join(tmpdir(), 'synth-diff-'));
  const baseTree = join(scratch, 'base');
  try {
    git(['worktree', 'add', '--detach', baseTree, commit]);
    // Same packages on both sides: only the project's own code differs.
    symlinkSync(join(ROOT, 'node_modules'), join(baseTree, 'node_modules'), 'dir');
    synthesize(baseTree, join(scratch, 'base.out'));
    synthesize(ROOT, join(scratch, 'head.out'));

    const before = stackFiles(join(scratch, 'base.out'));
    const after = stackFiles(join(scratch, 'head.out'));
    let differs = false;
    console.log(`cdk.tf.json at ${values.base} (${commit.slice(0, 8)}) -> working tree`);
    for (const stack of new Set([...before.keys(), ...after.keys()])) {
      const beforeFile = before.get(stack);
      const afterFile = after.get(stack);
      if (!beforeFile || !afterFile || !existsSync(beforeFile) || !existsSync(afterFile)) {
        differs = true;
        console.log(`\n${stack}: ${beforeFile ? 'removed' : 'added'}`);
        continue;
      }
      const beforeText = readFileSync(beforeFile, 'utf8');
      const afterText = readFileSync(afterFile, 'utf8');
      if (beforeText === afterText) {
        console.log(`\n${stack}: identical`);
        continue;
      }
      differs = true;
      const differences = diffStacks(JSON.parse(beforeText) as StackJson, JSON.parse(afterText) as StackJson);
      const summary = differences.length === 0 ? 'the same JSON, written differently' : `${differences.length} difference(s)`;
      console.log(`\n${stack}: ${summary}`);
      for (const line of formatDifferences(differences)) console.log(`  ${line}`);
    }
    return differs ? 1 : 0;
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', baseTree], { cwd: ROOT });
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}

/**
 * For `npm run test:unit`, whose tests must start no process: every way of starting one
 * throws instead, naming the command, so a test that needs an emulator, a browser or
 * terraform fails loudly rather than slipping into the quick run. esbuild is let through:
 * synthesizing a stack bundles its functions, and that is a build step, not a service.
 */
import childProcess from 'node:child_process';
import { basename } from 'node:path';

const STARTERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

export function isAllowedInUnitRun(command: string): boolean {
  return /^esbuild(\.exe)?$/.test(basename(command));
}

/**
 * Replaces the functions on node:child_process itself (the one object every module, the
 * test's included, gets from `require`) until the returned function puts them back.
 */
export function refuseChildProcesses(refusal: (call: string) => Error): () => void {
  // The default import is the module object itself (esModuleInterop), which may be changed.
  const module = childProcess as unknown as Record<(typeof STARTERS)[number], (command: unknown, ...rest: unknown[]) => unknown>;
  const originals = STARTERS.map((name) => [name, module[name]] as const);
  for (const [name, original] of originals) {
    module[name] = function guarded(this: unknown, command: unknown, ...rest: unknown[]) {
      if (!isAllowedInUnitRun(String(command))) throw refusal(`${name}(${JSON.stringify(String(command))})`);
      return original.call(this, command, ...rest);
    };
  }
  return () => {
    for (const [name, original] of originals) module[name] = original;
  };
}

import { execFileSync, spawn } from 'node:child_process';
import { isAllowedInUnitRun, refuseChildProcesses } from './child-process-guard';

it('refuses every way of starting a process until allowed again, naming the call', () => {
  const allow = refuseChildProcesses((call) => new Error(`refused ${call}`));
  try {
    expect(() => execFileSync('true')).toThrow('refused execFileSync("true")');
    expect(() => spawn('java', ['-version'])).toThrow('refused spawn("java")');
  } finally {
    allow();
  }
  expect(execFileSync('echo', ['allowed again'], { encoding: 'utf8' })).toBe('allowed again\n');
});

it("lets esbuild's service through: synthesizing a stack bundles its functions", () => {
  expect(isAllowedInUnitRun('/repo/node_modules/@esbuild/linux-x64/bin/esbuild')).toBe(true);
  expect(isAllowedInUnitRun('/usr/bin/java')).toBe(false);
  expect(isAllowedInUnitRun('/usr/bin/esbuild-but-not')).toBe(false);
});

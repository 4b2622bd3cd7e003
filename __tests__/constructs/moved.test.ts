import childProcess from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app';
import { TEST_CONFIG } from '../support/synth';

// cdktf's own resource moves make every app synth run `terraform version`, and fail without it.
it('the app synthesizes without asking for Terraform, so it synthesizes where none is installed', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'moved-synth-'));
  const execSync = jest.spyOn(childProcess, 'execSync').mockImplementation(() => {
    throw new Error('/bin/sh: 1: terraform: not found');
  });
  try {
    expect(() => buildApp(TEST_CONFIG, outdir).synth()).not.toThrow();
    expect(execSync).not.toHaveBeenCalled();
  } finally {
    execSync.mockRestore();
    rmSync(outdir, { recursive: true, force: true });
  }
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleFunction, PROJECT_ROOT } from '../../constructs/bundle';
import { buildIfChanged } from '../../constructs/incremental-build';

describe('function bundles', () => {
  it.each([
    ['functions/orders/store-order/handler.ts', { TABLE_NAME: 'orders' }],
    ['functions/orders/notify-new-order/handler.ts', { TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:topic' }],
  ])('%s bundles into one file that loads in a bare Node and exports handler', (entry, env) => {
    const bundle = bundleFunction(entry);
    expect(bundle).toBe(path.join(PROJECT_ROOT, 'dist', path.dirname(entry), 'index.js'));
    // A fresh process outside the project: the bundle must need nothing from node_modules.
    const probe = `const m=require(${JSON.stringify(bundle)});process.stdout.write(typeof m.handler)`;
    const result = spawnSync(process.execPath, ['-e', probe], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH, NODE_PATH: '', AWS_REGION: 'us-east-1', ...env },
      encoding: 'utf8',
    });
    expect({ status: result.status, exports: result.stdout }).toEqual({ status: 0, exports: 'function' });
  });
});

describe('buildIfChanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-build-'));
  // Nested, so that no relative path from the test's cwd happens to resolve from it.
  const root = path.join(dir, 'project', 'src');
  fs.mkdirSync(root, { recursive: true });
  const entry = path.join(root, 'entry.ts');
  const dependency = path.join(root, 'dependency.ts');
  const outfile = path.join(root, 'out', 'index.js');
  const build = () => buildIfChanged({ entry, outfile, root, options: { bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' } });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds the first time, skips while nothing changed, and rebuilds when an imported file changes', () => {
    fs.writeFileSync(dependency, 'export const answer = 41;\n');
    fs.writeFileSync(entry, "import { answer } from './dependency';\nexport const value = answer;\n");
    expect(build()).toBe(true);
    expect(build()).toBe(false);

    fs.writeFileSync(dependency, 'export const answer = 42;\n');
    expect(build()).toBe(true);
    expect(fs.readFileSync(outfile, 'utf8')).toContain('42');
    expect(build()).toBe(false);
  });

  it('rebuilds when the output was deleted', () => {
    fs.rmSync(outfile);
    expect(build()).toBe(true);
  });
});

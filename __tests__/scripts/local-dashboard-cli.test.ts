/**
 * `npm run local -- dashboard` as a person runs it: the command finds the stacks the
 * dashboard reads, starts them with the dashboard's local CloudFront, prints the URL and a
 * local user's password, serves the page, config.json and the APIs through CloudFront, lets
 * the printed user sign in through the local hosted UI, and stops everything on Ctrl-C. The
 * app is the dashboard and a stand-in producer (see ../local/support/dashboard-app.ts),
 * synthesized into a folder of the test's own, which the command reads through CDKTF_OUTDIR.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptsConnections, PROJECT_ROOT } from '../local/support/process-checks';
import { synthesizeDashboardApp } from '../local/support/dashboard-app';
import { signInThroughHostedUi } from '../local/support/hosted-ui-sign-in';

jest.setTimeout(120_000);

let outDir: string;
let child: ChildProcessWithoutNullStreams;
let output = '';

async function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output);
    if (match) return match;
    if (child.exitCode !== null || Date.now() > giveUpAt) throw new Error(`Gave up waiting for ${pattern}; output so far:\n${output}`);
    await sleep(100);
  }
}

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'local-dashboard-cli-'));
  synthesizeDashboardApp(outDir);
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts', 'dashboard', '--port', '0', '--no-synth'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, FORCE_COLOR: '0', CDKTF_OUTDIR: outDir },
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
});

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  rmSync(outDir, { recursive: true, force: true });
});

test('prints the URL and the local user, serves the dashboard, signs the user in, and Ctrl-C stops it all', async () => {
  const [, url] = await waitForOutput(/ready {5}the café dashboard: (http:\/\/localhost:\d+)/, 90_000);
  const [, email, password] = await waitForOutput(/email {5}(\S+)\n\s+password {2}(\S+)/, 1000);
  expect(email).toBe('staff@example.com');
  expect(password.length).toBeGreaterThanOrEqual(8);
  expect(output).toContain('Ctrl-C stops everything this command started.');

  const get = (path: string, init?: RequestInit) => fetch(`${url}${path}`, { redirect: 'manual', ...init });
  const page = await get('/');
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(await (await get('/products/deep/route')).text()).toBe(html);
  const config = (await (await get('/config.json')).json()) as { hostedUiUrl: string };
  expect(config.hostedUiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const refused = await get('/api/inventory/products');
  expect(refused.status).toBe(401);
  expect(await refused.json()).toEqual({ message: 'Unauthorized' });

  // The printed password signs in through the local hosted UI, as the page's code flow does.
  const signedIn = await signInThroughHostedUi(url, email, password);
  expect(signedIn.callback.origin + signedIn.callback.pathname).toBe(`${url}/callback`);
  expect(signedIn.accessToken).toMatch(/^ey/);

  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
  expect(output).toContain('stopped   everything this command started');
  expect(await acceptsConnections(Number(new URL(url).port))).toBe(false);
  expect(await acceptsConnections(Number(new URL(config.hostedUiUrl).port))).toBe(false);
});

test('a taken port is refused before anything starts', async () => {
  const { createServer } = await import('node:net');
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  try {
    const port = (taken.address() as { port: number }).port;
    const busy = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts', 'dashboard', '--port', String(port), '--no-synth'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FORCE_COLOR: '0', CDKTF_OUTDIR: outDir },
    });
    let said = '';
    busy.stderr.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
    const [code] = (await once(busy, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(said).toMatch(new RegExp(`Port ${port} is in use\\. Pass --port <n>, or --port 0 for any free port\\.`));
  } finally {
    taken.close();
  }
});

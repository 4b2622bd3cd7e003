/**
 * The café dashboard run locally from the real app, as `npm run local -- dashboard` runs it
 * (startLocalDashboard): the inventory and report pipelines and the dashboard's CloudFront on
 * one set of emulators. What a browser first asks for is answered (the page, a deep route,
 * config.json with local URLs), the APIs answer through CloudFront (401 without a token), and
 * the local user signs in through the hosted UI and reaches both APIs with the access token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../app';
import { startLocalDashboard, type LocalDashboard } from '../../../local/pipeline/local-dashboard';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { TEST_CONFIG } from '../../support/synth';
import { signInThroughHostedUi } from '../support/hosted-ui-sign-in';

jest.setTimeout(240_000);

let outDir: string;
let dashboard: LocalDashboard;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
  // The site is built into the test's own folder, so that suites side by side never share one.
  buildApp(TEST_CONFIG, join(outDir, 'cdktf.out'), { siteBuildDir: join(outDir, 'site') }).synth();
  dashboard = await startLocalDashboard({
    outDir: join(outDir, 'cdktf.out'),
    port: 0,
    // This jest worker's DynamoDB Local: the stacks' tables are created there, and deleted by stop().
    dynamodbEndpoint: (await workerEmulators().dynamodb()).endpoint,
    retryDelaySeconds: 0,
  });
});

afterAll(async () => {
  await dashboard?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

const site = (path: string, init?: RequestInit) => fetch(`${dashboard.url}${path}`, { redirect: 'manual', ...init });

test('runs the dashboard with the stacks it reads, and makes a local user', () => {
  expect([...dashboard.run.stacks.keys()]).toEqual(['inventory-pipeline', 'report-pipeline', 'dashboard']);
  expect(dashboard.url).toMatch(/^http:\/\/localhost:\d+$/);
  expect(dashboard.user.email).toBe('staff@example.com');
});

test('the page, a deep route of it and config.json, with every AWS URL made local', async () => {
  const page = await site('/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  expect(await (await site('/uploads/some-upload')).text()).toBe(html);
  const config = (await (await site('/config.json')).json()) as Record<string, unknown>;
  const hostedUi = dashboard.run.hostedUi!.url;
  expect(config).toMatchObject({ hostedUiUrl: hostedUi, authority: `${hostedUi}/${String(config.userPoolId)}`, inventoryApi: '/api/inventory', reportApi: '/api/reports' });
  expect(JSON.stringify(config)).not.toMatch(/amazonaws\.com|amazoncognito\.com/);
});

test('the APIs answer through CloudFront: 401 without a token, the answers with the signed-in user\'s access token', async () => {
  for (const [method, path] of [['GET', '/api/inventory/products'], ['POST', '/api/reports']]) {
    const refused = await site(path, { method, body: method === 'POST' ? '{}' : undefined });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: 'Unauthorized' });
  }
  const { accessToken } = await signInThroughHostedUi(dashboard.url, dashboard.user.email, dashboard.user.password);
  const headers = { Authorization: accessToken, 'Content-Type': 'application/json' };
  const products = await site('/api/inventory/products?page=1&pageSize=5', { headers });
  expect(products.status).toBe(200);
  expect(await products.json()).toMatchObject({ items: [], page: 1, pageSize: 5 });
  const report = await site('/api/reports', { method: 'POST', headers, body: '{}' });
  expect(report.status).toBe(202);
  expect(await report.json()).toMatchObject({ executionId: expect.any(String) });
});

/**
 * The dashboard stack run with a stack it reads, as `npm run local -- dashboard` runs it
 * with the inventory and report stacks: one set of services, cross-stack references
 * resolved from the producing stack, one user pool behind the hosted UI and the API's
 * authorizer, the dashboard's app client and bucket CORS, and the local CloudFront in front.
 * The producer stands in for the inventory and report stacks with the shapes they give the
 * dashboard (pool and domain, upload bucket, a REST API with a stage and an authorizer), so
 * that this proves the runtime whatever those stacks' own functions do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStacks, type LocalStacks } from '../../../local/pipeline/local-stacks';
import { SynthesizedApp } from '../../../local/stack/synthesized-app';
import { synthesizeDashboardApp } from '../support/dashboard-app';

jest.setTimeout(120_000);

let outDir: string;
let run: LocalStacks;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'local-stacks-dashboard-'));
  synthesizeDashboardApp(outDir);
  const synthesized = SynthesizedApp.read(outDir);
  run = await startLocalStacks({ app: synthesized, stackIds: synthesized.producersOf('dashboard').concat('dashboard'), cloudFrontPort: 0 });
});

afterAll(async () => {
  await run?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

const site = (path: string, init?: RequestInit) => fetch(`${run.cloudFront!.url}${path}`, { redirect: 'manual', ...init });

test('the page, a deep route of it, and config.json with every AWS URL made local', async () => {
  const page = await site('/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect((await (await site('/uploads/42')).text())).toBe(html);

  const config = (await (await site('/config.json')).json()) as Record<string, unknown>;
  const [pool] = run.userPools.values();
  expect(config).toMatchObject({
    region: 'us-east-1',
    userPoolId: pool.poolId,
    authority: `${run.hostedUi!.url}/${pool.poolId}`,
    hostedUiUrl: run.hostedUi!.url,
    inventoryApi: '/api/inventory',
    reportApi: '/api/reports',
    maxUploadBytes: 10485760,
  });
  // The client config.json names is the one the hosted UI knows, with the local callback.
  expect(pool.appClient(String(config.clientId))?.callbackUrls).toContain(`${run.cloudFront!.url}/callback`);
});

test("every answer carries the policy's headers, the CSP naming the local hosted UI and S3", async () => {
  const csp = (await site('/')).headers.get('content-security-policy') ?? '';
  expect(csp).toContain(`connect-src 'self' ${run.hostedUi!.url} ${run.hostedUi!.url} ${run.endpoints.s3}`);
  expect(csp).not.toMatch(/amazonaws\.com|amazoncognito\.com/);
  expect((await site('/api/inventory/products')).headers.get('x-frame-options')).toBe('DENY');
});

test('an API path reaches the API through CloudFront: 401 without a token, the answer with one', async () => {
  const refused = await site('/api/inventory/products');
  expect(refused.status).toBe(401);
  expect(await refused.json()).toEqual({ message: 'Unauthorized' });

  const [pool] = run.userPools.values();
  const token = await pool.issueIdToken({ email: 'staff@example.com' });
  const answered = await site('/api/inventory/products', { headers: { Authorization: token } });
  expect(answered.status).toBe(200);
  expect(await answered.json()).toEqual({ items: [], caller: 'staff@example.com' });
});

test("the upload bucket answers the browser's CORS preflight for the dashboard's origin only", async () => {
  const bucket = [...run.stacks.get('producer')!.resources.buckets.values()][0].name;
  const preflight = (origin: string) =>
    fetch(`${run.endpoints.s3}/${bucket}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
  const allowed = await preflight(run.cloudFront!.url);
  expect(allowed.status).toBe(200);
  expect(allowed.headers.get('access-control-allow-origin')).toBe(run.cloudFront!.url);
  expect((await preflight('http://evil.example')).status).toBe(403);
});

/**
 * The report pipeline end to end on the local runtime, from the synthesized stack: a
 * signed-in person asks for a report, the state machine reads MariaDB (the repo's SQL,
 * applied as a deploy applies it), renders the report into S3 and emails a link; the link
 * opens the report in a browser and stops working when it expires; an anonymous request is
 * refused; a database outage ends in the failure email with nothing half-sent.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalUserPool } from '../../../local/cognito/local-user-pool';
import { startLocalPipeline, type LocalPipeline } from '../../../local/pipeline/local-pipeline';
import { synthesizeStack } from '../../../local/stack/synthesize';
import { PROJECT_ROOT } from '../support/process-checks';
import { renderedDom, screenshot } from '../../support/headless-chromium';
import { TEST_CONFIG } from '../../support/synth';

jest.setTimeout(180_000);

const STATE_MACHINE = 'test-CreateReport';
/** The sample data of sql/coffee/002-sample-data.sql. */
const SUPPLIERS = ['Highland Roasters', 'Café do Vale', 'Pacific Bean Co.'];
const PRODUCTS = ['Yirgacheffe Washed', 'Sidamo Natural', 'Santos Bourbon', 'Conilon Dark', 'Harbor House Blend', 'Decaf Colombian'];

let outdir: string;
let pipeline: LocalPipeline;
let users: LocalUserPool;
/** Ana's access token, from a sign-in to the dashboard's app client: what the report API's TOKEN authorizer asks Cognito about. */
let anaToken: string;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'report-e2e-'));
  const stackDir = synthesizeStack('report-pipeline', { ...TEST_CONFIG, notificationEmail: 'ana@example.com' }, outdir);
  pipeline = await startLocalPipeline({ stackDir, apiPort: 0, throttle: false, retryDelaySeconds: 0 });
  [users] = pipeline.userPools.values();
  const client = users.appClients().find(({ allowedScopes }) => allowedScopes.includes('aws.cognito.signin.user.admin'));
  if (!client) throw new Error('No app client of the pool may call GetUser (aws.cognito.signin.user.admin)');
  ({ accessToken: anaToken } = await users.signIn(users.createUser('ana@example.com'), client.clientId, client.allowedScopes));
});

afterAll(async () => {
  await pipeline?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

function createReport(body: string, token?: string): Promise<Response> {
  return fetch(pipeline.apiUrl as string, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body,
  });
}

async function requestReport(): Promise<{ executionId: string; executionArn: string }> {
  const response = await createReport('{}', anaToken);
  expect(response.status).toBe(202);
  return (await response.json()) as { executionId: string; executionArn: string };
}

const linkIn = (message: string) => /(http:\/\/127\.0\.0\.1:\d+\/\S+?)(?= \(this link expires)/.exec(message)?.[1];

describe('a signed-in person asks for a report', () => {
  let executionId: string;
  let link: string;

  beforeAll(async () => {
    const started = await requestReport();
    executionId = started.executionId;
    const machine = pipeline.stateMachines.get(STATE_MACHINE);
    const execution = await machine?.waitForExecution(started.executionArn, 60_000);
    expect(execution?.status).toBe('SUCCEEDED');
    const [email] = await pipeline.notifications.waitFor(1, (n) => n.subject === 'Your coffee supplier report' && n.message.includes(executionId));
    link = linkIn(email.message) as string;
  });

  test('the email holds a link to the report that expires within the hour', () => {
    expect(link).toContain(`/reports/${executionId}.html`);
    const url = new URL(link);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  test('the link returns the HTML report naming every supplier and bean', async () => {
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    for (const name of [...SUPPLIERS, ...PRODUCTS]) expect(html).toContain(name);
    expect(html).toContain(executionId);
  });

  test('a person opening the link in a browser sees the suppliers (screenshot in test-output/)', async () => {
    const path = join(PROJECT_ROOT, 'test-output', 'report-pipeline', 'report.png');
    await screenshot(link, path);
    expect(statSync(path).size).toBeGreaterThan(20_000);
    const dom = await renderedDom(link);
    for (const name of SUPPLIERS) expect(dom).toContain(name);
  });

  test('the link with its signature cut short, as a terminal clipping lines printed it, is refused', async () => {
    const clipped = new URL(link);
    clipped.searchParams.set('X-Amz-Signature', (clipped.searchParams.get('X-Amz-Signature') as string).slice(0, 32));
    const response = await fetch(clipped);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  test('an expired link is refused, as S3 refuses it', async () => {
    // Two hours earlier than signed: what the link looks like to S3 an hour after it expired.
    const expired = new URL(link);
    const signedAt = expired.searchParams.get('X-Amz-Date') as string;
    const twoHoursEarlier = new Date(
      Date.UTC(+signedAt.slice(0, 4), +signedAt.slice(4, 6) - 1, +signedAt.slice(6, 8), +signedAt.slice(9, 11) - 2, +signedAt.slice(11, 13), +signedAt.slice(13, 15)),
    );
    expired.searchParams.set('X-Amz-Date', twoHoursEarlier.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''));
    const response = await fetch(expired);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });
});

describe('requests that are refused', () => {
  test('an anonymous request gets 401 and starts nothing', async () => {
    const response = await createReport('{}');
    expect(response.status).toBe(401);
  });

  test('a token from elsewhere gets 401', async () => {
    const forged = await users.issueIdToken({ email: 'mallory@example.com', claims: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' } });
    expect((await createReport('{}', forged)).status).toBe(401);
  });

  test('a body that is not an empty object gets 400 with the stack\'s message', async () => {
    const response = await createReport('{"suppliers": "all"}', anaToken);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('send an empty JSON object');
  });
});

// Last: it stops the database.
test('a database outage ends in the failure email, with no link sent and no report written', async () => {
  await pipeline.database?.stop();
  const { executionId, executionArn } = await requestReport();
  const execution = await pipeline.stateMachines.get(STATE_MACHINE)?.waitForExecution(executionArn, 120_000);
  expect(execution?.status).toBe('FAILED');
  const [failure] = await pipeline.notifications.waitFor(1, (n) => n.subject === 'Your coffee supplier report could not be made' && n.message.includes(executionId));
  expect(failure.message).toContain('no link was sent');
  expect(pipeline.notifications.all().filter((n) => n.subject === 'Your coffee supplier report' && n.message.includes(executionId))).toEqual([]);
  const bucket = pipeline.outputs.report_bucket;
  await expect(pipeline.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `reports/${executionId}.html` }))).rejects.toThrow();
});

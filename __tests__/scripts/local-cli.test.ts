/**
 * `npm run local -- orders-pipeline` as a newcomer runs it: in a process of its own,
 * watched through what it prints, stopped with Ctrl-C (SIGINT).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptsConnections, PROJECT_ROOT, processesMentioning } from '../local/support/process-checks';

jest.setTimeout(120_000);

function startCli(...args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output };
}

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > giveUpAt) throw new Error(`Timed out waiting for ${pattern}; output so far:\n${output()}`);
    await sleep(100);
  }
}

test('runs the orders pipeline, shows an order passing each stage, and Ctrl-C leaves nothing running', async () => {
  const { child, output } = startCli('orders-pipeline', '--port', '0');
  try {
    const [, apiUrl] = await waitForOutput(output, /listening REST API on (http:\/\/127\.0\.0\.1:\d+\/v1)/, 90_000);
    await waitForOutput(output, /Ctrl-C stops everything/, 10_000);
    const [, dynamodbEndpoint] = /started {3}DynamoDB Local on (\S+)/.exec(output()) ?? [];
    expect(output()).toMatch(/created {3}table dev-orders \(stream NEW_IMAGE\)/);
    expect(output()).toMatch(/created {3}queue dev-POC-Queue \(visibility 60 s, moves a message to dev-POC-Queue-dlq after 3 receives\)/);

    const response = await fetch(apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"item": "latex gloves", "customerID": "12345"}',
    });
    expect(response.status).toBe(200);
    const { orderId } = (await response.json()) as { orderId: string };

    await waitForOutput(output, /Subject: New Order Notification/, 30_000);
    // The email can be printed before the invocation that published it has returned.
    await waitForOutput(output, /invoke {4}dev-POC-Lambda-2 <- dev-orders stream: 1 record\(s\), \d+ ms, ok/, 10_000);
    expect(output()).toMatch(/api {7}POST \/ -> 200/);
    expect(output()).toMatch(/invoke {4}dev-POC-Lambda-1 <- dev-POC-Queue: 1 record\(s\), \d+ ms, ok/);
    expect(output()).toContain(`| Order ID: ${orderId}`);
    expect(output()).toContain('| Item: latex gloves');

    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output()).toContain('stopped   everything this command started');
    expect(await acceptsConnections(Number(new URL(apiUrl).port))).toBe(false);
    expect(await acceptsConnections(Number(new URL(dynamodbEndpoint).port))).toBe(false);
    expect(processesMentioning('DynamoDBLocal.jar', `-port ${new URL(dynamodbEndpoint).port}`)).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('runs the inventory pipeline: the upload command it prints works, and the two emails are shown', async () => {
  const { child, output } = startCli('inventory-pipeline');
  try {
    await waitForOutput(output, /Ctrl-C stops everything/, 90_000);
    expect(output()).toMatch(/created {3}bucket dev-inventory-upload-local/);
    expect(output()).toMatch(/created {3}user pool dev-inventory-users \(run by the local runtime: its tokens, hosted UI and cognito-idp endpoint\)/);
    expect(output()).toMatch(/function {2}dev-ProcessInventoryFile <- S3 bucket dev-inventory-upload-local, s3:ObjectCreated:\* on uploads\/\*\.json/);
    // What `curl -T` sends: a bare PUT of the file's bytes.
    const [, uploadUrl] = /curl -s -T samples\/inventory\.json (\S+)/.exec(output()) ?? [];
    const response = await fetch(uploadUrl, { method: 'PUT', body: readFileSync(join(PROJECT_ROOT, 'samples', 'inventory.json')) });
    expect(response.status).toBe(200);

    await waitForOutput(output, /New product added: Laptop[\s\S]*New product added: Mouse|New product added: Mouse[\s\S]*New product added: Laptop/, 30_000);
    await waitForOutput(output, /invoke {4}dev-ProcessInventoryFile <- S3 notification: 1 record\(s\), \d+ ms, ok/, 10_000);
    expect(output()).toMatch(/Subject: Inventory Update/);

    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(await acceptsConnections(Number(new URL(uploadUrl).port))).toBe(false);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('an unknown stack and a busy port are refused before anything is synthesized or started', async () => {
  const unknown = startCli('no-such-stack');
  const [code] = (await once(unknown.child, 'exit')) as [number | null];
  expect(code).toBe(2);
  expect(unknown.output()).toMatch(/There is no stack named "no-such-stack"\. Stacks: .*orders-pipeline/);

  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const busy = startCli('orders-pipeline', '--port', String((taken.address() as AddressInfo).port));
    const [busyCode] = (await once(busy.child, 'exit')) as [number | null];
    expect(busyCode).toBe(2);
    expect(busy.output()).toMatch(/Port \d+ is in use\. Pass --port <n>, or --port 0 for any free port\./);
    for (const run of [unknown, busy]) expect(run.output()).not.toMatch(/^(synth|started) /m);
  } finally {
    taken.close();
  }
});

test('a signal to the npm process that runs it stops everything, as Ctrl-C does', async () => {
  // What a supervisor does: it knows only the process it started, npm.
  const child = spawn('npm', ['run', 'local', '--', 'orders-pipeline', '--port', '0', '--no-synth'], { cwd: PROJECT_ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    const [, apiUrl] = await waitForOutput(() => output, /listening REST API on (http:\/\/127\.0\.0\.1:\d+\/v1)/, 90_000);
    await waitForOutput(() => output, /Ctrl-C stops everything/, 10_000);
    const [, dynamodbEndpoint] = /started {3}DynamoDB Local on (\S+)/.exec(output) ?? [];
    child.kill('SIGINT');
    await once(child, 'exit');
    await waitForOutput(() => output, /stopped {3}everything this command started/, 30_000);
    expect(await acceptsConnections(Number(new URL(apiUrl).port))).toBe(false);
    expect(processesMentioning('DynamoDBLocal.jar', `-port ${new URL(dynamodbEndpoint).port}`)).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('a bad option prints the usage', async () => {
  const { child, output } = startCli('orders-pipeline', '--port', 'abc');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(2);
  expect(output()).toContain('--port takes a whole number');
  expect(output()).toContain('Usage: npm run local -- <stack>');
});

test('runs the report pipeline: the printed request, with its token, gets a report by email', async () => {
  const { child, output } = startCli('report-pipeline', '--port', '0');
  try {
    await waitForOutput(output, /Ctrl-C stops everything/, 90_000);
    expect(output()).toMatch(/invoke {4}dev-MigrateReportDatabase <- deploy \(aws_lambda_invocation\): 1 record\(s\), \d+ ms, ok/);
    const [, apiUrl, token] = /curl -s -X POST (\S+) -H 'Content-Type: application\/json' \\\n\s+-H 'Authorization: (\S+)' -d '\{\}'/.exec(output()) ?? [];
    const response = await fetch(apiUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: '{}' });
    expect(response.status).toBe(202);
    await waitForOutput(output, /Subject: Your coffee supplier report\n\s+\| Your coffee supplier report is ready: http/, 60_000);
    expect(output()).toMatch(/execute {3}dev-CreateReport \S+: SUCCEEDED/);
    // The link as printed is whole, and opens the report where signatures are checked.
    const [, link] = /\| Your coffee supplier report is ready: (http\S+)/.exec(output()) ?? [];
    expect(new URL(link).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const report = await fetch(link);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('Highland Roasters');

    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

/**
 * `npm run local -- event ... | npm run local -- invoke ...` as a person types it, after
 * the labs' function tests (seed 001, Steps 4.4 and 7.4; seed 003, TESTs 1 to 4): in a
 * shell of its own, judged by exit status, standard output and standard error, and by
 * nothing it started being left running.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptsConnections, PROJECT_ROOT, processesMentioning } from '../local/support/process-checks';

jest.setTimeout(180_000);

const LOCAL = `node --import tsx scripts/local.ts`;
let outDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  // Stacks of its own: other test files synthesize into cdktf.out at the same time.
  outDir = mkdtempSync(join(tmpdir(), 'invoke-cli-'));
  env = { ...process.env, CDKTF_OUTDIR: outDir, FORCE_COLOR: '0' };
  const synth = spawnSync(process.execPath, ['scripts/run-app.js'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(`Synthesis failed:\n${synth.stderr}`);
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

interface ShellRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a shell command line in the project and checks that every emulator it reported
 * starting is gone once it has exited.
 */
async function shell(commandLine: string): Promise<ShellRun> {
  const child = spawn('bash', ['-o', 'pipefail', '-c', commandLine], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'close')) as [number | null];
  for (const [, name, port] of stderr.matchAll(/^started {3}(.+) on http:\/\/127\.0\.0\.1:(\d+)$/gm)) {
    expect([name, await acceptsConnections(Number(port))]).toEqual([name, false]);
    if (name === 'DynamoDB Local') expect(processesMentioning('DynamoDBLocal.jar', `-port ${port}`)).toEqual([]);
  }
  return { code, stdout, stderr };
}

/** Standard output after the banner `npm run` prints there. */
function responseOf(stdout: string): unknown {
  return JSON.parse(stdout.replace(/^(?:\s*\n)*(?:> [^\n]*\n)+/, ''));
}

const ORDER = `'{"item": "latex gloves", "customerID": "12345"}'`;

test("the issue's own line: the console's SQS event fails POC-Lambda-1 in Lambda's error shape, as no order", async () => {
  const run = await shell('npm run local -- event sqs | npm run local -- invoke orders-pipeline dev-POC-Lambda-1 --no-synth');
  expect(run.code).toBe(1);
  expect(responseOf(run.stdout)).toMatchObject({ errorType: 'FullBatchFailureError', errorMessage: expect.stringContaining('All records failed'), trace: expect.any(Array) });
  expect(run.stderr).toContain('Execution result: Failed (dev-POC-Lambda-1)');
  expect(run.stderr).toContain('Rejected a malformed order message');
  expect(run.stderr).toMatch(/table dev-orders: 0 items/);
});

test('Step 4.4: an order from the SQS template is stored in the orders table, and the console figures are printed', async () => {
  const run = await shell(`${LOCAL} event sqs --body ${ORDER} | ${LOCAL} invoke orders-pipeline store-order --no-synth`);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
  expect(run.stderr).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
  expect(run.stderr).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/m);
  expect(run.stderr).toMatch(/table dev-orders: 1 item\n\s+\{.*"item":"latex gloves"/);
  // What invokes it is not started: no queue, no API.
  expect(run.stderr).not.toMatch(/created {3}queue|listening/);
});

test('Step 7.4: a new orders row from the DynamoDB template makes POC-Lambda-2 email, without DynamoDB Local', async () => {
  const run = await shell(`${LOCAL} event dynamodb-insert orders-pipeline | ${LOCAL} invoke orders-pipeline dev-POC-Lambda-2 --no-synth`);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/Subject: New Order Notification[\s\S]*Item: latex gloves/);
  expect(run.stderr).not.toContain('DynamoDB Local');
});

test("seed 003: an upload's S3 event writes Laptop and Mouse, and a new product's stream record emails", async () => {
  const upload = await shell(
    `${LOCAL} event s3-put inventory-pipeline --file samples/inventory.json | ${LOCAL} invoke inventory-pipeline ProcessInventoryFile --put samples/inventory.json --no-synth`,
  );
  expect(upload.code).toBe(0);
  expect(JSON.parse(upload.stdout)).toEqual({ files: [{ key: 'uploads/inventory.json', outcome: 'written', items: 2 }] });
  expect(upload.stderr).toMatch(/table dev-InventoryTable: 2 items/);
  expect(upload.stderr).toContain('"name":"Laptop"');
  expect(upload.stderr).toContain('"name":"Mouse"');

  const insert = await shell(`${LOCAL} event dynamodb-insert inventory-pipeline | ${LOCAL} invoke inventory-pipeline notify-inventory-update --no-synth`);
  expect(insert.code).toBe(0);
  expect(insert.stderr).toMatch(/Subject: Inventory Update[\s\S]*New product added: Laptop/);
});

test('seed 004: the state machine input reaches FetchSupplierData, which reads the migrated database', async () => {
  const run = await shell(`${LOCAL} event stepfunctions report-pipeline | ${LOCAL} invoke report-pipeline dev-FetchSupplierData --no-synth`);
  expect(run.code).toBe(0);
  expect((responseOf(run.stdout) as { suppliers: unknown[] }).suppliers.length).toBeGreaterThan(0);
  expect(run.stderr).toMatch(/invoke {4}dev-MigrateReportDatabase <- deploy \(aws_lambda_invocation\)/);
});

test("a function that runs past its timeout fails as Lambda's Sandbox.Timedout", async () => {
  // DynamoDB that accepts connections and never answers: the put waits until Lambda gives up.
  const held: Socket[] = [];
  const blackHole: Server = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const { port } = blackHole.address() as { port: number };
  try {
    const run = await shell(
      `${LOCAL} event sqs --body ${ORDER} | ${LOCAL} invoke orders-pipeline dev-POC-Lambda-1 --env AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:${port} --no-synth`,
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 10.00 seconds' });
    expect(run.stderr).toContain('Execution result: Failed (timed out)');
    expect(run.stderr).toMatch(/^REPORT .*\tStatus: timeout$/m);
  } finally {
    held.forEach((socket) => socket.destroy());
    blackHole.close();
  }
});

test('Ctrl-C during an invocation stops what it started', async () => {
  const held: Socket[] = [];
  const blackHole: Server = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const { port } = blackHole.address() as { port: number };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/local.ts', 'invoke', 'orders-pipeline', 'POC-Lambda-1', '--event', '-', '--env', `AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:${port}`, '--no-synth'],
    { cwd: PROJECT_ROOT, env },
  );
  const order = { messageId: 'm-1', body: '{"item": "latex gloves", "customerID": "12345"}', attributes: { SentTimestamp: String(Date.now()) } };
  child.stdin.end(JSON.stringify({ Records: [order] }));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    // The handler is waiting on the black hole once the function has connected to it.
    const giveUpAt = Date.now() + 120_000;
    while (held.length === 0 && child.exitCode === null && Date.now() < giveUpAt) await sleep(100);
    expect(held.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(130);
    const [, dynamodbPort] = /started {3}DynamoDB Local on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr) ?? [];
    expect(await acceptsConnections(Number(dynamodbPort))).toBe(false);
    expect(processesMentioning('DynamoDBLocal.jar', `-port ${dynamodbPort}`)).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    held.forEach((socket) => socket.destroy());
    blackHole.close();
  }
});

test('bad input gets one clear message, exit status 2, and starts nothing', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'invoke-bad-'));
  try {
    writeFileSync(join(folder, 'hello.txt'), 'Hello from SQS!');
    const notJson = await shell(`${LOCAL} invoke orders-pipeline dev-POC-Lambda-1 --event ${join(folder, 'hello.txt')} --no-synth`);
    expect([notJson.code, notJson.stderr]).toEqual([2, expect.stringContaining('hello.txt is not JSON')]);

    const unknownFunction = await shell(`${LOCAL} invoke orders-pipeline POC-Lambda-3 --event - --no-synth < /dev/null`);
    expect(unknownFunction.code).toBe(2);
    expect(unknownFunction.stderr).toContain('The event from standard input is empty');

    const unknownName = await shell(`echo '{}' | ${LOCAL} invoke orders-pipeline POC-Lambda-3 --no-synth`);
    expect(unknownName.code).toBe(2);
    expect(unknownName.stderr).toContain('There is no function named "POC-Lambda-3". Functions of this stack: dev-POC-Lambda-2 (notify-new-order), dev-POC-Lambda-1 (store-order).');

    const unknownTemplate = await shell(`${LOCAL} event kinesis`);
    expect([unknownTemplate.code, unknownTemplate.stderr]).toEqual([2, expect.stringContaining('There is no test event template named "kinesis". Templates: sqs, dynamodb-insert')]);

    const unfit = await shell(`${LOCAL} event sqs report-pipeline`);
    expect([unfit.code, unfit.stderr]).toEqual([2, expect.stringContaining('The sqs template does not fit report-pipeline: it has no SQS event source mapping.')]);

    const unknownStack = await shell(`echo '{}' | ${LOCAL} invoke no-such-stack dev-POC-Lambda-1 --no-synth`);
    expect([unknownStack.code, unknownStack.stderr]).toEqual([2, expect.stringMatching(/There is no stack named "no-such-stack"\. Stacks: .*orders-pipeline/)]);

    for (const run of [notJson, unknownFunction, unknownName, unknownTemplate, unfit, unknownStack]) expect(run.stderr).not.toMatch(/^started /m);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('--attach runs a function of a running session, whose pipeline then reacts; without a session it says so', async () => {
  const session = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts', 'orders-pipeline', '--port', '0', '--no-synth'], { cwd: PROJECT_ROOT, env });
  let output = '';
  session.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  session.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const waitFor = async (pattern: RegExp): Promise<void> => {
    const giveUpAt = Date.now() + 120_000;
    while (!pattern.test(output)) {
      if (Date.now() > giveUpAt || session.exitCode !== null) throw new Error(`Gave up waiting for ${pattern}; the session printed:\n${output}`);
      await sleep(100);
    }
  };
  try {
    await waitFor(/Ctrl-C stops everything/);
    expect(output).toContain('npm run local -- invoke orders-pipeline dev-POC-Lambda-2 --attach --event <file>');
    const run = await shell(`${LOCAL} event sqs --body ${ORDER} | ${LOCAL} invoke orders-pipeline dev-POC-Lambda-1 --attach`);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
    expect(run.stderr).toContain('Order stored');
    await waitFor(/invoke {4}dev-POC-Lambda-1 <- invoke --attach: 1 record\(s\), \d+ ms, ok/);
    // The stored order streams on to POC-Lambda-2, which emails it.
    await waitFor(/Subject: New Order Notification[\s\S]*Item: latex gloves/);
  } finally {
    session.kill('SIGINT');
    await once(session, 'exit');
  }
  const gone = await shell(`echo '{}' | ${LOCAL} invoke orders-pipeline dev-POC-Lambda-1 --attach`);
  expect([gone.code, gone.stderr]).toEqual([2, expect.stringContaining('No `npm run local -- orders-pipeline` is running from this checkout')]);
});

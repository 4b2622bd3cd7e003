import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { startDynamoDbLocal } from '../../../local/emulators/dynamodb-local';
import { EmulatorStartError, startupTimeoutMs } from '../../../local/emulators/emulator-process';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators, type SharedEmulator } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';
import { acceptsConnections, portOf, processesMentioning, runNodeProgram } from '../support/process-checks';

function client(endpoint: string, accessKeyId = 'local', region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials: { accessKeyId, secretAccessKey: 'local' } });
}

async function tableNames(endpoint: string, accessKeyId?: string, region?: string): Promise<string[]> {
  const dynamodb = client(endpoint, accessKeyId, region);
  try {
    return (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    dynamodb.destroy();
  }
}

async function createTable(endpoint: string, name: string): Promise<void> {
  const dynamodb = client(endpoint);
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } finally {
    dynamodb.destroy();
  }
}

/** The JVM of the instance on this port, if it is still running. */
function jvmOnPort(port: number): string[] {
  return processesMentioning('DynamoDBLocal.jar', `-port ${port}`);
}

describe('startDynamoDbLocal', () => {
  // This worker's shared instance is one startDynamoDbLocal() started (in the emulator
  // broker): the properties below are of any instance, and one JVM fewer is started.
  let instance: SharedEmulator;
  const names = uniqueNames();

  beforeAll(async () => {
    instance = await workerEmulators().dynamodb();
  }, EMULATOR_HOOK_TIMEOUT_MS);

  it('answers on a loopback endpoint with a port it chose (not the default 8000)', async () => {
    expect(instance.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portOf(instance.endpoint)).not.toBe(8000);
    await expect(tableNames(instance.endpoint)).resolves.toEqual(expect.any(Array));
  });

  it('shows every client the same tables, whatever its credentials and region', async () => {
    const shared = names.table('shared');
    await createTable(instance.endpoint, shared);

    // DynamoDB Local rejects access keys that are not purely alphanumeric.
    await expect(tableNames(instance.endpoint, 'SomeoneElse', 'eu-west-1')).resolves.toContain(shared);
  });

  it('runs beside another instance with its own data, and stop() leaves nothing running', async () => {
    const other = await startDynamoDbLocal();
    const port = portOf(other.endpoint);
    try {
      expect(port).not.toBe(portOf(instance.endpoint));
      await expect(tableNames(other.endpoint)).resolves.toEqual([]);
      const onlyInOther = names.table('only-in-other');
      await createTable(other.endpoint, onlyInOther);
      await expect(tableNames(instance.endpoint)).resolves.not.toContain(onlyInOther);
      expect(jvmOnPort(port)).toHaveLength(1);
    } finally {
      await other.stop();
    }

    expect(jvmOnPort(port)).toEqual([]);
    await expect(acceptsConnections(port)).resolves.toBe(false);
    await expect(other.stop()).resolves.toBeUndefined();
  }, EMULATOR_HOOK_TIMEOUT_MS);
});

describe('startDynamoDbLocal failures', () => {
  it('says to install Java 17 when java is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const start = startDynamoDbLocal();
      await expect(start).rejects.toThrow(EmulatorStartError);
      await expect(start).rejects.toThrow(/Java 17.*apt-get install openjdk-17-jre-headless/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('fails fast with the JVM output when an explicitly chosen port is taken', async () => {
    const squatter: Server = createServer().listen(0);
    await once(squatter, 'listening');
    const port = (squatter.address() as { port: number }).port;
    try {
      const startedAt = Date.now();
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(/exited with code 1[\s\S]*Address already in use/);
      // Well before the start deadline: it did not wait for an answer that cannot come.
      expect(Date.now() - startedAt).toBeLessThan(startupTimeoutMs() / 2);
      expect(jvmOnPort(port)).toEqual([]);
    } finally {
      squatter.close();
    }
  }, EMULATOR_HOOK_TIMEOUT_MS);

  it('takes the JVM down when its owner exits without calling stop()', async () => {
    const output = await runNodeProgram(`
      const { startDynamoDbLocal } = require('./local/emulators/dynamodb-local.ts');
      startDynamoDbLocal().then((emulator) => {
        console.log(emulator.endpoint);
        process.exit(0);
      });
    `, EMULATOR_HOOK_TIMEOUT_MS);
    const port = portOf(output.trim());

    expect(port).toBeGreaterThan(0);
    expect(jvmOnPort(port)).toEqual([]);
    await expect(acceptsConnections(port)).resolves.toBe(false);
  }, EMULATOR_HOOK_TIMEOUT_MS);
});

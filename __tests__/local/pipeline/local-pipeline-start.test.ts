import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb-local';
import { startLocalPipeline } from '../../../local/pipeline/local-pipeline';
import type { PipelineEvent } from '../../../local/pipeline/pipeline-events';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';
import { pipelineDynamoDb } from '../support/pipeline-dynamodb';
import { acceptsConnections, portOf } from '../support/process-checks';

jest.setTimeout(60_000);

/** Runs `use` with the directory of a synthesized stack holding only `resources`, removed afterwards. */
async function withStack(resources: Record<string, unknown>, use: (stackDir: string) => Promise<void>): Promise<void> {
  const stackDir = mkdtempSync(join(tmpdir(), 'local-pipeline-start-'));
  try {
    writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify({ provider: { aws: [{ region: 'us-east-1' }] }, resource: resources }));
    await use(stackDir);
  } finally {
    rmSync(stackDir, { recursive: true, force: true });
  }
}

/** The emulators a pipeline reported starting, by name. */
function emulatorsStarted(events: readonly PipelineEvent[]) {
  return events.flatMap((event) => (event.kind === 'emulator' ? [event] : []));
}

test('a stack that cannot run locally is refused by name, and every emulator it started is stopped', () =>
  withStack(
    {
      aws_rds_cluster: { db: { cluster_identifier: 'dev-db', port: 3306 } },
      aws_efs_file_system: { files: { creation_token: 'files' } },
    },
    async (stackDir) => {
      const events: PipelineEvent[] = [];
      await expect(startLocalPipeline({ stackDir, onEvent: (event) => events.push(event) })).rejects.toThrow(
        /cannot create these resource types yet: aws_efs_file_system/,
      );
      const started = emulatorsStarted(events);
      // fauxqs, and for the cluster MariaDB and the local Secrets Manager (no table: no DynamoDB Local).
      expect(started.map((event) => event.name).sort()).toEqual(['MariaDB (Aurora MySQL)', 'Secrets Manager (GetSecretValue)', 'fauxqs (SQS, SNS, S3)']);
      for (const { endpoint } of started) expect(await acceptsConnections(portOf(endpoint.replace(/^mysql:/, 'http:')))).toBe(false);
    },
  ));

test('a stack without a table or a database starts neither DynamoDB Local nor MariaDB', () =>
  withStack({ aws_sqs_queue: { jobs: { name: 'dev-jobs' } } }, async (stackDir) => {
    const events: PipelineEvent[] = [];
    const pipeline = await startLocalPipeline({ stackDir, onEvent: (event) => events.push(event) });
    try {
      expect(emulatorsStarted(events).map((event) => event.name)).toEqual(['fauxqs (SQS, SNS, S3)']);
      expect(pipeline.endpoints.dynamodb).toBeUndefined();
      expect(pipeline.resources.queueByName('dev-jobs').url).toEqual(expect.any(String));
    } finally {
      await pipeline.stop();
    }
  }));

test('given a running DynamoDB Local, a pipeline creates its tables there and starts no JVM; stop() deletes them and leaves it running', async () => {
  const { endpoint } = await workerEmulators().dynamodb();
  const table = uniqueNames().table('jobs');
  const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const tableNames = async () => (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
  try {
    await withStack({ aws_dynamodb_table: { jobs: { name: table, hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] } } }, async (stackDir) => {
      const events: PipelineEvent[] = [];
      const pipeline = await startLocalPipeline({ stackDir, dynamodbEndpoint: endpoint, onEvent: (event) => events.push(event) });
      try {
        expect(emulatorsStarted(events).map((event) => event.name)).toEqual(['fauxqs (SQS, SNS, S3)']);
        expect(pipelineDynamoDb(pipeline).endpoint).toBe(endpoint);
        expect(await tableNames()).toContain(table);
      } finally {
        await pipeline.stop();
      }
      expect(await tableNames()).not.toContain(table);
    });
  } finally {
    dynamodb.destroy();
  }
}, EMULATOR_HOOK_TIMEOUT_MS);

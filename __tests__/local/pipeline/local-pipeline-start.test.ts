import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPipeline } from '../../../local/pipeline/local-pipeline';
import type { PipelineEvent } from '../../../local/pipeline/pipeline-events';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb-local';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';
import { acceptsConnections, portOf } from '../support/process-checks';
import { pipelineDynamoDb } from '../support/pipeline-dynamodb';

jest.setTimeout(60_000);

test('a stack that cannot run locally is refused by name, and every emulator it started is stopped', async () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'unrunnable-stack-'));
  try {
    writeFileSync(
      join(stackDir, 'cdk.tf.json'),
      JSON.stringify({
        provider: { aws: [{ region: 'us-east-1' }] },
        resource: {
          aws_rds_cluster: { db: { cluster_identifier: 'dev-db', port: 3306 } },
          aws_efs_file_system: { files: { creation_token: 'files' } },
        },
      }),
    );
    const events: PipelineEvent[] = [];
    await expect(startLocalPipeline({ stackDir, onEvent: (event) => events.push(event) })).rejects.toThrow(
      /cannot create these resource types yet: aws_efs_file_system/,
    );
    const started = events.flatMap((event) => (event.kind === 'emulator' ? [event] : []));
    // fauxqs, and for the cluster MariaDB and the local Secrets Manager (no table: no DynamoDB Local).
    expect(started.map((event) => event.name).sort()).toEqual(['MariaDB (Aurora MySQL)', 'Secrets Manager (GetSecretValue)', 'fauxqs (SQS, SNS, S3)']);
    for (const { endpoint } of started) expect(await acceptsConnections(portOf(endpoint.replace(/^mysql:/, 'http:')))).toBe(false);
  } finally {
    rmSync(stackDir, { recursive: true, force: true });
  }
});

test('a stack without a table or a database starts neither DynamoDB Local nor MariaDB', async () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'queue-only-stack-'));
  try {
    writeFileSync(
      join(stackDir, 'cdk.tf.json'),
      JSON.stringify({ provider: { aws: [{ region: 'us-east-1' }] }, resource: { aws_sqs_queue: { jobs: { name: 'dev-jobs' } } } }),
    );
    const events: PipelineEvent[] = [];
    const pipeline = await startLocalPipeline({ stackDir, onEvent: (event) => events.push(event) });
    try {
      expect(events.flatMap((event) => (event.kind === 'emulator' ? [event.name] : []))).toEqual(['fauxqs (SQS, SNS, S3)']);
      expect(pipeline.endpoints.dynamodb).toBeUndefined();
      expect(pipeline.resources.queueByName('dev-jobs').url).toEqual(expect.any(String));
    } finally {
      await pipeline.stop();
    }
  } finally {
    rmSync(stackDir, { recursive: true, force: true });
  }
});

test('given a running DynamoDB Local, a pipeline creates its tables there and starts no JVM; stop() deletes them and leaves it running', async () => {
  const { endpoint } = await workerEmulators().dynamodb();
  const table = uniqueNames().table('jobs');
  const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const tableNames = async () => (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
  const stackDir = mkdtempSync(join(tmpdir(), 'table-stack-'));
  try {
    writeFileSync(
      join(stackDir, 'cdk.tf.json'),
      JSON.stringify({
        provider: { aws: [{ region: 'us-east-1' }] },
        resource: { aws_dynamodb_table: { jobs: { name: table, hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] } } },
      }),
    );
    const events: PipelineEvent[] = [];
    const pipeline = await startLocalPipeline({ stackDir, dynamodbEndpoint: endpoint, onEvent: (event) => events.push(event) });
    try {
      expect(events.flatMap((event) => (event.kind === 'emulator' ? [event.name] : []))).toEqual(['fauxqs (SQS, SNS, S3)']);
      expect(pipelineDynamoDb(pipeline).endpoint).toBe(endpoint);
      expect(await tableNames()).toContain(table);
    } finally {
      await pipeline.stop();
    }
    expect(await tableNames()).not.toContain(table);
  } finally {
    dynamodb.destroy();
    rmSync(stackDir, { recursive: true, force: true });
  }
}, EMULATOR_HOOK_TIMEOUT_MS);

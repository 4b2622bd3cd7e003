/**
 * The AWS services a pipeline's functions reach, started locally side by side: fauxqs (SQS,
 * SNS, S3, the latter behind a guard that checks presigned links as S3 does, refuses
 * bodies over fauxqs's 11 MiB by name, takes browser POST uploads and answers CORS),
 * DynamoDB Local (tables and streams) only for a stack with a table, and MariaDB and the
 * local Secrets Manager only for a stack with a database. Also the SDK clients the runtime
 * itself uses, and the environment every function gets so that its own SDK clients reach
 * the same services.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from '../emulators/dynamodb-local';
import type { RunningEmulator } from '../emulators/emulator-process';
import { startFauxqs, type RunningFauxqs } from '../emulators/fauxqs';
import { startMariaDb, type RunningMariaDb } from '../emulators/mariadb';
import { startPresignedUrlGuard } from '../emulators/presigned-url-guard';
import { startSecretsManager, type RunningSecretsManager } from '../emulators/secrets-manager';
import type { BucketCors } from '../emulators/s3-cors';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import type { EmitPipelineEvent } from './pipeline-events';
import type { RunningParts } from './running-parts';

/**
 * Where the functions' DynamoDB clients go when the stack has no table: a loopback port
 * nothing listens on, so a call fails at once (as AWS would refuse it: the roles grant no
 * table) instead of leaving the machine for the real endpoint.
 */
const NO_DYNAMODB_ENDPOINT = 'http://127.0.0.1:1';

/** SDK service ids, as in AWS_ENDPOINT_URL_<ID>, whose endpoint a caller may replace for the functions. */
export type FunctionEndpointService = 'DYNAMODB' | 'SNS' | 'SQS' | 'S3';

export interface LocalServices {
  /** `dynamodb` (like `clients.dynamodb` and `streams`) is absent when the stack has no table. */
  readonly endpoints: { readonly dynamodb?: string; readonly sqs: string; readonly sns: string; readonly s3: string };
  readonly clients: { readonly dynamodb?: DynamoDBClient; readonly sqs: SQSClient; readonly sns: SNSClient; readonly s3: S3Client };
  readonly streams?: DynamoDBStreamsClient;
  /** fauxqs itself: it reports every object created in its S3. */
  readonly fauxqs: RunningFauxqs;
  /** Present for a stack with a database. */
  readonly databases?: { readonly mariadb: RunningMariaDb; readonly secrets: RunningSecretsManager };
  /** What every function's environment adds to the stack's own variables. */
  readonly functionEnvironment: Readonly<Record<string, string>>;
}

export interface LocalServicesOptions {
  /** See LocalPipelineOptions. */
  readonly functionEndpoints?: Readonly<Partial<Record<FunctionEndpointService, string>>>;
  /** See LocalPipelineOptions. */
  readonly dynamodbEndpoint?: string;
  /**
   * Each bucket's CORS rules for the local S3 (local/stack/bucket-cors.ts reads them from
   * the stacks); asked on every request, so it may learn them after provisioning.
   * @default no bucket has a CORS configuration
   */
  readonly s3Cors?: BucketCors;
}

/** One set of services for every stack run together (`stacks`, all in one region). */
export async function startLocalServices(
  stacks: readonly SynthesizedStack[],
  parts: RunningParts,
  emit: EmitPipelineEvent,
  { functionEndpoints = {}, dynamodbEndpoint: runningDynamoDb, s3Cors }: LocalServicesOptions = {},
): Promise<LocalServices> {
  const regions = [...new Set(stacks.map((stack) => stack.region))];
  if (regions.length !== 1) throw new Error(`Stacks run together locally share one region; these are in ${regions.join(', ')}.`);
  const [region] = regions;
  const started = <T extends RunningEmulator>(start: () => Promise<T>, name: string) =>
    start().then((emulator) => {
      parts.add(emulator);
      emit({ kind: 'emulator', name, endpoint: emulator.endpoint });
      return emulator;
    });
  // A stack pays only for the JVM and the database server it uses; all start side by side.
  const hasTable = stacks.some((stack) => Object.keys(stack.resources('aws_dynamodb_table')).length > 0);
  const hasDatabase = stacks.some((stack) => Object.keys(stack.resources('aws_rds_cluster')).length > 0);
  const dynamodbFor = () => (runningDynamoDb !== undefined ? { endpoint: runningDynamoDb } : started(() => startDynamoDbLocal(), 'DynamoDB Local'));
  const [dynamodbLocal, fauxqs, mariadb, secrets] = await allStarted([
    hasTable ? dynamodbFor() : undefined,
    started(() => startFauxqs({ region }), 'fauxqs (SQS, SNS, S3)'),
    hasDatabase ? started(() => startMariaDb(), 'MariaDB (Aurora MySQL)') : undefined,
    hasDatabase ? started(() => startSecretsManager({ region }), 'Secrets Manager (GetSecretValue)') : undefined,
  ] as const);
  const databases = mariadb && secrets ? { mariadb, secrets } : undefined;
  const s3 = parts.add(await startPresignedUrlGuard(fauxqs.endpoint, { credentials: LOCAL_CREDENTIALS, cors: s3Cors }));

  const clientConfig = { region, credentials: LOCAL_CREDENTIALS };
  const clients = {
    dynamodb: dynamodbLocal && new DynamoDBClient({ ...clientConfig, endpoint: dynamodbLocal.endpoint }),
    // fauxqs queue URLs name a host that does not resolve: the endpoint must be explicit.
    sqs: new SQSClient({ ...clientConfig, endpoint: fauxqs.endpoint }),
    sns: new SNSClient({ ...clientConfig, endpoint: fauxqs.endpoint }),
    s3: new S3Client({ ...clientConfig, endpoint: s3.endpoint }),
  };
  const streams = dynamodbLocal && new DynamoDBStreamsClient({ ...clientConfig, endpoint: dynamodbLocal.endpoint });
  parts.add({ stop: async () => [clients.dynamodb, clients.sqs, clients.sns, clients.s3, streams].forEach((client) => client?.destroy()) });
  const dynamodbEndpoint = dynamodbLocal?.endpoint ?? NO_DYNAMODB_ENDPOINT;

  const functionEnvironment = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodbEndpoint,
    AWS_ENDPOINT_URL_SNS: fauxqs.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    ...(databases
      ? {
          AWS_ENDPOINT_URL_SECRETS_MANAGER: databases.secrets.endpoint,
          // MariaDB here has no certificate; the deployed functions require TLS.
          DB_TLS: 'disabled',
        }
      : {}),
    // The functions are declared nodejs22.x; the SDK's warning is about this machine's
    // Node, which the CLI reports once, not once per execution environment.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...Object.fromEntries(Object.entries(functionEndpoints).flatMap(([id, url]) => (url === undefined ? [] : [[`AWS_ENDPOINT_URL_${id}`, url]]))),
  };
  return {
    endpoints: { dynamodb: dynamodbLocal?.endpoint, sqs: fauxqs.endpoint, sns: fauxqs.endpoint, s3: s3.endpoint },
    clients,
    streams,
    fauxqs,
    databases,
    functionEnvironment,
  };
}

/**
 * Waits for every start, even after one failed, so that nothing still starting is left
 * running once the caller stops what did start; then reports the first failure.
 */
async function allStarted<T extends readonly unknown[]>(starts: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const outcomes = await Promise.allSettled(starts);
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

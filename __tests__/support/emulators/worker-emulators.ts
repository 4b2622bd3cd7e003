/**
 * The emulators a suite shares with the other suites of its jest worker: started by the
 * emulator broker (in the jest parent) on the first request, stopped at the end of the run.
 *
 *     const emulators = workerEmulators();
 *     beforeAll(async () => {
 *       const dynamodb = await emulators.dynamodb();
 *       // ...create tables with names from uniqueNames(): other suites use this emulator too
 *     }, EMULATOR_HOOK_TIMEOUT_MS);
 *
 * A suite never stops a shared emulator, and names everything it creates with
 * `uniqueNames()` (../unique-names.ts) so that suites sharing one never collide.
 */
import { request } from 'node:http';
import { formatSeconds, STARTUP_TIMEOUT_VARIABLE } from '../../../local/emulators/emulator-process';
import type { DatabaseCredentials } from '../../../local/emulators/mariadb';
import { BROKER_URL_VARIABLE, emulatorPath, type BrokerAnswer, type EmulatorKind } from './broker-protocol';

export interface SharedEmulator {
  /** Base URL for SDK clients (`endpoint`, or an `AWS_ENDPOINT_URL_<SERVICE>` variable). */
  readonly endpoint: string;
}

export interface SharedMariaDb extends SharedEmulator {
  /** A login that may create databases and users (like an RDS master user). */
  readonly credentials: DatabaseCredentials;
}

export interface WorkerEmulators {
  /** DynamoDB Local, with Streams; one database for every access key. */
  dynamodb(): Promise<SharedEmulator>;
  /** fauxqs: SQS, SNS and S3 on one endpoint (see local/emulators/fauxqs.ts for its quirks). */
  fauxqs(): Promise<SharedEmulator>;
  mariadb(): Promise<SharedMariaDb>;
}

/** A wait longer than this is worth a line in the suite's log (shown when a test fails). */
const SLOW_START_MS = 10_000;

export function workerEmulators(): WorkerEmulators {
  return {
    dynamodb: () => ask('dynamodb'),
    fauxqs: () => ask('fauxqs'),
    mariadb: async () => {
      const { endpoint, credentials } = await ask('mariadb');
      if (credentials === undefined) throw new Error('The emulator broker sent MariaDB without its credentials');
      return { endpoint, credentials };
    },
  };
}

async function ask(kind: EmulatorKind): Promise<SharedEmulator & { credentials?: DatabaseCredentials }> {
  const brokerUrl = process.env[BROKER_URL_VARIABLE];
  if (brokerUrl === undefined || brokerUrl === '') {
    throw new Error(
      `This suite asked for a shared ${kind} emulator, but no emulator broker is running (${BROKER_URL_VARIABLE} is not set). ` +
        "The broker is started by jest.config.js's globalSetup for `npm test`; `npm run test:unit` starts none, " +
        'because its tests must not need emulators: if this suite ran under test:unit, its filter (__tests__/support/unit-tests.js) missed it.',
    );
  }
  const workerId = process.env.JEST_WORKER_ID ?? '1';
  const askedAt = Date.now();
  const answer = await post(new URL(emulatorPath(workerId, kind), brokerUrl));
  if (!answer.ok) throw new Error(answer.error);
  const waited = Date.now() - askedAt;
  if (waited > SLOW_START_MS) {
    console.warn(
      `Waited ${formatSeconds(waited)} for jest worker ${workerId}'s ${kind} emulator to answer ` +
        `(its start deadline is ${formatSeconds(answer.startupDeadlineMs)}; ${STARTUP_TIMEOUT_VARIABLE} sets it).`,
    );
  }
  return answer.emulator;
}

/**
 * One POST on a connection of its own (`agent: false`): nothing pooled outlives the request
 * to keep the worker from exiting. No timeout: the broker answers once the start succeeded
 * or failed, and the launcher's own deadline bounds that.
 */
function post(url: URL): Promise<BrokerAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as BrokerAnswer);
        } catch (error) {
          reject(new Error(`The emulator broker at ${url.origin} answered ${incoming.statusCode} with something not JSON`, { cause: error }));
        }
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', (error) => reject(new Error(`Could not reach the emulator broker at ${url.origin}: ${error.message}`, { cause: error })));
    outgoing.end();
  });
}

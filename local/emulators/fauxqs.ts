/**
 * fauxqs: an in-memory SQS, SNS (with SNS -> SQS fan-out) and S3 emulator written in
 * JavaScript, started on demand.
 *
 * Quirks a caller must know:
 * - Queue URLs it returns look like `http://sqs.us-east-1.localhost:<port>/000000000000/<name>`.
 *   That host does not resolve on most machines, and fauxqs finds queues by the exact URL,
 *   so the URL cannot be rewritten either. Use it verbatim as `QueueUrl` and give the
 *   SQSClient an explicit `endpoint` (constructor option) or `useQueueUrlAsEndpoint: false`.
 *   With only `AWS_ENDPOINT_URL_SQS` set, the SDK sends to the URL's host and fails with
 *   ENOTFOUND.
 * - S3 clients need `forcePathStyle: true`: a bucket name cannot be a subdomain of 127.0.0.1.
 * - Credentials are never checked; the region is read from each request's signature.
 */
import { spawn } from 'node:child_process';
import { EmulatorProcess, EmulatorStartError, type RunningEmulator } from './emulator-process';

export interface FauxqsOptions {
  /**
   * Region of resources created by unsigned requests. Signed requests (every SDK call)
   * carry their own region.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /** @default 15_000 */
  readonly startupTimeoutMs?: number;
}

/** What the child reports once it listens. */
interface ListeningMessage {
  readonly address: string;
}

/**
 * Runs in the child. fauxqs is an ES module only, which a CommonJS caller such as Jest
 * (without experimental VM modules) cannot load, so it runs in a Node process of its own;
 * that also keeps the emulator's work off the caller's event loop, as in AWS.
 * `buildApp` rather than `startFauxqs`: the latter listens on every interface, and an
 * emulator that accepts any credentials belongs on loopback only. Port 0 lets the OS
 * choose a free port with no race; the child reports it over IPC.
 */
const CHILD_PROGRAM = `
import { buildApp } from 'fauxqs';
const app = buildApp({ logger: false, defaultRegion: process.env.FAUXQS_DEFAULT_REGION });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.send({ address });
// The IPC channel closes when the parent stops this process or dies: go with it.
process.on('disconnect', () => process.exit(0));
`;

/**
 * Starts fauxqs on a free loopback port and resolves once it listens.
 *
 * @throws EmulatorStartError when the child exits early or does not listen in time
 */
export async function startFauxqs(options: FauxqsOptions = {}): Promise<RunningEmulator> {
  const child = spawn(process.execPath, ['--input-type=module', '--eval', CHILD_PROGRAM], {
    // `import 'fauxqs'` in an --eval program resolves from the working directory.
    cwd: __dirname,
    env: { ...process.env, FAUXQS_DEFAULT_REGION: options.region ?? 'us-east-1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const server = new EmulatorProcess(child, 'fauxqs');

  let endpoint: string | undefined;
  child.once('message', (message: ListeningMessage) => {
    endpoint = message.address;
  });
  try {
    await server.waitUntilReady(async () => endpoint !== undefined, options.startupTimeoutMs ?? 15_000);
  } catch (error) {
    throw explainMissingPackage(error);
  }
  return { endpoint: endpoint as string, stop: () => server.stop() };
}

function explainMissingPackage(error: unknown): unknown {
  if (!(error instanceof EmulatorStartError) || !/Cannot find package 'fauxqs'/.test(error.output)) return error;
  return new EmulatorStartError(
    error.emulator,
    'the fauxqs package is not installed. Run `npm ci` (it is a pinned devDependency; fauxqs 2.x needs Node 22, 1.9.x runs on Node 20).',
    error.output,
  );
}

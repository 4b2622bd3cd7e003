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
 * - S3 clients use path-style addressing: the endpoint is an IP address, so the SDK does so
 *   by itself (with AWS_ENDPOINT_URL_S3 too); fauxqs's S3 has no versioning.
 * - Credentials are never checked; the region is read from each request's signature.
 */
import { spawn } from 'node:child_process';
import type { CreatedObject } from '../event-sources/s3-event-record';
import { EmulatorProcess, EmulatorStartError, startupTimeoutMs, type RunningEmulator } from './emulator-process';

export interface FauxqsOptions {
  /**
   * Region of resources created by unsigned requests. Signed requests (every SDK call)
   * carry their own region.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /** @default EMULATOR_STARTUP_TIMEOUT_MS from the environment, else 120_000 (see `startupTimeoutMs`) */
  readonly startupTimeoutMs?: number;
}

/**
 * The metadata key (x-amz-meta-<key>) by which a write says it stores a browser's POST
 * upload (see post-object-upload.ts): the object is reported as `ObjectCreated:Post`, as
 * S3 reports it, and the key itself is not stored.
 */
export const POST_UPLOAD_METADATA_KEY = 'fauxqs-local-post-upload';

/** What the child reports: once, where it listens; then each object created in its S3. */
type ChildMessage = { readonly address: string } | { readonly objectCreated: CreatedObject };

export interface RunningFauxqs extends RunningEmulator {
  /**
   * Calls `listener` for each object written to its S3 (PutObject, CopyObject,
   * CompleteMultipartUpload, and PutObject for a POST upload, see POST_UPLOAD_METADATA_KEY),
   * after the write: what S3 event notifications are made of.
   * @returns a function that removes the listener
   */
  onObjectCreated(listener: (object: CreatedObject) => void): () => void;
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
// fauxqs 1.9 exports no S3 store, and S3 notifications are not among its features: its
// store is loaded by file and watched, so each object created is reported to the parent.
const { S3Store } = await import(new URL('./s3/s3Store.js', import.meta.resolve('fauxqs')));
class ObservedS3Store extends S3Store {
  putObject(bucket, key, body, contentType, metadata = {}) {
    const { [${JSON.stringify(POST_UPLOAD_METADATA_KEY)}]: posted, ...kept } = metadata;
    this.posting = posted !== undefined;
    try { return super.putObject(bucket, key, body, contentType, kept); } finally { this.posting = false; }
  }
  completeMultipartUpload(...args) {
    this.completing = true;
    try { return super.completeMultipartUpload(...args); } finally { this.completing = false; }
  }
}
const s3Store = new ObservedS3Store();
let pending;
// fauxqs reports "uploaded" for every write, then "copied" at once for a CopyObject: the
// event is sent a microtask later, when its kind is settled.
s3Store.spy = {
  addMessage(message) {
    if (message.service !== 's3') return;
    if (message.status === 'uploaded') {
      pending = { bucket: message.bucket, key: message.key, eventName: s3Store.completing ? 'ObjectCreated:CompleteMultipartUpload' : s3Store.posting ? 'ObjectCreated:Post' : 'ObjectCreated:Put' };
      const created = pending;
      queueMicrotask(() => {
        const object = s3Store.buckets.get(created.bucket)?.get(created.key);
        if (object) process.send({ objectCreated: { ...created, size: object.contentLength, eTag: object.etag } });
      });
    } else if (message.status === 'copied' && pending && pending.bucket === message.bucket && pending.key === message.key) {
      pending.eventName = 'ObjectCreated:Copy';
    }
  },
};
const app = buildApp({ logger: false, defaultRegion: process.env.FAUXQS_DEFAULT_REGION, stores: { s3Store } });
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
export async function startFauxqs(options: FauxqsOptions = {}): Promise<RunningFauxqs> {
  // Read before anything is spawned: a bad EMULATOR_STARTUP_TIMEOUT_MS then leaves nothing running.
  const timeoutMs = options.startupTimeoutMs ?? startupTimeoutMs();
  const child = spawn(process.execPath, ['--input-type=module', '--eval', CHILD_PROGRAM], {
    // `import 'fauxqs'` in an --eval program resolves from the working directory.
    cwd: __dirname,
    env: { ...process.env, FAUXQS_DEFAULT_REGION: options.region ?? 'us-east-1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const server = new EmulatorProcess(child, 'fauxqs');

  let endpoint: string | undefined;
  const listeners = new Set<(object: CreatedObject) => void>();
  child.on('message', (message: ChildMessage) => {
    if ('address' in message) endpoint = message.address;
    else for (const listener of listeners) listener(message.objectCreated);
  });
  try {
    await server.waitUntilReady(async () => endpoint !== undefined, timeoutMs);
  } catch (error) {
    throw explainMissingPackage(error);
  }
  return {
    endpoint: endpoint as string,
    stop: () => server.stop(),
    onObjectCreated: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function explainMissingPackage(error: unknown): unknown {
  if (!(error instanceof EmulatorStartError) || !/Cannot find package 'fauxqs'/.test(error.output)) return error;
  return new EmulatorStartError(
    error.emulator,
    'the fauxqs package is not installed. Run `npm ci` (it is a pinned devDependency; fauxqs 2.x needs Node 22, 1.9.x runs on Node 20).',
    error.output,
  );
}

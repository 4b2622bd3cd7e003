import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { presignedExpiry, startPresignedUrlGuard } from '../../../local/emulators/presigned-url-guard';
import type { RunningEmulator } from '../../../local/emulators/emulator-process';
import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb-local';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';

// fauxqs is shared with the other suites of this jest worker.
const BUCKET = uniqueNames().bucket('reports');
let guard: RunningEmulator;
let s3: S3Client;
let clock = new Date();

beforeAll(async () => {
  const fauxqs = await workerEmulators().fauxqs();
  guard = await startPresignedUrlGuard(fauxqs.endpoint, () => clock);
  s3 = new S3Client({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: guard.endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/a.html', Body: '<h1>Report</h1>' }));
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  s3?.destroy();
  await guard?.stop();
});

test('a presigned link works until it expires, then S3 refuses it', async () => {
  clock = new Date();
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/a.html' }), { expiresIn: 60, signingDate: clock });
  expect(new URL(url).origin).toBe(guard.endpoint);

  const fresh = await fetch(url);
  expect(fresh.status).toBe(200);
  expect(await fresh.text()).toBe('<h1>Report</h1>');

  clock = new Date(clock.getTime() + 61_000);
  const expired = await fetch(url);
  expect(expired.status).toBe(403);
  expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
});

test('requests that are not presigned pass through, bodies included', async () => {
  clock = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/b.html', Body: 'x'.repeat(200_000) }));
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/b.html' }));
  expect((await Body?.transformToString())?.length).toBe(200_000);
});

test('reads the expiry from the query, and treats a malformed one as expired', () => {
  expect(presignedExpiry(new URL('http://x/b/k?X-Amz-Date=20261123T100000Z&X-Amz-Expires=3600'))).toEqual(new Date('2026-11-23T11:00:00Z'));
  expect(presignedExpiry(new URL('http://x/b/k'))).toBeUndefined();
  expect(presignedExpiry(new URL('http://x/b/k?X-Amz-Date=yesterday&X-Amz-Expires=60'))).toEqual(new Date(0));
});

test("passes on no connection header of the upstream's: clients keep the guard's own keep-alive terms", async () => {
  // fauxqs offers 72 s; the guard closes idle connections after 5 s. A client told 72 s
  // reused a connection as the guard closed it, and its request failed with ECONNRESET.
  const upstream = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', connection: 'keep-alive, x-hop', 'keep-alive': 'timeout=72', 'x-hop': '1', 'x-amz-request-id': 'r1' });
    response.end('ok');
  }).listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const proxy = await startPresignedUrlGuard(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  try {
    const response = await fetch(`${proxy.endpoint}/bucket/key`);
    expect(await response.text()).toBe('ok');
    expect(response.headers.get('x-amz-request-id')).toBe('r1');
    expect(response.headers.get('x-hop')).toBeNull();
    expect(response.headers.get('keep-alive')).toBe('timeout=5');
  } finally {
    await proxy.stop();
    upstream.close();
  }
});

import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createServer, request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startPresignedUrlGuard } from '../../../local/emulators/presigned-url-guard';
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
  guard = await startPresignedUrlGuard(fauxqs.endpoint, { credentials: LOCAL_CREDENTIALS, now: () => clock });
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

describe('signatures, checked as S3 checks them', () => {
  const signatureDoesNotMatch = /^<\?xml[^>]*>\n<Error><Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match the signature you provided\. Check your key and signing method\.<\/Message>/;
  let url: string;

  beforeAll(async () => {
    clock = new Date();
    url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/a.html' }), { expiresIn: 3600, signingDate: clock });
  });

  test('a link whose signature was cut short is refused: 403 SignatureDoesNotMatch', async () => {
    const response = await fetch(url.replace(/(X-Amz-Signature=[0-9a-f]{20})[0-9a-f]+/, '$1'));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(await response.text()).toMatch(signatureDoesNotMatch);
  });

  test('a link cut in its signature, losing the parameters after it, is refused as S3 refuses it: 400', async () => {
    // What the terminal printed: the SDK puts X-Amz-SignedHeaders after X-Amz-Signature.
    const response = await fetch(url.slice(0, url.indexOf('X-Amz-Signature=') + 'X-Amz-Signature='.length + 30));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(
      /<Code>AuthorizationQueryParametersError<\/Code><Message>Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters\.<\/Message>/,
    );
  });

  test('a link with one character of its signature changed is refused', async () => {
    const tampered = url.replace(/(X-Amz-Signature=[0-9a-f]*)([0-9a-f])(&|$)/, (_all, head: string, last: string, tail: string) => `${head}${last === '0' ? '1' : '0'}${tail}`);
    expect(tampered).not.toBe(url);
    const response = await fetch(tampered);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(signatureDoesNotMatch);
  });

  test('a link for another key, its signature kept, is refused', async () => {
    const response = await fetch(url.replace('reports/a.html', 'reports/b.html'));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(signatureDoesNotMatch);
  });

  test('a link signed with another secret key is refused', async () => {
    const other = new S3Client({ region: 'us-east-1', credentials: { ...LOCAL_CREDENTIALS, secretAccessKey: 'not-the-local-secret' }, endpoint: guard.endpoint });
    const forged = await getSignedUrl(other, new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/a.html' }), { expiresIn: 3600, signingDate: clock });
    other.destroy();
    const response = await fetch(forged);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(signatureDoesNotMatch);
  });

  test('a link signed by an access key the local S3 does not know is refused: 403 InvalidAccessKeyId', async () => {
    const other = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }, endpoint: guard.endpoint });
    const foreign = await getSignedUrl(other, new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/a.html' }), { expiresIn: 3600, signingDate: clock });
    other.destroy();
    const response = await fetch(foreign);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/<Code>InvalidAccessKeyId<\/Code><Message>The AWS Access Key Id you provided does not exist in our records\.<\/Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE<\/AWSAccessKeyId>/);
  });

  test('the untouched link still opens, and a presigned PUT with its content type stores the body', async () => {
    expect((await fetch(url)).status).toBe(200);
    const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/c.json', ContentType: 'application/json' }), { expiresIn: 60, signingDate: clock });
    const stored = await fetch(put, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
    expect(stored.status).toBe(200);
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/c.json' }));
    expect(await Body?.transformToString()).toBe('{"ok":true}');
  });

  test('a header the link was signed with must be sent, with the value signed', async () => {
    const withHeader = await getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/d.json', Metadata: { owner: 'ana' } }), {
      expiresIn: 60,
      signingDate: clock,
      unhoistableHeaders: new Set(['x-amz-meta-owner']),
    });
    expect(new URL(withHeader).searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-amz-meta-owner');
    const put = (headers: Record<string, string>) => fetch(withHeader, { method: 'PUT', headers, body: '{}' });
    expect((await put({})).status).toBe(403);
    expect((await put({ 'x-amz-meta-owner': 'mallory' })).status).toBe(403);
    expect((await put({ 'x-amz-meta-owner': 'ana' })).status).toBe(200);
  });

  test('a link valid for more than a week is refused, as S3 refuses it', async () => {
    const tooLong = url.replace('X-Amz-Expires=3600', 'X-Amz-Expires=604801');
    const response = await fetch(tooLong);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>AuthorizationQueryParametersError<\/Code><Message>X-Amz-Expires must be less than a week \(in seconds\); that is, the given X-Amz-Expires must be less than 604800 seconds<\/Message>/);
  });
});

test('requests that are not presigned pass through, bodies included', async () => {
  clock = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/b.html', Body: 'x'.repeat(200_000) }));
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/b.html' }));
  expect((await Body?.transformToString())?.length).toBe(200_000);
});

describe("bodies over fauxqs's limit, refused up front rather than cut off", () => {
  /** fauxqs 1.9's Fastify bodyLimit: 11 MiB. */
  const LIMIT = 11 * 1024 * 1024;
  const notSupportedLocally = (size: number) =>
    new RegExp(
      `^<\\?xml[^>]*>\\n<Error><Code>EntityTooLarge</Code><Message>[^<]*not supported locally[^<]*${LIMIT} bytes[^<]*real S3 takes up to 5 GB in one PUT[^<]*</Message>` +
        `<ProposedSize>${size}</ProposedSize><MaxSizeAllowed>${LIMIT}</MaxSizeAllowed>`,
    );

  beforeAll(() => {
    clock = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  });

  test('an SDK PutObject over the limit fails with EntityTooLarge saying why, not 502 or EPIPE', async () => {
    const error = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/big.json', Body: Buffer.alloc(LIMIT + 1, 0x20) })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'EntityTooLarge', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(/not supported locally/);
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/big.json' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  test('a plain PUT with a Content-Length over the limit gets the S3-style answer', async () => {
    const response = await fetch(`${guard.endpoint}/${BUCKET}/uploads/big.json`, { method: 'PUT', body: Buffer.alloc(LIMIT + 1, 0x20) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(await response.text()).toMatch(notSupportedLocally(LIMIT + 1));
  });

  test('a chunked PUT that grows past the limit gets the same answer, not a cut connection', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 12) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${guard.endpoint}/${BUCKET}/uploads/big.json`, { method: 'PUT', body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>EntityTooLarge<\/Code><Message>[^<]*not supported locally/);
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/big.json' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  test('a client that waits for "100 Continue" is refused before it sends the body', async () => {
    const put = request(`${guard.endpoint}/${BUCKET}/uploads/big.json`, { method: 'PUT', headers: { 'content-length': LIMIT + 1, expect: '100-continue' } });
    let continued = false;
    put.on('continue', () => (continued = true));
    put.flushHeaders();
    const [response] = (await once(put, 'response')) as [IncomingMessage];
    response.resume();
    put.destroy();
    expect(response.statusCode).toBe(400);
    expect(response.headers.connection).toBe('close');
    expect(continued).toBe(false);
  });

  test('a body of exactly the limit is stored', async () => {
    const response = await fetch(`${guard.endpoint}/${BUCKET}/uploads/limit.bin`, { method: 'PUT', body: Buffer.alloc(LIMIT, 0x61) });
    expect(response.status).toBe(200);
    const { ContentLength } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/limit.bin' }));
    expect(ContentLength).toBe(LIMIT);
  });
});


test("passes on no connection header of the upstream's: clients keep the guard's own keep-alive terms", async () => {
  // fauxqs offers 72 s; the guard closes idle connections after 5 s. A client told 72 s
  // reused a connection as the guard closed it, and its request failed with ECONNRESET.
  const upstream = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', connection: 'keep-alive, x-hop', 'keep-alive': 'timeout=72', 'x-hop': '1', 'x-amz-request-id': 'r1' });
    response.end('ok');
  }).listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const proxy = await startPresignedUrlGuard(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, { credentials: LOCAL_CREDENTIALS });
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

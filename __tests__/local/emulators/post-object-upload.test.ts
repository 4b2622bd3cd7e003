import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb-local';
import type { RunningEmulator } from '../../../local/emulators/emulator-process';
import { startFauxqs, type RunningFauxqs } from '../../../local/emulators/fauxqs';
import { startPresignedUrlGuard } from '../../../local/emulators/presigned-url-guard';
import type { CorsRule } from '../../../local/emulators/s3-cors';
import { startS3Notifications } from '../../../local/event-sources/s3-notification-source';
import type { AsyncInvoker } from '../../../local/lambda/async-invoker';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';

// A fauxqs of its own: the shared one does not report the objects created in it.
const BUCKET = 'inventory-uploads';
const OTHER_BUCKET = 'report-bucket';
const DASHBOARD = 'http://localhost:8080';
const MAX = 10 * 1024 * 1024;
const CORS: Record<string, CorsRule[]> = {
  [BUCKET]: [{ allowedOrigins: [DASHBOARD], allowedMethods: ['POST'], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 3000 }],
};

let fauxqs: RunningFauxqs;
let guard: RunningEmulator;
let s3: S3Client;
let clock: Date | undefined;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  guard = await startPresignedUrlGuard(fauxqs.endpoint, { credentials: LOCAL_CREDENTIALS, now: () => clock ?? new Date(), cors: (bucket) => CORS[bucket] });
  s3 = new S3Client({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: guard.endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new CreateBucketCommand({ Bucket: OTHER_BUCKET }));
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  s3?.destroy();
  await guard?.stop();
  await fauxqs?.stop();
});

afterEach(() => {
  clock = undefined;
});

/** The dashboard API's presigned POST (see the issue 11 contract), for the guard's endpoint. */
const presignedPost = (key: string, overrides: Partial<PresignedPostOptions> = {}) =>
  createPresignedPost(s3, {
    Bucket: BUCKET,
    Key: key,
    Conditions: [{ bucket: BUCKET }, ['content-length-range', 1, MAX], ['eq', '$Content-Type', 'application/json']],
    Fields: { 'Content-Type': 'application/json' },
    Expires: 300,
    ...overrides,
  });

/** What a page does: every field in order, then the file, in a multipart form. */
function form(fields: Record<string, string>, file?: Blob | string, fileName = 'inventory.json'): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  if (typeof file === 'string') body.append('file', new Blob([file], { type: 'application/json' }), fileName);
  else if (file) body.append('file', file, fileName);
  return body;
}

const post = (url: string, body: FormData, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers, redirect: 'manual' });

const INVENTORY = JSON.stringify([{ productId: 'P1', name: 'Laptop', quantity: 3, price: 999 }]);

test('a browser upload with the presigned POST stores the object with its content type, and S3 answers 204', async () => {
  const key = 'uploads/sub-1/a1.json';
  const { url, fields } = await presignedPost(key);
  expect(url).toBe(`${guard.endpoint}/${BUCKET}`);

  const response = await post(url, form(fields, INVENTORY));
  expect(response.status).toBe(204);
  expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  expect(response.headers.get('location')).toBe(`${guard.endpoint}/${BUCKET}/uploads/sub-1/a1.json`);

  const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  expect(stored.ContentType).toBe('application/json');
  // The mark that tells fauxqs how the object came is not kept.
  expect(stored.Metadata).toEqual({});
  expect(await stored.Body?.transformToString()).toBe(INVENTORY);
});

test('a POSTed uploads/...json object invokes the bucket notification, as a PUT does', async () => {
  const events: unknown[] = [];
  let delivered: () => void = () => undefined;
  const twoDelivered = new Promise<void>((resolve) => (delivered = resolve));
  const invoker = {
    enqueue: (event: unknown) => {
      events.push(event);
      if (events.length === 2) delivered();
    },
    idle: async () => undefined,
    stop: async () => undefined,
  } as unknown as AsyncInvoker;
  const notifications = startS3Notifications(fauxqs, [{ id: 'process-inventory', bucket: BUCKET, events: ['s3:ObjectCreated:*'], filterPrefix: 'uploads/', filterSuffix: '.json', invoker }], 'us-east-1');
  try {
    const { url, fields } = await presignedPost('uploads/sub-1/posted.json');
    expect((await post(url, form(fields, INVENTORY))).status).toBe(204);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/put.json', Body: INVENTORY, ContentType: 'application/json' }));
    await twoDelivered;
    const records = events.map((event) => (event as { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size: number } } }[] }).Records[0]);
    // S3 names how each came to be.
    expect(records.map(({ eventName, s3: { bucket, object } }) => [eventName, bucket.name, object.key, object.size])).toEqual([
      ['ObjectCreated:Post', BUCKET, 'uploads/sub-1/posted.json', INVENTORY.length],
      ['ObjectCreated:Put', BUCKET, 'uploads/put.json', INVENTORY.length],
    ]);
  } finally {
    await notifications.stop();
  }
});

describe('refusals, in S3 XML with S3 codes, and nothing stored', () => {
  const expectNotStored = (key: string) => expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({ name: 'NotFound' });

  test('another content type than the policy fixes: 403 Policy Condition failed', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/html.json');
    const response = await post(url, form({ ...fields, 'Content-Type': 'text/html' }, '<script>alert(1)</script>'));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(await response.text()).toMatch(
      /^<\?xml[^>]*>\n<Error><Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy Condition failed: \[&#34;eq&#34;, &#34;\$Content-Type&#34;, &#34;application\/json&#34;\]<\/Message><RequestId>/,
    );
    await expectNotStored('uploads/sub-1/html.json');
  });

  test('a file one byte over the range, the browser check bypassed: EntityTooLarge with MaxSizeAllowed', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/big.json');
    const response = await post(url, form(fields, new Blob([Buffer.alloc(MAX + 1, 0x20)], { type: 'application/json' })));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(
      /<Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message><ProposedSize>10485761<\/ProposedSize><MaxSizeAllowed>10485760<\/MaxSizeAllowed>/,
    );
    await expectNotStored('uploads/sub-1/big.json');
  });

  test("a 12 MiB file, over fauxqs's body limit too, gets the policy's answer, as S3 gives it", async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/huge.json');
    const response = await post(url, form(fields, new Blob([Buffer.alloc(12 * 1024 * 1024, 0x20)])));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message><ProposedSize>12582912<\/ProposedSize><MaxSizeAllowed>10485760</);
  });

  test("a file the policy allows but over fauxqs's limit: the local body limit's loud refusal", async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/huge.json', { Conditions: [['content-length-range', 1, 20 * MAX]] });
    const response = await post(url, form(fields, new Blob([Buffer.alloc(12 * 1024 * 1024, 0x20)])));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>EntityTooLarge<\/Code><Message>[^<]*not supported locally[^<]*<\/Message><ProposedSize>12582912<\/ProposedSize><MaxSizeAllowed>11534336</);
    await expectNotStored('uploads/sub-1/huge.json');
  });

  test('an empty file: EntityTooSmall', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/empty.json');
    const response = await post(url, form(fields, ''));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>EntityTooSmall<\/Code><Message>Your proposed upload is smaller than the minimum allowed size<\/Message><ProposedSize>0<\/ProposedSize><MinSizeAllowed>1<\/MinSizeAllowed>/);
  });

  test('an expired policy: AccessDenied "Policy expired."', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/late.json');
    clock = new Date(Date.now() + 301_000);
    const response = await post(url, form(fields, INVENTORY));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy expired\.<\/Message>/);
    await expectNotStored('uploads/sub-1/late.json');
  });

  test('a field the policy does not name: Extra input fields', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/extra.json');
    const response = await post(url, form({ ...fields, 'x-amz-meta-owner': 'mallory' }, INVENTORY));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/<Message>Invalid according to Policy: Extra input fields: x-amz-meta-owner<\/Message>/);
  });

  test('no file: InvalidArgument; fields after the file are ignored, as S3 ignores them', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/nofile.json');
    const response = await post(url, form(fields));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>InvalidArgument<\/Code><Message>POST requires exactly one file upload per request\.<\/Message><ArgumentName>file<\/ArgumentName><ArgumentValue>0<\/ArgumentValue>/);

    const after = form(fields, INVENTORY);
    after.append('x-amz-meta-owner', 'mallory');
    expect((await post(url, after)).status).toBe(204);
  });

  test('a bucket that does not exist: 404 NoSuchBucket', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/a.json', { Bucket: 'no-such-bucket', Conditions: [] });
    const response = await post(url, form(fields, INVENTORY));
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/<Code>NoSuchBucket<\/Code>/);
  });

  test('a body that is not multipart/form-data as it claims: MalformedPOSTRequest', async () => {
    const response = await fetch(`${guard.endpoint}/${BUCKET}`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nnot a part' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>MalformedPOSTRequest<\/Code>/);
    const noBoundary = await fetch(`${guard.endpoint}/${BUCKET}`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    expect(noBoundary.status).toBe(400);
    expect(await noBoundary.text()).toMatch(/<Code>MalformedPOSTRequest<\/Code>/);
  });
});

test('success_action_status 201 answers an XML PostResponse; success_action_redirect answers 303 to it, with bucket, key and ETag', async () => {
  const created = await presignedPost('uploads/sub-1/201.json', { Fields: { 'Content-Type': 'application/json', success_action_status: '201' } });
  const response = await post(created.url, form(created.fields, INVENTORY));
  expect(response.status).toBe(201);
  expect(await response.text()).toMatch(
    new RegExp(`<PostResponse><Location>${guard.endpoint}/${BUCKET}/uploads/sub-1/201\\.json</Location><Bucket>${BUCKET}</Bucket><Key>uploads/sub-1/201\\.json</Key><ETag>&#34;[0-9a-f]{32}&#34;</ETag></PostResponse>`),
  );

  const redirected = await presignedPost('uploads/sub-1/303.json', { Fields: { 'Content-Type': 'application/json', success_action_redirect: `${DASHBOARD}/uploaded` } });
  const answer = await post(redirected.url, form(redirected.fields, INVENTORY));
  expect(answer.status).toBe(303);
  const location = new URL(answer.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(`${DASHBOARD}/uploaded`);
  expect(Object.fromEntries(location.searchParams)).toEqual({ bucket: BUCKET, key: 'uploads/sub-1/303.json', etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
});

test("fauxqs's own bucket POST, DeleteObjects, still passes through", async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/gone.json', Body: '{}' }));
  const { Deleted } = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'uploads/gone.json' }] } }));
  expect(Deleted).toEqual([expect.objectContaining({ Key: 'uploads/gone.json' })]);
  await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/gone.json' }))).rejects.toMatchObject({ name: 'NotFound' });
});

describe("CORS, from each bucket's rules", () => {
  const preflight = (bucket: string, headers: Record<string, string>, endpoint = guard.endpoint) => fetch(`${endpoint}/${bucket}`, { method: 'OPTIONS', headers });

  test("the dashboard's preflight for the upload POST is allowed, with the rule's terms", async () => {
    const response = await preflight(BUCKET, { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    expect(response.status).toBe(200);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'))).toEqual({
      'access-control-allow-origin': DASHBOARD,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '3000',
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  test('a preflight from another origin, or for another method, is refused with S3 403', async () => {
    for (const headers of [
      { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      { origin: DASHBOARD, 'access-control-request-method': 'DELETE' },
    ]) {
      const response = await preflight(BUCKET, headers);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(await response.text()).toMatch(/<Code>AccessForbidden<\/Code><Message>CORSResponse: This CORS request is not allowed\./);
    }
  });

  test("a cors option that throws fails the request with 500 saying why, and the guard goes on", async () => {
    const broken = await startPresignedUrlGuard(fauxqs.endpoint, {
      credentials: LOCAL_CREDENTIALS,
      cors: () => {
        throw new Error('no stack read yet');
      },
    });
    try {
      const response = await preflight(BUCKET, { origin: DASHBOARD, 'access-control-request-method': 'POST' }, broken.endpoint);
      expect(response.status).toBe(500);
      expect(await response.text()).toMatch(/the local S3 guard failed: Error: no stack read yet/);
      expect((await preflight(BUCKET, { origin: DASHBOARD, 'access-control-request-method': 'POST' }, broken.endpoint)).status).toBe(500);
    } finally {
      await broken.stop();
    }
  });

  test('a bucket with no CORS configuration answers no CORS', async () => {
    const response = await preflight(OTHER_BUCKET, { origin: DASHBOARD, 'access-control-request-method': 'GET' });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/<Code>AccessForbidden<\/Code><Message>CORSResponse: CORS is not enabled for this bucket\.<\/Message><Method>GET<\/Method><ResourceType>BUCKET<\/ResourceType>/);
    await s3.send(new PutObjectCommand({ Bucket: OTHER_BUCKET, Key: 'r.html', Body: 'r' }));
    const read = await fetch(`${guard.endpoint}/${OTHER_BUCKET}/r.html`, { headers: { origin: DASHBOARD } });
    expect(read.status).toBe(200);
    expect([...read.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  test('the real POST from the dashboard carries the CORS headers, its refusals too, so that the page can read them', async () => {
    const { url, fields } = await presignedPost('uploads/sub-1/cors.json');
    const stored = await post(url, form(fields, INVENTORY), { origin: DASHBOARD });
    expect(stored.status).toBe(204);
    expect(stored.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(stored.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(stored.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers, Access-Control-Request-Method');

    const refused = await post(url, form(fields, ''), { origin: DASHBOARD });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBe(DASHBOARD);

    const foreign = await post(url, form(fields, INVENTORY), { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

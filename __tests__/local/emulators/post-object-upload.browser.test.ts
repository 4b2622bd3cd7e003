/**
 * The dashboard's upload as Chromium makes it: an XMLHttpRequest with an upload progress
 * listener (which makes the browser send a CORS preflight first) posting the presigned
 * form from a page on another origin. Only a browser says whether the local S3's CORS
 * answers are ones it accepts.
 */
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb-local';
import type { RunningEmulator } from '../../../local/emulators/emulator-process';
import { startPresignedUrlGuard } from '../../../local/emulators/presigned-url-guard';
import type { CorsRule } from '../../../local/emulators/s3-cors';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';

const BUCKET = uniqueNames().bucket('inventory-uploads');
const MAX = 10 * 1024 * 1024;

let guard: RunningEmulator;
let s3: S3Client;
let browser: Browser;
const pages: Server[] = [];
let dashboardOrigin = '';
let foreignOrigin = '';
const rules: CorsRule[] = [];

/** A server for one blank page: what makes an origin. */
async function pageServer(): Promise<string> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  pages.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const fauxqs = await workerEmulators().fauxqs();
  [dashboardOrigin, foreignOrigin] = await Promise.all([pageServer(), pageServer()]);
  rules.push({ allowedOrigins: [dashboardOrigin], allowedMethods: ['POST'], exposeHeaders: ['ETag'] });
  guard = await startPresignedUrlGuard(fauxqs.endpoint, { credentials: LOCAL_CREDENTIALS, cors: (bucket) => (bucket === BUCKET ? rules : undefined) });
  s3 = new S3Client({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: guard.endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // launch() gives the browser a fresh profile of its own.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  s3?.destroy();
  await guard?.stop();
  for (const server of pages) server.close();
});

/** The page's XMLHttpRequest, as far as used here: the project's TypeScript has no DOM library. */
interface PageXmlHttpRequest {
  readonly status: number;
  readonly responseText: string;
  readonly upload: { addEventListener(type: 'progress', listener: () => void): void };
  addEventListener(type: 'load' | 'error', listener: () => void): void;
  getResponseHeader(name: string): string | null;
  open(method: string, url: string): void;
  send(body: FormData): void;
}
declare const XMLHttpRequest: new () => PageXmlHttpRequest;

interface Outcome {
  readonly status: number;
  readonly body: string;
  readonly etag: string | null;
  readonly progressEvents: number;
}

/** Uploads from a page at `origin` as the dashboard does; status 0 is the browser's network error (CORS refused). */
async function uploadFrom(origin: string, key: string, content: string): Promise<Outcome> {
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: BUCKET,
    Key: key,
    Conditions: [{ bucket: BUCKET }, ['content-length-range', 1, MAX], ['eq', '$Content-Type', 'application/json']],
    Fields: { 'Content-Type': 'application/json' },
    Expires: 300,
  });
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(
      ({ url, fields, content }) =>
        new Promise<Outcome>((resolve) => {
          const form = new FormData();
          for (const [name, value] of Object.entries(fields)) form.append(name, value);
          form.append('file', new Blob([content], { type: 'application/json' }), 'inventory.json');
          const request = new XMLHttpRequest();
          let progressEvents = 0;
          request.upload.addEventListener('progress', () => (progressEvents += 1));
          const done = () => resolve({ status: request.status, body: request.responseText, etag: request.getResponseHeader('ETag'), progressEvents });
          request.addEventListener('load', done);
          request.addEventListener('error', done);
          request.open('POST', url);
          request.send(form);
        }),
      { url, fields, content },
    );
  } finally {
    await page.close();
  }
}

test('from the origin the bucket allows: the preflight passes, the upload is stored, and the page reads the ETag', async () => {
  const outcome = await uploadFrom(dashboardOrigin, 'uploads/sub-1/browser.json', '[{"productId":"P1"}]');
  expect(outcome).toMatchObject({ status: 204, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
  expect(outcome.progressEvents).toBeGreaterThan(0);
  const { Body, ContentType } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/sub-1/browser.json' }));
  expect(ContentType).toBe('application/json');
  expect(await Body?.transformToString()).toBe('[{"productId":"P1"}]');
});

test("a refusal reaches the page as S3's XML, so it can say why", async () => {
  const outcome = await uploadFrom(dashboardOrigin, 'uploads/sub-1/empty.json', '');
  expect(outcome.status).toBe(400);
  expect(outcome.body).toMatch(/<Code>EntityTooSmall<\/Code>/);
});

test('from another origin: the browser refuses, and nothing is stored', async () => {
  const outcome = await uploadFrom(foreignOrigin, 'uploads/sub-1/foreign.json', '[]');
  expect(outcome.status).toBe(0);
  await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/sub-1/foreign.json' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
});

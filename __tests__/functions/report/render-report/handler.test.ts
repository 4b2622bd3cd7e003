/**
 * Render report against fauxqs's S3: the object the presign branch will link to, what bad
 * input gets back, and a failing S3. The handler reaches S3 through a pass-through
 * recorder, which proves it calls PutObject and nothing else (its role allows no more).
 */
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { once } from 'node:events';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SupplierData } from '../../../../functions/report/fetch-supplier-data/supplier-data';
import { startWireRecorder, type WireRecorder } from '../../../support/aws-wire-recorder';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { lambdaContext } from '../../support/lambda-events';
import { LOCAL_CLIENT_CONFIG, useLocalAwsEnvironment } from '../../support/local-aws-env';
import { expectStartRefusedWithout } from '../../support/start-refusal';

// Imported only once the environment points at the emulator: the handler reads it at module scope.
const HANDLER_MODULE = '../../../../functions/report/render-report/handler';
type HandlerModule = typeof import('../../../../functions/report/render-report/handler');

// fauxqs is shared with the other suites of this jest worker.
const BUCKET = uniqueNames().bucket('report-bucket-test');

let s3Wire: WireRecorder;
let s3: S3Client;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;
let putObjectUnavailable = false;
/** Request headers of each PutObject, keyed by path: fauxqs does not keep Cache-Control. */
const putHeaders = new Map<string, IncomingHttpHeaders>();
let headerSpy: Server;

/** A pass-through proxy that notes the headers of every PUT on its way to `target`. */
async function startHeaderSpy(target: string): Promise<{ server: Server; endpoint: string }> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === 'PUT') {
      putHeaders.set(decodeURIComponent(new URL(incoming.url ?? '/', 'http://spy').pathname), incoming.headers);
    }
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const context = lambdaContext('RenderReport');

beforeAll(async () => {
  const fauxqs = await workerEmulators().fauxqs();
  s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: fauxqs.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3Wire = await startWireRecorder(fauxqs.endpoint, {
    unavailableFor: (call) => putObjectUnavailable && call.operation === 'PutObject',
  });
  let spyEndpoint: string;
  ({ server: headerSpy, endpoint: spyEndpoint } = await startHeaderSpy(s3Wire.endpoint));
  useLocalAwsEnvironment(context.functionName, { AWS_ENDPOINT_URL_S3: spyEndpoint, REPORT_BUCKET: BUCKET });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  s3?.destroy();
  headerSpy?.closeAllConnections();
  await new Promise((resolve) => (headerSpy ? headerSpy.close(resolve) : resolve(undefined)));
  await s3Wire?.stop();
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs?.restore();
  putObjectUnavailable = false;
});

const DATA: SupplierData = {
  readAt: '2026-11-23T10:00:00.000Z',
  suppliers: [
    {
      id: 2,
      name: 'Café do Vale',
      address: 'Rua das Flores 88, Minas Gerais, Brazil',
      phone: '+55 31 5550 0202',
      beans: [
        { type: 'Arabica', productName: 'Bourbon Amarelo', quantity: 120 },
        { type: 'Arabica', productName: 'Yellow Catuaí', quantity: 0 },
      ],
    },
    { id: 3, name: 'Pacific <Bean> & Co.', address: '500 Harbor Way, Seattle, WA', phone: '+1 206 555 0133', beans: [] },
  ],
};

async function storedReport(key: string) {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { ...object, text: await object.Body?.transformToString('utf8') };
}

describe('a valid input', () => {
  it('writes the report at reports/<executionName>.html as UTF-8 HTML that no cache keeps', async () => {
    const executionName = 'exec-0001_a';

    const result = await handler({ executionName, data: DATA }, context);

    const key = 'reports/exec-0001_a.html';
    const stored = await storedReport(key);
    expect(result).toEqual({ bucket: BUCKET, key, bytes: Buffer.byteLength(stored.text as string, 'utf8') });
    // Café and Catuaí: characters are counted in bytes, not in UTF-16 units.
    expect(result.bytes).toBeGreaterThan((stored.text as string).length);
    expect(stored.ContentType).toBe('text/html; charset=utf-8');
    expect(putHeaders.get(`/${BUCKET}/${key}`)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    expect(stored.text).toMatch(/^<!DOCTYPE html>/);
    expect(stored.text).toContain('<title>Coffee supplier inventory report</title>');
    expect(stored.text).toContain('<h2 id="supplier-1">Café do Vale</h2>');
    expect(stored.text).toContain('<h2 id="supplier-2">Pacific &lt;Bean&gt; &amp; Co.</h2>');
    expect(stored.text).toContain('Yellow Catuaí');
    expect(stored.text).toContain('<code>exec-0001_a</code>');
    expect(logs.at('INFO')).toEqual([
      expect.objectContaining({ message: 'Report rendered', bucket: BUCKET, key, suppliers: 2, bytes: result.bytes }),
    ]);
  });

  it('replaces the report when the state machine retries the same execution', async () => {
    const executionName = 'retried-execution';
    await handler({ executionName, data: DATA }, context);
    const again = await handler({ executionName, data: { ...DATA, suppliers: [DATA.suppliers[1]] } }, context);

    const stored = await storedReport(again.key);
    expect(stored.text).not.toContain('Café do Vale');
    expect(stored.text).toContain('Pacific &lt;Bean&gt; &amp; Co.');
  });

  it('writes a report for an empty database', async () => {
    const result = await handler({ executionName: 'empty', data: { readAt: DATA.readAt, suppliers: [] } }, context);
    expect((await storedReport(result.key)).text).toContain('No suppliers were found in the database.');
  });
});

describe('bad input', () => {
  const putsBefore = () => s3Wire.calls.filter((call) => call.operation === 'PutObject').length;

  it.each([
    ['missing executionName', { data: DATA }, /executionName is missing/],
    ['an executionName that is not a string', { executionName: 42, data: DATA }, /executionName must be a string, got the number 42/],
    ['an invalid executionName', { executionName: '../etc/passwd', data: DATA }, /Execution name "..\/etc\/passwd" is not 1-80 letters/],
    ['an empty executionName', { executionName: '', data: DATA }, /Execution name "" is not 1-80 letters/],
    ['an executionName over 80 characters', { executionName: 'x'.repeat(81), data: DATA }, /is not 1-80 letters/],
    ['missing data', { executionName: 'no-data' }, /data is missing/],
    ['data that is a string', { executionName: 'string-data', data: '{"readAt":""}' }, /data must be an object with readAt and suppliers, got the string/],
    ['a missing readAt', { executionName: 'x', data: { suppliers: [] } }, /data\.readAt must be an ISO 8601 date string, got nothing/],
    ['a readAt that is not a date', { executionName: 'x', data: { readAt: 'today', suppliers: [] } }, /data\.readAt must be .* got the string "today"/],
    ['missing suppliers', { executionName: 'x', data: { readAt: DATA.readAt } }, /data\.suppliers must be an array, got nothing/],
    [
      'a supplier without a name',
      { executionName: 'x', data: { readAt: DATA.readAt, suppliers: [{ ...DATA.suppliers[0], name: undefined }] } },
      /data\.suppliers\[0\]\.name must be a string, got nothing/,
    ],
    [
      'a supplier without beans',
      { executionName: 'x', data: { readAt: DATA.readAt, suppliers: [{ ...DATA.suppliers[1], beans: undefined }] } },
      /data\.suppliers\[0\]\.beans must be an array \(empty for no beans\), got nothing/,
    ],
    [
      'a bean with a quantity that is not a whole number',
      {
        executionName: 'x',
        data: {
          readAt: DATA.readAt,
          suppliers: [{ ...DATA.suppliers[0], beans: [DATA.suppliers[0].beans[0], { type: 'Arabica', productName: 'P', quantity: '7' }] }],
        },
      },
      /data\.suppliers\[0\]\.beans\[1\]\.quantity must be a whole number of at least 0, got the string "7"/,
    ],
    ['no input at all', null, /the input must be an object with executionName and data, got null/],
  ])('rejects %s, naming what is wrong, and writes nothing', async (_name, event, message) => {
    const before = putsBefore();

    const refusal = handler(event as never, context);

    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toMatchObject({ name: 'InvalidReportInputError' });
    expect(putsBefore()).toBe(before);
    expect(logs.at('ERROR')).toEqual([expect.objectContaining({ message: 'Rejected the render input' })]);
  });

  it('lists every problem at once, with a sample in the message when there are many', async () => {
    const suppliers = Array.from({ length: 12 }, (_, n) => ({ ...DATA.suppliers[1], id: n, phone: n }));

    const refusal = handler({ data: { readAt: DATA.readAt, suppliers } } as never, context);

    await expect(refusal).rejects.toThrow(/^Cannot render the report: executionName is missing .*; data\.suppliers\[0\]\.phone must be a string, got the number 0; .*; and 3 more$/);
    await expect(refusal).rejects.toMatchObject({ problems: expect.arrayContaining([expect.stringMatching(/suppliers\[11\]\.phone/)]) });
  });
});

describe('a failing S3', () => {
  it('throws the error S3 answered, logging the key', async () => {
    putObjectUnavailable = true;

    await expect(handler({ executionName: 's3-outage', data: DATA }, context)).rejects.toMatchObject({
      name: 'ServiceUnavailable',
    });

    expect(logs.at('ERROR')).toEqual([
      expect.objectContaining({ message: 'Could not store the report', key: 'reports/s3-outage.html' }),
    ]);
    putObjectUnavailable = false;
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/s3-outage.html' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });
});

describe('what the function may call', () => {
  it('calls PutObject on S3, nothing else', () => {
    expect(s3Wire.calls.length).toBeGreaterThan(0);
    expect(s3Wire.operations()).toEqual(['PutObject']);
  });
});

describe('cold start', () => {
  it('refuses to start without REPORT_BUCKET, naming it', async () => {
    await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), 'REPORT_BUCKET');
  });
});

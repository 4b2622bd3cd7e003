/**
 * PresignReportUrl against fauxqs's S3: the link it returns names the execution's report
 * with an explicit expiry, and opening it as the email's reader would (a plain fetch)
 * returns the report. fauxqs checks neither signatures nor expiry, so these tests prove
 * the URL's shape and target, not that S3 would accept it; the expiry rule itself is
 * covered in link-expiry.test.ts. A wire recorder in front of fauxqs proves that
 * presigning makes no AWS call.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startWireRecorder, type WireRecorder } from '../../../support/aws-wire-recorder';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { captureLogs, type CapturedLogs } from '../../support/captured-logs';
import { lambdaContext } from '../../support/lambda-events';
import { LOCAL_CLIENT_CONFIG, useLocalAwsEnvironment } from '../../support/local-aws-env';
import { expectStartRefusedWithout } from '../../support/start-refusal';

// Imported only once the environment points at the emulator: the handler reads it at module scope.
const HANDLER_MODULE = '../../../../functions/report/presign-report-url/handler';
type HandlerModule = typeof import('../../../../functions/report/presign-report-url/handler');

// fauxqs is shared with the other suites of this jest worker.
const REPORT_BUCKET = uniqueNames().bucket('report-bucket-test');
const REPORT_HTML = '<!doctype html><title>Coffee suppliers</title><h1>Café do Vale</h1>';

let s3Wire: WireRecorder;
let s3: S3Client;
let handler: HandlerModule['handler'];
let logs: CapturedLogs;

const context = lambdaContext('PresignReportUrl');

beforeAll(async () => {
  const fauxqs = await workerEmulators().fauxqs();
  s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: fauxqs.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));
  s3Wire = await startWireRecorder(fauxqs.endpoint);
  useLocalAwsEnvironment(context.functionName, {
    AWS_ENDPOINT_URL_S3: s3Wire.endpoint,
    REPORT_BUCKET,
    LINK_EXPIRY_SECONDS: '900',
  });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  s3?.destroy();
  await s3Wire?.stop();
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs?.restore();
});

function putReport(executionName: string, body = REPORT_HTML): Promise<unknown> {
  return s3.send(
    new PutObjectCommand({
      Bucket: REPORT_BUCKET,
      Key: `reports/${executionName}.html`,
      Body: body,
      ContentType: 'text/html; charset=utf-8',
    }),
  );
}

/** When SigV4 says the link expires: its signing time plus X-Amz-Expires. */
function signedExpiry(url: URL): Date {
  const signedAt = url.searchParams.get('X-Amz-Date') as string;
  const iso = signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  return new Date(new Date(iso).getTime() + Number(url.searchParams.get('X-Amz-Expires')) * 1000);
}

describe('the link', () => {
  it('expires explicitly after LINK_EXPIRY_SECONDS, names the report, and opens it', async () => {
    await putReport('exec-123');
    const before = Date.now();

    const link = await handler({ executionName: 'exec-123' }, context);

    expect(link.expiresInSeconds).toBe(900);
    const url = new URL(link.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^local\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // Path style, as the SDK addresses an IP endpoint; in AWS the bucket is the host's first label.
    expect(url.origin).toBe(s3Wire.endpoint);
    expect(url.pathname).toBe(`/${REPORT_BUCKET}/reports/exec-123.html`);
    expect(link.expiresAt).toBe(signedExpiry(url).toISOString());
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThan(before + 899_000);
    expect(new Date(link.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 900_000);

    // fauxqs does not check the signature or the expiry: this proves the URL reaches the object.
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(REPORT_HTML);
  });

  it('is limited by the configuration when the environment credentials report no expiration', async () => {
    await handler({ executionName: 'exec-logged' }, context);

    expect(logs.at('INFO')).toEqual([
      expect.objectContaining({
        message: 'Presigned the report link',
        bucket: REPORT_BUCKET,
        key: 'reports/exec-logged.html',
        expiresInSeconds: 900,
        limitedBy: 'configuration',
      }),
    ]);
    expect(logs.at('INFO')[0]).not.toHaveProperty('credentialsExpiration');
  });

  it('is never logged: whoever holds it can read the report', async () => {
    const link = await handler({ executionName: 'exec-secret' }, context);
    const signature = new URL(link.url).searchParams.get('X-Amz-Signature') as string;
    const logged = JSON.stringify([...logs.at('INFO'), ...logs.at('WARN'), ...logs.at('ERROR'), ...logs.at('DEBUG')]);
    expect(logged).not.toContain(signature);
  });

  it('is signed before the report exists, with no AWS call, and opens once the render branch writes it', async () => {
    const callsBefore = s3Wire.calls.length;

    const link = await handler({ executionName: 'render-still-running' }, context);

    // Presigning is local: the handler itself sent nothing to S3.
    expect(s3Wire.calls.length).toBe(callsBefore);
    expect((await fetch(link.url)).status).toBe(404);
    await putReport('render-still-running', '<p>rendered later</p>');
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<p>rendered later</p>');
  });

  it('is shortened to the signing credentials when they expire sooner', async () => {
    const saved = {
      AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN,
      AWS_CREDENTIAL_EXPIRATION: process.env.AWS_CREDENTIAL_EXPIRATION,
    };
    let expiration = new Date();
    try {
      await jest.isolateModulesAsync(async () => {
        const fresh = (await import(HANDLER_MODULE)) as HandlerModule;
        // Read after the import (seconds on a loaded machine): the SDK reads these variables
        // when the handler asks for credentials, so only the call itself lies in between.
        // Whole seconds, as SigV4 counts: five minutes from now, so 300 - 60 s margin = 240 s.
        expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + 300_000);
        process.env.AWS_SESSION_TOKEN = 'local-session';
        process.env.AWS_CREDENTIAL_EXPIRATION = expiration.toISOString();
        const link = await fresh.handler({ executionName: 'short-credentials' }, context);

        // 239 only if a second boundary passed between reading the clock here and in the handler.
        expect([239, 240]).toContain(link.expiresInSeconds);
        const url = new URL(link.url);
        expect(url.searchParams.get('X-Amz-Expires')).toBe(String(link.expiresInSeconds));
        expect(url.searchParams.get('X-Amz-Security-Token')).toBe('local-session');
        expect(new Date(link.expiresAt).getTime()).toBe(expiration.getTime() - 60_000);
        expect(link.expiresAt).toBe(signedExpiry(url).toISOString());
      });
      expect(logs.at('INFO')).toEqual([
        expect.objectContaining({ limitedBy: 'credentials', credentialsExpiration: expiration.toISOString() }),
      ]);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('the execution name', () => {
  it.each(['../other-report', 'exec 1', 'a'.repeat(81), ''])('refuses %p, naming it', async (executionName) => {
    await expect(handler({ executionName }, context)).rejects.toThrow(
      `Execution name ${JSON.stringify(executionName)} is not 1-80 letters`,
    );
  });

  it.each([{}, { executionName: 42 }, null])('refuses an event without a string executionName: %p', async (event) => {
    await expect(handler(event as never, context)).rejects.toThrow(/must name the execution as a string executionName/);
  });
});

describe('cold start', () => {
  it.each(['REPORT_BUCKET', 'LINK_EXPIRY_SECONDS'])('refuses to start without %s, naming it', async (variable) => {
    await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), variable);
  });

  it.each(['59', '0', '15m', '900.5'])('refuses LINK_EXPIRY_SECONDS=%s', async (value) => {
    const saved = process.env.LINK_EXPIRY_SECONDS;
    process.env.LINK_EXPIRY_SECONDS = value;
    try {
      await jest.isolateModulesAsync(async () => {
        await expect(import(require.resolve(HANDLER_MODULE))).rejects.toThrow(
          `LINK_EXPIRY_SECONDS="${value}" must be a whole number of at least 60`,
        );
      });
    } finally {
      process.env.LINK_EXPIRY_SECONDS = saved;
    }
  });
});

import { S3Client } from '@aws-sdk/client-s3';
import { presignUpload } from '../../../../functions/inventory/create-upload-url/presigned-upload';
import { checkUploadRequest, describeBytes } from '../../../../functions/inventory/create-upload-url/upload-request';
import { LOCAL_CLIENT_CONFIG } from '../../support/local-aws-env';

const MAX = 10 * 1024 * 1024;
const KEY = 'uploads/4f1c2d3e-0000-4000-8000-000000000001/5fea7756-0ea4-451a-a703-a558b933e274.json';

describe('the presigned POST', () => {
  const s3 = new S3Client({ region: 'eu-west-2', credentials: LOCAL_CLIENT_CONFIG.credentials });
  const now = new Date();
  const presigned = presignUpload(s3, { bucket: 'test-inventory-upload-abc', key: KEY, maxBytes: MAX, expiresInSeconds: 300 }, now);
  afterAll(() => s3.destroy());

  /** The POST policy S3 enforces, as the form carries it (base64 JSON). */
  const policyOf = async () => {
    const { fields } = await presigned;
    return JSON.parse(Buffer.from(fields.Policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
  };

  it('allows exactly this key in this bucket, 1 byte to 10 MiB, declared as JSON, for five minutes', async () => {
    const { conditions, expiration } = await policyOf();
    expect(conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'test-inventory-upload-abc' },
        { key: KEY },
        ['content-length-range', 1, MAX],
        ['eq', '$Content-Type', 'application/json'],
      ]),
    );
    // Nothing looser: no starts-with on the key; besides, the content type field (exact) and the signature's own fields.
    const others = conditions.filter((condition) => !Array.isArray(condition) && !('bucket' in (condition as object)) && !('key' in (condition as object)));
    expect(others.map((condition) => Object.keys(condition as object)[0]).sort()).toEqual(['Content-Type', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date']);
    expect(others).toContainEqual({ 'Content-Type': 'application/json' });
    expect(conditions.filter((condition) => Array.isArray(condition) && condition[0] === 'starts-with')).toEqual([]);
    const lifetime = Date.parse(expiration) - now.getTime();
    expect(lifetime).toBeGreaterThan(299_000);
    expect(lifetime).toBeLessThanOrEqual(301_000);
  });

  it('gives the form its fields (content type and key included) and the bucket URL, and when it stops working', async () => {
    const { url, fields, expiresAt } = await presigned;
    expect(url).toBe('https://test-inventory-upload-abc.s3.eu-west-2.amazonaws.com/');
    expect(fields).toMatchObject({ key: KEY, 'Content-Type': 'application/json', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['Policy', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Date']));
    expect(expiresAt).toBe(new Date(now.getTime() + 300_000).toISOString());
  });
});

describe('POST /uploads: the request', () => {
  it('takes a file name and a size', () => {
    expect(checkUploadRequest('{"fileName": "inventory.json", "size": 1024}', MAX)).toEqual({ ok: true, request: { fileName: 'inventory.json', size: 1024 } });
    expect(checkUploadRequest(JSON.stringify({ fileName: 'x'.repeat(255), size: MAX }), MAX)).toMatchObject({ ok: true });
  });

  it('refuses a file over the limit with 413, naming the limit in words', () => {
    expect(checkUploadRequest(JSON.stringify({ fileName: 'big.json', size: 12 * 1024 * 1024 }), MAX)).toEqual({
      ok: false,
      statusCode: 413,
      message: 'The file is 12 MiB (12,582,912 bytes); files of at most 10 MiB (10,485,760 bytes) can be uploaded.',
    });
  });

  it.each([
    ['no body', undefined],
    ['text', 'hello'],
    ['an array', '[]'],
    ['no file name', '{"size": 1}'],
    ['an empty file name', '{"fileName": "", "size": 1}'],
    ['a file name of 256 characters', JSON.stringify({ fileName: 'x'.repeat(256), size: 1 })],
    ['a size that is text', '{"fileName": "a.json", "size": "1"}'],
    ['a fractional size', '{"fileName": "a.json", "size": 1.5}'],
    ['a negative size', '{"fileName": "a.json", "size": -1}'],
    ['an empty file', '{"fileName": "a.json", "size": 0}'],
    ['another field', '{"fileName": "a.json", "size": 1, "key": "uploads/x.json"}'],
  ])('refuses %s with 400 and a sentence', (_case, body) => {
    const check = checkUploadRequest(body, MAX);
    expect(check).toMatchObject({ ok: false, statusCode: 400, message: expect.stringMatching(/^[A-Za-z].*\.$/) });
  });

  it('says sizes as a person reads them', () => {
    expect(describeBytes(MAX)).toBe('10 MiB (10,485,760 bytes)');
    expect(describeBytes(1500)).toBe('1,500 bytes');
  });
});

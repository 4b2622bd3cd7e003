import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { judgePostForm, postFileSizeRefusal, postPolicySignature, type AcceptedPost } from '../../../local/emulators/post-policy';
import type { LocalCredentials } from '../../../local/emulators/presigned-request';
import type { S3Error } from '../../../local/emulators/s3-error';

/**
 * The local runtime's key (LOCAL_CREDENTIALS of local/emulators/dynamodb-local.ts, written
 * out: importing that module would make this a test that needs DynamoDB Local).
 */
const LOCAL_CREDENTIALS: LocalCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const BUCKET = 'dev-inventory-uploads';
const KEY = 'uploads/0f1e2d3c/5b6a.json';
const MAX = 10 * 1024 * 1024;

/** The dashboard API's presigned POST, as the contract makes it (no request is sent). */
async function presignedPost(overrides: Partial<PresignedPostOptions> = {}, credentials: LocalCredentials = LOCAL_CREDENTIALS) {
  const client = new S3Client({ region: 'eu-west-1', credentials, endpoint: 'http://127.0.0.1:1', forcePathStyle: true });
  try {
    return await createPresignedPost(client, {
      Bucket: BUCKET,
      Key: KEY,
      Conditions: [{ bucket: BUCKET }, ['content-length-range', 1, MAX], ['eq', '$Content-Type', 'application/json']],
      Fields: { 'Content-Type': 'application/json' },
      Expires: 300,
      ...overrides,
    });
  } finally {
    client.destroy();
  }
}

type Fields = Record<string, string>;
const judge = (fields: Fields, { bucket = BUCKET, now = new Date(), fileName = 'inventory.json' } = {}) =>
  judgePostForm({ bucket, fields: Object.entries(fields), fileName }, LOCAL_CREDENTIALS, now);
const refusal = (judged: AcceptedPost | S3Error) => ('code' in judged ? { status: judged.status, code: judged.code, message: judged.message, details: judged.details } : judged);

describe('a policy made by @aws-sdk/s3-presigned-post with the local credentials', () => {
  let fields: Fields;

  beforeAll(async () => {
    ({ fields } = await presignedPost());
  });

  test('is accepted: the key, the region of its credential scope, the content type and the size range it allows', () => {
    expect(judge(fields)).toEqual({
      key: KEY,
      region: 'eu-west-1',
      contentType: 'application/json',
      metadata: {},
      sizeRanges: [{ min: 1, max: MAX }],
      successActionStatus: 204,
    });
  });

  test('whose signature is the one the secret key makes', () => {
    const [, date, region, service] = /^[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\//.exec(fields['X-Amz-Credential']) ?? [];
    expect(postPolicySignature(fields.Policy, LOCAL_CREDENTIALS.secretAccessKey, date, region, service)).toBe(fields['X-Amz-Signature']);
    expect(postPolicySignature(fields.Policy, 'another secret', date, region, service)).not.toBe(fields['X-Amz-Signature']);
  });

  test('expires: after its 300 seconds, AccessDenied "Policy expired."', () => {
    const later = new Date(Date.now() + 301_000);
    expect(refusal(judge(fields, { now: later }))).toEqual({ status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.', details: undefined });
    expect(judge(fields, { now: new Date(Date.now() + 290_000) })).toHaveProperty('key', KEY);
  });

  test('refuses another content type, quoting the condition as S3 does', () => {
    expect(refusal(judge({ ...fields, 'Content-Type': 'text/html' }))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "application/json"]',
    });
  });

  test('refuses another key, and another bucket', () => {
    expect(refusal(judge({ ...fields, key: 'uploads/someone-else/5b6a.json' }))).toMatchObject({
      code: 'AccessDenied',
      message: `Invalid according to Policy: Policy Condition failed: {"key": "${KEY}"}`,
    });
    expect(refusal(judge(fields, { bucket: 'dev-report-bucket' }))).toMatchObject({
      code: 'AccessDenied',
      message: `Invalid according to Policy: Policy Condition failed: {"bucket": "${BUCKET}"}`,
    });
  });

  test('refuses a field no condition names, whatever the case of its name; x-ignore- fields need none', () => {
    expect(refusal(judge({ ...fields, 'X-Amz-Meta-Owner': 'mallory' }))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Extra input fields: x-amz-meta-owner',
    });
    expect(refusal(judge({ ...fields, success_action_status: '201', acl: 'public-read' }))).toMatchObject({
      message: 'Invalid according to Policy: Extra input fields: success_action_status, acl',
    });
    expect(judge({ ...fields, 'x-ignore-submit': 'Upload' })).toHaveProperty('key', KEY);
  });

  test('refuses a policy changed after signing: SignatureDoesNotMatch, with the string to sign', () => {
    const document = JSON.parse(Buffer.from(fields.Policy, 'base64').toString('utf8')) as { conditions: unknown[] };
    const widened = document.conditions.map((condition) => (Array.isArray(condition) && condition[0] === 'content-length-range' ? ['content-length-range', 1, 5 * MAX] : condition));
    const forged = Buffer.from(JSON.stringify({ ...document, conditions: widened })).toString('base64');
    expect(refusal(judge({ ...fields, Policy: forged }))).toEqual({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      details: { AWSAccessKeyId: LOCAL_CREDENTIALS.accessKeyId, StringToSign: forged, SignatureProvided: fields['X-Amz-Signature'] },
    });
  });

  test('refuses a form without its key, or without one of the signature fields, as S3 names them', () => {
    const withoutKey: Fields = { ...fields };
    delete withoutKey.key;
    expect(refusal(judge(withoutKey))).toEqual({
      status: 400,
      code: 'InvalidArgument',
      message: "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      details: { ArgumentName: 'key', ArgumentValue: '' },
    });
    const unsigned: Fields = { ...fields };
    delete unsigned['X-Amz-Signature'];
    expect(refusal(judge(unsigned))).toMatchObject({ status: 400, code: 'InvalidArgument', details: { ArgumentName: 'X-Amz-Signature' } });
  });

  test('refuses a form with no policy at all: an anonymous POST, which no local bucket allows', () => {
    expect(refusal(judge({ key: KEY, 'Content-Type': 'application/json' }))).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Access Denied' });
  });

  test('refuses another algorithm', () => {
    expect(refusal(judge({ ...fields, 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1' }))).toMatchObject({ status: 400, code: 'InvalidArgument', details: { ArgumentName: 'X-Amz-Algorithm' } });
  });
});

test('a policy signed with another secret is refused: SignatureDoesNotMatch', async () => {
  const { fields } = await presignedPost({}, { ...LOCAL_CREDENTIALS, secretAccessKey: 'not-the-local-secret' });
  expect(refusal(judge(fields))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
});

test('a policy signed by an access key the local S3 does not know is refused: InvalidAccessKeyId', async () => {
  const { fields } = await presignedPost({}, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' });
  expect(refusal(judge(fields))).toEqual({
    status: 403,
    code: 'InvalidAccessKeyId',
    message: 'The AWS Access Key Id you provided does not exist in our records.',
    details: { AWSAccessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
  });
});

test('${filename} in the key stands for the file name, and starts-with judges the key it makes', async () => {
  const { fields } = await presignedPost({ Key: 'uploads/ana/${filename}', Conditions: [] });
  expect(judge(fields, { fileName: 'stock.json' })).toMatchObject({ key: 'uploads/ana/stock.json', contentType: 'application/json' });
  expect(refusal(judge({ ...fields, key: 'elsewhere/${filename}' }, { fileName: 'stock.json' }))).toMatchObject({
    message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/ana/"]',
  });
});

test('starts-with judges every type of a Content-Type list; metadata, status and redirect named by conditions are kept', async () => {
  const { fields } = await presignedPost({
    Conditions: [
      ['starts-with', '$Content-Type', 'image/'],
      ['starts-with', '$x-amz-meta-tag', ''],
      ['eq', '$success_action_status', '201'],
      ['starts-with', '$success_action_redirect', 'http://127.0.0.1:8080/'],
    ],
    // Fields would each add an exact condition: these are left to the form.
    Fields: {},
  });
  const extra = { 'Content-Type': 'image/png', 'x-amz-meta-tag': 'shelf', success_action_status: '201', success_action_redirect: 'http://127.0.0.1:8080/done' };
  expect(judge({ ...fields, ...extra })).toMatchObject({
    contentType: 'image/png',
    metadata: { tag: 'shelf' },
    successActionStatus: 201,
    successActionRedirect: 'http://127.0.0.1:8080/done',
    sizeRanges: [],
  });
  expect(judge({ ...fields, ...extra, 'Content-Type': 'image/png, image/gif' })).toHaveProperty('contentType', 'image/png, image/gif');
  expect(refusal(judge({ ...fields, ...extra, 'Content-Type': 'image/png, text/html' }))).toMatchObject({
    message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]',
  });
  expect(refusal(judge({ ...fields, ...extra, success_action_redirect: 'https://evil.example/' }))).toMatchObject({ code: 'AccessDenied' });
});

test('a signed policy that is not a policy is refused as S3 refuses it: InvalidPolicyDocument', () => {
  const signed = (document: string) => {
    const policy = Buffer.from(document).toString('base64');
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    return {
      key: KEY,
      Policy: policy,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${LOCAL_CREDENTIALS.accessKeyId}/${date}/us-east-1/s3/aws4_request`,
      'X-Amz-Date': `${date}T000000Z`,
      'X-Amz-Signature': postPolicySignature(policy, LOCAL_CREDENTIALS.secretAccessKey, date, 'us-east-1', 's3'),
    };
  };
  expect(refusal(judge(signed('{not json')))).toMatchObject({ status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' });
  expect(refusal(judge(signed('{"conditions": []}')))).toMatchObject({ code: 'InvalidPolicyDocument', message: 'Invalid Policy: Policy missing expiration.' });
  expect(refusal(judge(signed('{"expiration": "2999-01-01T00:00:00Z", "conditions": [["matches", "$key", ".*"]]}')))).toMatchObject({
    code: 'InvalidPolicyDocument',
    message: "Invalid Policy: Invalid Condition: unknown operation 'matches'.",
  });
  expect(refusal(judge(signed('{"expiration": "2999-01-01T00:00:00Z", "conditions": [{"key": "a", "acl": "b"}]}')))).toMatchObject({
    message: 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
  });
});

describe("the file's size against content-length-range", () => {
  const ranges = [{ min: 1, max: MAX }];

  test.each([1, 512, MAX])('%d bytes fit', (size) => {
    expect(postFileSizeRefusal(size, ranges)).toBeUndefined();
  });

  test('one byte over: EntityTooLarge, with the size proposed and the most allowed', () => {
    expect(postFileSizeRefusal(MAX + 1, ranges)).toEqual({
      status: 400,
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size',
      details: { ProposedSize: MAX + 1, MaxSizeAllowed: MAX },
    });
  });

  test('an empty file: EntityTooSmall, with the least allowed', () => {
    expect(postFileSizeRefusal(0, ranges)).toEqual({
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size',
      details: { ProposedSize: 0, MinSizeAllowed: 1 },
    });
  });

  test('with no range, any size fits', () => {
    expect(postFileSizeRefusal(12 * 1024 * 1024, [])).toBeUndefined();
  });
});

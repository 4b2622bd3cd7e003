import { presignedRequestRefusal } from '../../../local/emulators/presigned-request';
import { s3ErrorXml } from '../../../local/emulators/s3-error';

/**
 * The presigned GET worked through in S3's API reference ("Authenticating Requests: Using
 * Query Parameters (AWS Signature Version 4)"), with the example keys used there.
 */
const AWS_EXAMPLE = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  host: 'examplebucket.s3.amazonaws.com',
  url:
    '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
    '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
    '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
  within: new Date('2013-05-24T12:00:00Z'),
};

const refusal = (url: string, { now = AWS_EXAMPLE.within, method = 'GET', headers = { host: AWS_EXAMPLE.host } as Record<string, string> } = {}) =>
  presignedRequestRefusal({ method, url, headers }, AWS_EXAMPLE.credentials, now);

test("accepts the AWS reference's presigned request, signed with its example key", async () => {
  await expect(refusal(AWS_EXAMPLE.url)).resolves.toBeUndefined();
});

test('refuses it once anything signed changes: signature, path, query, host or method', async () => {
  const mismatch = { status: 403, code: 'SignatureDoesNotMatch', details: { AWSAccessKeyId: 'AKIAIOSFODNN7EXAMPLE' } };
  await expect(refusal(AWS_EXAMPLE.url.replace('f604d404', 'f604d405'))).resolves.toMatchObject(mismatch);
  // Cut short, as a terminal that clips lines cuts the last parameter.
  await expect(refusal(AWS_EXAMPLE.url.slice(0, -20))).resolves.toMatchObject(mismatch);
  await expect(refusal(AWS_EXAMPLE.url.replace('/test.txt', '/other.txt'))).resolves.toMatchObject(mismatch);
  await expect(refusal(`${AWS_EXAMPLE.url}&response-content-type=text%2Fhtml`)).resolves.toMatchObject(mismatch);
  await expect(refusal(AWS_EXAMPLE.url, { headers: { host: 'attacker.example.com' } })).resolves.toMatchObject(mismatch);
  await expect(refusal(AWS_EXAMPLE.url, { method: 'PUT' })).resolves.toMatchObject(mismatch);
});

test('refuses it after it expires, with the times S3 reports', async () => {
  await expect(refusal(AWS_EXAMPLE.url, { now: new Date('2013-05-25T00:00:01Z') })).resolves.toMatchObject({
    status: 403,
    code: 'AccessDenied',
    message: 'Request has expired',
    details: { 'X-Amz-Expires': 86400, Expires: '2013-05-25T00:00:00Z', ServerTime: '2013-05-25T00:00:01Z' },
  });
});

test('refuses a key the local S3 does not know before looking at the signature', async () => {
  const foreign = AWS_EXAMPLE.url.replace('AKIAIOSFODNN7EXAMPLE', 'AKIAOTHERKEY0000000');
  await expect(refusal(foreign)).resolves.toMatchObject({ status: 403, code: 'InvalidAccessKeyId', details: { AWSAccessKeyId: 'AKIAOTHERKEY0000000' } });
});

test.each([
  ['a missing parameter', AWS_EXAMPLE.url.replace('&X-Amz-SignedHeaders=host', ''), /^Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential/],
  ['another algorithm', AWS_EXAMPLE.url.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'), /^X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"$/],
  ['a malformed credential', AWS_EXAMPLE.url.replace('%2Faws4_request', ''), /^Error parsing the X-Amz-Credential parameter/],
  ['a malformed date', AWS_EXAMPLE.url.replace('20130524T000000Z', 'yesterday'), /^X-Amz-Date must be in the ISO8601 Long Format/],
  ['an expiry that is not a number', AWS_EXAMPLE.url.replace('X-Amz-Expires=86400', 'X-Amz-Expires=soon'), /^X-Amz-Expires should be a number$/],
  ['a negative expiry', AWS_EXAMPLE.url.replace('X-Amz-Expires=86400', 'X-Amz-Expires=-1'), /^X-Amz-Expires must be non-negative$/],
  ['an expiry over a week', AWS_EXAMPLE.url.replace('X-Amz-Expires=86400', 'X-Amz-Expires=604801'), /^X-Amz-Expires must be less than a week \(in seconds\)/],
])('answers %s with 400 AuthorizationQueryParametersError', async (_case, url, message) => {
  const refused = await refusal(url);
  expect(refused).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
  expect(refused?.message).toMatch(message);
});

test('does not judge a request that is not presigned: anonymous, or signed in its headers', async () => {
  await expect(refusal('/test.txt')).resolves.toBeUndefined();
  await expect(
    refusal('/test.txt?x-id=GetObject', {
      headers: { host: AWS_EXAMPLE.host, authorization: 'AWS4-HMAC-SHA256 Credential=local/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' },
    }),
  ).resolves.toBeUndefined();
});

test('an error is an XML document in S3 order, with its text escaped', () => {
  const xml = s3ErrorXml({ status: 400, code: 'InvalidArgument', message: 'a <b> & "c"', details: { ArgumentName: 'x' } });
  expect(xml).toMatch(
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>InvalidArgument<\/Code><Message>a &#60;b&#62; &#38; &#34;c&#34;<\/Message><ArgumentName>x<\/ArgumentName><RequestId>[0-9A-F]{16}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/,
  );
});

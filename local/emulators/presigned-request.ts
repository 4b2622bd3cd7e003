/**
 * S3's checks of a presigned (query-signed, SigV4) request, in S3's order: the X-Amz-*
 * parameters are all there and well formed, the link has not expired, the access key is
 * known, and the signature is the one the secret key makes. Each refusal is S3's own
 * status, code and message. A request with none of those parameters is not presigned and
 * is not judged here: the SDK clients sign theirs in headers.
 */
import { expectedQuerySignature, type QuerySigning, type ReceivedRequest } from './query-signature';
import type { S3Error } from './s3-error';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const QUERY_AUTH_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'] as const;
const ALGORITHM = 'AWS4-HMAC-SHA256';
/** SigV4 signing keys last a week, and so may a presigned request. */
const MAX_EXPIRES_SECONDS = 604_800;

const queryParametersError = (message: string): S3Error => ({ status: 400, code: 'AuthorizationQueryParametersError', message });

/** Why S3 would refuse this presigned request; undefined when it would accept it, or when it is not presigned. */
export async function presignedRequestRefusal(request: ReceivedRequest, credentials: LocalCredentials, now: Date): Promise<S3Error | undefined> {
  const query = new URL(request.url, 'http://local').searchParams;
  if (!QUERY_AUTH_PARAMETERS.some((name) => query.has(name))) return undefined;
  const signing = parseQuerySigning(query);
  if ('code' in signing) return signing;

  const expiresAt = new Date(signing.signedAt.getTime() + signing.expiresInSeconds * 1000);
  if (now > expiresAt) {
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
      details: { 'X-Amz-Expires': signing.expiresInSeconds, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) },
    };
  }
  if (signing.accessKeyId !== credentials.accessKeyId) {
    return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', details: { AWSAccessKeyId: signing.accessKeyId } };
  }
  const provided = query.get('X-Amz-Signature') as string;
  if (provided !== (await expectedQuerySignature(request, signing, credentials.secretAccessKey))) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      details: { AWSAccessKeyId: signing.accessKeyId, SignatureProvided: provided },
    };
  }
  return undefined;
}

function parseQuerySigning(query: URLSearchParams): QuerySigning | S3Error {
  const algorithm = query.get('X-Amz-Algorithm');
  if (algorithm !== null && algorithm !== ALGORITHM) return queryParametersError(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  if (QUERY_AUTH_PARAMETERS.some((name) => !query.get(name))) {
    return queryParametersError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(query.get('X-Amz-Credential') as string);
  if (!credential) {
    return queryParametersError('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const signedAt = parseAmzDate(query.get('X-Amz-Date') as string);
  if (!signedAt) return queryParametersError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const expires = query.get('X-Amz-Expires') as string;
  if (!/^-?\d+$/.test(expires)) return queryParametersError('X-Amz-Expires should be a number');
  const expiresInSeconds = Number(expires);
  if (expiresInSeconds < 0) return queryParametersError('X-Amz-Expires must be non-negative');
  if (expiresInSeconds > MAX_EXPIRES_SECONDS) {
    return queryParametersError(`X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_EXPIRES_SECONDS} seconds`);
  }
  const [, accessKeyId, , region, service] = credential;
  const signedHeaders = (query.get('X-Amz-SignedHeaders') as string).split(';').map((name) => name.toLowerCase());
  return { accessKeyId, signedAt, region, service, expiresInSeconds, signedHeaders };
}

function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

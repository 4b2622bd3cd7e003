/**
 * S3's judgement of a browser-based upload (POST Object with a SigV4 POST policy), in the
 * order S3 judges it: a key, the signature fields, an access key it knows, the signature
 * of the base64 policy, a policy that parses and has not expired, every condition, no form
 * field the conditions leave out; and, once the file has arrived, its size against every
 * `content-length-range`. Each refusal is S3's own status, code and message, because the
 * dashboard shows them to a person and its tests assert on them.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LocalCredentials } from './presigned-request';
import type { S3Error } from './s3-error';

/** A POST Object request as far as the fields before the file. */
export interface PostForm {
  /** The bucket the URL names (path-style). */
  readonly bucket: string;
  /** Form fields before the file, in order, names as sent. */
  readonly fields: readonly (readonly [name: string, value: string])[];
  /** The file part's own file name, which `${filename}` in the key stands for. */
  readonly fileName?: string;
}

/** What a POST the policy allows stores, and how S3 answers it. */
export interface AcceptedPost {
  readonly key: string;
  /** The credential scope's region: the SDK client that stores the object signs for it. */
  readonly region: string;
  readonly contentType: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly expires?: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Every `content-length-range` of the policy: the file must be within all of them. */
  readonly sizeRanges: readonly SizeRange[];
  readonly successActionStatus: 200 | 201 | 204;
  readonly successActionRedirect?: string;
}

export interface SizeRange {
  readonly min: number;
  readonly max: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** The fields a SigV4 POST must carry, as S3 names them when one is missing. */
const SIGNATURE_FIELDS = ['Policy', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature'] as const;
/** Form fields no condition needs to name (the file is not a field here). */
const NEED_NO_CONDITION = new Set(['policy', 'x-amz-signature']);
/** S3's default for an object stored without a content type. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

const invalidArgument = (message: string, name: string, value: string): S3Error => ({
  status: 400,
  code: 'InvalidArgument',
  message,
  details: { ArgumentName: name, ArgumentValue: value },
});
const missingField = (name: string) => invalidArgument(`Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, name, '');
const invalidPolicy = (message: string): S3Error => ({ status: 400, code: 'InvalidPolicyDocument', message: `Invalid Policy: ${message}` });
const deniedByPolicy = (message: string): S3Error => ({ status: 403, code: 'AccessDenied', message: `Invalid according to Policy: ${message}` });

/** Why S3 would refuse this POST before reading its file, or what it would store. */
export function judgePostForm(form: PostForm, credentials: LocalCredentials, now: Date): AcceptedPost | S3Error {
  const fields = fieldsByName(form.fields);
  const sentKey = fields.get('key');
  if (sentKey === undefined || sentKey === '') return missingField('key');
  const key = form.fileName === undefined ? sentKey : sentKey.replaceAll('${filename}', form.fileName);

  // Without a policy the POST is anonymous, which only a publicly writable bucket takes;
  // the local runtime makes none.
  if (!SIGNATURE_FIELDS.some((name) => fields.has(name.toLowerCase()))) return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  const missing = SIGNATURE_FIELDS.find((name) => !fields.get(name.toLowerCase()));
  if (missing) return missingField(missing);

  const algorithm = fields.get('x-amz-algorithm') as string;
  if (algorithm !== ALGORITHM) return invalidArgument(`X-Amz-Algorithm only supports "${ALGORITHM}"`, 'X-Amz-Algorithm', algorithm);
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(fields.get('x-amz-credential') as string);
  if (!credential) {
    return invalidArgument(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      'X-Amz-Credential',
      fields.get('x-amz-credential') as string,
    );
  }
  const [, accessKeyId, scopeDate, region, service] = credential;
  if (accessKeyId !== credentials.accessKeyId) {
    return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', details: { AWSAccessKeyId: accessKeyId } };
  }
  const policy = fields.get('policy') as string;
  const provided = fields.get('x-amz-signature') as string;
  if (!sameSignature(provided, postPolicySignature(policy, credentials.secretAccessKey, scopeDate, region, service))) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      details: { AWSAccessKeyId: accessKeyId, StringToSign: policy, SignatureProvided: provided },
    };
  }

  const document = parsePolicy(policy);
  if ('code' in document) return document;
  if (now.getTime() > document.expiration.getTime()) return deniedByPolicy('Policy expired.');

  const valueOf = (name: string) => (name === 'bucket' ? form.bucket : name === 'key' ? key : fields.get(name));
  const covered = new Set<string>();
  const sizeRanges: SizeRange[] = [];
  for (const condition of document.conditions) {
    const judged = judgeCondition(condition, valueOf);
    if ('code' in judged) return judged;
    if ('range' in judged) {
      sizeRanges.push(judged.range);
      continue;
    }
    covered.add(judged.field);
    if (!judged.met) return deniedByPolicy(`Policy Condition failed: ${describeCondition(condition)}`);
  }
  const extra = [...fields.keys()].filter((name) => !NEED_NO_CONDITION.has(name) && !name.startsWith('x-ignore-') && !covered.has(name));
  if (extra.length > 0) return deniedByPolicy(`Extra input fields: ${extra.join(', ')}`);

  const status = fields.get('success_action_status');
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  return {
    key,
    region,
    contentType: fields.get('content-type') ?? DEFAULT_CONTENT_TYPE,
    cacheControl: fields.get('cache-control'),
    contentDisposition: fields.get('content-disposition'),
    contentEncoding: fields.get('content-encoding'),
    expires: fields.get('expires'),
    metadata: Object.fromEntries([...fields].filter(([name]) => name.startsWith('x-amz-meta-')).map(([name, value]) => [name.slice('x-amz-meta-'.length), value])),
    sizeRanges,
    // S3 answers 204 to any other value, as to none.
    successActionStatus: status === '200' ? 200 : status === '201' ? 201 : 204,
    successActionRedirect: redirect !== undefined && isHttpUrl(redirect) ? redirect : undefined,
  };
}

/** Why S3 would refuse a file of this size under the policy's ranges; undefined when it fits. */
export function postFileSizeRefusal(size: number, ranges: readonly SizeRange[]): S3Error | undefined {
  for (const { min, max } of ranges) {
    if (size > max) return { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size', details: { ProposedSize: size, MaxSizeAllowed: max } };
    if (size < min) return { status: 400, code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size', details: { ProposedSize: size, MinSizeAllowed: min } };
  }
  return undefined;
}

/** The most bytes any range allows: past it, the file need not be kept. */
export function largestAllowedSize(ranges: readonly SizeRange[]): number {
  return ranges.reduce((smallest, { max }) => Math.min(smallest, max), Number.POSITIVE_INFINITY);
}

/** SigV4 for a POST: the hex HMAC of the base64 policy itself, with the scope's signing key. */
export function postPolicySignature(policy: string, secretAccessKey: string, date: string, region: string, service: string): string {
  const signingKey = [date, region, service, 'aws4_request'].reduce<Buffer>((key, part) => createHmac('sha256', key).update(part).digest(), Buffer.from(`AWS4${secretAccessKey}`));
  return createHmac('sha256', signingKey).update(policy).digest('hex');
}

function sameSignature(provided: string, expected: string): boolean {
  const a = Buffer.from(provided.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Field names are matched without regard to case (the SDK sends `Policy`, a form may send `policy`); the first of a name counts. */
function fieldsByName(fields: PostForm['fields']): Map<string, string> {
  const byName = new Map<string, string>();
  for (const [name, value] of fields) if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), value);
  return byName;
}

interface PolicyDocument {
  readonly expiration: Date;
  readonly conditions: readonly unknown[];
}

function parsePolicy(policy: string): PolicyDocument | S3Error {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    return invalidPolicy('Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = document as Record<string, unknown>;
  if (expiration === undefined) return invalidPolicy('Policy missing expiration.');
  const expiresAt = typeof expiration === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(expiration) ? new Date(expiration) : undefined;
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) return invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (conditions === undefined) return invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(conditions)) return invalidPolicy("Invalid 'conditions' value: must be a List.");
  return { expiration: expiresAt, conditions };
}

type JudgedCondition = { readonly field: string; readonly met: boolean } | { readonly range: SizeRange } | S3Error;

function judgeCondition(condition: unknown, valueOf: (field: string) => string | undefined): JudgedCondition {
  if (typeof condition === 'object' && condition !== null && !Array.isArray(condition)) {
    const entries = Object.entries(condition);
    if (entries.length !== 1) return invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [[name, expected]] = entries;
    if (typeof expected !== 'string') return invalidPolicy(`Invalid Simple-Condition: value must be a string.`);
    const field = name.toLowerCase();
    return { field, met: valueOf(field) === expected };
  }
  if (!Array.isArray(condition) || condition.length !== 3) return invalidPolicy(`Invalid Condition: ${describeCondition(condition)}`);
  const [operation, subject, operand] = condition as unknown[];
  const op = String(operation).toLowerCase();
  if (op === 'content-length-range') {
    const [min, max] = [subject, operand].map(Number);
    if (![subject, operand].every((bound) => /^\d+$/.test(String(bound))) || min > max) return invalidPolicy(`Invalid content-length-range: ${describeCondition(condition)}`);
    return { range: { min, max } };
  }
  if (op !== 'eq' && op !== 'starts-with') return invalidPolicy(`Invalid Condition: unknown operation '${String(operation)}'.`);
  if (typeof subject !== 'string' || !subject.startsWith('$') || typeof operand !== 'string') return invalidPolicy(`Invalid Condition: ${describeCondition(condition)}`);
  const field = subject.slice(1).toLowerCase();
  const value = valueOf(field);
  if (op === 'eq') return { field, met: value === operand };
  // An empty prefix allows anything, the field left out included; a Content-Type may list
  // several types, and each must start with the prefix.
  if (operand === '') return { field, met: true };
  if (value === undefined) return { field, met: false };
  const values = field === 'content-type' ? value.split(',').map((part) => part.trim()) : [value];
  return { field, met: values.every((part) => part.startsWith(operand)) };
}

/** A condition written as S3 quotes it in a refusal: JSON with a space after each separator. */
function describeCondition(condition: unknown): string {
  if (Array.isArray(condition)) return `[${condition.map((part) => JSON.stringify(part)).join(', ')}]`;
  if (typeof condition === 'object' && condition !== null) {
    return `{${Object.entries(condition)
      .map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(condition);
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

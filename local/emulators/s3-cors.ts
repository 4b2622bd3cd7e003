/**
 * S3's CORS, answered from a bucket's CORS rules as S3 answers it: a preflight (`OPTIONS`
 * with Origin and Access-Control-Request-Method) is allowed by the first rule whose
 * origins, methods and headers all match, and refused with S3's 403 otherwise; an actual
 * request from an origin a rule allows for its method gets the Access-Control-* headers.
 * A bucket with no CORS configuration answers no CORS at all, as in S3, so a page that
 * forgot its bucket's CORS fails locally as it would deployed.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { S3Error } from './s3-error';

/** One rule of a bucket's CORS configuration (`cors_rule` of aws_s3_bucket_cors_configuration). */
export interface CorsRule {
  readonly id?: string;
  /** Origins, each with at most one `*` wildcard; `*` alone allows any origin. */
  readonly allowedOrigins: readonly string[];
  /** GET, PUT, POST, DELETE, HEAD. */
  readonly allowedMethods: readonly string[];
  /** Headers a preflight may ask for, each with at most one `*` wildcard; case-insensitive. */
  readonly allowedHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds?: number;
}

/** A bucket's CORS rules; none (or an empty list) when the bucket has no CORS configuration. */
export type BucketCors = (bucket: string) => readonly CorsRule[] | undefined;

export type CorsHeaders = Readonly<Record<string, string>>;

/** What S3 sends with a response whose request matched no rule of a bucket that has some. */
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

export type PreflightAnswer = { readonly status: 200; readonly headers: CorsHeaders } | { readonly error: S3Error; readonly headers: CorsHeaders };

/** S3's answer to an `OPTIONS` request for a bucket or an object in it. */
export function preflightAnswer(rules: readonly CorsRule[] | undefined, headers: IncomingHttpHeaders, resourceType: 'BUCKET' | 'OBJECT'): PreflightAnswer {
  const origin = single(headers.origin);
  const method = single(headers['access-control-request-method']);
  if (origin === undefined) return { error: { status: 400, code: 'BadRequest', message: 'Insufficient information. Origin request header needed.' }, headers: {} };
  if (method === undefined || !/^(GET|PUT|POST|DELETE|HEAD)$/.test(method)) {
    return { error: { status: 400, code: 'BadRequest', message: `Invalid Access-Control-Request-Method: ${method ?? 'null'}` }, headers: {} };
  }
  const details = { Method: method, ResourceType: resourceType };
  if (!rules || rules.length === 0) {
    return { error: { status: 403, code: 'AccessForbidden', message: 'CORSResponse: CORS is not enabled for this bucket.', details }, headers: {} };
  }
  const requestedHeaders = (single(headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const match = matchingRule(rules, origin, method, requestedHeaders);
  if (!match) {
    return {
      error: {
        status: 403,
        code: 'AccessForbidden',
        // "evalution" is S3's own spelling.
        message:
          "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        details,
      },
      headers: { vary: VARY },
    };
  }
  return {
    status: 200,
    headers: {
      ...allowedHeadersOf(match, origin),
      ...(requestedHeaders.length > 0 ? { 'access-control-allow-headers': requestedHeaders.join(', ') } : {}),
    },
  };
}

/** The CORS headers S3 adds to the response to an actual (not preflight) request. */
export function actualCorsHeaders(rules: readonly CorsRule[] | undefined, headers: IncomingHttpHeaders, method: string): CorsHeaders {
  if (!rules || rules.length === 0) return {};
  const origin = single(headers.origin);
  const match = origin === undefined ? undefined : matchingRule(rules, origin, method.toUpperCase(), []);
  return match && origin !== undefined ? allowedHeadersOf(match, origin) : { vary: VARY };
}

function allowedHeadersOf({ rule, anyOrigin }: RuleMatch, origin: string): CorsHeaders {
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(rule.exposeHeaders && rule.exposeHeaders.length > 0 ? { 'access-control-expose-headers': rule.exposeHeaders.join(', ') } : {}),
    ...(rule.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(rule.maxAgeSeconds) } : {}),
    // A response for any origin is shared without credentials; one naming the origin may carry them.
    ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
    vary: VARY,
  };
}

interface RuleMatch {
  readonly rule: CorsRule;
  /** The rule allows every origin with `*` itself, which S3 answers with `*`. */
  readonly anyOrigin: boolean;
}

/** The first rule that allows the origin, the method and every requested header. */
export function matchingRule(rules: readonly CorsRule[], origin: string, method: string, requestedHeaders: readonly string[]): RuleMatch | undefined {
  for (const rule of rules) {
    const allowedOrigin = rule.allowedOrigins.find((pattern) => wildcardMatches(pattern, origin, false));
    if (allowedOrigin === undefined || !rule.allowedMethods.includes(method)) continue;
    const allowedHeaders = rule.allowedHeaders ?? [];
    if (!requestedHeaders.every((name) => allowedHeaders.some((pattern) => wildcardMatches(pattern, name, true)))) continue;
    return { rule, anyOrigin: allowedOrigin === '*' };
  }
  return undefined;
}

/** S3's CORS patterns: literal text with at most one `*`, which stands for any run of characters. */
function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const [p, v] = ignoreCase ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star === -1) return p === v;
  const [head, tail] = [p.slice(0, star), p.slice(star + 1)];
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

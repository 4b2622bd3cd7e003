/**
 * A local CloudFront for one distribution of a synthesized stack: it picks the cache
 * behaviour by path pattern in CloudFront's order, refuses a method the behaviour does not
 * allow, runs the behaviour's viewer-request CloudFront Function (going on with the request
 * it returns, or answering with its response), serves the stack's own bucket from the
 * objects the stack puts into it (as S3 answers through origin access control: a missing
 * key is 403) and forwards the API behaviours to the local REST APIs (origin path + the
 * request's path, every viewer header but Host, as AllViewerExceptHostHeader does, nothing
 * cached, as CachingDisabled), then adds the behaviour's response headers policy.
 *
 * Nothing is cached (locally every object is one read away), and it speaks plain HTTP: the
 * viewer protocol policy has nothing to redirect from. Locally `https://<distribution
 * domain>` is this server's URL.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningPart } from '../running-part';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import { isLocalUrl, type AwsUrlMap } from './aws-url-map';
import { readDistribution, type CacheBehaviour, type DistributionDefinition } from './distribution-definition';
import { applyResponseHeadersPolicy } from './response-headers-policy';
import { siteObjects, type SiteObject } from './site-objects';
import { functionRequestOf, headersOf, pathAndQueryOf, valuesOf, type FunctionRequest, type FunctionResponse } from './viewer-request-event';

export interface LocalCloudFrontOptions {
  readonly stack: SynthesizedStack;
  /** The stack's directory: the `source` of its objects is relative to it. */
  readonly stackDir: string;
  /** Resolves every ${...} in a synthesized string to its local value. */
  readonly resolve: (value: string) => string;
  /** Maps AWS URLs (in the CSP, config.json, an origin's domain) to the local servers'. */
  readonly localUrls: AwsUrlMap;
  /** Terraform name of the distribution; required when the stack has several. */
  readonly distribution?: string;
  /** @default 0 (a free port); bound on 127.0.0.1 only */
  readonly port?: number;
  /** One line per request: method, path, behaviour, status. */
  readonly onAccessLog?: (line: string) => void;
  /** Why a request failed inside CloudFront (an origin that did not answer, a function that threw). @default a line on stderr */
  readonly onError?: (line: string) => void;
}

export interface RunningCloudFront extends RunningPart {
  /** http://localhost:<port> */
  readonly url: string;
  readonly port: number;
  readonly definition: DistributionDefinition;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** Hop-by-hop headers, which a proxy never passes on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);

export async function startLocalCloudFront(options: LocalCloudFrontOptions): Promise<RunningCloudFront> {
  const text = (value: string) => options.localUrls(options.resolve(value));
  const definition = readDistribution(options.stack, options.resolve, text, options.distribution);
  const buckets = new Map<string, Map<string, SiteObject>>();
  const apiOrigins = new Map<string, string>();
  for (const { origin } of definition.behaviours) {
    if (origin.kind === 'bucket' && !buckets.has(origin.bucket)) buckets.set(origin.bucket, siteObjects(options.stack, options.stackDir, origin.bucket, text));
    if (origin.kind === 'api') {
      const local = options.localUrls(`https://${origin.domain}`);
      if (!isLocalUrl(local)) throw new Error(`CloudFront origin ${origin.id} (${origin.domain}) is not a REST API running here.`);
      apiOrigins.set(origin.id, local);
    }
  }
  const onError = options.onError ?? ((line: string) => process.stderr.write(`${line}\n`));
  let inFlight = 0;
  const waiting: (() => void)[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    const behaviour = definition.behaviours.find((candidate) => candidate.matches(decodeURIComponent(url.pathname)));
    let answer: Answer;
    try {
      answer = await answerFor(behaviour!, method, url, request);
    } catch (error) {
      onError(`local CloudFront: ${method} ${url.pathname}: ${(error as Error).message}`);
      answer = errorAnswer(502, 'Bad Gateway', 'CloudFront could not reach the origin or run the function; see the terminal.');
    }
    const headers = applyResponseHeadersPolicy(behaviour?.responseHeaders, answer.headers);
    response.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
    response.end(method === 'HEAD' ? undefined : answer.body);
    options.onAccessLog?.(`${method} ${url.pathname}${url.search} -> ${behaviour?.pathPattern ?? 'default'} (${behaviour?.origin.id}) ${answer.status}`);
  };

  const answerFor = async (behaviour: CacheBehaviour, method: string, url: URL, request: IncomingMessage): Promise<Answer> => {
    if (!behaviour.allowedMethods.includes(method)) {
      return errorAnswer(403, 'Forbidden', 'This distribution is not configured to allow the HTTP request method that was used for this request.');
    }
    let forwarded: FunctionRequest = functionRequestOf(method, url, request.headers);
    if (behaviour.viewerRequest) {
      const outcome = await behaviour.viewerRequest.run({
        version: '1.0',
        context: { distributionDomainName: url.host, distributionId: definition.name, eventType: 'viewer-request', requestId: randomUUID() },
        viewer: { ip: request.socket.remoteAddress ?? '127.0.0.1' },
        request: forwarded,
      });
      if ('response' in outcome) return functionAnswer(outcome.response);
      forwarded = outcome.request;
    }
    const { origin } = behaviour;
    if (origin.kind === 'bucket') return bucketAnswer(buckets.get(origin.bucket)!, origin.originPath, forwarded, definition.defaultRootObject);
    return forward(`${apiOrigins.get(origin.id)!}${origin.originPath}${pathAndQueryOf(forwarded)}`, forwarded, request);
  };

  const server = createServer((request, response) => {
    inFlight += 1;
    handle(request, response)
      .catch((error: unknown) => {
        onError(`local CloudFront: ${(error as Error).message}`);
        if (!response.headersSent) response.writeHead(500).end();
      })
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) for (const resolve of waiting.splice(0)) resolve();
      });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    port,
    definition,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** S3 through origin access control: the object, 304 for a matching ETag, 403 for a key that is not there (no ListBucket). */
function bucketAnswer(objects: ReadonlyMap<string, SiteObject>, originPath: string, request: FunctionRequest, defaultRootObject?: string): Answer {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return errorAnswer(403, 'AccessDenied', 'Access Denied', true);
  }
  const uri = request.uri === '/' && defaultRootObject !== undefined ? `/${defaultRootObject}` : request.uri;
  const key = `${originPath}${uri}`.replace(/^\/+/, '');
  const object = objects.get(key);
  if (!object) return errorAnswer(403, 'AccessDenied', 'Access Denied', true);
  const headers: Record<string, string> = { 'content-type': object.contentType, etag: object.etag, 'accept-ranges': 'bytes' };
  if (object.cacheControl !== undefined) headers['cache-control'] = object.cacheControl;
  const ifNoneMatch = valuesOf(request.headers).find(([name]) => name === 'if-none-match')?.[1];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === object.etag)) return { status: 304, headers, body: Buffer.alloc(0) };
  return { status: 200, headers, body: object.body };
}

async function forward(target: string, request: FunctionRequest, incoming: IncomingMessage): Promise<Answer> {
  const headers = Object.fromEntries(Object.entries(headersOf(request)).filter(([name]) => !HOP_BY_HOP.has(name)));
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const reply = await fetch(target, { method: request.method, headers, body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body, redirect: 'manual' });
  const replyHeaders: Record<string, string | string[]> = {};
  reply.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') replyHeaders[name] = value;
  });
  const cookies = reply.headers.getSetCookie();
  if (cookies.length > 0) replyHeaders['set-cookie'] = cookies;
  return { status: reply.status, headers: replyHeaders, body: Buffer.from(await reply.arrayBuffer()) };
}

function functionAnswer(response: FunctionResponse): Answer {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of valuesOf(response.headers)) {
    const existing = headers[name];
    headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const cookies = Object.entries(response.cookies ?? {}).map(([name, cookie]) => `${name}=${cookie.value}${cookie.attributes ? `; ${cookie.attributes}` : ''}`);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body =
    response.body === undefined ? Buffer.alloc(0) : typeof response.body === 'string' ? Buffer.from(response.body) : Buffer.from(response.body.data, response.body.encoding === 'base64' ? 'base64' : 'utf8');
  return { status: response.statusCode, headers, body };
}

/** An error as CloudFront (an HTML page) or S3 (an XML document) words it. */
function errorAnswer(status: number, code: string, message: string, fromS3 = false): Answer {
  if (fromS3) {
    return {
      status,
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`),
    };
  }
  return { status, headers: { 'content-type': 'text/html' }, body: Buffer.from(`<html><head><title>${status} ${code}</title></head><body><h1>${status} ${code}</h1><p>${message}</p></body></html>`) };
}

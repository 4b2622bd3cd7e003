import { once } from 'node:events';
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { endToEndHeaders } from '../../local/emulators/end-to-end-headers';

/** One AWS API request as it crossed the wire. */
export interface WireCall {
  /** The API action, e.g. `PutItem`, `Publish` or `GetObject`: what IAM must allow. */
  readonly operation: string;
  readonly method: string;
  /** Path and query as sent, still URL-encoded: for S3, `/<bucket>/<key>?<parameters>`. */
  readonly path: string;
  readonly body: string;
  /** The recorder answered 503 instead of forwarding (see `unavailableFor`). */
  readonly refused?: boolean;
}

export interface WireRecorder {
  /** Give this to the client under test instead of the emulator's endpoint. */
  readonly endpoint: string;
  readonly calls: readonly WireCall[];
  /** The distinct actions called so far, sorted. */
  operations(): string[];
  stop(): Promise<void>;
}

export interface WireRecorderOptions {
  /**
   * Requests for which the recorder hangs up instead of forwarding: the service is
   * unreachable for them, every retry included, while other requests go through.
   */
  readonly dropConnection?: (call: WireCall) => boolean;
  /**
   * Requests answered with 503 ServiceUnavailable, as an AWS endpoint answers during an
   * outage: the client's SDK sees a retryable service error, retries it with its own
   * policy, and reports it as it would in AWS. S3 requests get S3's XML error document,
   * the others a JSON error.
   */
  readonly unavailableFor?: (call: WireCall) => boolean;
}

/**
 * A pass-through HTTP proxy in front of an emulator that records the API action of every
 * request. It proves from the outside which actions a handler calls (so that its IAM
 * policy can stay exact) and can make the service unreachable for chosen requests, with
 * no change to the handler and no mock of the SDK.
 */
export async function startWireRecorder(target: string | (() => string), options: WireRecorderOptions = {}): Promise<WireRecorder> {
  // A function: the emulator may start after the recorder, whose endpoint it needs.
  const upstreamOf = () => new URL(typeof target === 'string' ? target : target());
  const calls: WireCall[] = [];
  // Connections to the emulator are reused (a load run opened one per request, a thousand
  // of them), and destroyed by stop(), so that nothing pooled outlives the recorder.
  const upstreamAgent = new Agent({ keepAlive: true });

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = incoming.method ?? 'GET';
      const path = incoming.url ?? '/';
      const text = body.toString('utf8');
      const s3 = isS3Request(incoming.headers);
      const operation = s3 ? s3OperationOf(method, path, incoming.headers) : operationOf(incoming.headers, text);
      const call: WireCall = { operation, method, path, body: text };
      if (options.unavailableFor?.(call)) {
        calls.push({ ...call, refused: true });
        if (s3) {
          // S3 speaks REST-XML: its clients parse the error code from an <Error> document.
          outgoing.writeHead(503, { 'content-type': 'application/xml' });
          outgoing.end(
            '<?xml version="1.0" encoding="UTF-8"?>\n' +
              '<Error><Code>ServiceUnavailable</Code><Message>injected outage</Message><RequestId>WIRERECORDER</RequestId></Error>',
          );
        } else {
          outgoing.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
          outgoing.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailableException', message: 'injected outage' }));
        }
        return;
      }
      calls.push(call);
      if (options.dropConnection?.(call)) {
        incoming.socket.destroy();
        return;
      }
      const upstream = upstreamOf();
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: endToEndHeaders(incoming.headers),
          agent: upstreamAgent,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, endToEndHeaders(response.headers));
          response.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    operations: () => [...new Set(calls.map((call) => call.operation))].sort(),
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      upstreamAgent.destroy();
    },
  };
}

/**
 * S3 names no action anywhere in a request; its SigV4 credential scope names the
 * service (`.../us-east-1/s3/aws4_request`), as every SDK client signs it.
 */
function isS3Request(headers: IncomingHttpHeaders): boolean {
  return headers['x-amz-target'] === undefined && /\/s3\/aws4_request/.test(headers.authorization ?? '');
}

const SUBRESOURCE_OPERATIONS: Record<string, Record<string, string>> = {
  tagging: { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' },
  acl: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' },
  attributes: { GET: 'GetObjectAttributes' },
  retention: { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' },
  'legal-hold': { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' },
  restore: { POST: 'RestoreObject' },
};

/**
 * The S3 action of a path-style request (`/<bucket>/<key>`, the only style an emulator on
 * 127.0.0.1 gets), from its method, path, query and copy-source header. Object actions
 * are named exactly; bucket configuration actions as `<Verb>Bucket<Subresource>`.
 */
function s3OperationOf(method: string, path: string, headers: IncomingHttpHeaders): string {
  const url = new URL(path, 'http://recorder');
  const [, bucket = '', ...keyParts] = url.pathname.split('/');
  const key = keyParts.join('/');
  const query = url.searchParams;
  if (bucket === '') return method === 'GET' ? 'ListBuckets' : 'unknown';

  if (key !== '') {
    for (const [subresource, byMethod] of Object.entries(SUBRESOURCE_OPERATIONS)) {
      if (query.has(subresource)) return byMethod[method] ?? 'unknown';
    }
    if (method === 'GET') return 'GetObject';
    if (method === 'HEAD') return 'HeadObject';
    if (method === 'PUT') {
      const copy = headers['x-amz-copy-source'] !== undefined;
      if (query.has('uploadId')) return copy ? 'UploadPartCopy' : 'UploadPart';
      return copy ? 'CopyObject' : 'PutObject';
    }
    if (method === 'DELETE') return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    if (method === 'POST') {
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (query.has('uploadId')) return 'CompleteMultipartUpload';
    }
    return 'unknown';
  }

  // Bucket-level: listing parameters are not subresources (`?list-type=2&prefix=a`).
  const subresource = [...query.keys()].find((name) => !LISTING_PARAMETERS.has(name));
  switch (method) {
    case 'HEAD':
      return 'HeadBucket';
    case 'POST':
      return subresource === 'delete' ? 'DeleteObjects' : 'unknown';
    case 'GET':
      if (subresource === undefined) return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      if (subresource === 'versions') return 'ListObjectVersions';
      if (subresource === 'uploads') return 'ListMultipartUploads';
      return `GetBucket${capitalised(subresource)}`;
    case 'PUT':
      return subresource === undefined ? 'CreateBucket' : `PutBucket${capitalised(subresource)}`;
    case 'DELETE':
      return subresource === undefined ? 'DeleteBucket' : `DeleteBucket${capitalised(subresource)}`;
    default:
      return 'unknown';
  }
}

const LISTING_PARAMETERS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'marker',
  'x-id',
]);

function capitalised(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** JSON protocols (DynamoDB, SQS) name the action in a header, the query protocol (SNS) in the body. */
function operationOf(headers: IncomingHttpHeaders, body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  return new URLSearchParams(body).get('Action') ?? 'unknown';
}

import { once } from 'node:events';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS API request as it crossed the wire. */
export interface WireCall {
  /** The API action, e.g. `PutItem` or `Publish`: what IAM must allow. */
  readonly operation: string;
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
   * policy, and reports it as it would in AWS.
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

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const call: WireCall = { operation: operationOf(incoming.headers, body.toString('utf8')), body: body.toString('utf8') };
      if (options.unavailableFor?.(call)) {
        calls.push({ ...call, refused: true });
        outgoing.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
        outgoing.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailableException', message: 'injected outage' }));
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
          headers: incoming.headers,
          // A fresh connection per request: nothing pooled outlives stop().
          agent: false,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
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
    },
  };
}

/** JSON protocols (DynamoDB, SQS) name the action in a header, the query protocol (SNS) in the body. */
function operationOf(headers: IncomingHttpHeaders, body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  return new URLSearchParams(body).get('Action') ?? 'unknown';
}

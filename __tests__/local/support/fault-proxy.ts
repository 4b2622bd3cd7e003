import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  /** The JSON-protocol operation, e.g. `DynamoDB_20120810.PutItem`. */
  readonly operation: string;
  readonly body: string;
  readonly failed: boolean;
}

/**
 * An HTTP proxy in front of an emulator that fails chosen requests with 503 Service
 * Unavailable, as an AWS endpoint does during an outage. Functions reach the emulator
 * through it (AWS_ENDPOINT_URL_<SERVICE>), so their real SDK clients meet the failure,
 * retry it with their own policy and report it as they would in AWS.
 */
export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  /** Set before any request arrives: the emulator's endpoint. */
  target = '';
  failWhen: (operation: string, body: string) => boolean = () => false;

  private readonly server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '');
      const failed = this.failWhen(operation, body.toString('utf8'));
      this.requests.push({ operation, body: body.toString('utf8'), failed });
      if (failed) {
        outgoing.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
        outgoing.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailableException', message: 'injected outage' }));
        return;
      }
      forward(new URL(this.target), incoming.method ?? 'POST', incoming.url ?? '/', incoming.headers, body, outgoing);
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

function forward(
  target: URL,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  outgoing: import('node:http').ServerResponse,
): void {
  const upstream = request({ host: target.hostname, port: target.port, method, path, headers: { ...headers, host: target.host } }, (response) => {
    outgoing.writeHead(response.statusCode ?? 502, response.headers);
    response.pipe(outgoing);
  });
  upstream.on('error', (error) => {
    outgoing.writeHead(502);
    outgoing.end(String(error));
  });
  upstream.end(body);
}

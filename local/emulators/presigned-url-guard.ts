/**
 * A pass-through proxy in front of fauxqs's S3 that checks presigned URLs as S3 does (their
 * SigV4 signature against the local credentials, and their expiry): fauxqs checks neither,
 * and an emailed report link that opened with half a signature or after it expired would
 * hide the one property that matters about it. Everything else is forwarded unchanged,
 * streamed in both directions; requests that are not presigned (the SDK clients sign
 * theirs in headers) pass unjudged.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_CREDENTIALS } from './dynamodb-local';
import type { RunningEmulator } from './emulator-process';
import { endToEndHeaders } from './end-to-end-headers';
import { presignedRequestRefusal, type LocalCredentials } from './presigned-request';
import { sendS3Error, type S3Error } from './s3-error';

export interface PresignedUrlGuardOptions {
  /** The only key presigned URLs may be signed with. @default LOCAL_CREDENTIALS */
  readonly credentials?: LocalCredentials;
  /** The clock expiry is judged by. @default the system clock */
  readonly now?: () => Date;
}

export async function startPresignedUrlGuard(s3Endpoint: string, { credentials = LOCAL_CREDENTIALS, now = () => new Date() }: PresignedUrlGuardOptions = {}): Promise<RunningEmulator> {
  const upstream = new URL(s3Endpoint);

  const refusalOf = (incoming: IncomingMessage): Promise<S3Error | undefined> =>
    presignedRequestRefusal({ method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers }, credentials, now());

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: endToEndHeaders(incoming.headers) },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, endToEndHeaders(response.headers));
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    incoming.pipe(forwarded);
  };

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    refusalOf(incoming).then(
      (refusal) => {
        if (refusal) {
          sendS3Error(outgoing, refusal);
          incoming.resume();
          return;
        }
        forward(incoming, outgoing);
      },
      (error: unknown) => {
        incoming.resume();
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(`the local S3 guard failed: ${String(error)}`);
      },
    );
  };

  const server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

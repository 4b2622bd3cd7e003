/**
 * A pass-through proxy in front of fauxqs's S3 that refuses presigned URLs past their
 * expiry, as S3 does: fauxqs checks no signature and no expiry, and an emailed report link
 * that still worked after it expired would hide the one property that matters about it.
 * Everything else is forwarded unchanged, streamed in both directions.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from './emulator-process';
import { endToEndHeaders } from './end-to-end-headers';

/** When a presigned request stops being valid, from its query; undefined when it is not presigned. */
export function presignedExpiry(url: URL): Date | undefined {
  const signedAt = url.searchParams.get('X-Amz-Date');
  const expiresIn = url.searchParams.get('X-Amz-Expires');
  if (signedAt === null || expiresIn === null) return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(signedAt);
  if (!match || !/^\d+$/.test(expiresIn)) return new Date(0);
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) + Number(expiresIn) * 1000);
}

const EXPIRED_BODY = (resource: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  `<Error><Code>AccessDenied</Code><Message>Request has expired</Message><Resource>${resource.replace(/[<>&]/g, '')}</Resource></Error>`;

export async function startPresignedUrlGuard(s3Endpoint: string, now: () => Date = () => new Date()): Promise<RunningEmulator> {
  const upstream = new URL(s3Endpoint);
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://local');
    const expiry = presignedExpiry(url);
    if (expiry !== undefined && now() > expiry) {
      incoming.resume();
      outgoing.writeHead(403, { 'content-type': 'application/xml' }).end(EXPIRED_BODY(url.pathname));
      return;
    }
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
  });
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

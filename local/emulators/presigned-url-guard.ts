/**
 * A pass-through proxy in front of fauxqs's S3 that answers, as S3 would, what fauxqs
 * cannot: it checks presigned URLs (their SigV4 signature against the local credentials,
 * and their expiry), which fauxqs does not, since an emailed report link that opened with
 * half a signature or after it expired would hide the one property that matters about it;
 * it refuses up front a body larger than fauxqs takes, saying so, where fauxqs would
 * cut the connection; it takes a browser's upload by POST Object with its POST policy
 * (post-object-upload.ts), which fauxqs has not; and it answers CORS from each bucket's
 * CORS rules (s3-cors.ts), which fauxqs ignores. Everything else is forwarded unchanged,
 * streamed in both directions; requests that are not presigned (the SDK clients sign
 * theirs in headers) pass unjudged.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from './emulator-process';
import { endToEndHeaders } from './end-to-end-headers';
import { bodyTooLargeLocally, bodyWithinLimit, declaredBodySize, FAUXQS_MAX_BODY_BYTES } from './fauxqs-body-limit';
import { postObjectBucket, postObjectUploads } from './post-object-upload';
import { presignedRequestRefusal, type LocalCredentials } from './presigned-request';
import { actualCorsHeaders, preflightAnswer, type BucketCors, type CorsHeaders } from './s3-cors';
import { sendS3Error, type S3Error } from './s3-error';

export interface PresignedUrlGuardOptions {
  /** The only key presigned URLs may be signed with: the one the local runtime gives its clients and functions. */
  readonly credentials: LocalCredentials;
  /** The clock expiry (of links and of POST policies) is judged by. @default the system clock */
  readonly now?: () => Date;
  /**
   * Each bucket's CORS rules, asked on every request (so they may be known only once the
   * stacks are provisioned). @default no bucket has a CORS configuration
   */
  readonly cors?: BucketCors;
}

export async function startPresignedUrlGuard(s3Endpoint: string, { credentials, now = () => new Date(), cors = () => undefined }: PresignedUrlGuardOptions): Promise<RunningEmulator> {
  const upstream = new URL(s3Endpoint);
  const uploads = postObjectUploads(s3Endpoint, credentials, now);

  const refusalOf = async (incoming: IncomingMessage): Promise<S3Error | undefined> => {
    const presigned = await presignedRequestRefusal({ method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers }, credentials, now());
    if (presigned) return presigned;
    const declared = declaredBodySize(incoming.headers['content-length']);
    return declared !== undefined && declared > FAUXQS_MAX_BODY_BYTES ? bodyTooLargeLocally(declared) : undefined;
  };

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, corsHeaders: CorsHeaders) => {
    let cutShort = false;
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: endToEndHeaders(incoming.headers) },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, { ...endToEndHeaders(response.headers), ...corsHeaders });
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => {
      if (cutShort) return;
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    // A body sent chunked announces no size: it is counted as it comes, and fauxqs is never
    // sent more than it takes.
    const counted = bodyWithinLimit(() => {
      cutShort = true;
      forwarded.destroy();
      if (outgoing.headersSent) outgoing.end();
      else sendS3Error(outgoing, bodyTooLargeLocally(), corsHeaders);
    });
    incoming.pipe(counted).pipe(forwarded);
  };

  const failed = (incoming: IncomingMessage, outgoing: ServerResponse, error: unknown) => {
    incoming.resume();
    if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
    outgoing.end(`the local S3 guard failed: ${String(error)}`);
  };

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse, expectsContinue: boolean) => {
    try {
      judge(incoming, outgoing, expectsContinue);
    } catch (error) {
      // A caller's `cors` that throws, above all: the request fails, not the runtime.
      failed(incoming, outgoing, error);
    }
  };

  const judge = (incoming: IncomingMessage, outgoing: ServerResponse, expectsContinue: boolean) => {
    const path = new URL(incoming.url ?? '/', 'http://local').pathname;
    const [, bucket, ...key] = path.split('/').map(percentDecoded);
    if (bucket && incoming.method === 'OPTIONS') {
      const preflight = preflightAnswer(cors(bucket), incoming.headers, key.join('/') === '' ? 'BUCKET' : 'OBJECT');
      if ('error' in preflight) sendS3Error(outgoing, preflight.error, preflight.headers);
      else outgoing.writeHead(preflight.status, { ...preflight.headers, 'content-length': '0' }).end();
      incoming.resume();
      return;
    }
    const corsHeaders = bucket ? actualCorsHeaders(cors(bucket), incoming.headers, incoming.method ?? 'GET') : {};
    const uploadBucket = postObjectBucket(incoming.method, incoming.url, incoming.headers['content-type']);
    if (uploadBucket !== undefined) {
      // The form is read here, not forwarded: its body limit is the policy's, and fauxqs's applies to the file alone.
      if (expectsContinue) outgoing.writeContinue();
      uploads.answer(incoming, outgoing, uploadBucket, corsHeaders);
      return;
    }
    refusalOf(incoming).then(
      (refusal) => {
        if (refusal) {
          // Without "100 Continue" a client that asked for it does not send the body, and
          // closing the connection leaves no doubt about where the next request starts.
          sendS3Error(outgoing, refusal, { ...corsHeaders, ...(expectsContinue ? { connection: 'close' } : {}) });
          incoming.resume();
          return;
        }
        if (expectsContinue) outgoing.writeContinue();
        forward(incoming, outgoing, corsHeaders);
      },
      (error: unknown) => failed(incoming, outgoing, error),
    );
  };

  const server = createServer((incoming, outgoing) => handle(incoming, outgoing, false));
  // Answered here rather than by Node, so that a refused upload is refused before its body is sent.
  server.on('checkContinue', (incoming: IncomingMessage, outgoing: ServerResponse) => handle(incoming, outgoing, true));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      uploads.stop();
      if (!server.listening) return;
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

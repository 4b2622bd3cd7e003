/**
 * The largest request body fauxqs's S3 takes: its Fastify app is built with
 * `bodyLimit: 11 * 1_048_576` (fauxqs 1.9, dist/app.js), counted on the body as it arrives
 * (aws-chunked framing included). Past it Fastify answers 413 without reading the body and
 * closes the connection, so a proxy still writing the body fails with `write EPIPE`.
 * Real S3 takes up to 5 GB in one PUT: a larger upload cannot be tried locally, and says so.
 */
import { Transform } from 'node:stream';
import type { S3Error } from './s3-error';

export const FAUXQS_MAX_BODY_BYTES = 11 * 1_048_576;

export function bodyTooLargeLocally(proposedSize?: number): S3Error {
  return {
    status: 400,
    code: 'EntityTooLarge',
    message:
      'Your proposed upload exceeds the maximum allowed size: not supported locally. ' +
      `The local S3 (fauxqs) takes a request body of at most ${FAUXQS_MAX_BODY_BYTES} bytes (11 MiB); real S3 takes up to 5 GB in one PUT.`,
    details: { ...(proposedSize === undefined ? {} : { ProposedSize: proposedSize }), MaxSizeAllowed: FAUXQS_MAX_BODY_BYTES },
  };
}

/** The size a request announces for its body; undefined when it is sent chunked. */
export function declaredBodySize(contentLength: string | undefined): number | undefined {
  return contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : undefined;
}

/**
 * Passes a body on up to the limit; past it, passes nothing more, calls `onExceeded` once
 * and keeps reading the rest, so that the client can finish sending and read the answer.
 */
export function bodyWithinLimit(onExceeded: () => void, limit = FAUXQS_MAX_BODY_BYTES): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const before = received;
      received += chunk.length;
      if (received <= limit) return done(null, chunk);
      if (before <= limit) onExceeded();
      done();
    },
  });
}

/**
 * The SigV4 signature S3 expects on a presigned request, worked out by the SDK's own S3
 * presigner from the request as it arrived: S3's canonical request is the method, the path
 * as sent, every query parameter but X-Amz-Signature, the headers the query says were
 * signed, and UNSIGNED-PAYLOAD. Re-signing with the SDK rather than hand-written HMACs
 * keeps the local check in step with the signer that made the link.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';

type RequestToSign = Parameters<S3RequestPresigner['presign']>[0];
type SourceData = string | ArrayBuffer | ArrayBufferView;

/** What the X-Amz-* query parameters say about how the request was signed. */
export interface QuerySigning {
  readonly accessKeyId: string;
  readonly signedAt: Date;
  readonly region: string;
  readonly service: string;
  readonly expiresInSeconds: number;
  /** Lower-case header names, as X-Amz-SignedHeaders lists them. */
  readonly signedHeaders: readonly string[];
}

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query exactly as received, still percent-encoded. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export async function expectedQuerySignature(request: ReceivedRequest, signing: QuerySigning, secretAccessKey: string): Promise<string> {
  const presigner = new S3RequestPresigner({
    credentials: { accessKeyId: signing.accessKeyId, secretAccessKey },
    region: signing.region,
    sha256: NodeSha256,
  });
  const signed = await presigner.presign(requestToSign(request, signing.signedHeaders), {
    signingDate: signing.signedAt,
    expiresIn: signing.expiresInSeconds,
    signingRegion: signing.region,
    signingService: signing.service,
    // Exactly the headers the client signed, left where it sent them: the presigner would
    // otherwise sign or move some on its own rules. Its payload header only says
    // UNSIGNED-PAYLOAD; the link already carries it in its query when the SDK made it.
    signableHeaders: new Set(signing.signedHeaders),
    unsignableHeaders: new Set(['x-amz-content-sha256']),
    unhoistableHeaders: new Set([...signing.signedHeaders, 'x-amz-content-sha256']),
  });
  return String(signed.query?.['X-Amz-Signature'] ?? '');
}

function requestToSign({ method, url, headers }: ReceivedRequest, signedHeaders: readonly string[]): RequestToSign {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query: Record<string, string | string[]> = {};
  for (const pair of queryStart === -1 ? [] : url.slice(queryStart + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decode(pair.slice(equals + 1));
    const previous = query[name];
    query[name] = previous === undefined ? value : [previous, value].flat();
  }
  const signed = Object.fromEntries(
    signedHeaders.flatMap((name) => {
      const value = headers[name];
      return value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]];
    }),
  );
  return { method: method.toUpperCase(), protocol: 'http:', hostname: String(headers.host ?? ''), path, query, headers: signed };
}

/** Percent-decoding only: in a signed query `+` is a plus sign, not a space. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The SDK's hash interface on node:crypto: SHA-256, or HMAC-SHA256 when given a key. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

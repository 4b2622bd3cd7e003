/**
 * An error answered as S3 answers it: a status and an XML `<Error>` document with a code,
 * a message, the code's own details, a request id and a host id, so that an SDK client
 * throws an exception named after the code and a person with curl reads the same body.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface S3Error {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** The elements S3 adds after `<Message>` for this code, in its order. */
  readonly details?: Readonly<Record<string, string | number>>;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function s3ErrorXml(error: S3Error): string {
  const elements = { Code: error.code, Message: error.message, ...error.details, RequestId: randomBytes(8).toString('hex').toUpperCase(), HostId: randomBytes(24).toString('base64') };
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${Object.entries(elements)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('')}</Error>`;
}

export function sendS3Error(response: ServerResponse, error: S3Error, headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(error.status, { ...headers, 'content-type': 'application/xml' }).end(s3ErrorXml(error));
}

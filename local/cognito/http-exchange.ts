import type { IncomingMessage, ServerResponse } from 'node:http';

/** The most a form, a token request or an API call may carry; Cognito's own limits are smaller than any sane client needs. */
const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`The request body is larger than ${MAX_BODY_BYTES} bytes`);
  }
}

/** One request and its answer, with the small helpers the hosted UI's endpoints share. */
export class HttpExchange {
  readonly url: URL;

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
  ) {
    this.url = new URL(request.url ?? '/', 'http://localhost');
  }

  get method(): string {
    return this.request.method ?? 'GET';
  }

  header(name: string): string | undefined {
    const value = this.request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The media type of the body, without parameters, lower case. */
  contentType(): string {
    return (this.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  }

  cookie(name: string): string | undefined {
    for (const pair of (this.header('cookie') ?? '').split(';')) {
      const at = pair.indexOf('=');
      if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
    }
    return undefined;
  }

  /** @throws BodyTooLargeError */
  async body(): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** A urlencoded form body; undefined when the body is not one. */
  async form(): Promise<URLSearchParams | undefined> {
    if (this.contentType() !== 'application/x-www-form-urlencoded') return undefined;
    return new URLSearchParams(await this.body());
  }

  setHeader(name: string, value: string | string[]): this {
    this.response.setHeader(name, value);
    return this;
  }

  json(status: number, body: unknown, contentType = 'application/json;charset=UTF-8'): void {
    this.send(status, JSON.stringify(body), contentType);
  }

  html(status: number, page: string, contentSecurityPolicy: string): void {
    this.setHeader('Content-Security-Policy', contentSecurityPolicy)
      .setHeader('X-Frame-Options', 'DENY')
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Referrer-Policy', 'no-referrer');
    this.send(status, page, 'text/html;charset=UTF-8');
  }

  redirect(location: string): void {
    this.setHeader('Location', location);
    this.send(302, '', undefined);
  }

  send(status: number, body: string, contentType: string | undefined): void {
    if (contentType !== undefined) this.response.setHeader('Content-Type', contentType);
    // Every answer here carries or leads to credentials: no cache may keep one.
    if (!this.response.hasHeader('Cache-Control')) this.response.setHeader('Cache-Control', 'no-store');
    this.response.statusCode = status;
    this.response.end(body);
  }
}

/** Adds `name` to a `Set-Cookie` list without losing the ones already set. */
export function appendCookie(exchange: HttpExchange, cookie: string): void {
  const existing = exchange.response.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  exchange.response.setHeader('Set-Cookie', [...list, cookie]);
}

import busboy from 'busboy';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { SiteFile } from '../../../dashboard/build-site';
import { sendJson, sendText } from './http';
import { StubApis } from './stub-apis';
import { StubAuthority, STUB_CLIENT_ID } from './stub-authority';

/**
 * The dashboard's CSP, as the dashboard stack's response headers policy sends it. The authority
 * and the APIs share the page's origin here; the upload bucket has its own, as S3 does.
 */
export function stubCsp(storageOrigin: string): string {
  return (
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${storageOrigin}; ` +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
  );
}

/** axe-core, served by the stub for the accessibility scan. */
export const AXE_PATH = '/test-support/axe.min.js';

/**
 * node:http servers on port 0 standing in for everything the page talks to. One is CloudFront
 * (site files, SPA routing, config.json, security headers), Cognito (StubAuthority) and the
 * APIs (StubApis); the other is the upload bucket, on its own origin with S3's CORS rules, so
 * the presigned POST is the cross-origin request it is in AWS.
 */
export class StubBackend {
  readonly authority: StubAuthority;
  readonly apis: StubApis;
  /** Every request, in order: "METHOD /path?query". */
  readonly requests: string[] = [];
  /** The Authorization header of every API request, in order. */
  readonly apiAuthorizations: (string | undefined)[] = [];
  /** Every request the upload bucket received, "METHOD origin". */
  readonly storageRequests: string[] = [];
  private server?: Server;
  private storage?: Server;
  private origin = '';
  private storageOrigin = '';

  constructor(private readonly site: readonly SiteFile[]) {
    this.authority = new StubAuthority(() => this.origin);
    this.apis = new StubApis(this.authority, () => `${this.storageOrigin}/`);
  }

  get url(): string {
    return this.origin;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { message: `stub failure: ${String(error)}` });
      });
    });
    this.storage = createServer((request, response) => {
      this.storageRoute(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendText(response, 500, 'application/xml', `<Error><Message>${String(error)}</Message></Error>`);
      });
    });
    this.origin = await listen(this.server);
    this.storageOrigin = await listen(this.storage);
  }

  async stop(): Promise<void> {
    for (const server of [this.server, this.storage]) {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    this.requests.push(`${request.method} ${url.pathname}${url.search}`);
    response.setHeader('Content-Security-Policy', stubCsp(this.storageOrigin));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');

    if (url.pathname.startsWith('/api/')) this.apiAuthorizations.push(request.headers.authorization);
    if (await this.authority.handle(request, response, url)) return;
    if (await this.apis.handle(request, response, url)) return;
    if (request.method === 'GET' && url.pathname === AXE_PATH) {
      // Same-origin, so the tests inject axe-core without turning the CSP off.
      sendText(response, 200, 'text/javascript', readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
      return;
    }
    if (request.method === 'GET' && url.pathname === '/config.json') {
      sendJson(response, 200, this.config());
      return;
    }
    if (request.method === 'GET') {
      this.siteFile(response, url.pathname);
      return;
    }
    sendJson(response, 405, { message: 'Method not allowed.' });
  }

  config() {
    return {
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_stub',
      clientId: STUB_CLIENT_ID,
      authority: this.authority.authority,
      hostedUiUrl: this.origin,
      inventoryApi: '/api/inventory',
      reportApi: '/api/reports',
      maxUploadBytes: 10 * 1024 * 1024,
      lowStockThreshold: this.apis.lowStockThreshold,
    };
  }

  /** As the SPA-routing CloudFront Function does: a path without an extension is the page. */
  private siteFile(response: ServerResponse, pathname: string): void {
    const key = path.extname(pathname) === '' ? 'index.html' : pathname.slice(1);
    const file = this.site.find((candidate) => candidate.path === key);
    if (file === undefined) {
      sendText(response, 404, 'text/plain', 'Not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': file.cacheControl });
    response.end(readFileSync(file.file));
  }

  /**
   * The bucket's CORS rule, as the dashboard stack writes it: POST from the dashboard's origin
   * only. The page's upload progress listener makes the browser send a preflight first.
   */
  private async storageRoute(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    this.storageRequests.push(`${request.method} ${origin ?? '(no origin)'}`);
    const allowed = origin === this.origin;
    if (request.method === 'OPTIONS') {
      if (!allowed || request.headers['access-control-request-method'] !== 'POST') {
        sendText(response, 403, 'application/xml', '<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>');
        return;
      }
      response.writeHead(200, { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'POST', Vary: 'Origin' }).end();
      return;
    }
    if (allowed) response.setHeader('Access-Control-Allow-Origin', origin);
    if (request.method === 'POST' && new URL(request.url ?? '/', this.storageOrigin).pathname === '/') {
      await this.storagePost(request, response);
      return;
    }
    sendText(response, 405, 'application/xml', '<Error><Code>MethodNotAllowed</Code></Error>');
  }

  /** S3's presigned POST, in outline: fields first, the file last, 204 on success. */
  private storagePost(request: IncomingMessage, response: ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const fields: string[] = [];
      const values: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let fileSeen = false;
      let fieldAfterFile = false;
      const parser = busboy({ headers: request.headers, limits: { fileSize: 11 * 1024 * 1024 } });
      parser.on('field', (name, value) => {
        if (fileSeen) fieldAfterFile = true;
        fields.push(name);
        values[name] = value;
      });
      parser.on('file', (name, stream) => {
        fileSeen = true;
        fields.push(name);
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      });
      parser.on('close', () => {
        const status = fieldAfterFile ? 400 : this.apis.receiveStoragePost(fields, values, Buffer.concat(chunks));
        if (status === 204) response.writeHead(204).end();
        else sendText(response, status, 'application/xml', '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>');
        resolve();
      });
      parser.on('error', reject);
      request.pipe(parser);
    });
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, sendText } from './http';
import type { StubAuthority } from './stub-authority';

export interface StubProduct {
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  readonly price: number;
}

/** What the pipeline "decides" for the next upload; by default it writes the file's products. */
export type UploadDecision =
  | { readonly status: 'written' }
  | {
      readonly status: 'rejected';
      readonly reason: string;
      readonly errorCount: number;
      readonly errors: readonly { item: number | null; productId: string | null; field: string | null; reason: string }[];
    };

export interface ReportAnswer {
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly reportUrl?: string;
  readonly message?: string;
}

interface Upload {
  readonly uploadId: string;
  readonly fileName: string;
  readonly createdAt: string;
  received?: Buffer;
  checks: number;
}

const SORTS = ['productId', 'name', 'quantity', 'price'] as const;

/**
 * The inventory and report APIs as the contract of issue 11 describes them, over an array
 * of products: what the page needs to show each of its states, no AWS behind it.
 */
export class StubApis {
  products: StubProduct[] = [];
  lowStockThreshold = 5;
  nextDecision: UploadDecision = { status: 'written' };
  /** Set to make GET /products fail with this answer. */
  productsFailure?: { readonly status: number; readonly contentType: string; readonly body: string };
  /** Answers of GET /api/reports/{id}, in turn; the last one repeats. */
  reportAnswers: ReportAnswer[] = [{ status: 'SUCCEEDED', reportUrl: 'https://reports.example.test/report.csv' }];
  readonly uploads = new Map<string, Upload>();
  /** Form field names of each presigned POST, in the order the browser sent them. */
  readonly storagePosts: { fields: string[]; fileBytes: number }[] = [];
  /** Set to make the bucket refuse the next POST, as S3 does an expired policy. */
  storageRefuses = false;
  private reportCalls = 0;

  constructor(
    private readonly authority: StubAuthority,
    /** The upload bucket's URL: another origin than the page's, as S3 is. */
    private readonly storageUrl: () => string,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (!path.startsWith('/api/')) return false;
    if (!this.authority.honours(request.headers.authorization)) {
      sendJson(response, 401, { message: 'Unauthorized' });
      return true;
    }
    if (request.method === 'POST' && path === '/api/inventory/uploads') {
      this.createUpload(response, JSON.parse(await readBody(request)) as { fileName: string; size: number });
    } else if (request.method === 'GET' && path.startsWith('/api/inventory/uploads/')) {
      this.uploadRecord(response, decodeURIComponent(path.slice('/api/inventory/uploads/'.length)));
    } else if (request.method === 'GET' && path === '/api/inventory/products') {
      this.productsPage(response, url.searchParams);
    } else if (request.method === 'POST' && path === '/api/reports') {
      this.reportCalls = 0;
      sendJson(response, 200, { executionId: 'exec-1', executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:CreateReport:exec-1', startedAt: new Date().toISOString() });
    } else if (request.method === 'GET' && path === '/api/reports/exec-1') {
      const answer = this.reportAnswers[Math.min(this.reportCalls++, this.reportAnswers.length - 1)];
      sendJson(response, 200, { executionId: 'exec-1', ...answer });
    } else {
      sendJson(response, 404, { message: 'Not found.' });
    }
    return true;
  }

  /** The upload bucket's presigned POST target; the key field says which upload it is. */
  receiveStoragePost(fields: string[], values: Record<string, string>, file: Buffer): number {
    this.storagePosts.push({ fields, fileBytes: file.length });
    if (this.storageRefuses) return 403;
    const upload = [...this.uploads.values()].find((candidate) => values.key === `uploads/sub/${candidate.uploadId}.json`);
    if (upload === undefined || values['Content-Type'] !== 'application/json') return 403;
    upload.received = file;
    return 204;
  }

  private createUpload(response: ServerResponse, body: { fileName: string; size: number }): void {
    if (body.size > 10 * 1024 * 1024) {
      sendJson(response, 413, { message: 'The file is larger than the 10 MiB upload limit.' });
      return;
    }
    const uploadId = randomUUID();
    this.uploads.set(uploadId, { uploadId, fileName: body.fileName, createdAt: new Date().toISOString(), checks: 0 });
    sendJson(response, 201, {
      uploadId,
      key: `uploads/sub/${uploadId}.json`,
      url: this.storageUrl(),
      // The order matters to S3: policy fields first, the file last.
      fields: {
        bucket: 'upload-bucket',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        key: `uploads/sub/${uploadId}.json`,
        'Content-Type': 'application/json',
        Policy: 'eyJjb25kaXRpb25zIjpbXX0=',
        'X-Amz-Signature': 'stub',
      },
      maxBytes: 10 * 1024 * 1024,
      expiresAt: new Date(Date.now() + 300_000).toISOString(),
    });
  }

  private uploadRecord(response: ServerResponse, uploadId: string): void {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined) {
      sendJson(response, 404, { message: 'No such upload.' });
      return;
    }
    const base = { uploadId, fileName: upload.fileName, createdAt: upload.createdAt };
    // Pending at first, as the pipeline takes a moment.
    if (upload.received === undefined || upload.checks++ === 0) {
      sendJson(response, 200, { ...base, status: 'pending' });
      return;
    }
    const decision = this.nextDecision;
    if (decision.status === 'rejected') {
      sendJson(response, 200, { ...base, ...decision, decidedAt: new Date().toISOString() });
      return;
    }
    const written = JSON.parse(upload.received.toString('utf8')) as StubProduct[];
    const byId = new Map(this.products.map((product) => [product.productId, product]));
    for (const product of written) byId.set(product.productId, product);
    this.products = [...byId.values()];
    sendJson(response, 200, { ...base, status: 'written', products: written.length, decidedAt: new Date().toISOString() });
  }

  private productsPage(response: ServerResponse, params: URLSearchParams): void {
    if (this.productsFailure !== undefined) {
      sendText(response, this.productsFailure.status, this.productsFailure.contentType, this.productsFailure.body);
      return;
    }
    const page = Number(params.get('page') ?? '1');
    const pageSize = Number(params.get('pageSize') ?? '25');
    const sort = (params.get('sort') ?? 'productId') as (typeof SORTS)[number];
    const order = params.get('order') ?? 'asc';
    const search = params.get('search') ?? '';
    if (!SORTS.includes(sort) || !['asc', 'desc'].includes(order) || !(pageSize >= 1 && pageSize <= 100) || !(page >= 1)) {
      sendJson(response, 400, { message: 'The page, pageSize, sort or order parameter is not valid.' });
      return;
    }
    const needle = search.toLowerCase();
    const matching = this.products
      .filter((product) => product.productId.toLowerCase().includes(needle) || product.name.toLowerCase().includes(needle))
      .sort((a, b) => {
        const [x, y] = [a[sort], b[sort]];
        const compared = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return order === 'asc' ? compared : -compared;
      });
    const pages = Math.ceil(matching.length / pageSize);
    sendJson(response, 200, {
      items: matching.slice((page - 1) * pageSize, page * pageSize).map((product) => ({ ...product, lowStock: product.quantity <= this.lowStockThreshold })),
      total: matching.length,
      page,
      pageSize,
      pages,
      sort,
      order,
      search,
      lowStockThreshold: this.lowStockThreshold,
    });
  }
}

import { runInNewContext } from 'node:vm';

/** A viewer request as CloudFront hands it to a function (event structure version 1.0). */
export interface CloudFrontRequest {
  method: string;
  uri: string;
  querystring: Record<string, { value: string; multiValue?: { value: string }[] }>;
  headers: Record<string, { value: string }>;
  cookies: Record<string, { value: string }>;
}

/** What a viewer-request function may return instead of the request: a response of its own. */
export interface CloudFrontResponse {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, { value: string }>;
  body?: { encoding: 'text' | 'base64'; data: string } | string;
}

/** A viewer request for `uri` (with its query string, if any) in CloudFront's event shape. */
export function viewerRequestEvent(target: string, method = 'GET') {
  const [uri, query = ''] = target.split('?');
  const querystring = Object.fromEntries(
    [...new URLSearchParams(query)].map(([key, value]) => [key, { value }]),
  ) as CloudFrontRequest['querystring'];
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'test' },
    viewer: { ip: '198.51.100.7' },
    request: { method, uri, querystring, headers: { host: { value: 'd111111abcdef8.cloudfront.net' } }, cookies: {} } as CloudFrontRequest,
  };
}

/**
 * Loads a CloudFront Function's code in a context of its own, with nothing of Node's in
 * reach (no require, no process), and returns its handler as CloudFront would call it.
 */
export function loadCloudFrontFunction(code: string): (event: ReturnType<typeof viewerRequestEvent>) => CloudFrontRequest | CloudFrontResponse {
  const context: Record<string, unknown> = {};
  runInNewContext(code, context, { timeout: 1000 });
  const handler = context.handler;
  if (typeof handler !== 'function') throw new Error('The code defines no function named handler');
  return handler as (event: ReturnType<typeof viewerRequestEvent>) => CloudFrontRequest | CloudFrontResponse;
}

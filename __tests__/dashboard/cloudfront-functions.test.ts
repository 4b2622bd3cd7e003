import { cloudFrontFunctionCode } from '../../dashboard/cloudfront/function-code';
import { CloudFrontRequest, CloudFrontResponse, loadCloudFrontFunction, viewerRequestEvent } from '../support/cloudfront-function';

/** The URI the request goes on with, or the status of the response the function answers with. */
function outcome(result: CloudFrontRequest | CloudFrontResponse): string | number {
  return 'statusCode' in result ? result.statusCode : result.uri;
}

describe('the SPA routing function (default behaviour, viewer request)', () => {
  const handler = loadCloudFrontFunction(cloudFrontFunctionCode('spaRouting'));
  const route = (target: string) => outcome(handler(viewerRequestEvent(target)));

  it("serves the page for the page's own routes, which have no file extension", () => {
    expect(route('/')).toBe('/index.html');
    expect(route('/callback?code=abc&state=xyz')).toBe('/index.html');
    expect(route('/products')).toBe('/index.html');
    expect(route('/products/')).toBe('/index.html');
    expect(route('/uploads/3f1c.0/details')).toBe('/index.html');
  });

  it('leaves files alone, so that S3 serves them (or refuses a missing one)', () => {
    expect(route('/index.html')).toBe('/index.html');
    expect(route('/config.json')).toBe('/config.json');
    expect(route('/assets/app-4KQ2ZB7M.js')).toBe('/assets/app-4KQ2ZB7M.js');
    expect(route('/assets/app-4KQ2ZB7M.css')).toBe('/assets/app-4KQ2ZB7M.css');
    expect(route('/favicon.ico')).toBe('/favicon.ico');
  });

  it('keeps the query string and the method as they were', () => {
    const result = handler(viewerRequestEvent('/callback?code=abc&state=xyz')) as CloudFrontRequest;
    expect(result.querystring).toEqual({ code: { value: 'abc' }, state: { value: 'xyz' } });
    expect(result.method).toBe('GET');
  });

  it('answers an /api/ path that no API behaviour took with a JSON 404, not the page', () => {
    for (const target of ['/api', '/api/', '/api/inventory', '/api/unknown/thing']) {
      const result = handler(viewerRequestEvent(target)) as CloudFrontResponse;
      expect(result).toMatchObject({ statusCode: 404, headers: { 'content-type': { value: 'application/json' } } });
      expect(JSON.parse((result.body as { data: string }).data)).toEqual({ message: expect.stringMatching(/^There is no such API address\.$/) });
    }
    // A route that merely starts with the letters "api" is the page's.
    expect(route('/apiary')).toBe('/index.html');
  });
});

describe('the API prefix function (API behaviours, viewer request)', () => {
  const handler = loadCloudFrontFunction(cloudFrontFunctionCode('stripApiPrefix'));
  const forward = (target: string, method = 'GET') => outcome(handler(viewerRequestEvent(target, method)));

  it("strips /api/inventory, leaving the inventory API's own path", () => {
    expect(forward('/api/inventory/products?page=2&sort=name')).toBe('/products');
    expect(forward('/api/inventory/uploads', 'POST')).toBe('/uploads');
    expect(forward('/api/inventory/uploads/0b8e-42')).toBe('/uploads/0b8e-42');
    expect(forward('/api/inventory/')).toBe('/');
  });

  it("strips /api/reports: POST /api/reports reaches the report API's POST /", () => {
    expect(forward('/api/reports', 'POST')).toBe('/');
    expect(forward('/api/reports/', 'POST')).toBe('/');
    expect(forward('/api/reports/0c2d5e7a-exec')).toBe('/0c2d5e7a-exec');
  });

  it('strips a prefix only as a whole path segment', () => {
    expect(forward('/api/inventoryx/products')).toBe('/api/inventoryx/products');
    expect(forward('/api/reportsabc')).toBe('/api/reportsabc');
  });

  it('keeps the query string for the API', () => {
    const result = handler(viewerRequestEvent('/api/inventory/products?search=bean&page=3')) as CloudFrontRequest;
    expect(result.querystring).toEqual({ search: { value: 'bean' }, page: { value: '3' } });
  });
});

describe('the functions run within what CloudFront allows', () => {
  it.each(['spaRouting', 'stripApiPrefix'] as const)('%s fits in 10 KB and uses no Node API', (name) => {
    const code = cloudFrontFunctionCode(name);
    expect(Buffer.byteLength(code)).toBeLessThan(10 * 1024);
    expect(code).not.toMatch(/\brequire\(|\bimport\b|\bprocess\./);
  });
});

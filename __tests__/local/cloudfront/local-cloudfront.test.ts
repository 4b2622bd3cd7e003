import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { CloudfrontDistribution, type CloudfrontDistributionConfig, type CloudfrontDistributionOrigin } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { TerraformStack, Testing } from 'cdktf';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsUrlMap } from '../../../local/cloudfront/aws-url-map';
import { startLocalCloudFront, type RunningCloudFront } from '../../../local/cloudfront/local-cloudfront';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';

const SPA_ROUTING = `function handler(event) {
  var request = event.request;
  if (request.uri.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;
const STRIP_PREFIX = `async function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/api\\/inventory/, '') || '/';
  request.headers['x-stripped'] = { value: 'yes' };
  return request;
}`;
const MOVED = `function handler(event) {
  return { statusCode: 301, statusDescription: 'Moved', headers: { location: { value: '/new' + (event.request.querystring.q ? '?q=' + event.request.querystring.q.value : '') } } };
}`;

interface Tweaks {
  readonly runtime?: string;
  readonly distribution?: (config: CloudfrontDistributionConfig) => CloudfrontDistributionConfig;
}

/** A dashboard-shaped stack: a private bucket with two files and config.json, an API origin, three functions, one headers policy. */
function dashboardStack(siteDir: string, tweaks: Tweaks = {}): SynthesizedStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'site');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const site = new S3Bucket(stack, 'site', { bucketPrefix: 'dev-site-' });
  const uploads = new S3Bucket(stack, 'uploads', { bucketPrefix: 'dev-uploads-' });
  const api = new ApiGatewayRestApi(stack, 'api', { name: 'inventory' });
  const oac = new CloudfrontOriginAccessControl(stack, 'oac', { name: 'site', originAccessControlOriginType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4' });
  const fn = (id: string, code: string) => new CloudfrontFunction(stack, id, { name: id, runtime: tweaks.runtime ?? 'cloudfront-js-2.0', code, publish: true });
  const spa = fn('spa', SPA_ROUTING);
  const strip = fn('strip', STRIP_PREFIX);
  const moved = fn('moved', MOVED);
  const headers = new CloudfrontResponseHeadersPolicy(stack, 'headers', {
    name: 'dashboard',
    securityHeadersConfig: {
      contentSecurityPolicy: {
        contentSecurityPolicy: `default-src 'self'; connect-src 'self' https://cognito-idp.us-east-1.amazonaws.com https://${uploads.bucket}.s3.us-east-1.amazonaws.com`,
        override: true,
      },
      strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true },
      frameOptions: { frameOption: 'DENY', override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: false },
    },
    customHeadersConfig: { items: [{ header: 'X-Served-By', value: 'dashboard', override: true }] },
  });
  const viewerRequest = (functionArn: string) => [{ eventType: 'viewer-request', functionArn }];
  const apiBehaviour = { targetOriginId: 'api', viewerProtocolPolicy: 'https-only', cachedMethods: ['GET', 'HEAD'], responseHeadersPolicyId: headers.id };
  const allMethods = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'];
  const config: CloudfrontDistributionConfig = {
    enabled: true,
    defaultRootObject: 'index.html',
    origin: [
      { originId: 'site', domainName: site.bucketRegionalDomainName, originAccessControlId: oac.id },
      {
        originId: 'api',
        domainName: `${api.id}.execute-api.us-east-1.amazonaws.com`,
        originPath: '/v1',
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
      },
    ],
    orderedCacheBehavior: [
      { ...apiBehaviour, pathPattern: '/api/inventory/*', allowedMethods: allMethods, functionAssociation: viewerRequest(strip.arn) },
      // Never reached for /api/inventory/...: the first matching behaviour wins.
      { ...apiBehaviour, pathPattern: '/api/*', allowedMethods: ['GET', 'HEAD'] },
      { ...apiBehaviour, targetOriginId: 'site', pathPattern: 'old*', allowedMethods: ['GET', 'HEAD'], functionAssociation: viewerRequest(moved.arn) },
    ],
    defaultCacheBehavior: {
      targetOriginId: 'site',
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD'],
      cachedMethods: ['GET', 'HEAD'],
      responseHeadersPolicyId: headers.id,
      functionAssociation: viewerRequest(spa.arn),
    },
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: { cloudfrontDefaultCertificate: true },
  };
  new CloudfrontDistribution(stack, 'distribution', tweaks.distribution ? tweaks.distribution(config) : config);
  new S3Object(stack, 'index', { bucket: site.id, key: 'index.html', source: 'site/index.html', contentType: 'text/html', cacheControl: 'no-cache' });
  new S3Object(stack, 'app', { bucket: site.id, key: 'assets/app-1a2b.js', source: join(siteDir, 'site', 'assets', 'app.js'), contentType: 'text/javascript', cacheControl: 'public, max-age=31536000, immutable' });
  new S3Object(stack, 'config', {
    bucket: site.bucket,
    key: 'config.json',
    content: JSON.stringify({ authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool', uploads: uploads.bucket, inventoryApi: '/api/inventory' }),
    contentType: 'application/json',
    cacheControl: 'no-cache',
  });
  // Another bucket's object is not the site's.
  new S3Object(stack, 'elsewhere', { bucket: uploads.id, key: 'secret.txt', content: 'not served', contentType: 'text/plain' });
  return SynthesizedStack.parse(Testing.synth(stack));
}

const fakeAttributes = (_type: string, name: string, attribute: string) => `${name}-${attribute}`.replace(/_/g, '-').toLowerCase();

let siteDir: string;
let echo: Server;
let echoUrl: string;
let cloudFront: RunningCloudFront;

beforeAll(async () => {
  siteDir = mkdtempSync(join(tmpdir(), 'local-cloudfront-'));
  mkdirSync(join(siteDir, 'site', 'assets'), { recursive: true });
  writeFileSync(join(siteDir, 'site', 'index.html'), '<!doctype html><title>Café</title>');
  writeFileSync(join(siteDir, 'site', 'assets', 'app.js'), 'console.log("app")');
  // Stands for the local REST API: answers with what reached it.
  echo = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(request.url?.includes('deny') ? 401 : 200, { 'content-type': 'application/json', 'referrer-policy': 'no-referrer' });
      response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() }));
    });
  }).listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  cloudFront = await start(dashboardStack(siteDir));
});

afterAll(async () => {
  await cloudFront?.stop();
  echo?.close();
  rmSync(siteDir, { recursive: true, force: true });
});

function start(stack: SynthesizedStack): Promise<RunningCloudFront> {
  return startLocalCloudFront({
    stack,
    stackDir: siteDir,
    resolve: (value) => stack.resolve(value, fakeAttributes),
    localUrls: awsUrlMap({
      hostedUi: 'http://127.0.0.1:4100',
      s3: 'http://127.0.0.1:4200',
      hosts: new Map([['api-id.execute-api.us-east-1.amazonaws.com', echoUrl]]),
    }),
    onError: () => {},
  });
}

const get = (path: string, init?: RequestInit) => fetch(`${cloudFront.url}${path}`, { redirect: 'manual', ...init });
const echoed = async (response: Response) => (await response.json()) as { method: string; url: string; headers: Record<string, string>; body: string };

describe('the default behaviour serves the site bucket', () => {
  test('the root is the default root object, with the content type and cache control the stack sets', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<title>Café</title>');
  });

  test('a deep path with no file extension is index.html, through the SPA routing function', async () => {
    const response = await get('/uploads/42?tab=errors');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Café</title>');
  });

  test('a hashed asset is served with its immutable cache control, and its ETag answers 304', async () => {
    const response = await get('/assets/app-1a2b.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('console.log("app")');
    const again = await get('/assets/app-1a2b.js', { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  test("a key that is not in the bucket is S3's 403 through origin access control, and another bucket's object is not the site's", async () => {
    const missing = await get('/assets/missing.js');
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('<Code>AccessDenied</Code>');
    expect((await get('/secret.txt')).status).toBe(403);
  });

  test("config.json is the stack's content with its references resolved and AWS URLs mapped to local ones", async () => {
    const response = await get('/config.json');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ authority: 'http://127.0.0.1:4100/us-east-1_Pool', uploads: 'uploads-bucket', inventoryApi: '/api/inventory' });
  });

  test('a method the behaviour does not allow is refused as CloudFront refuses it', async () => {
    const response = await get('/index.html', { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/not configured to allow the HTTP request method/);
  });

  test('a response the function returns is the answer', async () => {
    const response = await get('/old-page?q=1');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/new?q=1');
  });
});

describe('API behaviours forward to the local REST API', () => {
  test('the first matching behaviour wins; its function strips the prefix and the origin path is put before it', async () => {
    const response = await get('/api/inventory/products?page=2&sort=name', { headers: { authorization: 'token-1' } });
    expect(response.status).toBe(200);
    const reached = await echoed(response);
    expect(reached.url).toBe('/v1/products?page=2&sort=name');
    expect(reached.headers.authorization).toBe('token-1');
    expect(reached.headers['x-stripped']).toBe('yes');
    // AllViewerExceptHostHeader: the origin sees its own host.
    expect(reached.headers.host).toBe(new URL(echoUrl).host);
  });

  test('the body and the method reach the API, and its status comes back as it is', async () => {
    const posted = await echoed(await get('/api/inventory/uploads', { method: 'POST', body: '{"fileName":"a.json","size":3}', headers: { 'content-type': 'application/json' } }));
    expect(posted).toMatchObject({ method: 'POST', url: '/v1/uploads', body: '{"fileName":"a.json","size":3}' });
    expect((await get('/api/inventory/deny')).status).toBe(401);
  });

  test('a later behaviour serves what the earlier ones do not match, with its own allowed methods', async () => {
    expect((await echoed(await get('/api/reports/abc'))).url).toBe('/v1/api/reports/abc');
    expect((await get('/api/reports', { method: 'POST' })).status).toBe(403);
  });
});

describe('the response headers policy', () => {
  test('adds its security and custom headers to files and API answers, with the CSP pointing at the local servers', async () => {
    for (const path of ['/', '/config.json', '/api/inventory/products', '/assets/missing.js']) {
      const { headers } = await get(path);
      expect(headers.get('content-security-policy')).toBe("default-src 'self'; connect-src 'self' http://127.0.0.1:4100 http://127.0.0.1:4200");
      expect(headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-served-by')).toBe('dashboard');
    }
  });

  test("a header the policy does not override keeps the origin's value", async () => {
    expect((await get('/')).headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect((await get('/api/inventory/products')).headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('what the local CloudFront cannot do the same way is refused when it starts', () => {
  test('a function runtime other than cloudfront-js-2.0', async () => {
    await expect(start(dashboardStack(siteDir, { runtime: 'cloudfront-js-1.0' }))).rejects.toThrow(/runtime cloudfront-js-1.0 is not supported locally/);
  });

  test('an origin it cannot map to a local server', async () => {
    const stack = dashboardStack(siteDir, {
      distribution: (config) => {
        const [site, api] = config.origin as CloudfrontDistributionOrigin[];
        return { ...config, origin: [site, { ...api, domainName: 'example.com' }] };
      },
    });
    await expect(start(stack)).rejects.toThrow(/origin api \(example\.com\) is neither the stack's bucket .* nor a REST API's execute-api domain/);
  });

  test('Lambda@Edge, and a function at another event than viewer request', async () => {
    const withEdge = dashboardStack(siteDir, {
      distribution: (config) => ({ ...config, defaultCacheBehavior: { ...config.defaultCacheBehavior, lambdaFunctionAssociation: [{ eventType: 'origin-request', lambdaArn: 'arn:aws:lambda:us-east-1:1:function:x:1' }] } }),
    });
    await expect(start(withEdge)).rejects.toThrow(/Lambda@Edge is not supported locally/);
    const viewerResponse = dashboardStack(siteDir, {
      distribution: (config) => ({
        ...config,
        defaultCacheBehavior: { ...config.defaultCacheBehavior, functionAssociation: [{ eventType: 'viewer-response', functionArn: (config.defaultCacheBehavior.functionAssociation as { functionArn: string }[])[0].functionArn }] },
      }),
    });
    await expect(start(viewerResponse)).rejects.toThrow(/a viewer-response function is not supported locally/);
  });
});

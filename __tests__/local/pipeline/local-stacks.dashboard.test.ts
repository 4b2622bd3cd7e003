/**
 * The dashboard stack run with a stack it reads, as `npm run local -- dashboard` runs it
 * with the inventory and report stacks: one set of services, cross-stack references
 * resolved from the producing stack, one user pool behind the hosted UI and the API's
 * authorizer, the dashboard's app client and bucket CORS, and the local CloudFront in front.
 * The producer stands in for the inventory and report stacks with the shapes they give the
 * dashboard (pool and domain, upload bucket, a REST API with a stage and an authorizer), so
 * that this proves the runtime whatever those stacks' own functions do.
 */
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App } from 'cdktf';
import type { Construct } from 'constructs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineConfig } from '../../../config';
import { startLocalStacks, type LocalStacks } from '../../../local/pipeline/local-stacks';
import { SynthesizedApp } from '../../../local/stack/synthesized-app';
import { DashboardStack } from '../../../stacks/dashboard';
import { PipelineStack } from '../../../stacks/pipeline-stack';
import { TEST_CONFIG } from '../../support/synth';

jest.setTimeout(120_000);

class ProducerStack extends PipelineStack {
  readonly userPool: { pool: CognitoUserPool; domain: CognitoUserPoolDomain };
  readonly uploadBucket: S3Bucket;
  readonly api: { restApiId: string; stageName: string };

  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config);
    const pool = new CognitoUserPool(this, 'pool', { name: 'test-users' });
    this.userPool = { pool, domain: new CognitoUserPoolDomain(this, 'domain', { domain: 'test-cafe-0123', userPoolId: pool.id }) };
    this.uploadBucket = new S3Bucket(this, 'uploads', { bucketPrefix: 'test-uploads-' });
    const api = new ApiGatewayRestApi(this, 'api', { name: 'test-api' });
    const authorizer = new ApiGatewayAuthorizer(this, 'authorizer', { name: 'pool', restApiId: api.id, type: 'COGNITO_USER_POOLS', providerArns: [pool.arn], identitySource: 'method.request.header.Authorization' });
    const products = new ApiGatewayResource(this, 'products', { restApiId: api.id, parentId: api.rootResourceId, pathPart: 'products' });
    const method = new ApiGatewayMethod(this, 'get', { restApiId: api.id, resourceId: products.id, httpMethod: 'GET', authorization: 'COGNITO_USER_POOLS', authorizerId: authorizer.id });
    const integration = new ApiGatewayIntegration(this, 'mock', {
      restApiId: api.id,
      resourceId: products.id,
      httpMethod: method.httpMethod,
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
    });
    new ApiGatewayMethodResponse(this, 'ok', { restApiId: api.id, resourceId: products.id, httpMethod: method.httpMethod, statusCode: '200' });
    new ApiGatewayIntegrationResponse(this, 'ok-response', {
      restApiId: api.id,
      resourceId: products.id,
      httpMethod: method.httpMethod,
      statusCode: '200',
      responseTemplates: { 'application/json': '{"items": [], "caller": "$context.authorizer.claims.email"}' },
      dependsOn: [integration],
    });
    const deployment = new ApiGatewayDeployment(this, 'deployment', { restApiId: api.id, dependsOn: [integration] });
    const stage = new ApiGatewayStage(this, 'stage', { restApiId: api.id, deploymentId: deployment.id, stageName: 'v1' });
    this.api = { restApiId: api.id, stageName: stage.stageName };
  }
}

let outDir: string;
let run: LocalStacks;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'local-stacks-dashboard-'));
  const app = new App({ outdir: outDir });
  const producer = new ProducerStack(app, 'producer', TEST_CONFIG);
  new DashboardStack(app, 'dashboard', TEST_CONFIG, {
    userPool: producer.userPool,
    uploadBucket: { name: producer.uploadBucket.bucket },
    inventoryApi: producer.api,
    reportApi: producer.api,
    siteBuildDir: join(outDir, 'site-build'),
  });
  app.synth();
  const synthesized = SynthesizedApp.read(outDir);
  run = await startLocalStacks({ app: synthesized, stackIds: synthesized.producersOf('dashboard').concat('dashboard'), cloudFrontPort: 0 });
});

afterAll(async () => {
  await run?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

const site = (path: string, init?: RequestInit) => fetch(`${run.cloudFront!.url}${path}`, { redirect: 'manual', ...init });

test('the page, a deep route of it, and config.json with every AWS URL made local', async () => {
  const page = await site('/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect((await (await site('/uploads/42')).text())).toBe(html);

  const config = (await (await site('/config.json')).json()) as Record<string, unknown>;
  const [pool] = run.userPools.values();
  expect(config).toMatchObject({
    region: 'us-east-1',
    userPoolId: pool.poolId,
    authority: `${run.hostedUi!.url}/${pool.poolId}`,
    hostedUiUrl: run.hostedUi!.url,
    inventoryApi: '/api/inventory',
    reportApi: '/api/reports',
    maxUploadBytes: 10485760,
  });
  // The client config.json names is the one the hosted UI knows, with the local callback.
  expect(pool.appClient(String(config.clientId))?.callbackUrls).toContain(`${run.cloudFront!.url}/callback`);
});

test("every answer carries the policy's headers, the CSP naming the local hosted UI and S3", async () => {
  const csp = (await site('/')).headers.get('content-security-policy') ?? '';
  expect(csp).toContain(`connect-src 'self' ${run.hostedUi!.url} ${run.hostedUi!.url} ${run.endpoints.s3}`);
  expect(csp).not.toMatch(/amazonaws\.com|amazoncognito\.com/);
  expect((await site('/api/inventory/products')).headers.get('x-frame-options')).toBe('DENY');
});

test('an API path reaches the API through CloudFront: 401 without a token, the answer with one', async () => {
  const refused = await site('/api/inventory/products');
  expect(refused.status).toBe(401);
  expect(await refused.json()).toEqual({ message: 'Unauthorized' });

  const [pool] = run.userPools.values();
  const token = await pool.issueIdToken({ email: 'staff@example.com' });
  const answered = await site('/api/inventory/products', { headers: { Authorization: token } });
  expect(answered.status).toBe(200);
  expect(await answered.json()).toEqual({ items: [], caller: 'staff@example.com' });
});

test("the upload bucket answers the browser's CORS preflight for the dashboard's origin only", async () => {
  const bucket = [...run.stacks.get('producer')!.resources.buckets.values()][0].name;
  const preflight = (origin: string) =>
    fetch(`${run.endpoints.s3}/${bucket}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
  const allowed = await preflight(run.cloudFront!.url);
  expect(allowed.status).toBe(200);
  expect(allowed.headers.get('access-control-allow-origin')).toBe(run.cloudFront!.url);
  expect((await preflight('http://evil.example')).status).toBe(403);
});

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { loadConfig } from '../../config';
import { readJsonencodedObject } from '../../local/stack/jsonencode-object';
import { cloudFrontFunctionCode } from '../../dashboard/cloudfront/function-code';
import { MANAGED_CACHE_POLICY, MANAGED_ORIGIN_REQUEST_POLICY } from '../../stacks/dashboard';
import { CloudFrontRequest, loadCloudFrontFunction, viewerRequestEvent } from '../support/cloudfront-function';
import { synthDashboard } from '../support/dashboard-app';
import { FAKE_ACCOUNT, OTHER_ACCOUNT } from '../support/fake-aws';
import { only, TEST_CONFIG } from '../support/synth';

const { stack, stackDir, resolve } = synthDashboard();
type Behaviour = Record<string, unknown> & { path_pattern?: string; target_origin_id: string; function_association: { event_type: string; function_arn: string }[] };
const [distributionName, distribution] = only(stack.resources('aws_cloudfront_distribution'));
const origins = distribution.origin as Record<string, unknown>[];
const defaultBehaviour = distribution.default_cache_behavior as Behaviour;
const apiBehaviours = distribution.ordered_cache_behavior as Behaviour[];
const DISTRIBUTION_ARN = `arn:aws:cloudfront::${FAKE_ACCOUNT}:distribution/EDFDVBD6EXAMPLE`;
const DASHBOARD_ORIGIN = 'https://d111111abcdef8.cloudfront.net';

/** The code of the CloudFront Function a behaviour runs on viewer requests. */
function viewerRequestCode(behaviour: Behaviour): string {
  const [association] = behaviour.function_association;
  expect(association.event_type).toBe('viewer-request');
  const name = /^\$\{aws_cloudfront_function\.([^.]+)\.arn\}$/.exec(association.function_arn)![1];
  const fn = stack.resource('aws_cloudfront_function', name);
  expect(fn).toMatchObject({ runtime: 'cloudfront-js-2.0', publish: true });
  return String(fn.code);
}

describe('dashboard: the site bucket and its only reader', () => {
  const [bucketName] = only(stack.resources('aws_s3_bucket'));

  it('is private: every kind of public access blocked, ACLs off', () => {
    expect(only(stack.resources('aws_s3_bucket_public_access_block'))[1]).toMatchObject({
      bucket: `\${aws_s3_bucket.${bucketName}.id}`,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(stack.resources('aws_s3_bucket_ownership_controls'))[1]).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
    // Built from the repository on every deploy: emptied on destroy in any environment.
    expect(stack.resource('aws_s3_bucket', bucketName)).toMatchObject({ bucket_prefix: 'test-dashboard-site-', force_destroy: true });
  });

  it('is read by CloudFront through an origin access control that signs every request', () => {
    const [oacName, oac] = only(stack.resources('aws_cloudfront_origin_access_control'));
    expect(oac).toMatchObject({ origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    expect(origins[0]).toEqual({
      origin_id: 'site',
      domain_name: `\${aws_s3_bucket.${bucketName}.bucket_regional_domain_name}`,
      origin_access_control_id: `\${aws_cloudfront_origin_access_control.${oacName}.id}`,
    });
  });

  describe('its policy, simulated', () => {
    const policy = JSON.parse(resolve(String(only(stack.resources('aws_s3_bucket_policy'))[1].policy)));
    const site = resolve(`\${aws_s3_bucket.${bucketName}.arn}`);
    const decide = async (principal: string, action: string, context: Record<string, string>) => {
      const response = await runSimulation(
        {
          request: { principal, action, resource: { resource: `${site}/index.html`, accountId: FAKE_ACCOUNT }, contextVariables: { 'aws:SecureTransport': 'true', ...context } },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: policy,
        },
        {},
      );
      if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
      return response.overallResult;
    };

    it('names the distribution of this stack as the only source CloudFront may read for', () => {
      expect(policy.Statement).toContainEqual({
        Sid: 'CloudFrontReadsThroughOriginAccessControl',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${site}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': DISTRIBUTION_ARN } },
      });
      expect(resolve(`\${aws_cloudfront_distribution.${distributionName}.arn}`)).toBe(DISTRIBUTION_ARN);
    });

    it('lets the distribution read, and refuses another distribution, writes and everyone else', async () => {
      expect(await decide('cloudfront.amazonaws.com', 's3:GetObject', { 'aws:SourceArn': DISTRIBUTION_ARN })).toBe('Allowed');
      const other = `arn:aws:cloudfront::${OTHER_ACCOUNT}:distribution/EOTHEREXAMPLE`;
      expect(await decide('cloudfront.amazonaws.com', 's3:GetObject', { 'aws:SourceArn': other })).not.toBe('Allowed');
      expect(await decide('cloudfront.amazonaws.com', 's3:PutObject', { 'aws:SourceArn': DISTRIBUTION_ARN })).not.toBe('Allowed');
      expect(await decide(`arn:aws:iam::${OTHER_ACCOUNT}:root`, 's3:GetObject', {})).not.toBe('Allowed');
      expect(await decide('cloudfront.amazonaws.com', 's3:GetObject', { 'aws:SourceArn': DISTRIBUTION_ARN, 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
    });
  });
});

describe('dashboard: the distribution', () => {
  it('answers in HTTPS only, with HTTP/2 and 3, IPv6, the cheapest price class and index.html at the root', () => {
    expect(distribution).toMatchObject({
      enabled: true,
      default_root_object: 'index.html',
      http_version: 'http2and3',
      is_ipv6_enabled: true,
      price_class: 'PriceClass_100',
      viewer_certificate: { cloudfront_default_certificate: true },
    });
    expect(defaultBehaviour.viewer_protocol_policy).toBe('redirect-to-https');
    for (const behaviour of apiBehaviours) expect(behaviour.viewer_protocol_policy).toBe('https-only');
    // No custom error responses: they would turn the APIs' 403s and 404s into the page.
    expect(distribution.custom_error_response).toBeUndefined();
  });

  it('serves the bucket by default, cached by path, routing the page\'s own paths to index.html', () => {
    expect(defaultBehaviour).toMatchObject({
      target_origin_id: 'site',
      allowed_methods: ['GET', 'HEAD'],
      cache_policy_id: MANAGED_CACHE_POLICY.cachingOptimized,
      compress: true,
    });
    expect(MANAGED_CACHE_POLICY.cachingOptimized).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
    expect(viewerRequestCode(defaultBehaviour)).toBe(cloudFrontFunctionCode('spaRouting'));
  });

  it('sends /api/inventory/* to the inventory API and /api/reports(/*) to the report API, at their stages, over HTTPS', () => {
    expect(apiBehaviours.map((behaviour) => [behaviour.path_pattern, behaviour.target_origin_id])).toEqual([
      ['/api/inventory/*', 'inventory-api'],
      ['/api/reports', 'report-api'],
      ['/api/reports/*', 'report-api'],
    ]);
    const custom = { http_port: 80, https_port: 443, origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'] };
    expect(origins.slice(1)).toEqual([
      { origin_id: 'inventory-api', domain_name: 'inv4p1d000.execute-api.us-east-1.amazonaws.com', origin_path: '/v1', custom_origin_config: custom },
      { origin_id: 'report-api', domain_name: 'rep0rt1d00.execute-api.us-east-1.amazonaws.com', origin_path: '/v1', custom_origin_config: custom },
    ]);
  });

  it('never caches an API answer, forwards every viewer header but Host (so Authorization reaches the API), and allows every method', () => {
    expect(MANAGED_CACHE_POLICY.cachingDisabled).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(MANAGED_ORIGIN_REQUEST_POLICY.allViewerExceptHostHeader).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    for (const behaviour of apiBehaviours) {
      expect(behaviour).toMatchObject({
        cache_policy_id: MANAGED_CACHE_POLICY.cachingDisabled,
        origin_request_policy_id: MANAGED_ORIGIN_REQUEST_POLICY.allViewerExceptHostHeader,
        allowed_methods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE']),
      });
      expect((behaviour.allowed_methods as string[]).length).toBe(7);
    }
  });

  it("strips each API behaviour's prefix with the synthesized function, so the API sees its own paths", () => {
    const examples: Record<string, [string, string][]> = {
      '/api/inventory/*': [['/api/inventory/products?page=2', '/products'], ['/api/inventory/uploads/u-1', '/uploads/u-1']],
      '/api/reports': [['/api/reports', '/']],
      '/api/reports/*': [['/api/reports/exec-1', '/exec-1']],
    };
    for (const behaviour of apiBehaviours) {
      const code = viewerRequestCode(behaviour);
      expect(code).toBe(cloudFrontFunctionCode('stripApiPrefix'));
      const handler = loadCloudFrontFunction(code);
      for (const [viewerPath, apiPath] of examples[behaviour.path_pattern!]) {
        expect((handler(viewerRequestEvent(viewerPath)) as CloudFrontRequest).uri).toBe(apiPath);
      }
    }
  });
});

describe('dashboard: the security headers on every answer', () => {
  const [policyName, policy] = only(stack.resources('aws_cloudfront_response_headers_policy'));
  const headers = policy.security_headers_config as Record<string, Record<string, unknown>>;

  it('apply to every behaviour: the page, its files, config.json and the APIs', () => {
    for (const behaviour of [defaultBehaviour, ...apiBehaviours]) {
      expect(behaviour.response_headers_policy_id).toBe(`\${aws_cloudfront_response_headers_policy.${policyName}.id}`);
    }
  });

  it('allow no inline script, connect only to Cognito and the upload bucket, and forbid framing', () => {
    expect(headers.content_security_policy.override).toBe(true);
    expect(resolve(String(headers.content_security_policy.content_security_policy))).toBe(
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self' https://cognito-idp.us-east-1.amazonaws.com https://test-inventory-0123456789.auth.us-east-1.amazoncognito.com https://test-inventory-upload-x.s3.us-east-1.amazonaws.com",
        "form-action 'self' https://test-inventory-0123456789.auth.us-east-1.amazoncognito.com",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
      ].join('; '),
    );
  });

  it('set HSTS for two years with subdomains and preload, DENY framing, nosniff and the referrer policy', () => {
    expect(headers).toMatchObject({
      strict_transport_security: { access_control_max_age_sec: 63072000, include_subdomains: true, preload: true, override: true },
      frame_options: { frame_option: 'DENY', override: true },
      content_type_options: { override: true },
      referrer_policy: { referrer_policy: 'strict-origin-when-cross-origin', override: true },
    });
    expect((policy.custom_headers_config as { items: unknown[] }).items).toEqual([
      { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true },
      { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
    ]);
  });
});

describe('dashboard: the files it serves', () => {
  const objects = Object.values(stack.resources('aws_s3_object'));
  const [bucketName] = only(stack.resources('aws_s3_bucket'));

  it('uploads every built file with its content type, caching and the MD5 of its bytes, from the stack\'s own assets', () => {
    const files = objects.filter((object) => object.key !== 'config.json');
    // The hashes change with the page's code: the names are compared with the hash left out.
    const unhashed = files.map((object) => String(object.key).replace(/-[A-Z0-9]+\./, '-[hash].')).sort();
    expect(unhashed).toEqual(['assets/app-[hash].css', 'assets/app-[hash].js', 'index.html']);
    const expected: Record<string, { content_type: string; cache_control: string }> = {
      html: { content_type: 'text/html; charset=utf-8', cache_control: 'no-cache' },
      css: { content_type: 'text/css; charset=utf-8', cache_control: 'public, max-age=31536000, immutable' },
      js: { content_type: 'text/javascript; charset=utf-8', cache_control: 'public, max-age=31536000, immutable' },
    };
    for (const object of files) {
      const extension = String(object.key).split('.').pop() as string;
      expect(object).toMatchObject({ bucket: `\${aws_s3_bucket.${bucketName}.bucket}`, ...expected[extension] });
      const source = join(stackDir, String(object.source));
      expect(String(object.source)).toMatch(/^assets\//);
      expect(existsSync(source)).toBe(true);
      expect(object.etag).toBe(createHash('md5').update(readFileSync(source)).digest('hex'));
    }
  });

  it('writes config.json from the other stacks\' values, fetched fresh on every load', () => {
    const config = objects.find((object) => object.key === 'config.json')!;
    expect(config).toMatchObject({ bucket: `\${aws_s3_bucket.${bucketName}.bucket}`, content_type: 'application/json', cache_control: 'no-cache' });
    const fields = readJsonencodedObject(String(config.content));
    const resolved = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === 'string' ? resolve(value) : value]));
    expect(resolved).toEqual({
      region: 'us-east-1',
      userPoolId: 'us-east-1_AbCdEf123',
      clientId: '1example23456789abcdefghij',
      authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
      hostedUiUrl: 'https://test-inventory-0123456789.auth.us-east-1.amazoncognito.com',
      inventoryApi: '/api/inventory',
      reportApi: '/api/reports',
      maxUploadBytes: 10485760,
      lowStockThreshold: 5,
    });
    expect(Object.keys(fields)).toEqual(['region', 'userPoolId', 'clientId', 'authority', 'hostedUiUrl', 'inventoryApi', 'reportApi', 'maxUploadBytes', 'lowStockThreshold']);
  });

  it('reads the pool and the upload bucket from the stacks before it, through remote state', () => {
    const inputs = Object.keys((stack.json.data ?? {}).terraform_remote_state ?? {});
    expect(inputs).toEqual(['cross-stack-reference-input-producer']);
  });
});

describe('dashboard: sign-in and uploads from its own origin', () => {
  const clientOf = (synthesized: ReturnType<typeof synthDashboard>) => only(synthesized.stack.resources('aws_cognito_user_pool_client'))[1];

  it("gives the page a public code-flow client on the inventory pool, returning to the dashboard's own URL by default", () => {
    const client = clientOf({ stack, resolve } as ReturnType<typeof synthDashboard>);
    expect(client).toMatchObject({
      generate_secret: false,
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_flows: ['code'],
      allowed_oauth_scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      supported_identity_providers: ['COGNITO'],
      enable_token_revocation: true,
      access_token_validity: 60,
      id_token_validity: 60,
      refresh_token_validity: 30,
      token_validity_units: [{ access_token: 'minutes', id_token: 'minutes', refresh_token: 'days' }],
      prevent_user_existence_errors: 'ENABLED',
    });
    expect(resolve(String(client.user_pool_id))).toBe('us-east-1_AbCdEf123');
    expect((client.callback_urls as string[]).map(resolve)).toEqual([`${DASHBOARD_ORIGIN}/callback`]);
    expect((client.logout_urls as string[]).map(resolve)).toEqual([`${DASHBOARD_ORIGIN}/`]);
  });

  it('adds the configured URLs after its own, and lets their origins POST uploads too', () => {
    const custom = synthDashboard(
      loadConfig({ PIPELINE_ENV: 'test', COGNITO_CALLBACK_URLS: 'http://localhost:5173/callback', COGNITO_LOGOUT_URLS: 'http://localhost:5173/' }),
    );
    const client = clientOf(custom);
    expect((client.callback_urls as string[]).map(custom.resolve)).toEqual([`${DASHBOARD_ORIGIN}/callback`, 'http://localhost:5173/callback']);
    expect((client.logout_urls as string[]).map(custom.resolve)).toEqual([`${DASHBOARD_ORIGIN}/`, 'http://localhost:5173/']);
    const [, cors] = only(custom.stack.resources('aws_s3_bucket_cors_configuration'));
    expect(((cors.cors_rule as { allowed_origins: string[] }[])[0].allowed_origins).map(custom.resolve)).toEqual([DASHBOARD_ORIGIN, 'http://localhost:5173']);
  });

  it("lets the upload bucket take a browser's POST from the dashboard's origin only", () => {
    const [, cors] = only(stack.resources('aws_s3_bucket_cors_configuration'));
    expect(resolve(String(cors.bucket))).toBe('test-inventory-upload-x');
    expect((cors.cors_rule as Record<string, unknown>[]).map((rule) => ({ ...rule, allowed_origins: (rule.allowed_origins as string[]).map(resolve) }))).toEqual([
      { id: 'dashboard-uploads', allowed_methods: ['POST'], allowed_origins: [DASHBOARD_ORIGIN], max_age_seconds: 3000 },
    ]);
  });
});

describe('dashboard: outputs and operations', () => {
  it('outputs the URL to open, the distribution, the bucket, the client and the hosted UI', () => {
    const outputs = stack.json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(['client_id', 'dashboard_url', 'distribution_id', 'hosted_ui_url', 'site_bucket']);
    expect(resolve(String(outputs.dashboard_url.value))).toBe(`${DASHBOARD_ORIGIN}/`);
    expect(resolve(String(outputs.hosted_ui_url.value))).toBe('https://test-inventory-0123456789.auth.us-east-1.amazoncognito.com');
  });

  it('alarms on the distribution\'s 5xx rate where CloudFront publishes it, and shows it on a dashboard', () => {
    const [, alarm] = only(stack.resources('aws_cloudwatch_metric_alarm'));
    expect(alarm).toMatchObject({
      alarm_name: 'test/dashboard/test-dashboard-distribution/5xx-rate',
      namespace: 'AWS/CloudFront',
      metric_name: '5xxErrorRate',
      dimensions: { DistributionId: `\${aws_cloudfront_distribution.${distributionName}.id}`, Region: 'Global' },
      statistic: 'Average',
      threshold: 5,
    });
    const body = JSON.parse(String(only(stack.resources('aws_cloudwatch_dashboard'))[1].dashboard_body));
    expect(body.widgets[0].properties).toMatchObject({ region: 'us-east-1', metrics: expect.arrayContaining([expect.arrayContaining(['AWS/CloudFront', '5xxErrorRate'])]) });
  });

  it('has no CloudFront alarm in another region, where the metric cannot be watched, yet keeps its panel in us-east-1', () => {
    const elsewhere = synthDashboard({ ...TEST_CONFIG, region: 'eu-west-2' });
    expect(elsewhere.stack.resources('aws_cloudwatch_metric_alarm')).toEqual({});
    const body = JSON.parse(String(only(elsewhere.stack.resources('aws_cloudwatch_dashboard'))[1].dashboard_body));
    expect(body.widgets.map((widget: { properties: { region: string } }) => widget.properties.region)).toEqual(['us-east-1', 'eu-west-2']);
  });
});

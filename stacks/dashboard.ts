import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Construct } from 'constructs';
import { App, AssetType, Fn, TerraformAsset, TerraformOutput } from 'cdktf';
import { CloudfrontDistribution, CloudfrontDistributionOrderedCacheBehavior } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { PipelineConfig } from '../config';
import { OpsAlarms } from '../constructs/ops-alarms';
import type { RestApiAddress } from '../constructs/rest-api';
import { CLOUDFRONT_METRICS_REGION, dashboardPanels, PipelineDashboard } from '../constructs/pipeline-dashboard';
import { SecureBucket } from '../constructs/secure-bucket';
import { WebAppClient } from '../constructs/web-app-client';
import { buildDashboardSite, SiteFile } from '../dashboard/build-site';
import { cloudFrontFunctionCode, CLOUDFRONT_FUNCTION_RUNTIME, CloudFrontFunctionName } from '../dashboard/cloudfront/function-code';
import { MAX_INVENTORY_FILE_BYTES } from './inventory-pipeline';
import { PipelineStack } from './pipeline-stack';
import { contentSecurityPolicy, EXTRA_SECURITY_HEADERS, HSTS_MAX_AGE_SECONDS, REFERRER_POLICY } from './dashboard-security-headers';

/** Where the page finds each API: under its own origin, so it makes no cross-origin API call. */
export const DASHBOARD_API_PATHS = { inventory: '/api/inventory', reports: '/api/reports' } as const;

/**
 * CloudFront's managed policies, by the ids AWS publishes ("Use managed cache policies",
 * "Use managed origin request policies"); written out rather than looked up, so that a plan
 * needs no call to AWS.
 */
export const MANAGED_CACHE_POLICY = {
  /** Caches by path only, honouring the object's Cache-Control; gzip and brotli. */
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
} as const;
export const MANAGED_ORIGIN_REQUEST_POLICY = {
  /**
   * Every viewer header, query string and cookie but Host: API Gateway answers only to its
   * own host name. With caching disabled this is how Authorization reaches the API.
   */
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
} as const;

/** What every file of the site that is not a hashed asset gets: checked with S3 on each load. */
const NO_CACHE = 'no-cache';
const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'];

/** A REST API of another stack, as the dashboard's distribution reaches it. */
export type DashboardApi = RestApiAddress;

/** What the dashboard reads from the stacks deployed before it (cdktf cross-stack references). */
export interface DashboardStackProps {
  /** The inventory stack's user pool and hosted-UI domain: the one pool of the dashboard. */
  readonly userPool: { readonly pool: { readonly id: string }; readonly domain: { readonly domain: string } };
  /** The inventory stack's upload bucket, which the browser POSTs files to. */
  readonly uploadBucket: { readonly name: string };
  /** The inventory stack's dashboard API (uploads, products). */
  readonly inventoryApi: DashboardApi;
  /** The report stack's API (create a report, follow it). */
  readonly reportApi: DashboardApi;
  /**
   * Where the site is built before cdktf copies it into the stack's assets.
   * @default `site-build/<stack id>` in the app's output folder (cdktf.out)
   */
  readonly siteBuildDir?: string;
}

/**
 * The café's web page: a private bucket behind CloudFront (origin access control), the page's
 * routes answered by index.html, the two APIs under /api/ on the same origin, strict security
 * headers on everything, the page's app client on the inventory user pool, and config.json
 * written from the other stacks' values, so one build of the page serves every environment.
 * Deployed last: it reads the inventory and report stacks.
 */
export class DashboardStack extends PipelineStack {
  readonly distribution: CloudfrontDistribution;
  readonly client: WebAppClient;

  constructor(scope: Construct, id: string, config: PipelineConfig, props: DashboardStackProps) {
    super(scope, id, config);
    const name = (labName: string) => this.resourceName(labName);
    const { region } = config;

    const site = new SecureBucket(this, 'site-bucket', {
      ...(config.bucketSuffix ? { bucketName: name(`dashboard-site-${config.bucketSuffix}`) } : { bucketPrefix: name('dashboard-site-') }),
      // Every file in it is built from the repository on each deploy: nothing to lose, in any environment.
      forceDestroy: true,
    });
    const originAccess = new CloudfrontOriginAccessControl(this, 'site-access', {
      name: name('dashboard-site'),
      description: 'CloudFront signs every request to the dashboard site bucket',
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    const hostedUi = `https://${props.userPool.domain.domain}.auth.${region}.amazoncognito.com`;
    const issuer = `https://cognito-idp.${region}.amazonaws.com`;
    // The endpoint @aws-sdk/s3-presigned-post signs for: virtual-hosted, with the region.
    const uploadOrigin = `https://${props.uploadBucket.name}.s3.${region}.amazonaws.com`;
    const headers = new CloudfrontResponseHeadersPolicy(this, 'security-headers', {
      name: name('dashboard-security-headers'),
      comment: 'CSP without inline script, HSTS, no framing, no sniffing',
      securityHeadersConfig: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy({ issuer, hostedUi, uploadBucket: uploadOrigin }), override: true },
        strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: true, override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY, override: true },
      },
      customHeadersConfig: {
        items: Object.entries(EXTRA_SECURITY_HEADERS).map(([header, value]) => ({ header, value, override: true })),
      },
    });

    const viewerRequest = (functionName: CloudFrontFunctionName, resourceName: string, comment: string) => {
      const fn = new CloudfrontFunction(this, `function-${resourceName}`, {
        name: name(`dashboard-${resourceName}`),
        runtime: CLOUDFRONT_FUNCTION_RUNTIME,
        comment,
        code: cloudFrontFunctionCode(functionName),
        publish: true,
      });
      return [{ eventType: 'viewer-request', functionArn: fn.arn }];
    };
    const spaRouting = viewerRequest('spaRouting', 'spa-routing', "Serves index.html for the page's own routes");
    const stripApiPrefix = viewerRequest('stripApiPrefix', 'strip-api-prefix', 'Removes /api/inventory or /api/reports before the API');

    const apiOrigin = (originId: string, api: DashboardApi) => ({
      originId,
      domainName: `${api.restApiId}.execute-api.${region}.amazonaws.com`,
      originPath: `/${api.stageName}`,
      customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
    });
    const apiBehaviour = (pathPattern: string, targetOriginId: string): CloudfrontDistributionOrderedCacheBehavior => ({
      pathPattern,
      targetOriginId,
      viewerProtocolPolicy: 'https-only',
      allowedMethods: ALL_METHODS,
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId: MANAGED_CACHE_POLICY.cachingDisabled,
      originRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICY.allViewerExceptHostHeader,
      responseHeadersPolicyId: headers.id,
      functionAssociation: stripApiPrefix,
      compress: true,
    });

    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      comment: `${config.environment} café dashboard`,
      enabled: true,
      defaultRootObject: 'index.html',
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      // North America and Europe: the cheapest class, where the café's staff are.
      priceClass: 'PriceClass_100',
      origin: [
        { originId: 'site', domainName: site.bucket.bucketRegionalDomainName, originAccessControlId: originAccess.id },
        apiOrigin('inventory-api', props.inventoryApi),
        apiOrigin('report-api', props.reportApi),
      ],
      defaultCacheBehavior: {
        targetOriginId: 'site',
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: MANAGED_CACHE_POLICY.cachingOptimized,
        responseHeadersPolicyId: headers.id,
        functionAssociation: spaRouting,
        compress: true,
      },
      // API calls carry tokens: refused in plain HTTP rather than redirected after the fact.
      orderedCacheBehavior: [
        apiBehaviour(`${DASHBOARD_API_PATHS.inventory}/*`, 'inventory-api'),
        apiBehaviour(DASHBOARD_API_PATHS.reports, 'report-api'),
        apiBehaviour(`${DASHBOARD_API_PATHS.reports}/*`, 'report-api'),
      ],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      // The *.cloudfront.net certificate: CloudFront then accepts TLS 1.0 and up, whatever
      // minimum is asked; TLS 1.2 as the minimum takes a domain of one's own and its certificate.
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });
    site.grantReadToCloudFront(this.distribution.arn);
    const dashboardOrigin = `https://${this.distribution.domainName}`;

    // Callback and logout URLs default to the dashboard's own; configured ones are extra.
    this.client = new WebAppClient(this, 'web-client', {
      clientName: name('dashboard-web'),
      userPoolId: props.userPool.pool.id,
      callbackUrls: [`${dashboardOrigin}/callback`, ...config.callbackUrls],
      logoutUrls: [`${dashboardOrigin}/`, ...config.logoutUrls],
    });

    // The one cross-origin call: the browser's presigned POST of a file to the upload bucket.
    new S3BucketCorsConfiguration(this, 'upload-bucket-cors', {
      bucket: props.uploadBucket.name,
      corsRule: [
        {
          id: 'dashboard-uploads',
          allowedMethods: ['POST'],
          allowedOrigins: [dashboardOrigin, ...extraOrigins(config.callbackUrls)],
          maxAgeSeconds: 3000,
        },
      ],
    });

    // In the app's output folder: two synths at once (a test suite's workers) never share one,
    // and a build in a shared folder would be emptied under the other's copy.
    this.uploadSite(site, props.siteBuildDir ?? resolve(App.of(this).outdir, 'site-build', id));
    new S3Object(this, 'config-json', {
      bucket: site.name,
      key: 'config.json',
      contentType: 'application/json',
      cacheControl: NO_CACHE,
      content: Fn.jsonencode({
        region,
        userPoolId: props.userPool.pool.id,
        clientId: this.client.id,
        authority: `${issuer}/${props.userPool.pool.id}`,
        hostedUiUrl: hostedUi,
        inventoryApi: DASHBOARD_API_PATHS.inventory,
        reportApi: DASHBOARD_API_PATHS.reports,
        maxUploadBytes: MAX_INVENTORY_FILE_BYTES,
        lowStockThreshold: config.lowStockThreshold,
      }),
    });

    const alarms = OpsAlarms.of(this);
    if (region === CLOUDFRONT_METRICS_REGION) alarms?.watchDistribution(this, name('dashboard-distribution'), this.distribution.id);
    new PipelineDashboard(this, 'dashboard', {
      dashboardName: name('dashboard'),
      region,
      panels: [dashboardPanels.distribution('CloudFront: page and API requests', this.distribution), dashboardPanels.bucket('site bucket: files', site)],
    });

    new TerraformOutput(this, 'dashboard_url', { value: `${dashboardOrigin}/`, description: 'Open this to sign in to the café dashboard' });
    new TerraformOutput(this, 'distribution_id', { value: this.distribution.id });
    new TerraformOutput(this, 'site_bucket', { value: site.name });
    new TerraformOutput(this, 'client_id', { value: this.client.id });
    new TerraformOutput(this, 'hosted_ui_url', { value: hostedUi, description: 'The Cognito hosted UI the dashboard signs in through' });
  }

  /** Every built file as an object, with the content type and caching its kind needs. */
  private uploadSite(site: SecureBucket, buildDir: string): void {
    const files = buildDashboardSite(buildDir);
    // cdktf copies the folder into the stack's output, so Terraform reads it from there.
    const asset = new TerraformAsset(this, 'site-files', { path: buildDir, type: AssetType.DIRECTORY });
    const ids = new Set<string>();
    for (const file of files) {
      const id = `site-${file.path.replace(/[^A-Za-z0-9]+/g, '-')}`;
      if (ids.has(id) || file.path === 'config.json') throw new Error(`The site has two files named like ${file.path}`);
      ids.add(id);
      new S3Object(this, id, siteObject(site, asset, file));
    }
  }
}

function siteObject(site: SecureBucket, asset: TerraformAsset, file: SiteFile) {
  return {
    bucket: site.name,
    key: file.path,
    source: `${asset.path}/${file.path}`,
    contentType: file.contentType,
    cacheControl: file.cacheControl,
    // S3's ETag of a single-part upload encrypted with S3's keys is the MD5 of its bytes: a
    // plan compares it with the object in S3, so a changed or tampered file is uploaded again.
    etag: createHash('md5').update(readFileSync(file.file)).digest('hex'),
  };
}

/** The origins of the extra callback URLs: where else the page is served from (a developer's). */
function extraOrigins(callbackUrls: string[]): string[] {
  return [...new Set(callbackUrls.map((url) => new URL(url).origin))];
}

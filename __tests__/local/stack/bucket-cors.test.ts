import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { TerraformStack, Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { preflightAnswer } from '../../../local/emulators/s3-cors';
import { bucketCorsRules, corsOfBuckets, type CorsResolvers } from '../../../local/stack/bucket-cors';
import { SynthesizedStack } from '../../../local/stack/synthesized-stack';

/**
 * Two stacks as the dashboard's are made: the bucket in one, its CORS configuration in the
 * other by a cdktf cross-stack reference, allowing the other's distribution. Synthesized
 * by the app, as `cdktf synth` does, so the reference is the remote-state output it writes.
 */
function synthesizedDashboard(): SynthesizedStack {
  const app = Testing.app();
  const inventory = new TerraformStack(app, 'inventory-pipeline');
  new AwsProvider(inventory, 'aws', { region: 'us-east-1' });
  const uploads = new S3Bucket(inventory, 'upload-bucket', { bucketPrefix: 'test-inventory-uploads-' });

  const dashboard = new TerraformStack(app, 'dashboard');
  new AwsProvider(dashboard, 'aws', { region: 'us-east-1' });
  const site = new CloudfrontDistribution(dashboard, 'site', {
    enabled: true,
    origin: [{ domainName: 'site.s3.us-east-1.amazonaws.com', originId: 'site' }],
    defaultCacheBehavior: { allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], targetOriginId: 'site', viewerProtocolPolicy: 'redirect-to-https' },
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: { cloudfrontDefaultCertificate: true },
  });
  new S3BucketCorsConfiguration(dashboard, 'upload-cors', {
    bucket: uploads.bucket,
    corsRule: [
      { id: 'dashboard-upload', allowedOrigins: [`https://${site.domainName}`, 'https://staff.cafe.example'], allowedMethods: ['POST'], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 3000 },
    ],
  });
  app.synth();
  return SynthesizedStack.parse(readFileSync(join(app.outdir, 'stacks', 'dashboard', 'cdk.tf.json'), 'utf8'));
}

const LOCAL_UPLOADS = 'test-inventory-uploads-local';
const DASHBOARD = 'http://localhost:8080';

/** What the local runtime knows: the inventory stack's bucket by its output, the distribution by its local URL. */
const resolvers: CorsResolvers = {
  bucket: (expression) => {
    if (/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-inventory-pipeline\.outputs\.[^}]+\}$/.test(expression)) return LOCAL_UPLOADS;
    throw new Error(`unexpected bucket ${expression}`);
  },
  origin: (origin) => (origin === 'https://${aws_cloudfront_distribution.site.domain_name}' ? DASHBOARD : origin),
};

test("reads the dashboard stack's CORS rules for the other stack's bucket, with the origins made local", () => {
  const stack = synthesizedDashboard();
  expect(String(stack.resource('aws_s3_bucket_cors_configuration', 'upload-cors').bucket)).toMatch(/^\$\{data\.terraform_remote_state\./);
  expect(bucketCorsRules(stack, resolvers)).toEqual(
    new Map([
      [
        LOCAL_UPLOADS,
        [{ id: 'dashboard-upload', allowedOrigins: [DASHBOARD, 'https://staff.cafe.example'], allowedMethods: ['POST'], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 3000 }],
      ],
    ]),
  );
});

test("gives the guard's cors option: the dashboard's preflight is allowed, other buckets have no CORS", () => {
  const cors = corsOfBuckets(bucketCorsRules(synthesizedDashboard(), resolvers));
  expect(preflightAnswer(cors(LOCAL_UPLOADS), { origin: DASHBOARD, 'access-control-request-method': 'POST' }, 'BUCKET')).toMatchObject({ status: 200 });
  expect(preflightAnswer(cors(LOCAL_UPLOADS), { origin: 'https://evil.example', 'access-control-request-method': 'POST' }, 'BUCKET')).toMatchObject({ error: { status: 403 } });
  expect(cors('test-report-bucket-local')).toBeUndefined();
});

test('a stack with no CORS configuration gives no rules; one bucket configured twice is an error', () => {
  expect(bucketCorsRules(new SynthesizedStack({}), resolvers)).toEqual(new Map());
  const twice = new SynthesizedStack({
    resource: {
      aws_s3_bucket_cors_configuration: {
        a: { bucket: 'b', cors_rule: [{ allowed_methods: ['GET'], allowed_origins: ['*'] }] },
        b: { bucket: 'b', cors_rule: [{ allowed_methods: ['PUT'], allowed_origins: ['*'] }] },
      },
    },
  });
  expect(() => bucketCorsRules(twice, { bucket: (name) => name, origin: (origin) => origin })).toThrow(/Bucket b has two CORS configurations/);
  const one = bucketCorsRules(new SynthesizedStack({ resource: { aws_s3_bucket_cors_configuration: { a: twice.json.resource?.aws_s3_bucket_cors_configuration.a ?? {} } } }), {
    bucket: (name) => name,
    origin: (origin) => origin,
  });
  expect(() => corsOfBuckets(one, one)).toThrow(/CORS configurations in two stacks/);
});

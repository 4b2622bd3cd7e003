import { Construct } from 'constructs';
import { ITerraformDependable, Lazy } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { denyInsecureTransport, policyDocument, PolicyStatement, sidPart } from './iam/policy-document';
import { describedAs, GrantOptions, ServiceRole } from './iam/service-role';
import { environmentRulesOf } from './stack-environment';

/**
 * Bucket names are global across all AWS accounts. Either a full name (the labs'
 * `inventory-upload-yourname`), or a prefix to which Terraform appends a unique suffix,
 * so that a deploy works with no configuration.
 */
export type BucketNaming = { readonly bucketName: string } | { readonly bucketPrefix: string };

export interface ExpiringObjects {
  /** Objects under this key prefix ("" for all) expire ... */
  readonly prefix: string;
  /** ... this many days after they were written. */
  readonly days: number;
}

export type SecureBucketProps = BucketNaming & {
  /**
   * Keeps every overwritten or deleted object as a noncurrent version, so an upload
   * replaced by mistake can be recovered. @default true
   */
  readonly versioned?: boolean;
  /** How long noncurrent versions are kept before they expire. @default 30 */
  readonly noncurrentVersionDays?: number;
  /** Current objects that expire, e.g. old reports. @default none */
  readonly expire?: ExpiringObjects[];
  /**
   * Lets `cdktf destroy` delete the bucket with its objects and versions.
   * @default the environment's rule (environment-rules.ts): yes in development; in
   * production destroying a bucket that still holds files fails instead of losing them
   */
  readonly forceDestroy?: boolean;
  /**
   * Makes Terraform refuse any plan that would delete or replace the bucket
   * (`lifecycle.prevent_destroy`), for a bucket whose loss cannot be undone.
   * @default false
   */
  readonly preventDestroy?: boolean;
};

export interface BucketGrantOptions extends GrantOptions {
  /** The key prefix the grant covers, e.g. `reports/`; it names the grant (`read-reports`). */
  readonly prefix: string;
}

export interface BucketReadOptions extends BucketGrantOptions {
  /** Only keys ending with this, e.g. `.json`. @default any */
  readonly suffix?: string;
}

/** Days after which S3 discards the parts of an upload that never completed. */
const INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * A private S3 bucket: every kind of public access blocked, ACLs disabled (the bucket
 * owner owns every object), encryption at rest with S3-managed keys (no KMS key policy
 * for writers to get wrong), TLS required by the bucket policy, versioning, and
 * lifecycle rules that keep versions and abandoned uploads from growing without bound.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  private readonly versioned: boolean;
  /** Statements for principals outside the account (services), added after the bucket is made. */
  private readonly servicePolicyStatements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const versioned = props.versioned ?? true;
    this.versioned = versioned;

    this.bucket = new S3Bucket(this, 'bucket', {
      ...('bucketName' in props ? { bucket: props.bucketName } : { bucketPrefix: props.bucketPrefix }),
      forceDestroy: props.forceDestroy ?? environmentRulesOf(this).emptyBucketsOnDestroy,
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const versioning = versioned
      ? new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } })
      : undefined;

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'abort-incomplete-uploads',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: INCOMPLETE_UPLOAD_DAYS }],
      },
      ...(versioned
        ? [
            {
              id: 'expire-noncurrent-versions',
              status: 'Enabled',
              filter: [{ prefix: '' }],
              noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }],
            },
          ]
        : []),
      ...(props.expire ?? []).map((rule) => ({
        id: `expire-${rule.prefix.replace(/[^A-Za-z0-9-]/g, '-') || 'all'}-after-${rule.days}-days`,
        status: 'Enabled',
        filter: [{ prefix: rule.prefix }],
        expiration: [{ days: rule.days }],
      })),
    ];
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: rules,
      // S3 rejects noncurrent-version rules on a bucket whose versioning is not set yet.
      dependsOn: versioning ? [versioning] : undefined,
    });

    new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      // Grants need no statement here: the bucket admits its own account's principals. A
      // service's statement names a resource made after the bucket (a distribution), so the
      // document is written at synth, once every statement is in.
      policy: Lazy.stringValue({
        produce: () => policyDocument([denyInsecureTransport('s3:*', [this.bucket.arn, this.objectsArn('*')]), ...this.servicePolicyStatements]),
      }),
      // Block Public Access must be in force before any policy lands on the bucket.
      dependsOn: [publicAccessBlock],
    });
  }

  get arn(): string {
    return this.bucket.arn;
  }

  /** The bucket's name, known after apply when Terraform picks the suffix. */
  get name(): string {
    return this.bucket.bucket;
  }

  /** The ARN of the objects whose keys match `keyPattern`, e.g. `uploads/*`. */
  objectsArn(keyPattern: string): string {
    return `${this.bucket.arn}/${keyPattern}`;
  }

  /**
   * Lets `role` read the objects under a prefix (grant `read-<prefix>`). In a versioned
   * bucket also any version of them: an S3 event names the version it is about.
   */
  grantRead(role: ServiceRole, options: BucketReadOptions): ITerraformDependable {
    const actions = ['s3:GetObject', ...(this.versioned ? ['s3:GetObjectVersion'] : [])];
    return this.grantObjects(role, 'read', actions, `${options.prefix}*${options.suffix ?? ''}`, options);
  }

  /**
   * Lets one CloudFront distribution read every object, through its origin access control:
   * the service principal, on behalf of that distribution only (AWS:SourceArn), so another
   * account's distribution pointed at this bucket is refused.
   */
  grantReadToCloudFront(distributionArn: string): void {
    this.servicePolicyStatements.push({
      Sid: 'CloudFrontReadsThroughOriginAccessControl',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: this.objectsArn('*'),
      Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
    });
  }

  /** Lets `role` write objects under a prefix (grant `write-<prefix>`). */
  grantWrite(role: ServiceRole, options: BucketGrantOptions): ITerraformDependable {
    return this.grantObjects(role, 'write', ['s3:PutObject'], `${options.prefix}*`, options);
  }

  private grantObjects(role: ServiceRole, verb: 'read' | 'write', actions: string[], keyPattern: string, options: BucketGrantOptions): ITerraformDependable {
    const label = options.prefix.replace(/\/+$/, '').replace(/[^A-Za-z0-9-]+/g, '-') || 'objects';
    const { policyName, description, formerId } = options;
    return role.grant(
      `${verb}-${label}`,
      [{ Sid: sidPart(`${verb}-${label}`), Effect: 'Allow', Action: actions, Resource: [this.objectsArn(keyPattern)] }],
      describedAs(`Lets the role ${verb} ${keyPattern} in the bucket`, { policyName, description, formerId }),
    );
  }
}

import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { StateBackendStack, STATE_BUCKET_PREFIX } from '../../stacks/state-backend';
import { only, synthStack, TEST_CONFIG } from '../support/synth';

describe('state-backend', () => {
  const named = synthStack(StateBackendStack, 'state-backend', { ...TEST_CONFIG, stateBucket: 'acme-pipelines-tfstate' });

  it('is a versioned, encrypted bucket with every kind of public access blocked', () => {
    expect(named.synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: 'acme-pipelines-tfstate', force_destroy: false });
    expect(named.synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(named.synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(named.synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('refuses requests without TLS', () => {
    const [, policy] = only(named.stack.resources('aws_s3_bucket_policy'));
    const statements = JSON.parse(String(policy.policy)).Statement as Record<string, unknown>[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('refuses deletion, and a later STATE_BUCKET naming the generated bucket does not replace it', () => {
    const [, bucket] = only(named.stack.resources('aws_s3_bucket'));
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['bucket_prefix'] });
  });

  it('keeps its own state locally, even when STATE_BUCKET is set, and outputs what the S3 backend needs', () => {
    expect(named.stack.json.terraform).toMatchObject({ backend: { local: { path: '../../../terraform.state-backend.tfstate' } } });
    expect(named.stack.json.output).toEqual({
      bucket_name: expect.objectContaining({ value: expect.stringMatching(/^\$\{aws_s3_bucket\.[^.]+\.bucket\}$/) }),
      region: expect.objectContaining({ value: 'us-east-1' }),
    });
  });

  it('synthesizes with zero configuration: Terraform makes the name unique', () => {
    const unnamed = synthStack(StateBackendStack, 'state-backend');
    const [, bucket] = only(unnamed.stack.resources('aws_s3_bucket'));
    expect(bucket.bucket_prefix).toBe(STATE_BUCKET_PREFIX);
    expect(bucket.bucket).toBeUndefined();
    // bucket_prefix takes at most 37 characters.
    expect(STATE_BUCKET_PREFIX.length).toBeLessThanOrEqual(37);
  });

  it('is one per account and region: no environment in its names', () => {
    const prod = synthStack(StateBackendStack, 'state-backend', { ...TEST_CONFIG, environment: 'prod', stateBucket: 'acme-pipelines-tfstate' });
    expect(prod.synthesized).toBe(named.synthesized);
  });
});

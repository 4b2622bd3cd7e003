/** A stack's S3 buckets in fauxqs (which has no versioning; encryption and access settings have nothing to act on locally). */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { ResourceConfig } from '../stack/synthesized-stack';
import type { Provisioner } from './provisioner';

/** Stands in for the unique suffix Terraform appends to a bucket_prefix. */
export const LOCAL_BUCKET_SUFFIX = 'local';

/** The bucket's name as the local runtime creates it. */
export function localBucketName(config: ResourceConfig): string {
  return typeof config.bucket === 'string' ? config.bucket : `${String(config.bucket_prefix)}${LOCAL_BUCKET_SUFFIX}`;
}

export const provisionBuckets: Provisioner = async ({ stack, clients, provisioned, onCreated }) => {
  for (const [name, config] of Object.entries(stack.resources('aws_s3_bucket'))) {
    const bucketName = localBucketName(config);
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    provisioned.buckets.set(name, { name: bucketName, arn: `arn:aws:s3:::${bucketName}` });
    onCreated({ type: 'bucket', name: bucketName, detail: 'no versioning locally' });
  }
};

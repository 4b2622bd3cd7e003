import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelineConfig } from '../config';
import { SecureBucket } from '../constructs/secure-bucket';
import { PipelineStack } from './pipeline-stack';

/** Ends the bucket name Terraform makes unique when STATE_BUCKET names none (bucket_prefix takes at most 37 characters). */
export const STATE_BUCKET_PREFIX = 'serverless-pipelines-tfstate-';

/**
 * Noncurrent state versions kept: every apply writes a new version, and an older one is
 * how a state broken by a failed apply or a bad `terraform state` command is recovered.
 */
const STATE_VERSION_DAYS = 90;

/**
 * The S3 bucket every other stack keeps its Terraform state in once STATE_BUCKET is set:
 * deployed once per account and region, before them. Its own state stays local, since it
 * cannot be kept in the bucket it creates.
 */
export class StateBackendStack extends PipelineStack {
  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config, { perEnvironment: false, alwaysLocalState: true });

    const state = new SecureBucket(this, 'state', {
      ...(config.stateBucket ? { bucketName: config.stateBucket } : { bucketPrefix: STATE_BUCKET_PREFIX }),
      noncurrentVersionDays: STATE_VERSION_DAYS,
      forceDestroy: false,
      preventDestroy: true,
    });
    // A bucket first deployed without STATE_BUCKET gets a generated name; setting STATE_BUCKET
    // to that name afterwards must not replace it. Any other name still plans a replacement,
    // which prevent_destroy refuses.
    state.bucket.lifecycle = { ...state.bucket.lifecycle, ignoreChanges: ['bucket_prefix'] };

    new TerraformOutput(this, 'bucket_name', { value: state.name, description: 'Set STATE_BUCKET to this to keep the other stacks\' state here' });
    new TerraformOutput(this, 'region', { value: config.region, description: 'The bucket\'s region: the S3 backend\'s region' });
  }
}

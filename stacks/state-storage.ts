import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { PipelineConfig } from '../config';

/** The first Terraform whose S3 backend locks state with a lock file (`use_lockfile`). */
export const LOCK_FILE_TERRAFORM_VERSION = '>= 1.10';

/** Where one stack's Terraform state lives. */
export interface StateLocation {
  /** The cdktf stack id (`orders-pipeline`). */
  readonly stackId: string;
  /** Set for a stack deployed once per environment; unset for one deployed once per account. */
  readonly environment?: string;
  /** The stack must keep local state: it creates the bucket the others keep theirs in. */
  readonly alwaysLocal?: boolean;
}

/** The state file name: one per environment and stack, so dev and prod never share state. */
export function stateFileName(location: StateLocation): string {
  return location.environment ? `${location.environment}/${location.stackId}.tfstate` : `${location.stackId}.tfstate`;
}

/**
 * Keeps the stack's state in STATE_BUCKET when one is configured, so that a team and CI share
 * it, locked by Terraform's own lock file beside it (Terraform >= 1.10: no DynamoDB table);
 * otherwise in a local file, which needs no AWS resource to exist first.
 */
export function keepState(stack: TerraformStack, config: PipelineConfig, location: StateLocation): void {
  if (config.stateBucket && !location.alwaysLocal) {
    const backend = new S3Backend(stack, { bucket: config.stateBucket, key: stateFileName(location), region: config.region, encrypt: true });
    // cdktf 0.21's S3Backend has no field for it.
    backend.addOverride('use_lockfile', true);
    // Terraform (1.11, tried) passes over an attribute it does not know in a JSON backend block,
    // so an older one could run without the lock instead of refusing.
    stack.addOverride('terraform.required_version', LOCK_FILE_TERRAFORM_VERSION);
    return;
  }
  // In the project root (terraform runs in cdktf.out/stacks/<id>), so a fresh synth never loses it.
  const localName = location.environment ? `terraform.${location.environment}.${location.stackId}.tfstate` : `terraform.${location.stackId}.tfstate`;
  new LocalBackend(stack, { path: `../../../${localName}` });
}

/**
 * Creates a synthesized stack's data resources (tables, buckets, databases, topics,
 * queues, subscriptions) in the local emulators, with the names, keys, streams and
 * redrive policies the stack declares, and resolves the stack's `${...}` references to
 * what was created. Nothing here knows a particular pipeline: it reads resource types, so
 * a new stack's tables and queues exist locally as soon as they are synthesized.
 */
import type { SynthesizedStack } from '../stack/synthesized-stack';
import { provisionBuckets } from './buckets';
import { provisionDatabases } from './databases';
import { ProvisionedStack, type RemoteOutputs } from './provisioned-stack';
import type { ProvisionClients, ProvisionedResource, Provisioner } from './provisioner';
import { provisionQueues } from './queues';
import { provisionTables } from './tables';
import { provisionSubscriptions, provisionTopics } from './topics';

/**
 * Resource types that shape AWS but have no local counterpart here: IAM and resource
 * policies are proven by the policy simulation tests, logs go to the terminal, a
 * bucket's encryption, versioning, lifecycle and public access settings have nothing to
 * act on locally, nor does a VPC (every local function reaches every emulator; the
 * network rules are proven by the synth tests), a cluster's instances and parameters are
 * one MariaDB, and API Gateway, Lambda, Step Functions, Cognito user pools (as token
 * issuers) and bucket notifications are run by the runtime itself rather than provisioned.
 * A dashboard draws CloudWatch's metrics, which nothing records locally; CloudWatch alarms
 * watch metrics no emulator publishes (local/pipeline/local-alarms.ts evaluates what the
 * runtime can observe), and the ops topic's KMS key only encrypts at rest in AWS: fauxqs
 * keeps the topic unencrypted. CloudFront and the objects it serves from its bucket are run by
 * the local CloudFront (local/cloudfront/), and a bucket's CORS rules by the local S3 guard.
 */
const NOT_PROVISIONED =
  /^aws_(iam_|cloudwatch_log_group|cloudwatch_dashboard$|cloudwatch_metric_alarm$|kms_key$|kms_key_policy$|api_gateway_|lambda_|sfn_|cognito_|sqs_queue_policy|sqs_queue_redrive_allow_policy|sns_topic_policy|s3_bucket_(notification|policy|public_access_block|ownership_controls|server_side_encryption_configuration|versioning|lifecycle_configuration|cors_configuration)$|s3_object$|cloudfront_|vpc$|subnet$|route_table|default_security_group$|security_group$|vpc_security_group_(ingress|egress)_rule$|vpc_endpoint$|db_subnet_group$|rds_cluster_parameter_group$|rds_cluster_instance$)/;

/** User pools are run, not created: the runtime's pools issue and verify tokens, behind a local hosted UI. */
const announceUserPools: Provisioner = async ({ stack, onCreated }) => {
  for (const config of Object.values(stack.resources('aws_cognito_user_pool'))) {
    onCreated({ type: 'user pool', name: String(config.name), detail: 'run by the local runtime: its tokens, hosted UI and cognito-idp endpoint' });
  }
};

/** The resource types created here, and by which step, in the order they run. */
const PROVISIONERS: readonly (readonly [string, Provisioner])[] = [
  ['aws_dynamodb_table', provisionTables],
  ['aws_s3_bucket', provisionBuckets],
  ['aws_rds_cluster', provisionDatabases],
  ['aws_cognito_user_pool', announceUserPools],
  ['aws_sns_topic', provisionTopics],
  ['aws_sqs_queue', provisionQueues],
  ['aws_sns_topic_subscription', provisionSubscriptions],
];

export async function provisionStack(
  stack: SynthesizedStack,
  clients: ProvisionClients,
  region: string,
  onCreated: (resource: ProvisionedResource) => void = () => {},
  remoteOutputs?: RemoteOutputs,
): Promise<ProvisionedStack> {
  refuseUnsupported(stack);
  const provisioned = new ProvisionedStack(stack, region, remoteOutputs);
  for (const [, provision] of PROVISIONERS) await provision({ stack, clients, provisioned, onCreated });
  return provisioned;
}

function refuseUnsupported(stack: SynthesizedStack): void {
  const handled = new Set(PROVISIONERS.map(([type]) => type));
  const unsupported = Object.keys(stack.json.resource ?? {}).filter((type) => !handled.has(type) && !NOT_PROVISIONED.test(type));
  if (unsupported.length > 0) {
    // Failing beats a local run that silently lacks part of the pipeline.
    throw new Error(`The local runtime cannot create these resource types yet: ${unsupported.join(', ')}`);
  }
}

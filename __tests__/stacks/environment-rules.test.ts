/**
 * Production and development differ in exactly the ways constructs/environment-rules.ts
 * documents, and in nothing else: each stack is synthesized under both profiles, with the
 * same environment name so that names agree, and every difference is accounted for.
 */
import { ENVIRONMENT_RULES } from '../../constructs/environment-rules';
import { loadConfig } from '../../config';
import { diffStacks, type StackJson } from '../../scripts/synth-diff/stack-diff';
import { ApiGatewayAccountStack } from '../../stacks/api-gateway-account';
import { InventoryPipelineStack } from '../../stacks/inventory-pipeline';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { StateBackendStack } from '../../stacks/state-backend';
import { synthDashboard } from '../support/dashboard-app';
import { synthStack, ReportPipelineTestStack } from '../support/synth';

const development = loadConfig({ PIPELINE_ENV: 'test', PIPELINE_PROFILE: 'development', ALARM_EMAIL: 'ops@example.com' });
const production = loadConfig({ PIPELINE_ENV: 'test', PIPELINE_PROFILE: 'production', ALARM_EMAIL: 'ops@example.com' });

/** `type: argument` for every argument that differs, e.g. `aws_s3_bucket: force_destroy`. */
function differingArguments(Stack: Parameters<typeof synthStack>[0], id: string): string[] {
  return differingArgumentsOf((config) => JSON.parse(synthStack(Stack, id, config).synthesized) as StackJson);
}

function differingArgumentsOf(json: (config: typeof development) => StackJson): string[] {
  const differences = diffStacks(json(development), json(production));
  const changed = differences.flatMap(({ address, kind, changes }) => {
    if (kind !== 'changed') return [`${address} ${kind}`];
    const type = address.split('.')[1];
    return changes.map((change) => `${type}: ${change.slice(0, change.indexOf(':'))}`);
  });
  return [...new Set(changed)].sort();
}

test('the documented rules, as the table in environment-rules.ts gives them', () => {
  expect(ENVIRONMENT_RULES.development).toEqual({ profile: 'development', protectData: false, logRetentionDays: 14, emptyBucketsOnDestroy: true, requireAlarmAddress: false });
  expect(ENVIRONMENT_RULES.production).toEqual({ profile: 'production', protectData: true, logRetentionDays: 365, emptyBucketsOnDestroy: false, requireAlarmAddress: true });
});

test.each([
  ['api-gateway-account', ApiGatewayAccountStack, []],
  // Kept whatever the environment: the state of every other stack is in it.
  ['state-backend', StateBackendStack, []],
  ['orders-pipeline', OrdersPipelineStack, ['aws_cloudwatch_log_group: retention_in_days', 'aws_dynamodb_table: deletion_protection_enabled']],
  [
    'inventory-pipeline',
    InventoryPipelineStack,
    ['aws_cloudwatch_log_group: retention_in_days', 'aws_cognito_user_pool: deletion_protection', 'aws_dynamodb_table: deletion_protection_enabled', 'aws_s3_bucket: force_destroy'],
  ],
  [
    'report-pipeline',
    ReportPipelineTestStack,
    [
      'aws_cloudwatch_log_group: retention_in_days',
      'aws_rds_cluster: deletion_protection',
      'aws_rds_cluster: final_snapshot_identifier',
      'aws_rds_cluster: skip_final_snapshot',
      'aws_s3_bucket: force_destroy',
    ],
  ],
] as const)('%s: production differs from development only in the documented arguments', (id, Stack, expected) => {
  expect(differingArguments(Stack, id)).toEqual(expected);
});

test('dashboard: production differs from development only in the documented arguments', () => {
  // Nothing: the site bucket holds only what each deploy builds from the repository, so it is emptied on destroy in production too.
  expect(differingArgumentsOf((config) => JSON.parse(synthDashboard(config).synthesized) as StackJson)).toEqual([]);
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { offlineStackConfig, TerraformJson } from '../../../scripts/offline-plan/offline-stack-config';
import { prepareOfflineStack, STACK_FILE } from '../../../scripts/offline-plan/offline-stack-copy';
import { PLACEHOLDER_ACCOUNT, placeholderAttribute, remoteStateInputs, standInState, withStandInRemoteState } from '../../../scripts/offline-plan/remote-state';
import { PRODUCER_STACK, synthDashboard } from '../../support/dashboard-app';

/** A consumer shaped like cdktf's output, reading a producer through S3 (STATE_BUCKET) or a local file. */
const consumer: TerraformJson = {
  data: {
    aws_region: { current: {} },
    terraform_remote_state: {
      'cross-stack-reference-input-inventory-pipeline': { backend: 's3', config: { bucket: 'acme-tfstate', key: 'dev/inventory-pipeline.tfstate', region: 'us-east-1' }, workspace: '${terraform.workspace}' },
      'cross-stack-reference-input-report-pipeline': { backend: 'local', config: { path: '../../../terraform.dev.report-pipeline.tfstate' }, workspace: '${terraform.workspace}' },
    },
  },
  resource: {},
};

const producer: TerraformJson = {
  provider: { aws: [{ region: 'eu-west-2' }] },
  resource: {
    aws_cognito_user_pool: { pool: { name: 'dev-inventory-users' } },
    aws_cognito_user_pool_domain: { domain: { domain: 'dev-inventory-${substr(sha1(aws_cognito_user_pool.pool.id), 0, 10)}' } },
    aws_s3_bucket: { named: { bucket: 'dev-inventory-upload-jane' }, prefixed: { bucket_prefix: 'dev-inventory-upload-' } },
    aws_api_gateway_rest_api: { api: { name: 'dev-inventory-dashboard' } },
    aws_api_gateway_stage: { stage: { stage_name: 'v1', rest_api_id: '${aws_api_gateway_rest_api.api.id}' } },
  },
  output: {
    'cross-stack-output-aws_cognito_user_poolpoolarn': { value: '${aws_cognito_user_pool.pool.arn}', sensitive: true },
    'cross-stack-output-aws_cognito_user_poolpoolid': { value: '${aws_cognito_user_pool.pool.id}', sensitive: true },
    'cross-stack-output-aws_cognito_user_pool_domaindomaindomain': { value: '${aws_cognito_user_pool_domain.domain.domain}', sensitive: true },
    named_bucket: { value: '${aws_s3_bucket.named.bucket}' },
    prefixed_bucket: { value: '${aws_s3_bucket.prefixed.bucket}' },
    api_url: { value: 'https://${aws_api_gateway_rest_api.api.id}.execute-api.eu-west-2.amazonaws.com/${aws_api_gateway_stage.stage.stage_name}' },
  },
};

describe('remote state offline', () => {
  it('finds which stack each remote state reads, by the name cdktf gives it', () => {
    expect(remoteStateInputs(consumer)).toEqual([
      { name: 'cross-stack-reference-input-inventory-pipeline', stackId: 'inventory-pipeline' },
      { name: 'cross-stack-reference-input-report-pipeline', stackId: 'report-pipeline' },
    ]);
    expect(() => remoteStateInputs({ data: { terraform_remote_state: { mine: {} } } })).toThrow('was not written by cdktf');
  });

  it('reads every remote state, S3 or local, from a stand-in file in the copy, leaving other data sources alone', () => {
    const rewritten = withStandInRemoteState(consumer) as { data: Record<string, unknown> };
    expect(rewritten.data).toEqual({
      aws_region: { current: {} },
      terraform_remote_state: {
        'cross-stack-reference-input-inventory-pipeline': { backend: 'local', config: { path: 'remote-state/inventory-pipeline.tfstate' } },
        'cross-stack-reference-input-report-pipeline': { backend: 'local', config: { path: 'remote-state/report-pipeline.tfstate' } },
      },
    });
    expect(offlineStackConfig(consumer, new Map()).data).toEqual(rewritten.data);
  });

  it("values each output as the producer configures it, else with a placeholder shaped like AWS's value", () => {
    const { state, outputs } = standInState(producer, 'inventory-pipeline');
    expect(outputs).toEqual({
      'cross-stack-output-aws_cognito_user_poolpoolarn': `arn:aws:cognito-idp:eu-west-2:${PLACEHOLDER_ACCOUNT}:userpool/eu-west-2_OfflinePlan`,
      'cross-stack-output-aws_cognito_user_poolpoolid': 'eu-west-2_OfflinePlan',
      // Built with a function of another value: known only after apply.
      'cross-stack-output-aws_cognito_user_pool_domaindomaindomain': 'offline-domain',
      named_bucket: 'dev-inventory-upload-jane',
      prefixed_bucket: 'offline-prefixed',
      api_url: `https://${placeholderAttribute('aws_api_gateway_rest_api', 'api', 'id', 'eu-west-2')}.execute-api.eu-west-2.amazonaws.com/v1`,
    });
    expect(placeholderAttribute('aws_api_gateway_rest_api', 'api', 'id', 'eu-west-2')).toMatch(/^[0-9a-f]{10}$/);
    expect(placeholderAttribute('aws_api_gateway_rest_api', 'other', 'id', 'eu-west-2')).not.toBe(placeholderAttribute('aws_api_gateway_rest_api', 'api', 'id', 'eu-west-2'));
    expect(state).toMatchObject({ version: 4, resources: [], outputs: { named_bucket: { value: 'dev-inventory-upload-jane', type: 'string', sensitive: false } } });
    expect((state.outputs as Record<string, { sensitive: boolean }>)['cross-stack-output-aws_cognito_user_poolpoolid'].sensitive).toBe(true);
  });

  it('refuses an output it cannot value rather than plan with a wrong one', () => {
    expect(() => standInState({ output: { list: { value: ['a'] } } }, 'x')).toThrow('only string outputs');
    expect(() => standInState({ output: { odd: { value: '${var.thing}' } } }, 'x')).toThrow('cannot stand in for the output expression ${var.thing}');
  });
});

describe('an offline copy of a stack that reads another', () => {
  const { stackDir } = synthDashboard();
  const work = mkdtempSync(join(tmpdir(), 'offline-copy-'));
  const copy = join(work, 'dashboard');
  const { remoteStates } = prepareOfflineStack(stackDir, copy);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("writes the producer's stand-in state next to the plan, and names what the stack reads of it", () => {
    expect(remoteStates.map(({ name, stackId, path }) => ({ name, stackId, path }))).toEqual([
      { name: `cross-stack-reference-input-${PRODUCER_STACK}`, stackId: PRODUCER_STACK, path: `remote-state/${PRODUCER_STACK}.tfstate` },
    ]);
    expect(Object.values(remoteStates[0].outputs).sort()).toEqual(['test-inventory-0123456789', 'test-inventory-upload-x', 'us-east-1_OfflinePlan']);
    const state = JSON.parse(readFileSync(join(copy, remoteStates[0].path), 'utf8'));
    expect(Object.keys(state.outputs)).toEqual(expect.arrayContaining(Object.keys(remoteStates[0].outputs)));
    const config = JSON.parse(readFileSync(join(copy, STACK_FILE), 'utf8'));
    expect(config.data.terraform_remote_state[`cross-stack-reference-input-${PRODUCER_STACK}`]).toEqual({ backend: 'local', config: { path: `remote-state/${PRODUCER_STACK}.tfstate` } });
  });

  it("copies the site files the stack's objects upload", () => {
    const config = JSON.parse(readFileSync(join(copy, STACK_FILE), 'utf8'));
    for (const object of Object.values(config.resource.aws_s3_object as Record<string, { source?: string }>)) {
      if (object.source) expect(existsSync(join(copy, object.source))).toBe(true);
    }
  });
});

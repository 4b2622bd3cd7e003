import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack } from 'cdktf';
import { buildApp } from '../app';
import { STACK_IDS } from '../stacks/stack-ids';
import { TEST_CONFIG } from './support/synth';

/** Each stack's id and the ids of the stacks it needs deployed first, as cdktf writes them to manifest.json. */
function deployOrder(stateBucket?: string): Record<string, string[]> {
  const app = buildApp({ ...TEST_CONFIG, stateBucket });
  const stacks = app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack);
  return Object.fromEntries(stacks.map((stack) => [stack.node.id, stack.dependencies.map((dependency) => dependency.node.id).sort()]));
}

describe('deploy order', () => {
  it('holds every stack of STACK_IDS', () => {
    expect(Object.keys(deployOrder()).sort()).toEqual(Object.values(STACK_IDS).sort());
  });

  it('the pipelines with a REST API need api-gateway-account, whose CloudWatch role their access logs need; report-pipeline needs inventory-pipeline, whose pool it trusts', () => {
    expect(deployOrder()).toEqual({
      'state-backend': [],
      'api-gateway-account': [],
      'orders-pipeline': ['api-gateway-account'],
      'inventory-pipeline': ['api-gateway-account'],
      'report-pipeline': ['api-gateway-account', 'inventory-pipeline'],
      // Last: it reads the pool, the upload bucket and the APIs of both.
      dashboard: ['inventory-pipeline', 'report-pipeline'],
    });
  });

  it('is the same with STATE_BUCKET: cdktf inits every selected stack before deploying any, so no stack waits for state-backend', () => {
    expect(deployOrder('acme-pipelines-tfstate')).toEqual(deployOrder());
  });
});

describe('one sign-in for the whole dashboard', () => {
  /** The synthesized Terraform JSON of each stack, as `cdktf synth` writes it. */
  function synthesized(config = TEST_CONFIG): Record<string, { data?: Record<string, Record<string, unknown>>; output?: Record<string, { value: string }>; resource: Record<string, Record<string, Record<string, unknown>>> }> {
    const outdir = mkdtempSync(join(tmpdir(), 'app-synth-'));
    try {
      buildApp(config, outdir).synth();
      return Object.fromEntries(
        [STACK_IDS.inventory, STACK_IDS.report].map((id) => [id, JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'))]),
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  it('the report stack trusts the inventory stack\'s pool through a cross-stack reference, and has none of its own', () => {
    const stacks = synthesized();
    const report = stacks[STACK_IDS.report];
    expect(report.resource.aws_cognito_user_pool).toBeUndefined();
    const remote = Object.keys(report.data?.terraform_remote_state ?? {});
    expect(remote).toHaveLength(1);
    // The API's authorizer function checks tokens against the inventory stack's pool id, which that stack exports.
    expect(JSON.stringify(report.resource.aws_lambda_function)).toContain(`"USER_POOL_ID":"\${data.terraform_remote_state.${remote[0]}.outputs.`);
    const exported = Object.values(stacks[STACK_IDS.inventory].output ?? {}).map((output) => output.value);
    expect(exported).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\{aws_cognito_user_pool\.[^.]+\.id\}$/)]));
  });

  it('REPORT_USER_POOL_ARN cuts the reference: the report stack reads nothing of the inventory stack', () => {
    const poolArn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Existing1';
    const report = synthesized({ ...TEST_CONFIG, reportUserPoolArn: poolArn })[STACK_IDS.report];
    expect(report.data?.terraform_remote_state).toBeUndefined();
    expect(JSON.stringify(report.resource.aws_lambda_function)).toContain('"USER_POOL_ID":"us-east-1_Existing1"');
  });
});

describe('the dashboard reads the stacks before it', () => {
  it('through remote state of inventory-pipeline and report-pipeline, whose outputs export what it reads', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'app-synth-'));
    try {
      buildApp(TEST_CONFIG, outdir, { siteBuildDir: join(outdir, 'site') }).synth();
      const read = (id: string) => JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
      const dashboard = read(STACK_IDS.dashboard);
      const inputs = dashboard.data.terraform_remote_state as Record<string, { backend: string; config: { path: string } }>;
      expect(Object.keys(inputs).sort()).toEqual([`cross-stack-reference-input-${STACK_IDS.inventory}`, `cross-stack-reference-input-${STACK_IDS.report}`]);
      expect(inputs[`cross-stack-reference-input-${STACK_IDS.inventory}`]).toMatchObject({ backend: 'local', config: { path: '../../../terraform.test.inventory-pipeline.tfstate' } });
      const text = JSON.stringify(dashboard.resource);
      // Every reference to another stack goes through an output that stack declares.
      for (const [, stackId, output] of text.matchAll(/data\.terraform_remote_state\.cross-stack-reference-input-([a-z-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        expect(Object.keys(read(stackId).output)).toContain(output);
      }
      const [, distribution] = Object.entries(dashboard.resource.aws_cloudfront_distribution)[0] as [string, { origin: { origin_id: string; domain_name: string }[] }];
      expect(distribution.origin.map((origin) => origin.domain_name)).toEqual([
        expect.stringMatching(/^\$\{aws_s3_bucket\./),
        expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-inventory-pipeline\.outputs\.[^}]+\}\.execute-api\.us-east-1\.amazonaws\.com$/),
        expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-report-pipeline\.outputs\.[^}]+\}\.execute-api\.us-east-1\.amazonaws\.com$/),
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

/**
 * The dashboard stack, synthesized by the app as `npm run synth` does, planned offline by the
 * real hashicorp/aws provider: it reads the inventory and report stacks through remote state,
 * which offline is a stand-in state file (scripts/offline-plan/remote-state.ts).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../../../app';
import { prepareOfflineStack, StandInRemoteState } from '../../../scripts/offline-plan/offline-stack-copy';
import { findProviderMirror, terraformCliConfig, terraformPlatform } from '../../../scripts/offline-plan/provider-mirror';
import { runCommand, terraformEnvironment } from '../../../scripts/offline-plan/terraform-runner';
import { STACK_IDS } from '../../../stacks/stack-ids';
import { TEST_CONFIG } from '../../support/synth';

// Loading the 700 MB provider takes a CPU for a while, and this machine may be running other suites.
const TERRAFORM_DEADLINE_MS = 300_000;
const ROOT = resolve(__dirname, '..', '..', '..');
const WORK = join(ROOT, 'test-output', 'dashboard-plan');

interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

describe('the dashboard stack, planned offline', () => {
  const stackCopy = join(WORK, 'copy');
  let remoteStates: StandInRemoteState[];
  let env: NodeJS.ProcessEnv;
  const terraform = (args: string[]) => runCommand('terraform', [...args, '-no-color'], { cwd: stackCopy, env });
  let planned: PlannedResource[];

  beforeAll(async () => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const outdir = join(WORK, 'cdktf.out');
    buildApp(TEST_CONFIG, outdir, { siteBuildDir: join(WORK, 'site') }).synth();
    ({ remoteStates } = prepareOfflineStack(join(outdir, 'stacks', STACK_IDS.dashboard), stackCopy));
    const cliConfig = join(WORK, 'terraform-cli.tfrc');
    const mirror = findProviderMirror({ override: process.env.TF_PROVIDER_MIRROR || undefined, home: homedir(), platform: terraformPlatform(), exists: existsSync });
    writeFileSync(cliConfig, terraformCliConfig(mirror));
    env = terraformEnvironment(process.env, cliConfig);
    for (const step of [['init', '-input=false'], ['plan', '-input=false', '-lock=false', '-refresh=false', '-out=tfplan']]) {
      const result = await terraform(step);
      if (result.exitCode !== 0) throw new Error(`terraform ${step[0]} failed:\n${result.stdout}\n${result.stderr}`);
    }
    const shown = await terraform(['show', '-json', 'tfplan']);
    planned = (JSON.parse(shown.stdout) as { planned_values: { root_module: { resources: PlannedResource[] } } }).planned_values.root_module.resources;
  }, TERRAFORM_DEADLINE_MS);

  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  const ofType = (type: string) => planned.filter((resource) => resource.type === type);

  it('reads the inventory and report stacks from stand-in state', () => {
    expect(remoteStates.map((remote) => remote.stackId).sort()).toEqual([STACK_IDS.inventory, STACK_IDS.report]);
  });

  it('plans the distribution with both APIs at the stand-in ids and their stage', () => {
    const [distribution] = ofType('aws_cloudfront_distribution');
    const origins = (distribution.values.origin as { origin_id: string; domain_name: string; origin_path: string }[]).filter((origin) => origin.origin_id.endsWith('-api'));
    expect(origins.map(({ origin_id, origin_path }) => [origin_id, origin_path]).sort()).toEqual([['inventory-api', '/v1'], ['report-api', '/v1']]);
    for (const origin of origins) expect(origin.domain_name).toMatch(/^[0-9a-f]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    expect(new Set(origins.map((origin) => origin.domain_name)).size).toBe(2);
  });

  it('plans the headers policy with the stand-in pool domain and upload bucket in its CSP', () => {
    const [policy] = ofType('aws_cloudfront_response_headers_policy');
    const csp = (policy.values.security_headers_config as { content_security_policy: { content_security_policy: string }[] }[])[0].content_security_policy[0].content_security_policy;
    const inventory = remoteStates.find((remote) => remote.stackId === STACK_IDS.inventory)!;
    for (const value of Object.values(inventory.outputs).filter((value) => value.startsWith('offline-'))) expect(csp).toContain(value);
    expect(csp).toMatch(/connect-src 'self' https:\/\/cognito-idp\.us-east-1\.amazonaws\.com https:\/\/\S+\.auth\.us-east-1\.amazoncognito\.com https:\/\/\S+\.s3\.us-east-1\.amazonaws\.com;/);
  });

  it('plans the site file and config.json objects', () => {
    // The hashes change with the page's code: the names are compared with the hash left out.
    const unhashed = ofType('aws_s3_object').map((object) => String(object.values.key).replace(/-[A-Z0-9]+\./, '-[hash].')).sort();
    expect(unhashed).toEqual(['assets/app-[hash].css', 'assets/app-[hash].js', 'config.json', 'index.html']);
    expect(ofType('aws_cloudfront_function')).toHaveLength(2);
    expect(ofType('aws_s3_bucket_cors_configuration')).toHaveLength(1);
    expect(ofType('aws_cognito_user_pool_client')).toHaveLength(1);
  });
});

/**
 * A stack synthesized with STATE_BUCKET, checked by terraform as far as it goes offline.
 * `terraform validate` ignores the backend block entirely, so the second test asks
 * Terraform's S3 backend itself: `init` decodes the block (a value of the wrong type, say
 * use_lockfile "yes", fails there) before it first calls S3, which here is a closed local port.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../../../app';
import { loadConfig } from '../../../config';
import { prepareOfflineStack, STACK_FILE } from '../../../scripts/offline-plan/offline-stack-copy';
import { findProviderMirror, terraformCliConfig, terraformPlatform } from '../../../scripts/offline-plan/provider-mirror';
import { runCommand, terraformEnvironment } from '../../../scripts/offline-plan/terraform-runner';

// Loading the 700 MB provider takes a CPU for a while, and this machine may be running other suites.
const TERRAFORM_DEADLINE_MS = 300_000;
const ROOT = resolve(__dirname, '..', '..', '..');
const WORK = join(ROOT, 'test-output', 'state-bucket-backend');
const STACK = 'orders-pipeline';

describe('a stack synthesized with STATE_BUCKET', () => {
  const stackCopy = join(WORK, 'copy');
  let env: NodeJS.ProcessEnv;
  const terraform = (args: string[]) => runCommand('terraform', [...args, '-no-color'], { cwd: stackCopy, env });

  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const outdir = join(WORK, 'cdktf.out');
    buildApp(loadConfig({ PIPELINE_ENV: 'prod', STATE_BUCKET: 'acme-pipelines-tfstate', ALARM_EMAIL: 'ops@example.com' }), outdir).synth();
    prepareOfflineStack(join(outdir, 'stacks', STACK), stackCopy, { keepBackend: true });
    const cliConfig = join(WORK, 'terraform-cli.tfrc');
    const mirror = findProviderMirror({ override: process.env.TF_PROVIDER_MIRROR || undefined, home: homedir(), platform: terraformPlatform(), exists: existsSync });
    writeFileSync(cliConfig, terraformCliConfig(mirror));
    env = terraformEnvironment(process.env, cliConfig);
  }, TERRAFORM_DEADLINE_MS);

  it('keeps its S3 backend block, and validates with it (init -backend=false, validate)', async () => {
    const config = JSON.parse(readFileSync(join(stackCopy, STACK_FILE), 'utf8')) as { terraform: { backend: unknown } };
    expect(config.terraform.backend).toEqual({
      s3: { bucket: 'acme-pipelines-tfstate', key: `prod/${STACK}.tfstate`, region: 'us-east-1', encrypt: true, use_lockfile: true },
    });
    const init = await terraform(['init', '-backend=false', '-input=false']);
    expect([init.exitCode, init.stderr]).toEqual([0, expect.anything()]);
    const validate = await terraform(['validate']);
    expect([validate.exitCode, validate.stdout, validate.stderr]).toEqual([0, expect.stringContaining('The configuration is valid'), expect.anything()]);
  }, TERRAFORM_DEADLINE_MS);

  it("is accepted by Terraform's S3 backend, which gets as far as listing the bucket", async () => {
    const offline = [
      'access_key=offline-plan',
      'secret_key=offline-plan',
      'skip_credentials_validation=true',
      'skip_requesting_account_id=true',
      'skip_metadata_api_check=true',
      'max_retries=1',
      'use_path_style=true',
      // Port 9 (discard): nothing listens, so no request leaves this machine.
      'endpoints={s3="http://127.0.0.1:9"}',
    ];
    const init = await terraform(['init', '-input=false', '-reconfigure', ...offline.map((setting) => `-backend-config=${setting}`)]);
    const output = init.stdout + init.stderr;
    expect(init.exitCode).not.toBe(0);
    expect(output).toContain('Failed to get existing workspaces');
    expect(output).toContain('127.0.0.1:9/acme-pipelines-tfstate');
    expect(output).not.toMatch(/Unsupported argument|Incorrect attribute value type|Invalid/);
  }, TERRAFORM_DEADLINE_MS);
});

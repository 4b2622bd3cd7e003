/**
 * The README's move of existing local state into STATE_BUCKET, done by Terraform itself:
 * the stack's synthesized local backend, then its synthesized S3 backend, and
 * `terraform init -migrate-state` (what `cdktf deploy --migrate-state` runs). The bucket is
 * the worker's local S3 (fauxqs); the state holds a terraform_data resource, which needs no
 * provider, in place of the stack's resources, which cannot be applied offline.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_CREDENTIALS } from '../../local/emulators/dynamodb-local';
import { runCommand, terraformEnvironment } from '../../scripts/offline-plan/terraform-runner';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../support/deadlines';
import { workerEmulators } from '../support/emulators/worker-emulators';
import { synthStack, TEST_CONFIG } from '../support/synth';
import { uniqueNames } from '../support/unique-names';

// terraform is a large binary to start, and this machine may be running other suites.
const TERRAFORM_DEADLINE_MS = 300_000;
const STACK = 'orders-pipeline';

describe('moving local state into STATE_BUCKET', () => {
  const root = resolve(__dirname, '..', '..', 'test-output', 'state-migration');
  const stackDir = join(root, 'cdktf.out', 'stacks', STACK);
  const bucket = uniqueNames().bucket('tfstate');
  const backendOf = (stateBucket?: string) => (synthStack(OrdersPipelineStack, STACK, { ...TEST_CONFIG, stateBucket }).stack.json.terraform as { backend: object }).backend;
  const writeStack = (backend: object) =>
    writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend }, resource: { terraform_data: { stand_in: { input: 'an order table' } } } }));
  let s3: S3Client;
  let localS3Settings: string;
  let env: NodeJS.ProcessEnv;
  const terraform = (...args: string[]) => runCommand('terraform', [...args, '-no-color', '-input=false'], { cwd: stackDir, env });

  beforeAll(async () => {
    const { endpoint } = await workerEmulators().fauxqs();
    s3 = new S3Client({ region: TEST_CONFIG.region, credentials: LOCAL_CREDENTIALS, endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    rmSync(root, { recursive: true, force: true });
    mkdirSync(stackDir, { recursive: true });
    // Only where the local S3 is and how to sign for it; the backend block itself is the synthesized one.
    localS3Settings = join(root, 'local-s3.tfbackend');
    writeFileSync(
      localS3Settings,
      [
        `access_key = "${LOCAL_CREDENTIALS.accessKeyId}"`,
        `secret_key = "${LOCAL_CREDENTIALS.secretAccessKey}"`,
        'skip_credentials_validation = true',
        'skip_requesting_account_id = true',
        'skip_metadata_api_check = true',
        'use_path_style = true',
        `endpoints = { s3 = "${endpoint}" }`,
        '',
      ].join('\n'),
    );
    // No provider is installed: terraform_data is built into Terraform.
    const cliConfig = join(root, 'terraform-cli.tfrc');
    writeFileSync(cliConfig, '');
    env = terraformEnvironment(process.env, cliConfig);
  }, EMULATOR_HOOK_TIMEOUT_MS);

  afterAll(() => s3?.destroy());

  it('terraform init -migrate-state copies the local state file to <env>/<stack>.tfstate, which later plans use', async () => {
    writeStack(backendOf());
    expect((await terraform('init')).exitCode).toBe(0);
    expect((await terraform('apply', '-auto-approve')).exitCode).toBe(0);
    const localState = join(root, `terraform.${TEST_CONFIG.environment}.${STACK}.tfstate`);
    expect(existsSync(localState)).toBe(true);

    writeStack(backendOf(bucket));
    // -force-copy answers the "copy existing state to the new backend?" question with yes.
    const migrate = await terraform('init', '-migrate-state', '-force-copy', `-backend-config=${localS3Settings}`);
    expect([migrate.exitCode, migrate.stdout]).toEqual([0, expect.stringContaining('Successfully configured the backend "s3"')]);

    const key = `${TEST_CONFIG.environment}/${STACK}.tfstate`;
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const state = JSON.parse(await stored.Body!.transformToString()) as { resources: { type: string; name: string }[] };
    expect(state.resources).toEqual([expect.objectContaining({ type: 'terraform_data', name: 'stand_in' })]);
    expect(JSON.parse(readFileSync(localState, 'utf8')).resources).toHaveLength(1);

    // Exit code 0: no changes, so the plan read the migrated state, and it left no lock file behind.
    // (fauxqs ignores If-None-Match, so whether a held lock stops a second run is not tested here.)
    const plan = await terraform('plan', '-detailed-exitcode');
    expect([plan.exitCode, plan.stderr]).toEqual([0, '']);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([key]);
  }, TERRAFORM_DEADLINE_MS);

  it('where Terraform never ran with the local backend (a fresh cdktf.out), there is nothing to migrate, and terraform state push moves the file', async () => {
    // The local state file is the one the test above applied.
    const otherBucket = uniqueNames().bucket('tfstate');
    await s3.send(new CreateBucketCommand({ Bucket: otherBucket }));
    rmSync(join(stackDir, '.terraform'), { recursive: true, force: true });
    rmSync(join(stackDir, '.terraform.lock.hcl'), { force: true });
    writeStack(backendOf(otherBucket));
    const init = await terraform('init', '-migrate-state', '-force-copy', `-backend-config=${localS3Settings}`);
    expect(init.exitCode).toBe(0);
    const key = `${TEST_CONFIG.environment}/${STACK}.tfstate`;
    expect((await s3.send(new ListObjectsV2Command({ Bucket: otherBucket }))).Contents).toBeUndefined();

    // `state push` takes no -input flag, and its flags go before the file.
    const push = await runCommand('terraform', ['state', 'push', join(root, `terraform.${TEST_CONFIG.environment}.${STACK}.tfstate`)], { cwd: stackDir, env });
    expect([push.exitCode, push.stderr]).toEqual([0, '']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: otherBucket }))).Contents?.map((object) => object.Key)).toEqual([key]);
    const plan = await terraform('plan', '-detailed-exitcode');
    expect([plan.exitCode, plan.stderr]).toEqual([0, '']);
  }, TERRAFORM_DEADLINE_MS);
});

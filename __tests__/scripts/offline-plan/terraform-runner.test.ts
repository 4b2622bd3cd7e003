import { runCommand, terraformEnvironment } from '../../../scripts/offline-plan/terraform-runner';

describe('terraform environment', () => {
  const env = terraformEnvironment({ PATH: '/usr/bin', AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIA...', TF_DATA_DIR: '/elsewhere', TF_CLI_CONFIG_FILE: '/missing' }, '/work/cli.tfrc');

  it('points terraform at our CLI config and turns off its version check', () => {
    expect(env).toMatchObject({ PATH: '/usr/bin', TF_CLI_CONFIG_FILE: '/work/cli.tfrc', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' });
  });

  it('keeps the user real credentials, profile and data dir out of the plan', () => {
    expect(env).not.toHaveProperty('AWS_PROFILE');
    expect(env).not.toHaveProperty('AWS_ACCESS_KEY_ID');
    expect(env).not.toHaveProperty('TF_DATA_DIR');
  });
});

describe('runCommand', () => {
  it('captures output and exit code', async () => {
    const result = await runCommand(process.execPath, ['-e', 'console.log("out"); console.error("err"); process.exit(3)'], { cwd: __dirname, env: process.env });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('reports a missing program as a failure, not a crash', async () => {
    const result = await runCommand('no-such-terraform-binary', ['version'], { cwd: __dirname, env: process.env });
    expect(result.exitCode).toBe(-1);
    expect(result.stderr).toContain('ENOENT');
  });
});

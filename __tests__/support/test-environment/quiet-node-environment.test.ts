/** The project's test environment as a person meets it: jest run on a fixture, its output read. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');

/** Runs jest with the project's configuration on one file of fixtures/. */
async function runFixture(fixture: string, options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<{ code: number; output: string }> {
  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const args = ['--config', 'jest.config.js', '--roots', '<rootDir>/__tests__/support/test-environment/fixtures', '--testMatch', `**/${fixture}`, ...(options.args ?? [])];
  const env = options.env ?? {};
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [jest, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, TEST_LOGS: env.TEST_LOGS ?? '' },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

it("prints a failed test's output, with what beforeAll printed, and nothing of a passing test's", async () => {
  const { code, output } = await runFixture('console-output.fixture.ts');

  expect(code).toBe(1);
  expect(output).toContain('Output of "fails", which failed');
  expect(output).toMatch(/printed while setting up[\s\S]*printed by the failing test \{ orderID: 'o-1' \}/);
  expect(output).not.toContain('printed by the passing test');
}, 60_000);

it('prints every test\'s output as it comes with TEST_LOGS=1', async () => {
  const { output } = await runFixture('console-output.fixture.ts', { env: { TEST_LOGS: '1' } });

  expect(output).toContain('printed by the passing test');
  expect(output).not.toContain('Output of "fails"');
}, 60_000);

it('refuses, in npm run test:unit, to start a process the unit filter did not see coming', async () => {
  const { code, output } = await runFixture('starts-a-process.fixture.ts', { args: ['--filter', './__tests__/support/unit-tests.js'] });

  expect(code).toBe(1);
  expect(output).toContain(
    'execFileSync("true"): npm run test:unit runs only tests that start no process, and ' +
      '__tests__/support/test-environment/fixtures/starts-a-process.fixture.ts does.',
  );
}, 60_000);

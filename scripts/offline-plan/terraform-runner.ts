import { spawn } from 'node:child_process';

export interface CommandResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

// Each of these could make terraform or the aws provider use the user's real account,
// state or data dir instead of the throwaway copy.
const UNSAFE_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'TF_DATA_DIR', 'TF_WORKSPACE', 'TF_CLI_ARGS', 'TF_CLI_ARGS_init', 'TF_CLI_ARGS_plan', 'TF_CLI_ARGS_validate'];

/** The environment for terraform children: our CLI config, no version check call home, no real credentials. */
export function terraformEnvironment(base: NodeJS.ProcessEnv, cliConfigFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of UNSAFE_VARIABLES) delete env[name];
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1', // terraform's version check is an HTTPS call
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Runs a command to completion, capturing its output (a plan's JSON can be megabytes). */
export function runCommand(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CommandResult> {
  const command = [file, ...args].join(' ');
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A missing binary surfaces as an error event, not an exit code: report it the same way.
    child.on('error', (error) => resolve({ command, exitCode: -1, stdout: '', stderr: `${file}: ${error.message}`, seconds: seconds() }));
    child.on('close', (code, signal) => {
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
      const killed = signal ? `\n(killed by ${signal})` : '';
      resolve({ command, exitCode: code ?? -1, stdout: text(stdout), stderr: text(stderr) + killed, seconds: seconds() });
    });
  });
}

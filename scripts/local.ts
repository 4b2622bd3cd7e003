/**
 * `npm run local -- <stack>`: synthesizes the app and runs one pipeline stack on this
 * machine (see local/pipeline/local-pipeline.ts) until Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalPipeline, type LocalPipeline } from '../local/pipeline/local-pipeline';
import { formatPipelineEvent } from '../local/pipeline/terminal-report';

const ROOT = resolve(__dirname, '..');
// The SDK warns about Node < 22 once per process; this script reports the Node version itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const OUT_DIR = join(ROOT, 'cdktf.out');
const DEFAULT_PORT = 3000;

const USAGE = `Usage: npm run local -- <stack> [options]

Runs a synthesized pipeline stack locally: DynamoDB Local, fauxqs (SQS/SNS/S3), MariaDB
for a stack with a database, the stack's functions from their bundles, its event source
mappings, bucket notifications, state machines and REST API.

Options:
  --port <n>           REST API port (default ${DEFAULT_PORT}; 0 picks a free one)
  --no-throttle        ignore the stage's throttling (rate/burst), e.g. for load runs
  --retry-delay <s>    retry failed SQS messages and asynchronous (S3) invocations after
                       <s> seconds instead of AWS's delays (the queue's visibility
                       timeout, 60 s for the orders queue; 1 then 2 minutes for S3)
  --no-synth           use cdktf.out as it is instead of synthesizing first
  --quiet              hide the functions' own log lines
  --help`;

interface CliOptions {
  readonly stack: string;
  readonly port: number;
  readonly throttle: boolean;
  readonly retryDelaySeconds?: number;
  readonly synth: boolean;
  readonly functionLogs: boolean;
}

class UsageError extends Error {}

function parseCli(argv: string[]): CliOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'no-throttle': { type: 'boolean', default: false },
      'retry-delay': { type: 'string' },
      'no-synth': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('Name one stack to run, e.g. `npm run local -- orders-pipeline`.');
  return {
    stack: positionals[0],
    port: values.port === undefined ? DEFAULT_PORT : wholeNumber('--port', values.port, 65_535),
    throttle: !values['no-throttle'],
    retryDelaySeconds: values['retry-delay'] === undefined ? undefined : wholeNumber('--retry-delay', values['retry-delay'], 43_200),
    synth: !values['no-synth'],
    functionLogs: !values.quiet,
  };
}

function wholeNumber(option: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) throw new UsageError(`${option} takes a whole number from 0 to ${max}, got "${text}".`);
  return value;
}

function synthesize(): void {
  console.log('synth     running the cdktf app (node scripts/run-app.js)');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-app.js')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new UsageError('Synthesis failed (see above); nothing was started.');
}

/** The stack's directory, or a message listing the stacks there are. */
function stackDirectory(stack: string): string {
  const manifestPath = join(OUT_DIR, 'manifest.json');
  if (!existsSync(manifestPath)) throw new UsageError(`${manifestPath} is missing: run \`npm run synth\` or drop --no-synth.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
  const entry = manifest.stacks[stack];
  if (!entry) {
    throw new UsageError(`There is no stack named "${stack}". Stacks: ${Object.keys(manifest.stacks).join(', ')}.`);
  }
  return join(OUT_DIR, entry.workingDirectory);
}

function printHowToUse(pipeline: LocalPipeline): void {
  const lines = ['', 'ready     outputs:'];
  for (const [name, value] of Object.entries(pipeline.outputs)) lines.push(`            ${name} = ${value}`);
  const [userPool] = pipeline.userPools.values();
  if (pipeline.apiUrl && pipeline.stateMachines.size > 0 && userPool) {
    // The API refuses anonymous requests: a token of the stack's pool, issued here, stands
    // for a signed-in person (locally there is no hosted UI to sign in with).
    const token = userPool.issueIdToken({ email: 'local-user@example.com', expiresInSeconds: 12 * 3600 });
    lines.push(
      '',
      '          Ask for a report as a signed-in person (an ID token for local-user@example.com,',
      '          valid 12 hours, issued by the local user pool), from another terminal:',
      `            curl -s -X POST ${pipeline.apiUrl} -H 'Content-Type: application/json' \\`,
      `              -H 'Authorization: ${token}' -d '{}'`,
      '          The email with the report link is printed here.',
    );
  } else if (pipeline.apiUrl) {
    lines.push(
      '',
      "          Post the lab's test order (seed 000, Task 9) from another terminal:",
      `            curl -s -X POST ${pipeline.apiUrl} -H 'Content-Type: application/json' \\`,
      `              -d '{"item": "latex gloves", "customerID": "12345"}'`,
    );
  }
  for (const trigger of pipeline.s3Triggers) {
    const example = `${trigger.keyPrefix}inventory${trigger.keySuffix || '.json'}`;
    lines.push(
      '',
      `          Upload a file to ${trigger.bucket}/${trigger.keyPrefix}*${trigger.keySuffix} to invoke ${trigger.functionName},`,
      "          e.g. the lab's inventory.json (seed 003, TEST 1), from another terminal:",
      `            curl -s -T samples/inventory.json ${pipeline.endpoints.s3}/${trigger.bucket}/${example}`,
    );
  }
  lines.push('', '          Ctrl-C stops everything this command started.', '');
  console.log(lines.join('\n'));
}

async function main(): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const cli = options;
  if (Number(process.versions.node.split('.')[0]) < 22) {
    console.log(`note      the functions are declared nodejs22.x; this machine runs them on Node ${process.versions.node}`);
  }
  if (cli.synth) synthesize();
  const stackDir = stackDirectory(cli.stack);

  // Filled in once started; a signal during start-up finds it empty and stops nothing twice.
  const running: { pipeline?: LocalPipeline } = {};
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      console.error(`\n${signal} again: exiting without waiting.`);
      process.exit(130);
    }
    stopping = true;
    console.log(`\nstopping  (${signal}) ...`);
    await running.pipeline?.stop();
    console.log('stopped   everything this command started');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const pipeline = await startLocalPipeline({
    stackDir,
    apiPort: cli.port,
    throttle: cli.throttle,
    retryDelaySeconds: cli.retryDelaySeconds,
    onEvent: (event) => {
      const line = formatPipelineEvent(event, { functionLogs: cli.functionLogs });
      if (line !== undefined) console.log(line);
    },
  });
  running.pipeline = pipeline;
  if (stopping) {
    await pipeline.stop();
    return 0;
  }
  if (pipeline.functions.size === 0 && pipeline.apiUrl === undefined) {
    console.log(`Stack ${cli.stack} has no functions or API to run locally.`);
    await pipeline.stop();
    return 0;
  }
  printHowToUse(pipeline);
  // Keeps running: the servers and pollers hold the event loop until a signal stops them.
  return new Promise<number>(() => {});
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`The API port is in use. Pass --port <n>, or --port 0 for any free port.`);
    } else {
      console.error(message);
    }
    process.exit(1);
  },
);

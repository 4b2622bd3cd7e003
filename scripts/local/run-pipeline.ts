/**
 * `npm run local -- <stack>`: synthesizes the app and runs one pipeline stack on this
 * machine (see local/pipeline/local-pipeline.ts) until Ctrl-C, with an endpoint through
 * which `npm run local -- invoke <stack> <function> --attach` runs one of its functions.
 */
import { parseArgs } from 'node:util';
import { startInvokeEndpoint } from '../../local/invoke/invoke-endpoint';
import { writeSession } from '../../local/invoke/session-file';
import { startLocalPipeline, type LocalPipeline } from '../../local/pipeline/local-pipeline';
import { formatPipelineEvent } from '../../local/pipeline/terminal-report';
import { checkPortFree, checkStackName, nodeVersionNote, reportFailure, ROOT, stackDirectory, stopWhenOrphaned, synthesize } from './cli-support';
import { parseCommandLine, UsageError, wholeNumber } from './usage-error';

const DEFAULT_PORT = 3000;

const USAGE = `Usage: npm run local -- <stack> [options]
       npm run local -- invoke <stack> <function> [options]   (one function, once; --help)
       npm run local -- event <template> [<stack>] [options]  (a test event; --help)

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

async function printHowToUse(stackName: string, pipeline: LocalPipeline): Promise<void> {
  const lines = ['', 'ready     outputs:'];
  for (const [name, value] of Object.entries(pipeline.outputs)) lines.push(`            ${name} = ${value}`);
  const [userPool] = pipeline.userPools.values();
  if (pipeline.apiUrl && pipeline.stateMachines.size > 0 && userPool) {
    // The API refuses anonymous requests: a token of the stack's pool, issued here, stands
    // for a signed-in person (locally there is no hosted UI to sign in with).
    const token = await userPool.issueIdToken({ email: 'local-user@example.com', expiresInSeconds: 12 * 3600 });
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
  const [firstFunction] = pipeline.functions.keys();
  if (firstFunction !== undefined) {
    lines.push(
      '',
      '          Invoke one function of this running pipeline with a test event, from another terminal:',
      `            npm run local -- invoke ${stackName} ${firstFunction} --attach --event <file>`,
      `          (\`npm run local -- event --help\` lists the test event templates)`,
    );
  }
  lines.push('', '          Ctrl-C stops everything this command started.', '');
  console.log(lines.join('\n'));
}

export async function runPipelineCommand(argv: string[]): Promise<number> {
  try {
    return await runPipeline(argv);
  } catch (error) {
    return reportFailure(error);
  }
}

async function runPipeline(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(parseCli, argv, USAGE);
  if ('exit' in parsed) return parsed.exit;
  const cli = parsed.options;
  checkStackName(cli.stack);
  await checkPortFree(cli.port);
  const note = nodeVersionNote();
  if (note !== undefined) console.log(note);
  if (cli.synth) synthesize();
  const stackDir = stackDirectory(cli.stack);

  // Filled in as parts start; a signal during start-up stops what there is, and nothing twice.
  const running: { stop?: () => Promise<void> } = {};
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      console.error(`\n${signal} again: exiting without waiting.`);
      process.exit(130);
    }
    stopping = true;
    console.log(`\nstopping  (${signal}) ...`);
    await running.stop?.();
    console.log('stopped   everything this command started');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  stopWhenOrphaned(() => void stop('its parent process exited'));

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
  running.stop = () => pipeline.stop();
  if (stopping) {
    await pipeline.stop();
    return 0;
  }
  if (pipeline.functions.size === 0 && pipeline.apiUrl === undefined) {
    console.log(`Stack ${cli.stack} has no functions or API to run locally.`);
    await pipeline.stop();
    return 0;
  }
  const endpoint = await startInvokeEndpoint(pipeline.stack, pipeline.functions, ({ functionName, invocation }, event) => {
    const records = (event as { Records?: unknown } | null)?.Records;
    const count = Array.isArray(records) ? records.length : 1;
    const line = formatPipelineEvent({ kind: 'invocation', functionName, source: 'invoke --attach', records: count, invocation, failedRecords: invocation.ok ? 0 : count });
    if (line !== undefined) console.log(line);
  });
  const removeSession = writeSession(ROOT, cli.stack, { pid: process.pid, url: endpoint.url, token: endpoint.token });
  running.stop = async () => {
    removeSession();
    await endpoint.stop();
    await pipeline.stop();
  };
  await printHowToUse(cli.stack, pipeline);
  // Keeps running: the servers and pollers hold the event loop until a signal stops them.
  return new Promise<number>(() => {});
}

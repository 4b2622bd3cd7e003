/**
 * `npm run local -- <stack>`: synthesizes the app and runs a stack on this machine (see
 * local/pipeline/local-stacks.ts) until Ctrl-C, with an endpoint through which
 * `npm run local -- invoke <stack> <function> --attach` runs one of its functions. A stack
 * with no functions or API of its own (the dashboard, a site in front of the others) runs
 * with every stack it reads, on one set of emulators: `npm run local -- dashboard`.
 */
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { startInvokeEndpoint } from '../../local/invoke/invoke-endpoint';
import { writeSession } from '../../local/invoke/session-file';
import type { LocalPipeline } from '../../local/pipeline/local-pipeline';
import { createLocalUser, DEFAULT_DASHBOARD_PORT, LOCAL_USER_EMAIL, type LocalUser } from '../../local/pipeline/local-dashboard';
import { startLocalStacks, stacksToRun, type LocalStacks } from '../../local/pipeline/local-stacks';
import { formatPipelineEvent } from '../../local/pipeline/terminal-report';
import { SynthesizedApp } from '../../local/stack/synthesized-app';
import { checkPortFree, checkStackName, nodeVersionNote, reportFailure, ROOT, stackDirectory, stopWhenOrphaned, synthesize } from './cli-support';
import { parseCommandLine, UsageError, wholeNumber } from './usage-error';

const DEFAULT_PORT = 3000;
const DEFAULT_SITE_PORT = DEFAULT_DASHBOARD_PORT;

const USAGE = `Usage: npm run local -- <stack> [options]
       npm run local -- invoke <stack> <function> [options]   (one function, once; --help)
       npm run local -- event <template> [<stack>] [options]  (a test event; --help)

Runs a synthesized pipeline stack locally: DynamoDB Local, fauxqs (SQS/SNS/S3), MariaDB
for a stack with a database, the stack's functions from their bundles, its event source
mappings, bucket notifications, state machines and REST API, and a local hosted UI for its
user pool. \`npm run local -- dashboard\` runs the dashboard with the inventory and report
pipelines, at http://localhost:${DEFAULT_SITE_PORT}, and prints a local user's password.

Options:
  --port <n>           REST API port (default ${DEFAULT_PORT}; for the dashboard, its port,
                       default ${DEFAULT_SITE_PORT}; 0 picks a free one)
  --no-throttle        ignore the stage's throttling (rate/burst), e.g. for load runs
  --retry-delay <s>    retry failed SQS messages and asynchronous (S3) invocations after
                       <s> seconds instead of AWS's delays (the queue's visibility
                       timeout, 60 s for the orders queue; 1 then 2 minutes for S3)
  --no-synth           use cdktf.out as it is instead of synthesizing first
  --quiet              hide the functions' own log lines
  --help`;

interface CliOptions {
  readonly stack: string;
  /** Undefined: the stack's default. */
  readonly port?: number;
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
    port: values.port === undefined ? undefined : wholeNumber('--port', values.port, 65_535),
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
  // A client whose tokens the authorizer's GetUser accepts: one allowed Cognito's admin scope.
  const client = userPool?.appClients().find((candidate) => candidate.allowedScopes.includes('aws.cognito.signin.user.admin'));
  if (pipeline.apiUrl && pipeline.stateMachines.size > 0 && userPool && client) {
    // The API refuses anonymous requests: the access token of a sign-in of the local user,
    // made here, stands for a person signed in through the hosted UI.
    const user = userPool.createUser(LOCAL_USER_EMAIL);
    const { accessToken } = await userPool.signIn(user, client.clientId, client.allowedScopes);
    lines.push(
      '',
      `          Ask for a report as a signed-in person (the access token of ${user.email},`,
      `          valid ${Math.round(client.accessTokenValiditySeconds / 60)} minutes, issued by the local user pool), from another terminal:`,
      `            curl -s -X POST ${pipeline.apiUrl} -H 'Content-Type: application/json' \\`,
      `              -H 'Authorization: ${accessToken}' -d '{}'`,
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
  const port = cli.port ?? (cli.stack === 'dashboard' ? DEFAULT_SITE_PORT : DEFAULT_PORT);
  await checkPortFree(port);
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

  const run = await startStacks(cli, stackDir, port);
  running.stop = () => run.stop();
  if (stopping) {
    await run.stop();
    return 0;
  }
  const pipelines = [...run.stacks.entries()];
  if (pipelines.every(([, pipeline]) => pipeline.functions.size === 0 && pipeline.apiUrl === undefined) && run.cloudFront === undefined) {
    console.log(`Stack ${cli.stack} has no functions or API to run locally.`);
    await run.stop();
    return 0;
  }
  const cleanups: (() => Promise<void>)[] = [];
  for (const [stackName, pipeline] of pipelines) {
    if (pipeline.functions.size === 0) continue;
    const endpoint = await startInvokeEndpoint(pipeline.stack, pipeline.functions, ({ functionName, invocation }, event) => {
      const records = (event as { Records?: unknown } | null)?.Records;
      const count = Array.isArray(records) ? records.length : 1;
      const line = formatPipelineEvent({ kind: 'invocation', functionName, source: 'invoke --attach', records: count, invocation, failedRecords: invocation.ok ? 0 : count });
      if (line !== undefined) console.log(line);
    });
    const removeSession = writeSession(ROOT, stackName, { pid: process.pid, url: endpoint.url, token: endpoint.token });
    cleanups.push(async () => {
      removeSession();
      await endpoint.stop();
    });
  }
  running.stop = async () => {
    for (const cleanup of cleanups) await cleanup();
    await run.stop();
  };
  if (run.cloudFront) printDashboard(run, createLocalUser(run));
  else await printHowToUse(cli.stack, run.stacks.get(cli.stack)!);
  // Keeps running: the servers and pollers hold the event loop until a signal stops them.
  return new Promise<number>(() => {});
}

/** The stack, or, for one with nothing of its own to run (the dashboard), it and every stack it reads. */
async function startStacks(cli: CliOptions, stackDir: string, port: number): Promise<LocalStacks> {
  const app = SynthesizedApp.read(dirname(dirname(stackDir)));
  const { stack } = app.get(cli.stack);
  const stackIds = stacksToRun(app, cli.stack);
  const hasSite = Object.keys(stack.resources('aws_cloudfront_distribution')).length > 0;
  return startLocalStacks({
    app,
    stackIds,
    // The site's port is the one asked for; the APIs behind it take free ones.
    apiPorts: hasSite ? undefined : { [cli.stack]: port },
    cloudFrontPort: hasSite ? port : undefined,
    throttle: cli.throttle,
    retryDelaySeconds: cli.retryDelaySeconds,
    onEvent: (event) => {
      const line = formatPipelineEvent(event, { functionLogs: cli.functionLogs });
      if (line !== undefined) console.log(line);
    },
  });
}

function printDashboard(run: LocalStacks, user: LocalUser | undefined): void {
  const lines = ['', `ready     the café dashboard: ${run.cloudFront!.url}`];
  if (run.hostedUi) lines.push(`          sign in (local hosted UI at ${run.hostedUi.url}) as`);
  if (user) lines.push(`            email     ${user.email}`, `            password  ${user.password}`, '          (the password is made at each start and kept nowhere)');
  for (const [stackName, pipeline] of run.stacks) {
    if (pipeline.apiUrl) lines.push(`          ${stackName} API: ${pipeline.apiUrl}`);
  }
  lines.push('', "          Emails the pipelines send are printed here.", '          Ctrl-C stops everything this command started.', '');
  console.log(lines.join('\n'));
}

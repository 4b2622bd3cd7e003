/**
 * `npm run local -- invoke <stack> <function>`: runs one function once with one event, as
 * the console's Test button does (seed 001, Steps 4.4 and 7.4), and prints its execution
 * result. Alone, it starts only what the function reaches (local/stack/function-reach.ts);
 * with --attach, it invokes the function of a running `npm run local -- <stack>`.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AttachError, invokeAttached } from '../../local/invoke/attached-invoke';
import { executionResult } from '../../local/invoke/execution-result';
import { invokeOnce, PayloadTooLargeError, type FunctionRun } from '../../local/invoke/invoke-once';
import { describeStackContents } from '../../local/invoke/stack-contents';
import { startLocalPipeline, type LocalPipeline } from '../../local/pipeline/local-pipeline';
import type { PipelineEvent } from '../../local/pipeline/pipeline-events';
import { formatPipelineEvent } from '../../local/pipeline/terminal-report';
import { findFunction, UnknownFunctionError } from '../../local/stack/stack-functions';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { checkStackName, nodeVersionNote, reportFailure, ROOT, stackDirectory, stopWhenOrphaned, synthesize } from './cli-support';
import { EXIT_USAGE, parseCommandLine, UsageError } from './usage-error';
import { readEventInput, type EventInput } from './event-input';

export const INVOKE_USAGE = `Usage: npm run local -- invoke <stack> <function> [options]

Runs one function of a synthesized stack once with one event, as the console's Test
button does. Alone, it starts only what the function reaches (its tables, queues, topics,
buckets and database, created empty), not what invokes it. The response goes to standard
output; the function's log, its REPORT line and what its resources hold afterwards go to
standard error.

  <function>          as the stack names it (dev-POC-Lambda-1), by its construct id
                      (store-order), or as the lab names it (POC-Lambda-1)

Options:
  --event <file>      the event (JSON); - reads standard input, as does a pipe when
                      --event is left out; otherwise the event is {}
  --put <file>        first upload <file> to the bucket and key the event's S3 records name
  --env NAME=value    set a variable of the function's environment (repeatable)
  --attach            invoke the function of a running \`npm run local -- <stack>\` instead,
                      so that the rest of its pipeline reacts
  --no-synth          use cdktf.out as it is instead of synthesizing first
  --help

Exit status: 0 the function succeeded; 1 it ran and failed (the response is Lambda's
error); 2 it could not be run (arguments, event, names, or the local runtime).`;

interface InvokeOptions {
  readonly stack: string;
  readonly functionName: string;
  readonly eventOption?: string;
  readonly putFile?: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly attach: boolean;
  readonly synth: boolean;
}

const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseInvokeCli(argv: string[]): InvokeOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      put: { type: 'string' },
      env: { type: 'string', multiple: true, default: [] },
      attach: { type: 'boolean', default: false },
      'no-synth': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 2) throw new UsageError('Name the stack and the function, e.g. `npm run local -- invoke orders-pipeline dev-POC-Lambda-1`.');
  if (values.put !== undefined && !statSync(values.put, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--put ${values.put}: there is no such file`);
  if (values.put !== undefined && values.attach) throw new UsageError('--put uploads into the stack this command starts; with --attach, upload to the running one instead.');
  const environment: Record<string, string> = {};
  for (const assignment of values.env) {
    const equals = assignment.indexOf('=');
    const name = assignment.slice(0, Math.max(equals, 0));
    if (!ENVIRONMENT_NAME.test(name)) throw new UsageError(`--env takes NAME=value, got "${assignment}".`);
    environment[name] = assignment.slice(equals + 1);
  }
  return {
    stack: positionals[0],
    functionName: positionals[1],
    eventOption: values.event,
    putFile: values.put,
    environment,
    attach: values.attach,
    synth: !values['no-synth'] && !values.attach,
  };
}

/** The exit status: 0 the function succeeded, 1 it failed, 2 it could not be run. */
export async function invokeCommand(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(parseInvokeCli, argv, INVOKE_USAGE);
  if ('exit' in parsed) return parsed.exit;
  const { options } = parsed;
  let input: EventInput;
  try {
    input = readEventInput(options.eventOption);
  } catch (error) {
    console.error((error as Error).message);
    return EXIT_USAGE;
  }
  try {
    const outcome = options.attach ? { run: await invokeInRunningSession(options, input), afterwards: [] } : await invokeAlone(options, input);
    printExecutionResult(outcome);
    return outcome.run.invocation.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof AttachError || error instanceof UnknownFunctionError || error instanceof PayloadTooLargeError) {
      console.error(error.message);
    } else {
      reportFailure(error);
    }
    return EXIT_USAGE;
  }
}

async function invokeInRunningSession(options: InvokeOptions, input: EventInput): Promise<FunctionRun> {
  if (Object.keys(options.environment).length > 0) throw new UsageError('--env sets the environment of a function this command starts; the running session keeps its own.');
  console.error(`invoke    ${options.functionName} of the running ${options.stack}, event from ${input.source}`);
  return invokeAttached(ROOT, options.stack, options.functionName, input.event);
}

interface InvokeOutcome {
  readonly run: FunctionRun;
  /** What the function's resources hold once it ran, when this command started them. */
  readonly afterwards: readonly string[];
}

async function invokeAlone(options: InvokeOptions, input: EventInput): Promise<InvokeOutcome> {
  checkStackName(options.stack);
  if (options.synth) synthesize('stderr');
  const stackDir = stackDirectory(options.stack);
  const stack = SynthesizedStack.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  // Before any emulator starts: an unknown name costs nothing.
  const { functionName } = findFunction(stack, options.functionName);
  const note = nodeVersionNote();
  if (note !== undefined) console.error(note);
  console.error(`invoke    ${functionName} of ${options.stack}, alone, event from ${input.source}`);
  // Ctrl-C must not leave a JVM behind: what started is stopped first, also mid-start.
  const running: { pipeline?: LocalPipeline; interrupted?: boolean } = {};
  const onSignal = (signal: NodeJS.Signals) => {
    if (running.interrupted) process.exit(130);
    running.interrupted = true;
    console.error(`\nstopping  (${signal}) ...`);
    void running.pipeline?.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  stopWhenOrphaned(() => onSignal('SIGHUP'));
  try {
    running.pipeline = await startLocalPipeline({ stackDir, onlyFunction: functionName, environment: options.environment, onEvent: printProgress });
    if (running.interrupted) {
      await running.pipeline.stop();
      process.exit(130);
    }
    return await invokeIn(running.pipeline, functionName, input.event, options.putFile);
  } finally {
    if (!running.interrupted) await running.pipeline?.stop();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

async function invokeIn(pipeline: LocalPipeline, functionName: string, event: unknown, putFile: string | undefined): Promise<InvokeOutcome> {
  if (putFile !== undefined) await putObjectsOfEvent(pipeline, event, putFile);
  const run = await invokeOnce(pipeline.functions.get(functionName)!, event);
  // Whatever the invocation set going (an email) is captured before the contents are read.
  await pipeline.idle();
  return { run, afterwards: await describeStackContents(pipeline.resources, pipeline.clients) };
}

/** Progress on standard error: what starts, what is created, what is emailed; the function's own lines come with the result. */
function printProgress(event: PipelineEvent): void {
  if (event.kind === 'log' || event.kind === 'function') return;
  const line = formatPipelineEvent(event);
  if (line !== undefined) console.error(line);
}

/** `--put`: the object each S3 record of the event names, created from the file, as if it had been uploaded. */
async function putObjectsOfEvent(pipeline: LocalPipeline, event: unknown, file: string): Promise<void> {
  const records = (event as Partial<S3Event> | null)?.Records;
  const objects = Array.isArray(records) ? records.flatMap((record) => (record?.s3?.bucket?.name && record.s3.object?.key ? [record.s3] : [])) : [];
  if (objects.length === 0) throw new UsageError('--put needs an event with S3 records naming a bucket and key (e.g. `npm run local -- event s3-put`).');
  const buckets = new Set([...pipeline.resources.buckets.values()].map((bucket) => bucket.name));
  const body = readFileSync(file);
  for (const { bucket, object } of objects) {
    if (!buckets.has(bucket.name)) {
      throw new UsageError(`The event names the bucket ${bucket.name}, which this function does not reach. Its buckets: ${[...buckets].join(', ') || 'none'}.`);
    }
    // Keys in S3 events are form-encoded: spaces as '+'.
    const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
    await pipeline.clients.s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body }));
    console.error(`put       ${file} as s3://${bucket.name}/${key} (${body.length} bytes)`);
  }
}

function printExecutionResult({ run, afterwards }: InvokeOutcome): void {
  const result = executionResult(run);
  console.error(`\n${result.heading}\n\nResponse`);
  process.stdout.write(`${result.response}\n`);
  console.error(['', 'Function Logs', ...result.log, '', 'Request ID', result.requestId].join('\n'));
  if (afterwards.length > 0) console.error(['', 'Afterwards', ...afterwards.map((line) => `  ${line}`)].join('\n'));
}

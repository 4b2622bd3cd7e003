/**
 * `npm run local -- ...`: runs the synthesized stacks on this machine.
 *   <stack>                       the whole pipeline, until Ctrl-C (local/run-pipeline.ts)
 *   invoke <stack> <function>     one function, once, with one event (local/invoke-command.ts)
 *   event <template> [<stack>]    a console test event for it (local/event-command.ts)
 */
import { eventCommand } from './local/event-command';
import { invokeCommand } from './local/invoke-command';
import { runPipelineCommand } from './local/run-pipeline';

// The SDK warns about Node < 22 once per process; the commands note it once instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'event') return eventCommand(rest);
  if (command === 'invoke') return invokeCommand(rest);
  return runPipelineCommand(argv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

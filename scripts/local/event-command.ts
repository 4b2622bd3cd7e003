/**
 * `npm run local -- event <template> [stack]`: prints a console test event template filled
 * with the stack's names and ARNs, ready to pipe into `invoke`. It reads cdktf.out as it
 * is and never synthesizes: `event ... | invoke ...` runs both at once, and only one of
 * them may write cdktf.out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { TemplateOptionError, type TemplateOptions } from '../../local/test-events/test-event-template';
import { buildTestEvent, optionFlag, templateNamed, TEST_EVENT_TEMPLATES } from '../../local/test-events/test-events';
import { reportFailure, stackDirectory, synthesizedStacks } from './cli-support';
import { EXIT_USAGE, isArgumentError, UsageError } from './usage-error';

function usage(): string {
  const templates = TEST_EVENT_TEMPLATES.map((template) => {
    const options = template.options.length === 0 ? '' : ` [${template.options.map(optionFlag).join('] [')}]`;
    return `  ${template.name.padEnd(21)}${template.description}${options}`;
  });
  return `Usage: npm run local -- event <template> [<stack>] [options]

Prints a console test event, filled with the stack's names and ARNs as the local runtime
gives them, in the shape AWS sends it. <stack> may be left out when only one stack fits.
Reads cdktf.out as it is (run \`npm run synth\` first). Pipe it into invoke:
  npm run local -- event sqs | npm run local -- invoke orders-pipeline dev-POC-Lambda-1

Templates:
${templates.join('\n')}

Options:
  --body <text>       the message body, request body, SNS message, or state input (JSON)
  --key <key>         the object key (default: inventory.json under the notification's prefix)
  --file <path>       a file whose size and ETag the object has
  --function <name>   the function whose state machine input to print (default: the first task's)
  --out <file>        write the event to <file> instead of standard output (npm prints
                      its banner on standard output, so \`> file\` would catch that too)
  --help`;
}

/** Arguments of the wrong shape: answered with the whole usage. */
class WrongArguments extends UsageError {}

export function eventCommand(argv: string[]): number {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        body: { type: 'string' },
        key: { type: 'string' },
        file: { type: 'string' },
        function: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(usage());
      return 0;
    }
    if (positionals.length === 0 || positionals.length > 2) throw new WrongArguments('Name a template, and optionally the stack, e.g. `npm run local -- event sqs orders-pipeline`.');
    const template = templateNamed(positionals[0]);
    const stackName = positionals[1] ?? onlyFittingStack(positionals[0]);
    const stack = SynthesizedStack.parse(readFileSync(join(stackDirectory(stackName), 'cdk.tf.json'), 'utf8'));
    const unfit = template.unfit(stack);
    if (unfit !== undefined) throw new UsageError(`The ${template.name} template does not fit ${stackName}: ${unfit}.`);
    const options: TemplateOptions = { body: values.body, key: values.key, file: values.file, functionName: values.function };
    const json = `${JSON.stringify(buildTestEvent(template, stack, options), null, 2)}\n`;
    if (values.out === undefined) process.stdout.write(json);
    else writeFileSync(values.out, json);
    return 0;
  } catch (error) {
    if (isArgumentError(error) || error instanceof WrongArguments) {
      console.error(`${(error as Error).message}\n\n${usage()}`);
      return EXIT_USAGE;
    }
    if (error instanceof TemplateOptionError || error instanceof UsageError) {
      console.error(`${error.message}\n(\`npm run local -- event --help\` lists the templates and their options.)`);
      return EXIT_USAGE;
    }
    return reportFailure(error);
  }
}

/** The one stack the template fits; when several do, the person chooses (an event with another stack's names would mislead). */
function onlyFittingStack(templateName: string): string {
  const template = templateNamed(templateName);
  const fitting = [...synthesizedStacks()]
    .filter(([, directory]) => template.unfit(SynthesizedStack.parse(readFileSync(join(directory, 'cdk.tf.json'), 'utf8'))) === undefined)
    .map(([name]) => name);
  if (fitting.length === 0) throw new UsageError(`No synthesized stack fits the ${templateName} template.`);
  if (fitting.length > 1) throw new UsageError(`The ${templateName} template fits ${fitting.join(' and ')}: name the stack, e.g. \`npm run local -- event ${templateName} ${fitting[0]}\`.`);
  return fitting[0];
}

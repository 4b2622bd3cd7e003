/**
 * The console's test event templates, filled with a stack's real names and ARNs, each in
 * the shape AWS sends (`npm run local -- event <template> [stack]`).
 */
import type { SynthesizedStack } from '../stack/synthesized-stack';
import { stackNames } from './stack-names';
import { TemplateOptionError, type TemplateOptions, type TestEventTemplate } from './test-event-template';
import { apiGatewayAwsProxyTemplate } from './templates/apigateway-aws-proxy';
import { dynamodbInsertTemplate } from './templates/dynamodb-insert';
import { s3PutTemplate } from './templates/s3-put';
import { snsTemplate } from './templates/sns';
import { sqsTemplate } from './templates/sqs';
import { stepFunctionsTemplate } from './templates/stepfunctions';

export const TEST_EVENT_TEMPLATES: readonly TestEventTemplate[] = [
  sqsTemplate,
  dynamodbInsertTemplate,
  s3PutTemplate,
  apiGatewayAwsProxyTemplate,
  snsTemplate,
  stepFunctionsTemplate,
];

export function templateNamed(name: string): TestEventTemplate {
  const template = TEST_EVENT_TEMPLATES.find((candidate) => candidate.name === name);
  if (!template) {
    throw new TemplateOptionError(`There is no test event template named "${name}". Templates: ${TEST_EVENT_TEMPLATES.map((t) => t.name).join(', ')}.`);
  }
  return template;
}

/** The event, or a usage error naming a template option it does not read. */
export function buildTestEvent(template: TestEventTemplate, stack: SynthesizedStack, options: TemplateOptions, now: Date = new Date()): unknown {
  const unread = (Object.keys(options) as (keyof TemplateOptions)[]).filter((option) => options[option] !== undefined && !template.options.includes(option));
  if (unread.length > 0) throw new TemplateOptionError(`The ${template.name} template does not take ${unread.map(optionFlag).join(', ')}.`);
  return template.build({ stack, names: stackNames(stack, now), options, now });
}

export function optionFlag(option: keyof TemplateOptions): string {
  return option === 'functionName' ? '--function' : `--${option}`;
}

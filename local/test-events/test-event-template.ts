/** What every test event template offers: whether it fits a stack, and the event it builds from the stack's names. */
import type { ProvisionedStack } from '../provision/provisioned-stack';
import type { SynthesizedStack } from '../stack/synthesized-stack';

export interface TemplateOptions {
  /** The message body (sqs), request body (apigateway-aws-proxy), message (sns) or state input as JSON (stepfunctions). */
  readonly body?: string;
  /** The object key (s3-put). */
  readonly key?: string;
  /** A file whose size and ETag the object has (s3-put). */
  readonly file?: string;
  /** Which function's input (stepfunctions), by name or construct id. */
  readonly functionName?: string;
}

export interface TemplateContext {
  readonly stack: SynthesizedStack;
  /** The stack's names and ARNs as the local runtime gives them. */
  readonly names: ProvisionedStack;
  readonly options: TemplateOptions;
  readonly now: Date;
}

export interface TestEventTemplate {
  readonly name: string;
  /** One line for the list of templates. */
  readonly description: string;
  /** The options it reads, for the list of templates. */
  readonly options: readonly (keyof TemplateOptions)[];
  /** Why the template does not fit the stack, or undefined when it does. */
  unfit(stack: SynthesizedStack): string | undefined;
  build(context: TemplateContext): unknown;
}

/** A template's options that a person got wrong: reported as a usage error, with what would be right. */
export class TemplateOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateOptionError';
  }
}

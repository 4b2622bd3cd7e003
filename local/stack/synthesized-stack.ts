/**
 * Reads a synthesized stack (cdk.tf.json) the way Terraform would see it: resources by
 * type and name, and `${...}` references resolved against attribute values supplied by
 * the caller. Tests resolve them to realistic fake ARNs to simulate IAM; the local
 * runtime resolves them to what the emulators created. Either way what is checked or
 * run is the synthesized configuration itself, not a copy of its logic.
 */

import { createHash } from 'node:crypto';
import { parseTemplate, type Expression } from './terraform-expression';

export type ResourceConfig = Record<string, unknown>;

export interface StackJson {
  resource?: Record<string, Record<string, ResourceConfig>>;
  data?: Record<string, Record<string, ResourceConfig>>;
  output?: Record<string, { value: unknown }>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
}

/** Resolves every `${...}` in a synthesized string to a value (see ProvisionedStack.resolve). */
export type Resolve = (value: string) => string;

/**
 * Supplies the value of `<type>.<name>.<attribute>` (known only after apply). A cross-stack
 * reference reaches it as type `data.terraform_remote_state`, attribute `outputs.<output>`,
 * with the data source's configuration (whose backend names the producing stack's state).
 */
export type AttributeResolver = (type: string, name: string, attribute: string, config: ResourceConfig) => string;

// The attribute may reach into a nested block: `master_user_secret[0].secret_arn`.
const RESOURCE_ATTRIBUTE = /^(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+(?:\[\d+\]\.[a-z0-9_]+)*)$/;
// cdktf's cross-stack reference: the producing stack's output, read from its state.
const REMOTE_OUTPUT = /^data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/;
export const REMOTE_STATE = 'data.terraform_remote_state';

export class SynthesizedStack {
  constructor(readonly json: StackJson) {}

  static parse(text: string): SynthesizedStack {
    return new SynthesizedStack(JSON.parse(text) as StackJson);
  }

  /** The AWS provider's region: where every resource of the stack lives. */
  get region(): string {
    const providers = (this.json.provider?.aws ?? []) as { region?: string }[];
    return providers[0]?.region ?? 'us-east-1';
  }

  /** Every resource of a type, by its Terraform name. */
  resources(type: string): Record<string, ResourceConfig> {
    return this.json.resource?.[type] ?? {};
  }

  resource(type: string, name: string): ResourceConfig {
    const config = this.resources(type)[name];
    if (!config) throw new Error(`The stack has no ${type}.${name}`);
    return config;
  }

  /** Every data source of a type (`terraform_remote_state`), by its Terraform name. */
  dataSources(type: string): Record<string, ResourceConfig> {
    return this.json.data?.[type] ?? {};
  }

  /** The Terraform name of the only resource of `type` whose `attribute` equals `value`. */
  findName(type: string, attribute: string, value: unknown): string {
    const matches = Object.entries(this.resources(type)).filter(([, config]) => config[attribute] === value);
    if (matches.length !== 1) {
      throw new Error(`Expected one ${type} with ${attribute}=${JSON.stringify(value)}, found ${matches.length}`);
    }
    return matches[0][0];
  }

  /**
   * Resolves every `${...}` in a string. A reference it cannot resolve throws, so a
   * test or the local runtime never silently works with an unresolved value.
   */
  resolve(value: string, attributeOf: AttributeResolver): string {
    if (!value.includes('${')) return value;
    return parseTemplate(value)
      .map((part) => (typeof part === 'string' ? part : asText(this.evaluate(part, attributeOf), part)))
      .join('');
  }

  private evaluate(expression: Expression, attributeOf: AttributeResolver): unknown {
    switch (expression.kind) {
      case 'literal':
        return expression.value;
      case 'template':
        return expression.parts.map((part) => (typeof part === 'string' ? part : asText(this.evaluate(part, attributeOf), part))).join('');
      case 'tuple':
        return expression.items.map((item) => this.evaluate(item, attributeOf));
      case 'object':
        return Object.fromEntries(expression.entries.map(([key, value]) => [asText(this.evaluate(key, attributeOf), key), this.evaluate(value, attributeOf)]));
      case 'reference':
        return this.reference(expression, attributeOf);
      case 'call':
        return this.call(expression, attributeOf);
    }
  }

  /** The functions the stacks use: an ARN part (see constructs/arn.ts), `Fn.jsonencode`, a hash's prefix (a domain prefix). */
  private call(expression: Extract<Expression, { kind: 'call' }>, attributeOf: AttributeResolver): unknown {
    const args = () => expression.args.map((arg) => this.evaluate(arg, attributeOf));
    switch (expression.name) {
      case 'jsonencode':
        return JSON.stringify(args()[0]);
      case 'split': {
        const [separator, text] = args();
        return String(text).split(String(separator));
      }
      case 'sha1':
        return createHash('sha1').update(String(args()[0])).digest('hex');
      case 'substr': {
        const [text, offset, length] = args();
        if (typeof offset === 'number' && typeof length === 'number') return [...String(text)].slice(offset, length < 0 ? undefined : offset + length).join('');
        break;
      }
      case 'element': {
        const [list, index] = args();
        if (Array.isArray(list) && typeof index === 'number') return list[index % list.length];
        break;
      }
      default:
        break;
    }
    throw unresolvable(expression);
  }

  private reference(expression: Extract<Expression, { kind: 'reference' }>, attributeOf: AttributeResolver): string {
    const remote = REMOTE_OUTPUT.exec(expression.path);
    if (remote) {
      const [, stateName, output] = remote;
      const config = this.dataSources('terraform_remote_state')[stateName];
      if (!config) throw new Error(`The stack has no data.terraform_remote_state.${stateName}`);
      return attributeOf(REMOTE_STATE, stateName, `outputs.${output}`, config);
    }
    const reference = RESOURCE_ATTRIBUTE.exec(expression.path);
    if (reference) {
      const [, type, name, attribute] = reference;
      const config = this.resource(type, name);
      // Arguments the configuration sets are known at plan time; resolve them as written.
      const configured = config[attribute];
      if (typeof configured === 'string') return this.resolve(configured, attributeOf);
      return attributeOf(type, name, attribute, config);
    }
    throw unresolvable(expression);
  }
}

function unresolvable(expression: Expression): Error {
  return new Error(`Cannot resolve the Terraform expression \${${expression.source ?? JSON.stringify(expression)}}`);
}

/** A value in a string, as Terraform converts it: a string, number or boolean; nothing else. */
function asText(value: unknown, expression: Expression): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`The Terraform expression \${${expression.source ?? ''}} is not a string, number or boolean.`);
}

/** A numeric argument as the stack sets it, or the default AWS applies when it is left out. */
export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

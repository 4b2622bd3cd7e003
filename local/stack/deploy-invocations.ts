/**
 * Reads what `terraform apply` invokes while deploying (`aws_lambda_invocation`, e.g. the
 * report pipeline's database migrations): which function, with which input.
 */
import type { Resolve, SynthesizedStack } from './synthesized-stack';

export interface DeployInvocationSettings {
  /** The function, by name or ARN. */
  readonly functionReference: string;
  readonly input: unknown;
}

export function deployInvocations(stack: SynthesizedStack, resolve: Resolve): DeployInvocationSettings[] {
  return Object.values(stack.resources('aws_lambda_invocation')).map((config) => ({
    functionReference: resolve(String(config.function_name)),
    input: JSON.parse(resolve(String(config.input ?? '{}'))) as unknown,
  }));
}

import type { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { ENVIRONMENT_RULES, type EnvironmentRules } from './environment-rules';

/** Which rules each stack was made with: set by PipelineStack, read by the constructs inside it. */
const rulesByStack = new WeakMap<TerraformStack, EnvironmentRules>();

/** Called by the stack once, before its constructs are made. */
export function setEnvironmentRules(stack: TerraformStack, rules: EnvironmentRules): void {
  rulesByStack.set(stack, rules);
}

/** The rules of the stack the construct is in; a stack that sets none (a test's) is a development one. */
export function environmentRulesOf(scope: Construct): EnvironmentRules {
  return rulesByStack.get(TerraformStack.of(scope)) ?? ENVIRONMENT_RULES.development;
}

/** Reads a stack's Step Functions state machines: name, local ARN and ASL definition with its ARNs resolved. */
import type { Resolve, SynthesizedStack } from './synthesized-stack';

export interface StateMachineSettings {
  readonly name: string;
  readonly arn: string;
  readonly definition: object;
}

export function stateMachines(stack: SynthesizedStack, resolve: Resolve): StateMachineSettings[] {
  return Object.entries(stack.resources('aws_sfn_state_machine')).map(([terraformName, config]) => ({
    name: String(config.name),
    arn: resolve(`\${aws_sfn_state_machine.${terraformName}.arn}`),
    definition: JSON.parse(resolve(String(config.definition))) as object,
  }));
}

/**
 * Reads one stack's cross-stack references as Terraform does: the producing stack's output,
 * its expression resolved in the producing stack's own local context. A producer that runs
 * in this process resolves to what was created for it; one that does not run gets a context
 * with nothing created, where only what needs no emulator resolves (a user pool's ARN and
 * id, which the runtime makes up in Cognito's shapes), so the report stack runs on its own
 * with the inventory stack's pool while a reference to, say, the inventory bucket fails by name.
 */
import type { SynthesizedApp } from '../stack/synthesized-app';
import { ProvisionedStack, type RemoteOutputs } from './provisioned-stack';

export class CrossStackOutputs {
  private readonly contexts = new Map<string, ProvisionedStack>();
  /** Stacks read from but not run: contexts with nothing created. */
  private readonly notRunning = new Map<string, ProvisionedStack>();

  constructor(readonly app: SynthesizedApp) {}

  /** How the stack `consumerId` reads the outputs of the others. */
  for(consumerId: string): RemoteOutputs {
    return (stateName, output) => {
      const { producer, expression } = this.app.remoteOutput(this.app.get(consumerId), stateName, output);
      try {
        return this.contextOf(producer.id).resolve(expression);
      } catch (error) {
        const running = this.contexts.has(producer.id) ? '' : ` (${producer.id} is not running here)`;
        throw new Error(`Stack ${consumerId} reads output ${output} of stack ${producer.id}${running}: ${(error as Error).message}`, { cause: error });
      }
    };
  }

  /** Registers what was created for a running stack: its outputs resolve to that from now on. */
  running(stackId: string, provisioned: ProvisionedStack): void {
    this.contexts.set(stackId, provisioned);
  }

  /** The local context of a stack: the running one, or one with nothing created. */
  contextOf(stackId: string): ProvisionedStack {
    const running = this.contexts.get(stackId);
    if (running !== undefined) return running;
    let context = this.notRunning.get(stackId);
    if (context === undefined) {
      const { stack } = this.app.get(stackId);
      context = new ProvisionedStack(stack, stack.region, this.for(stackId));
      this.notRunning.set(stackId, context);
    }
    return context;
  }

  isRunning(stackId: string): boolean {
    return this.contexts.has(stackId);
  }
}

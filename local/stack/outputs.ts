/** The stack's outputs, with what they refer to resolved to its local value. */
import type { Resolve, SynthesizedStack } from './synthesized-stack';

/** An output that names what is not run locally (a hosted UI's domain) says so instead of failing the start. */
export const NOT_AVAILABLE_LOCALLY = '(not available locally)';

/**
 * Whether a synthesized value refers to what has no local counterpart: a user pool's
 * hosted UI domain (the runtime's user pools issue tokens, they serve no sign-in pages).
 */
export function refersToNotRunResource(value: string): boolean {
  return /\$\{[^}]*\baws_cognito_user_pool_domain\./.test(value);
}

export function stackOutputs(stack: SynthesizedStack, resolve: Resolve): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stack.json.output ?? {}).map(([name, output]) => {
      const value = String(output.value);
      return [name, refersToNotRunResource(value) ? NOT_AVAILABLE_LOCALLY : resolve(value)];
    }),
  );
}

/** Reads a stack's Cognito user pools: each pool's local ARN, the id of its app client, if it has one, and its password policy. */
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../cognito/password-policy';
import type { Resolve, SynthesizedStack } from './synthesized-stack';

export interface UserPoolSettings {
  readonly arn: string;
  /** The audience of the ID tokens it issues. */
  readonly clientId?: string;
  readonly passwordPolicy: PasswordPolicy;
}

export function userPools(stack: SynthesizedStack, resolve: Resolve): UserPoolSettings[] {
  const clients = Object.entries(stack.resources('aws_cognito_user_pool_client'));
  return Object.entries(stack.resources('aws_cognito_user_pool')).map(([terraformName, config]) => {
    const client = clients.find(([, clientConfig]) => String(clientConfig.user_pool_id).includes(`aws_cognito_user_pool.${terraformName}.`));
    return {
      arn: resolve(`\${aws_cognito_user_pool.${terraformName}.arn}`),
      clientId: client ? resolve(`\${aws_cognito_user_pool_client.${client[0]}.id}`) : undefined,
      passwordPolicy: passwordPolicy(config.password_policy),
    };
  });
}

/** The pool's `password_policy` block; Cognito's default for what it leaves out. */
function passwordPolicy(block: unknown): PasswordPolicy {
  const policy = (Array.isArray(block) ? block[0] : block) as Record<string, unknown> | undefined;
  const flag = (name: string, fallback: boolean): boolean => (typeof policy?.[name] === 'boolean' ? (policy[name] as boolean) : fallback);
  return {
    minimumLength: typeof policy?.minimum_length === 'number' ? policy.minimum_length : DEFAULT_PASSWORD_POLICY.minimumLength,
    requireLowercase: flag('require_lowercase', DEFAULT_PASSWORD_POLICY.requireLowercase),
    requireUppercase: flag('require_uppercase', DEFAULT_PASSWORD_POLICY.requireUppercase),
    requireNumbers: flag('require_numbers', DEFAULT_PASSWORD_POLICY.requireNumbers),
    requireSymbols: flag('require_symbols', DEFAULT_PASSWORD_POLICY.requireSymbols),
  };
}

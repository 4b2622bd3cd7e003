/** Reads a stack's Cognito user pools: each pool's local ARN and the id of its app client, if it has one. */
import type { Resolve, SynthesizedStack } from './synthesized-stack';

export interface UserPoolSettings {
  readonly arn: string;
  /** The audience of the ID tokens it issues. */
  readonly clientId?: string;
}

export function userPools(stack: SynthesizedStack, resolve: Resolve): UserPoolSettings[] {
  const clients = Object.entries(stack.resources('aws_cognito_user_pool_client'));
  return Object.keys(stack.resources('aws_cognito_user_pool')).map((terraformName) => {
    const client = clients.find(([, config]) => String(config.user_pool_id).includes(`aws_cognito_user_pool.${terraformName}.`));
    return {
      arn: resolve(`\${aws_cognito_user_pool.${terraformName}.arn}`),
      clientId: client ? resolve(`\${aws_cognito_user_pool_client.${client[0]}.id}`) : undefined,
    };
  });
}

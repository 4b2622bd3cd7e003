/**
 * Reads a stack's Cognito app clients (`aws_cognito_user_pool_client`) as a local user pool
 * registers them: id, callback and logout URLs, OAuth scopes and token lifetimes.
 */
import type { AppClient, AppClientRegistration, LocalUserPool } from '../cognito/local-user-pool';
import type { Resolve, SynthesizedStack } from './synthesized-stack';

export interface AppClientSettings extends Required<AppClientRegistration> {
  /**
   * The pool the client belongs to, as `user_pool_id` resolves: a pool id. In a stack that
   * takes the pool from another (the dashboard's), `resolve` must follow the cross-stack reference.
   */
  readonly userPoolId: string;
}

type Unit = 'seconds' | 'minutes' | 'hours' | 'days';
const SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

export function appClients(stack: SynthesizedStack, resolve: Resolve): AppClientSettings[] {
  return Object.entries(stack.resources('aws_cognito_user_pool_client')).map(([terraformName, config]) => {
    const units = (Array.isArray(config.token_validity_units) ? config.token_validity_units[0] : config.token_validity_units) as Partial<Record<string, Unit>> | undefined;
    // Terraform's defaults when an argument is left out: 60 minutes (in hours), 30 days.
    const seconds = (value: unknown, unit: Unit | undefined, fallbackUnit: Unit, fallback: number): number =>
      typeof value === 'number' ? value * SECONDS[unit ?? fallbackUnit] : fallback;
    return {
      clientId: resolve(`\${aws_cognito_user_pool_client.${terraformName}.id}`),
      userPoolId: resolve(String(config.user_pool_id)),
      callbackUrls: strings(config.callback_urls).map(resolve),
      logoutUrls: strings(config.logout_urls).map(resolve),
      allowedScopes: strings(config.allowed_oauth_scopes),
      accessTokenValiditySeconds: seconds(config.access_token_validity, units?.access_token, 'hours', 3600),
      idTokenValiditySeconds: seconds(config.id_token_validity, units?.id_token, 'hours', 3600),
      refreshTokenValiditySeconds: seconds(config.refresh_token_validity, units?.refresh_token, 'days', 30 * 86_400),
    };
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/**
 * Registers with `pool` the clients that belong to it (by pool id or ARN), e.g. the
 * dashboard stack's web client on the inventory stack's pool.
 *
 * @returns the clients registered
 */
export function registerAppClients(pool: LocalUserPool, clients: readonly AppClientSettings[]): AppClient[] {
  return clients
    .filter(({ userPoolId }) => userPoolId === pool.poolId || userPoolId === pool.arn)
    .map(({ userPoolId: _pool, ...registration }) => pool.registerClient(registration));
}

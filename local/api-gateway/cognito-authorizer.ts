import type { LocalUserPool } from '../cognito/local-user-pool';
import { GatewayError } from './gateway-responses';
import { identitySourceToken } from './identity-source';
import type { MethodRequest } from './method-request';
import type { AuthorizerResult } from './request-context';
import type { ApiAuthorizer, ApiMethod } from './rest-api-definition';

/** The claims of a verified ID token, as `$context.authorizer.claims` holds them. */
export type Claims = Readonly<Record<string, string>>;

/**
 * A Cognito user pool authorizer: the ID token in the identity source, verified with
 * the local pools of the authorizer's provider ARNs. Anything this server cannot do
 * faithfully is refused with 500, never served open.
 *
 * @param userPools local pools by pool ARN or pool id
 * @param unsupported the refusal for what the local API Gateway cannot do
 * @throws (rejects with) GatewayError UNAUTHORIZED (401) for a missing or invalid token
 */
export async function cognitoAuthorizer(
  method: ApiMethod,
  authorizer: ApiAuthorizer,
  request: MethodRequest,
  userPools: ReadonlyMap<string, LocalUserPool> | undefined,
  where: string,
  unsupported: (reason: string) => GatewayError,
): Promise<AuthorizerResult> {
  if (method.authorizationScopes.length > 0) {
    throw unsupported(`requires the scopes ${method.authorizationScopes.join(', ')} of an access token`);
  }
  const named = authorizer.providerArns.map((arn) => ({ arn, pool: userPool(userPools, arn) }));
  const pools = named.flatMap(({ arn, pool }) => (pool ? [{ arn, pool }] : []));
  const missing = named.filter(({ pool }) => pool === undefined).map(({ arn }) => arn);
  if (named.length === 0 || missing.length > 0) {
    throw unsupported(`has the Cognito authorizer ${authorizer.name} of user pools without a local pool (${missing.join(', ') || 'none named'}): pass userPools to startRestApi`);
  }
  const token = identitySourceToken(authorizer, request, where)?.replace(/^Bearer\s+/i, '');
  if (token === undefined || token === '') throw new GatewayError('UNAUTHORIZED');
  const reasons: string[] = [];
  for (const { arn, pool } of pools) {
    const result = await pool.verify(token);
    if (result.valid) return { kind: 'cognito', claims: claimStrings(result.claims) };
    reasons.push(`${arn}: ${result.reason}`);
  }
  throw new GatewayError('UNAUTHORIZED', undefined, {
    log: `${where}: Unauthorized request: the token is not a valid ID token of the authorizer's pools (${reasons.join('; ')})`,
  });
}

function userPool(pools: ReadonlyMap<string, LocalUserPool> | undefined, arn: string): LocalUserPool | undefined {
  if (!pools) return undefined;
  const poolId = /:userpool\/([^/]+)$/.exec(arn)?.[1];
  return pools.get(arn) ?? (poolId === undefined ? undefined : pools.get(poolId));
}

/**
 * Claims as `$context.authorizer.claims` holds them: strings (numbers and booleans
 * written out, anything else as JSON).
 */
function claimStrings(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [name, typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)]),
  );
}

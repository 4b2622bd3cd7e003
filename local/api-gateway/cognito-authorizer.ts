import type { LocalUserPool } from '../cognito/local-user-pool';
import { GatewayError } from './gateway-responses';
import { headerValue, type MethodRequest } from './method-request';
import type { ApiAuthorizer, ApiMethod } from './rest-api-definition';

/** The claims of a verified ID token, as `$context.authorizer.claims` holds them. */
export type Claims = Readonly<Record<string, string>>;

/**
 * A Cognito user pool authorizer: the ID token in the identity source, verified with
 * the local pools of the authorizer's provider ARNs. Anything this server cannot do
 * faithfully is refused with 500, never served open.
 *
 * @param userPools local pools by pool ARN or pool id
 * @returns the token's claims, or undefined for a method without authorization
 * @throws (rejects with) GatewayError UNAUTHORIZED (401) for a missing or invalid token
 */
export async function authorize(
  method: ApiMethod,
  request: MethodRequest,
  userPools: ReadonlyMap<string, LocalUserPool> | undefined,
  where: string,
): Promise<Claims | undefined> {
  if (method.authorization === 'NONE') return undefined;
  const unsupported = (reason: string): GatewayError =>
    new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', `authorizer not supported locally yet (${where} ${reason})`, {
      log: `${where}: ${reason}, which the local API Gateway does not support; refusing rather than serving it open`,
    });
  const authorizer = method.authorizer;
  if (method.authorization !== 'COGNITO_USER_POOLS' || authorizer?.type !== 'COGNITO_USER_POOLS') {
    throw unsupported(`has authorization ${method.authorization}${authorizer ? ` with a ${authorizer.type} authorizer` : ''}`);
  }
  if (method.authorizationScopes.length > 0) {
    throw unsupported(`requires the scopes ${method.authorizationScopes.join(', ')} of an access token`);
  }
  const named = authorizer.providerArns.map((arn) => ({ arn, pool: userPool(userPools, arn) }));
  const pools = named.flatMap(({ arn, pool }) => (pool ? [{ arn, pool }] : []));
  const missing = named.filter(({ pool }) => pool === undefined).map(({ arn }) => arn);
  if (named.length === 0 || missing.length > 0) {
    throw unsupported(`has the Cognito authorizer ${authorizer.name} of user pools without a local pool (${missing.join(', ') || 'none named'}): pass userPools to startRestApi`);
  }
  const token = identityToken(authorizer, request, where);
  if (token === undefined) throw new GatewayError('UNAUTHORIZED');
  const reasons: string[] = [];
  for (const { arn, pool } of pools) {
    const result = await pool.verify(token);
    if (result.valid) return claimStrings(result.claims);
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

/** The token from the identity source (`Bearer ` is accepted), or undefined when there is none. */
function identityToken(authorizer: ApiAuthorizer, request: MethodRequest, where: string): string | undefined {
  const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource.trim())?.[1];
  if (header === undefined) {
    throw new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', undefined, {
      log: `${where}: the identity source ${authorizer.identitySource} of authorizer ${authorizer.name} is not method.request.header.<name>`,
    });
  }
  const raw = headerValue(request.headers, header)?.trim();
  const token = raw?.replace(/^Bearer\s+/i, '');
  if (raw === undefined || token === undefined || token === '') return undefined;
  if (authorizer.identityValidationExpression !== undefined && !new RegExp(`^(?:${authorizer.identityValidationExpression})$`, 's').test(raw)) {
    return undefined;
  }
  return token;
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

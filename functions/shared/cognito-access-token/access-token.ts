/**
 * What a TOKEN authorizer learns of a caller from a Cognito access token: the claims it
 * checks itself, and the identity Cognito's GetUser vouches for.
 */

/** Who is calling, as the authorizer passes it on (`$context.authorizer.<name>`, `requestContext.authorizer`). */
export interface CallerIdentity {
  readonly sub: string;
  readonly email: string;
  readonly username: string;
}

/** Any reason to refuse the caller: API Gateway answers 401 for all of them alike. */
export class UnauthorizedError extends Error {
  constructor(readonly why: string) {
    super('Unauthorized');
    this.name = 'UnauthorizedError';
  }
}

/** The access token in an `Authorization` header, with or without the `Bearer ` scheme. */
export function tokenOfHeader(header: string | undefined): string {
  const value = (header ?? '').trim();
  const token = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw new UnauthorizedError('no JSON Web Token in the Authorization header');
  return token;
}

/**
 * The claims of a JWT, read without checking its signature. That is safe here only
 * because the token goes to Cognito's GetUser next, which refuses any token Cognito did
 * not sign, or has revoked, or that has expired; the claims checked before it (issuer,
 * token use) are what GetUser does not check.
 */
export function unverifiedClaims(token: string): Record<string, unknown> {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) return claims as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw new UnauthorizedError('the token has no readable claims');
}

/**
 * The issuer of a pool's tokens: the cognito-idp endpoint followed by the pool id, which
 * in AWS is `https://cognito-idp.<region>.amazonaws.com/<poolId>`. Locally the endpoint
 * is the local cognito-idp server's (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER), which
 * issues its tokens under its own address, as Cognito does under its.
 */
export function issuerOf(userPoolId: string, endpoint?: string): string {
  const origin = endpoint ? endpoint.replace(/\/+$/, '') : `https://cognito-idp.${regionOfUserPool(userPoolId)}.amazonaws.com`;
  return `${origin}/${userPoolId}`;
}

/** A pool id is `<region>_<suffix>`: the region its API (and GetUser) answers in. */
export function regionOfUserPool(userPoolId: string): string {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[A-Za-z0-9]+$/.exec(userPoolId);
  if (!match) throw new Error(`"${userPoolId}" is not a Cognito user pool id (e.g. "us-east-1_AbCdEf123")`);
  return match[1];
}

/** What the check needs of Cognito: GetUser's answer for an access token. */
export interface GetUserAnswer {
  readonly Username?: string;
  readonly UserAttributes?: readonly { readonly Name?: string; readonly Value?: string }[];
}

/** Cognito's error names that mean "not this token": the caller, not the authorizer, is at fault. */
const REFUSALS = new Set(['NotAuthorizedException', 'UserNotFoundException', 'UserNotConfirmedException', 'PasswordResetRequiredException']);

export interface AccessTokenCheck {
  /** The issuer the token must name: the pool's (issuerOf). */
  readonly issuer: string;
  /** Cognito GetUser with the token; it throws NotAuthorizedException for a revoked or expired one. */
  readonly getUser: (accessToken: string) => Promise<GetUserAnswer>;
}

/**
 * Who the caller is, or UnauthorizedError. The token must be an access token of the
 * pool's issuer (GetUser alone accepts any pool's tokens), and Cognito must still
 * accept it: a token revoked at sign-out is refused at once, though its signature and
 * expiry would still pass any JWT library.
 */
export async function checkAccessToken(authorization: string | undefined, check: AccessTokenCheck): Promise<CallerIdentity> {
  const token = tokenOfHeader(authorization);
  const claims = unverifiedClaims(token);
  if (claims.iss !== check.issuer) throw new UnauthorizedError(`the token is not from this pool (issuer ${JSON.stringify(claims.iss)})`);
  if (claims.token_use !== 'access') throw new UnauthorizedError(`the token is not an access token (token_use ${JSON.stringify(claims.token_use)})`);

  let user: GetUserAnswer;
  try {
    user = await check.getUser(token);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (REFUSALS.has(name)) throw new UnauthorizedError(`Cognito refused the token (${name})`);
    // Throttling or an outage: ours, not the caller's; API Gateway answers 500.
    throw error;
  }
  const attribute = (name: string) => user.UserAttributes?.find((candidate) => candidate.Name === name)?.Value;
  const sub = attribute('sub');
  if (!sub || sub !== claims.sub) throw new UnauthorizedError('Cognito names another user than the token does');
  return { sub, email: attribute('email') ?? '', username: user.Username ?? String(claims.username ?? '') };
}

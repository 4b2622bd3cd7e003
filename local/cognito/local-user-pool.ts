import { createHash, randomBytes, randomUUID, scryptSync, timingSafeEqual, type JsonWebKey } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { DEFAULT_PASSWORD_POLICY, passwordProblems, strongPassword, type PasswordPolicy } from './password-policy';
import { SigningKey } from './signing-key';

/**
 * A local stand-in for a Cognito user pool: its users (email and password), its app clients,
 * and the tokens it issues and checks as Cognito does.
 *
 * - ID and access tokens are RS256 JWTs shaped like Cognito's, signed (with `jose`) by an RSA
 *   key pair made when the pool is; refresh tokens are opaque. The key lives only in this
 *   process, so tokens of one run (or of another pool) are refused.
 * - `verify` checks an ID token as API Gateway's COGNITO_USER_POOLS authorizer does (a JWT
 *   check: a revoked ID token passes until it expires, as in AWS); `verifyAccessToken` checks
 *   an access token as Cognito's `GetUser` does, revocation included.
 * - Revoking a refresh token revokes every access token issued with it, by `origin_jti`.
 *
 * The hosted UI and the cognito-idp API in front of it are local/cognito/hosted-ui-server.ts.
 */
export interface LocalUserPoolOptions {
  /**
   * The pool as the stack declares it: its ARN
   * (`arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>`) or its id (`<region>_<suffix>`).
   */
  readonly pool: string;
  /** An app client `issueIdToken` issues to (its tokens' `aud`) unless told otherwise. @default 'local-app-client' */
  readonly clientId?: string;
  /** The clock, in milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  /** What `createUser` holds passwords to. @default Cognito's default policy */
  readonly passwordPolicy?: PasswordPolicy;
}

export interface IssueIdTokenOptions {
  readonly email: string;
  /** @default a random UUID, as Cognito's subs are */
  readonly sub?: string;
  /** The app client (`aud`). @default the pool's `clientId` */
  readonly clientId?: string;
  /** Lifetime from now; zero or less gives an already expired token. @default 3600 (Cognito's default) */
  readonly expiresInSeconds?: number;
  /**
   * More claims, or replacements for the standard ones (e.g. `cognito:groups`, or a wrong
   * `iss` or `token_use` to prove a refusal).
   */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface IssueAccessTokenOptions {
  /** Whose token it is; a user of the pool, or any sub for a test. */
  readonly sub: string;
  /** @default sub (a pool whose users sign in with their email names them by sub) */
  readonly username?: string;
  /** @default the pool's `clientId` */
  readonly clientId?: string;
  /** @default ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'] */
  readonly scopes?: readonly string[];
  /** Ties the token to a sign-in (and so to its refresh token). @default a new one */
  readonly originJti?: string;
  /** @default 3600 */
  readonly expiresInSeconds?: number;
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The claims of a verified ID token. */
export interface IdTokenClaims {
  readonly sub: string;
  readonly iss: string;
  readonly aud: string;
  readonly token_use: 'id';
  readonly exp: number;
  readonly iat: number;
  readonly email?: string;
  readonly [claim: string]: unknown;
}

/** The claims of a verified access token. */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly iss: string;
  readonly client_id: string;
  readonly token_use: 'access';
  readonly scope: string;
  readonly username: string;
  readonly origin_jti: string;
  readonly jti: string;
  readonly exp: number;
  readonly iat: number;
  readonly [claim: string]: unknown;
}

export type VerifyResult = { readonly valid: true; readonly claims: IdTokenClaims } | { readonly valid: false; readonly reason: string };

/**
 * An access token as Cognito's user pools API judges it: `refusal` picks Cognito's message
 * (see cognito-idp-api.ts); `reason` says more, for the local log.
 */
export type AccessTokenCheck =
  | { readonly valid: true; readonly claims: AccessTokenClaims; readonly user: LocalUser }
  | { readonly valid: false; readonly refusal: 'invalid' | 'expired' | 'revoked' | 'unknown-user'; readonly reason: string };

export interface LocalUser {
  /** The user name Cognito gives a user of a pool that signs in by email: the sub. */
  readonly username: string;
  readonly sub: string;
  readonly email: string;
}

export interface CreatedUser extends LocalUser {
  readonly password: string;
}

/** An app client as the stack declares it (see local/stack/app-clients.ts). */
export interface AppClient {
  readonly clientId: string;
  /** Where the hosted UI may send a person after sign-in (exact matches). */
  readonly callbackUrls: readonly string[];
  /** Where `/logout` may send a person (exact matches). */
  readonly logoutUrls: readonly string[];
  readonly allowedScopes: readonly string[];
  readonly accessTokenValiditySeconds: number;
  readonly idTokenValiditySeconds: number;
  readonly refreshTokenValiditySeconds: number;
}

export type AppClientRegistration = Pick<AppClient, 'clientId'> & Partial<Omit<AppClient, 'clientId'>>;

/** What a sign-in or a refresh gives the app client (the token endpoint's answer). */
export interface TokenSet {
  /** Only when the `openid` scope was granted, as Cognito does. */
  readonly idToken?: string;
  readonly accessToken: string;
  /** Only at sign-in: a refresh does not rotate the refresh token. */
  readonly refreshToken?: string;
  readonly expiresIn: number;
}

export interface SignInOptions {
  /** Echoed in the ID token, as OIDC asks. */
  readonly nonce?: string;
  /** When the person authenticated, in seconds (a hosted UI session keeps the first). @default now */
  readonly authTime?: number;
}

export type RefreshResult = { readonly tokens: TokenSet } | { readonly error: 'invalid_grant'; readonly reason: string };

/** `revoked` also for a token already revoked; `unknown` for one the pool never issued. */
export type RevokeResult = 'revoked' | 'unknown' | 'other-client';

const DEFAULT_CLIENT_ID = 'local-app-client';
const DEFAULT_LIFETIME_SECONDS = 3600;
const DEFAULT_REFRESH_SECONDS = 30 * 24 * 3600;
const ALL_SCOPES = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'];
const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[A-Za-z0-9]+$/;
const POOL_ARN = /^arn:[^:]+:cognito-idp:([^:]+):(\d*):userpool\/(.+)$/;

interface StoredUser extends LocalUser {
  readonly salt: Buffer;
  readonly passwordHash: Buffer;
}

interface RefreshSession {
  readonly originJti: string;
  readonly clientId: string;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly authTime: number;
  readonly expiresAt: number;
}

export class LocalUserPool {
  /** e.g. us-east-1_AbCdEf123 */
  readonly poolId: string;
  readonly region: string;
  /** When the pool was created from its ARN. */
  readonly arn?: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the pool's issuer in AWS. */
  readonly awsIssuer: string;
  /** The app client `issueIdToken` and `issueAccessToken` issue to unless told otherwise. */
  readonly clientId: string;
  readonly passwordPolicy: PasswordPolicy;
  /** The pool's clock, in milliseconds since the epoch: what token times are checked against. */
  readonly now: () => number;
  private readonly key = new SigningKey();
  private currentIssuer: string;
  private readonly users = new Map<string, StoredUser>();
  private readonly subsByEmail = new Map<string, string>();
  private readonly clients = new Map<string, AppClient>();
  private readonly refreshSessions = new Map<string, RefreshSession>();
  private readonly revokedOrigins = new Set<string>();

  /** @throws Error when `pool` is neither a user pool ARN nor a pool id */
  constructor(options: LocalUserPoolOptions) {
    const arn = POOL_ARN.exec(options.pool);
    if (arn) {
      [, this.region, , this.poolId] = arn;
      this.arn = options.pool;
    } else {
      const id = POOL_ID.exec(options.pool);
      if (!id) throw new Error(`${options.pool} is neither a user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<id>) nor a pool id (<region>_<suffix>)`);
      this.poolId = options.pool;
      this.region = id[1];
    }
    this.awsIssuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.poolId}`;
    this.currentIssuer = this.awsIssuer;
    this.clientId = options.clientId ?? DEFAULT_CLIENT_ID;
    this.now = options.now ?? Date.now;
    this.passwordPolicy = options.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;
    this.registerClient({ clientId: this.clientId });
  }

  /**
   * Every token's `iss`: the AWS issuer until a local hosted UI serves the pool, then that
   * server's `http://127.0.0.1:<port>/<poolId>`, whose discovery document and JWKS a client
   * can fetch.
   */
  get issuer(): string {
    return this.currentIssuer;
  }

  /** The `kid` of every token: the RFC 7638 thumbprint of the public key. */
  get keyId(): string {
    return this.key.keyId;
  }

  /**
   * Makes `<origin>/<poolId>` the issuer of the tokens issued from now on (and the only one
   * accepted): a local server publishes the pool there. Called by the server once it listens.
   */
  serveIssuerAt(origin: string): string {
    this.currentIssuer = `${origin.replace(/\/+$/, '')}/${this.poolId}`;
    return this.currentIssuer;
  }

  /**
   * Adds a user who signs in with `email`, as `admin-create-user` followed by
   * `admin-set-user-password --permanent` would.
   *
   * @param password @default a random one that meets the pool's policy
   * @throws Error when the email is taken or the password does not meet the policy (Cognito's words)
   */
  createUser(email: string, password: string = strongPassword(this.passwordPolicy)): CreatedUser {
    const normalized = email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(normalized)) throw new Error(`InvalidParameterException: Invalid email address format: ${email}`);
    if (this.subsByEmail.has(normalized)) throw new Error('UsernameExistsException: An account with the given email already exists.');
    const problems = passwordProblems(password, this.passwordPolicy);
    if (problems.length > 0) throw new Error(`InvalidPasswordException: Password did not conform with policy: ${problems.join('; ')}`);
    const sub = randomUUID();
    const salt = randomBytes(16);
    this.users.set(sub, { username: sub, sub, email: normalized, salt, passwordHash: hashPassword(password, salt) });
    this.subsByEmail.set(normalized, sub);
    return { username: sub, sub, email: normalized, password };
  }

  /** The user whose email and password these are; undefined for any mismatch, unknown email included. */
  authenticate(email: string, password: string): LocalUser | undefined {
    const sub = this.subsByEmail.get(email.trim().toLowerCase());
    const user = sub === undefined ? undefined : this.users.get(sub);
    // Hashing for an unknown email too keeps the answer's timing from telling who has an account.
    const salt = user?.salt ?? randomBytes(16);
    const hash = hashPassword(password, salt);
    if (user === undefined || !timingSafeEqual(hash, user.passwordHash)) return undefined;
    return publicUser(user);
  }

  user(sub: string): LocalUser | undefined {
    const user = this.users.get(sub);
    return user && publicUser(user);
  }

  /**
   * Adds (or replaces) an app client. Left out: no callback or logout URLs, no scopes,
   * and Cognito's default token lifetimes (60 minutes; refresh 30 days).
   */
  registerClient(registration: AppClientRegistration): AppClient {
    const client: AppClient = {
      callbackUrls: [],
      logoutUrls: [],
      allowedScopes: [],
      accessTokenValiditySeconds: DEFAULT_LIFETIME_SECONDS,
      idTokenValiditySeconds: DEFAULT_LIFETIME_SECONDS,
      refreshTokenValiditySeconds: DEFAULT_REFRESH_SECONDS,
      ...registration,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  appClient(clientId: string): AppClient | undefined {
    return this.clients.get(clientId);
  }

  appClients(): AppClient[] {
    return [...this.clients.values()];
  }

  /**
   * The tokens of a new sign-in: one `origin_jti` ties the access token, the ID token and
   * the refresh token together, so that revoking the refresh token revokes the others.
   */
  async signIn(user: LocalUser, clientId: string, scopes: readonly string[], options: SignInOptions = {}): Promise<TokenSet> {
    const client = this.requireClient(clientId);
    const authTime = options.authTime ?? this.nowSeconds();
    const originJti = randomUUID();
    const refreshToken = randomBytes(48).toString('base64url');
    this.refreshSessions.set(refreshToken, {
      originJti,
      clientId,
      sub: user.sub,
      scopes,
      authTime,
      expiresAt: this.now() + client.refreshTokenValiditySeconds * 1000,
    });
    const tokens = await this.tokensFor(user, client, scopes, originJti, authTime, options.nonce);
    return { ...tokens, refreshToken };
  }

  /** New ID and access tokens for a refresh token of `clientId` (the same `origin_jti`). */
  async refresh(refreshToken: string, clientId: string): Promise<RefreshResult> {
    const session = this.refreshSessions.get(refreshToken);
    const refuse = (reason: string): RefreshResult => ({ error: 'invalid_grant', reason });
    if (session === undefined) return refuse('the refresh token is not one this pool issued');
    if (session.clientId !== clientId) return refuse(`the refresh token was issued to the app client ${session.clientId}, not ${clientId}`);
    if (this.revokedOrigins.has(session.originJti)) return refuse('the refresh token has been revoked');
    if (session.expiresAt <= this.now()) return refuse(`the refresh token expired at ${new Date(session.expiresAt).toISOString()}`);
    const user = this.user(session.sub);
    if (user === undefined) return refuse('the user no longer exists');
    return { tokens: await this.tokensFor(user, this.requireClient(clientId), session.scopes, session.originJti, session.authTime) };
  }

  /** Revokes a refresh token of `clientId` and every token issued with it. */
  revokeRefreshToken(refreshToken: string, clientId: string): RevokeResult {
    const session = this.refreshSessions.get(refreshToken);
    if (session === undefined) return 'unknown';
    if (session.clientId !== clientId) return 'other-client';
    this.revokedOrigins.add(session.originJti);
    return 'revoked';
  }

  /** A signed ID token for `email`, as Cognito issues after sign-in. */
  issueIdToken(options: IssueIdTokenOptions): Promise<string> {
    const iat = this.nowSeconds();
    const sub = options.sub ?? randomUUID();
    return this.key.sign({
      sub,
      email_verified: true,
      iss: this.issuer,
      'cognito:username': sub,
      origin_jti: randomUUID(),
      aud: options.clientId ?? this.clientId,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: iat,
      exp: iat + (options.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS),
      iat,
      jti: randomUUID(),
      email: options.email,
      ...options.claims,
    });
  }

  /** A signed access token shaped like Cognito's (no `aud`: the client is `client_id`). */
  issueAccessToken(options: IssueAccessTokenOptions): Promise<string> {
    const iat = this.nowSeconds();
    return this.key.sign({
      sub: options.sub,
      iss: this.issuer,
      version: 2,
      client_id: options.clientId ?? this.clientId,
      origin_jti: options.originJti ?? randomUUID(),
      token_use: 'access',
      scope: (options.scopes ?? ALL_SCOPES).join(' '),
      auth_time: iat,
      exp: iat + (options.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS),
      iat,
      jti: randomUUID(),
      username: options.username ?? options.sub,
      ...options.claims,
    });
  }

  /**
   * Whether `token` is an unexpired ID token of this pool, for one of its app clients,
   * signed with its key; if not, why not (for the execution log, never for the client).
   */
  async verify(token: string): Promise<VerifyResult> {
    const checked = await this.key.check(token, this.now(), this.poolId);
    if (!checked.valid) return { valid: false, reason: checked.reason };
    const { claims } = checked;
    const problem =
      this.issuerProblem(claims) ??
      (claims.token_use !== 'id' ? `token_use ${JSON.stringify(claims.token_use)} is not id` : undefined) ??
      (typeof claims.aud !== 'string' || !this.clients.has(claims.aud) ? `aud ${JSON.stringify(claims.aud)} is not an app client of ${this.poolId}` : undefined) ??
      (typeof claims.sub !== 'string' || claims.sub === '' ? 'the token has no sub' : undefined);
    return problem === undefined ? { valid: true, claims: claims as unknown as IdTokenClaims } : { valid: false, reason: problem };
  }

  /**
   * Whether `token` is an access token Cognito's user pools API would accept: signed by this
   * pool, unexpired, not revoked, of a user who exists.
   */
  async verifyAccessToken(token: string): Promise<AccessTokenCheck> {
    const checked = await this.key.check(token, this.now(), this.poolId);
    if (!checked.valid) return { valid: false, refusal: checked.expired ? 'expired' : 'invalid', reason: checked.reason };
    const { claims } = checked;
    const problem =
      this.issuerProblem(claims) ??
      (claims.token_use !== 'access' ? `token_use ${JSON.stringify(claims.token_use)} is not access` : undefined) ??
      (typeof claims.client_id !== 'string' || !this.clients.has(claims.client_id) ? `client_id ${JSON.stringify(claims.client_id)} is not an app client of ${this.poolId}` : undefined) ??
      (typeof claims.sub !== 'string' || typeof claims.origin_jti !== 'string' || typeof claims.scope !== 'string' ? 'sub, origin_jti or scope is missing' : undefined);
    if (problem !== undefined) return { valid: false, refusal: 'invalid', reason: problem };
    if (this.revokedOrigins.has(claims.origin_jti as string)) return { valid: false, refusal: 'revoked', reason: 'the token was revoked (its refresh token was)' };
    const user = this.user(claims.sub as string);
    if (user === undefined) return { valid: false, refusal: 'unknown-user', reason: `the pool has no user ${String(claims.sub)}` };
    return { valid: true, claims: claims as unknown as AccessTokenClaims, user };
  }

  /** The pool's public key as Cognito publishes it (`/.well-known/jwks.json`). */
  jwks(): { keys: JsonWebKey[] } {
    return this.key.jwks();
  }

  private async tokensFor(user: LocalUser, client: AppClient, scopes: readonly string[], originJti: string, authTime: number, nonce?: string): Promise<TokenSet> {
    const accessToken = await this.issueAccessToken({
      sub: user.sub,
      username: user.username,
      clientId: client.clientId,
      scopes,
      originJti,
      expiresInSeconds: client.accessTokenValiditySeconds,
      claims: { auth_time: authTime },
    });
    if (!scopes.includes('openid')) return { accessToken, expiresIn: client.accessTokenValiditySeconds };
    const idToken = await this.issueIdToken({
      email: user.email,
      sub: user.sub,
      clientId: client.clientId,
      expiresInSeconds: client.idTokenValiditySeconds,
      claims: { 'cognito:username': user.username, origin_jti: originJti, auth_time: authTime, at_hash: accessTokenHash(accessToken), ...(nonce === undefined ? {} : { nonce }) },
    });
    return { idToken, accessToken, expiresIn: client.accessTokenValiditySeconds };
  }

  private issuerProblem(claims: JWTPayload): string | undefined {
    return claims.iss === this.issuer ? undefined : `iss ${JSON.stringify(claims.iss)} is not ${this.issuer}`;
  }

  private requireClient(clientId: string): AppClient {
    const client = this.clients.get(clientId);
    if (client === undefined) throw new Error(`${this.poolId} has no app client ${clientId}`);
    return client;
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

function hashPassword(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFKC'), salt, 32);
}

function publicUser({ username, sub, email }: StoredUser): LocalUser {
  return { username, sub, email };
}

/** OIDC's `at_hash`: the left half of the access token's SHA-256, base64url. */
function accessTokenHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

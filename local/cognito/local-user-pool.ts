import { createHash, generateKeyPairSync, randomUUID, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * A local stand-in for a Cognito user pool, as far as a COGNITO_USER_POOLS authorizer
 * sees one: it issues ID tokens (RS256 JWTs shaped like Cognito's) signed with an RSA
 * key pair generated when it is created, and verifies them as API Gateway does: the
 * signature against the pool's key, the issuer, `token_use` and the expiry.
 *
 * There is no sign-in flow and no user directory: a test, or a person running the stack
 * locally, asks for a token for an email and sends it in the Authorization header. The
 * key lives only in this process, so tokens of one run (or of another pool) are refused.
 */
export interface LocalUserPoolOptions {
  /**
   * The pool as the stack declares it: its ARN
   * (`arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>`) or its id (`<region>_<suffix>`).
   */
  readonly pool: string;
  /** The app client the tokens are issued to (their `aud`). @default 'local-app-client' */
  readonly clientId?: string;
  /** The clock, in milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

export interface IssueIdTokenOptions {
  readonly email: string;
  /** @default a random UUID, as Cognito's subs are */
  readonly sub?: string;
  /** Lifetime from now; zero or less gives an already expired token. @default 3600 (Cognito's default) */
  readonly expiresInSeconds?: number;
  /**
   * More claims, or replacements for the standard ones (e.g. `cognito:groups`, or a wrong
   * `iss` or `token_use` to prove a refusal).
   */
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

export type VerifyResult = { readonly valid: true; readonly claims: IdTokenClaims } | { readonly valid: false; readonly reason: string };

const DEFAULT_CLIENT_ID = 'local-app-client';
const DEFAULT_LIFETIME_SECONDS = 3600;
const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[A-Za-z0-9]+$/;
const POOL_ARN = /^arn:[^:]+:cognito-idp:([^:]+):(\d*):userpool\/(.+)$/;

export class LocalUserPool {
  /** e.g. us-east-1_AbCdEf123 */
  readonly poolId: string;
  readonly region: string;
  /** When the pool was created from its ARN. */
  readonly arn?: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, every token's `iss`. */
  readonly issuer: string;
  readonly clientId: string;
  /** The `kid` of every token: the RFC 7638 thumbprint of the public key. */
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly now: () => number;

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
    this.issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.poolId}`;
    this.clientId = options.clientId ?? DEFAULT_CLIENT_ID;
    this.now = options.now ?? Date.now;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.keyId = base64url(createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest());
  }

  /** A signed ID token for `email`, as Cognito issues after sign-in. */
  issueIdToken(options: IssueIdTokenOptions): string {
    const iat = Math.floor(this.now() / 1000);
    const sub = options.sub ?? randomUUID();
    const claims = {
      sub,
      email_verified: true,
      iss: this.issuer,
      'cognito:username': sub,
      origin_jti: randomUUID(),
      aud: this.clientId,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: iat,
      exp: iat + (options.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS),
      iat,
      jti: randomUUID(),
      email: options.email,
      ...options.claims,
    };
    const signingInput = `${encodeJson({ kid: this.keyId, alg: 'RS256' })}.${encodeJson(claims)}`;
    return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), this.privateKey))}`;
  }

  /**
   * Whether `token` is an unexpired ID token of this pool, for its app client, signed with
   * its key; if not, why not (for the execution log, never for the client).
   */
  verify(token: string): VerifyResult {
    const refuse = (reason: string): VerifyResult => ({ valid: false, reason });
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return refuse('not a JWT (three base64url parts)');
    const header = decodeJson(parts[0]);
    const claims = decodeJson(parts[1]);
    if (!header || !claims) return refuse('the header or the claims are not a JSON object');
    if (header.alg !== 'RS256') return refuse(`alg ${JSON.stringify(header.alg)} is not RS256`);
    if (header.kid !== this.keyId) return refuse(`kid ${JSON.stringify(header.kid)} is not a key of ${this.poolId}`);
    if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'))) {
      return refuse('the signature does not match');
    }
    if (claims.iss !== this.issuer) return refuse(`iss ${JSON.stringify(claims.iss)} is not ${this.issuer}`);
    if (claims.token_use !== 'id') return refuse(`token_use ${JSON.stringify(claims.token_use)} is not id`);
    if (claims.aud !== this.clientId) return refuse(`aud ${JSON.stringify(claims.aud)} is not an app client of ${this.poolId}`);
    if (typeof claims.sub !== 'string' || claims.sub === '') return refuse('the token has no sub');
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return refuse('exp or iat is not a number');
    if (claims.exp * 1000 <= this.now()) return refuse(`the token expired at ${new Date(claims.exp * 1000).toISOString()}`);
    return { valid: true, claims: claims as unknown as IdTokenClaims };
  }

  /** The pool's public key as Cognito publishes it (`/.well-known/jwks.json`). */
  jwks(): { keys: JsonWebKey[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: this.keyId, alg: 'RS256', use: 'sig' }] };
  }
}

function base64url(data: Buffer): string {
  return data.toString('base64url');
}

function encodeJson(value: unknown): string {
  return base64url(Buffer.from(JSON.stringify(value), 'utf8'));
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

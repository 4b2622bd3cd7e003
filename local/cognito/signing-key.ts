import { createHash, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

export type SignatureCheck = { readonly valid: true; readonly claims: JWTPayload } | { readonly valid: false; readonly reason: string; readonly expired?: true };

/**
 * A user pool's RS256 key pair, made when the pool is: it signs the pool's tokens and checks
 * a token's header, signature and times (exp, iat, nbf). Which claims a token must carry
 * beyond those is the pool's business. The JOSE work is `jose`'s; the reasons are worded
 * for the local execution log.
 */
export class SigningKey {
  /** Every token's `kid`: the RFC 7638 thumbprint of the public key, as stable as the key. */
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.keyId = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest('base64url');
  }

  sign(claims: Readonly<Record<string, unknown>>): Promise<string> {
    return new SignJWT({ ...claims }).setProtectedHeader({ kid: this.keyId, alg: 'RS256' }).sign(this.privateKey);
  }

  /** @param now the moment the token's times are checked against, in milliseconds */
  async check(token: string, now: number, poolId: string): Promise<SignatureCheck> {
    const refuse = (reason: string, expired?: true): SignatureCheck => ({ valid: false, reason, ...(expired ? { expired } : {}) });
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return refuse('not a JWT (three base64url parts)');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return refuse('the header is not a JSON object');
    }
    if (header.alg !== 'RS256') return refuse(`alg ${JSON.stringify(header.alg)} is not RS256`);
    if (header.kid !== this.keyId) return refuse(`kid ${JSON.stringify(header.kid)} is not a key of ${poolId}`);
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        currentDate: new Date(now),
        requiredClaims: ['exp', 'iat'],
      });
      return { valid: true, claims: payload };
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('the signature does not match');
      if (error instanceof errors.JWTExpired) {
        const exp = error.payload.exp;
        return refuse(`the token expired at ${typeof exp === 'number' ? new Date(exp * 1000).toISOString() : String(exp)}`, true);
      }
      if (error instanceof errors.JWTClaimValidationFailed && (error.claim === 'exp' || error.claim === 'iat')) return refuse('exp or iat is not a number');
      if (error instanceof errors.JWTInvalid && /"(exp|iat)"/.test(error.message)) return refuse('exp or iat is not a number');
      if (error instanceof errors.JOSEError) return refuse(`the token is not a valid JWT (${error.message})`);
      throw error;
    }
  }

  /** The public key as Cognito publishes it (`/.well-known/jwks.json`). */
  jwks(): { keys: JsonWebKey[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ alg: 'RS256', e: jwk.e, kid: this.keyId, kty: 'RSA', n: jwk.n, use: 'sig' }] };
  }
}

import { createPublicKey, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * RS256 tokens for the stub authority. oidc-client-ts 3.x only decodes the ID token (it checks
 * sub and nonce, not the signature), so these are signed for realism, not because the page
 * checks them. node:crypto rather than jose: jose 6 is ESM-only and this suite runs as CommonJS.
 */
export class TokenSigner {
  private readonly privateKey: KeyObject;
  readonly jwk: JsonWebKey;

  constructor(readonly kid = 'stub-key') {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  }

  sign(claims: Record<string, unknown>): string {
    const header = encode({ alg: 'RS256', typ: 'JWT', kid: this.kid });
    const payload = encode(claims);
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LocalUser } from './local-user-pool';

/** What a person agreed to at the hosted UI, and what the token request must match. */
export interface AuthorizationGrant {
  readonly user: LocalUser;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** The S256 challenge: base64url(SHA-256(verifier)). */
  readonly codeChallenge: string;
  readonly nonce?: string;
  /** When the person signed in, in seconds. */
  readonly authTime: number;
}

export interface Redemption {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

export type RedeemResult = { readonly grant: AuthorizationGrant } | { readonly error: 'invalid_grant' | 'invalid_request'; readonly reason: string };

/** Cognito's authorization codes live five minutes. */
const LIFETIME_MS = 5 * 60 * 1000;
// RFC 7636 section 4.1: 43 to 128 unreserved characters.
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

interface Issued {
  readonly grant: AuthorizationGrant;
  readonly expiresAt: number;
}

/**
 * The authorization codes of the hosted UI: single use (any redemption attempt spends the
 * code, so a wrong PKCE verifier cannot be retried), bound to the client and redirect_uri of
 * the authorization request, and checked against its S256 challenge.
 */
export class AuthorizationCodes {
  private readonly codes = new Map<string, Issued>();

  constructor(private readonly now: () => number) {}

  issue(grant: AuthorizationGrant): string {
    this.forgetExpired();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { grant, expiresAt: this.now() + LIFETIME_MS });
    return code;
  }

  redeem(code: string, redemption: Redemption): RedeemResult {
    const issued = this.codes.get(code);
    this.codes.delete(code);
    const refuse = (reason: string): RedeemResult => ({ error: 'invalid_grant', reason });
    if (issued === undefined) return refuse('the code is unknown or was used already');
    const { grant } = issued;
    if (issued.expiresAt <= this.now()) return refuse('the code expired (codes live 5 minutes)');
    if (grant.clientId !== redemption.clientId) return refuse(`the code was issued to ${grant.clientId}, not ${redemption.clientId}`);
    if (grant.redirectUri !== redemption.redirectUri) return refuse(`redirect_uri ${redemption.redirectUri} is not the authorization request's ${grant.redirectUri}`);
    if (!VERIFIER.test(redemption.codeVerifier)) return { error: 'invalid_request', reason: 'code_verifier is missing or not 43 to 128 unreserved characters' };
    const expected = Buffer.from(grant.codeChallenge);
    const actual = Buffer.from(createHash('sha256').update(redemption.codeVerifier).digest('base64url'));
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return refuse('code_verifier does not match the code_challenge (S256)');
    return { grant };
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt <= now) this.codes.delete(code);
  }
}

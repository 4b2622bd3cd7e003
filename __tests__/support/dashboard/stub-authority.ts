import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TokenSigner } from './jwt';
import { readBody, redirect, sendJson } from './http';

export const STUB_CLIENT_ID = 'dashboard-client';
export const STUB_EMAIL = 'staff@example.com';
const SUB = '1111-2222-3333';

interface PendingCode {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly nonce?: string;
}

/**
 * A stand-in for Cognito's user pool and hosted UI, just enough for oidc-client-ts: discovery
 * (without a revocation endpoint, as Cognito's), authorize (signs in at once, as Cognito does
 * with its session cookie), token (code with PKCE, refresh), revoke and logout.
 */
export class StubAuthority {
  private readonly signer = new TokenSigner();
  private readonly codes = new Map<string, PendingCode>();
  /** refresh token -> the access tokens issued with it, as Cognito links them. */
  private readonly refreshTokens = new Map<string, Set<string>>();
  /** refresh token -> when its sign-in happened: renewed ID tokens keep that auth_time, as Cognito's do. */
  private readonly authTimes = new Map<string, number>();
  private readonly revokedAccessTokens = new Set<string>();
  readonly revocations: { token: string; clientId: string }[] = [];
  readonly logouts: { clientId: string | null; logoutUri: string | null }[] = [];
  /** Seconds an access token lives; a short one makes the page renew (or fail to) at once. */
  accessTokenLifetime = 3600;
  /** When false, the refresh grant fails as it does after the refresh token was revoked. */
  refreshAllowed = true;
  /** Access tokens issued by the refresh grant, newest last. */
  readonly renewedAccessTokens: string[] = [];
  private renewalWaiters: ((accessToken: string) => void)[] = [];

  /** Resolves with the access token of the next refresh grant answered. */
  nextRenewal(): Promise<string> {
    return new Promise((resolve) => this.renewalWaiters.push(resolve));
  }

  constructor(private readonly origin: () => string) {}

  get authority(): string {
    return `${this.origin()}/idp`;
  }

  /** The API side: is this access token one the pool still honours (GetUser's check)? */
  honours(token: string | undefined): boolean {
    if (token === undefined || this.revokedAccessTokens.has(token)) return false;
    return [...this.refreshTokens.values()].some((tokens) => tokens.has(token));
  }

  /** Ends every session at once, as an expired or revoked token does for the API. */
  revokeEverything(): void {
    for (const tokens of this.refreshTokens.values()) for (const token of tokens) this.revokedAccessTokens.add(token);
  }

  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const origin = this.origin();
    if (request.method === 'GET' && url.pathname === '/idp/.well-known/openid-configuration') {
      sendJson(response, 200, {
        issuer: this.authority,
        authorization_endpoint: `${origin}/oauth2/authorize`,
        token_endpoint: `${origin}/oauth2/token`,
        userinfo_endpoint: `${origin}/oauth2/userInfo`,
        jwks_uri: `${this.authority}/.well-known/jwks.json`,
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      });
      return true;
    }
    if (request.method === 'GET' && url.pathname === '/idp/.well-known/jwks.json') {
      sendJson(response, 200, { keys: [this.signer.jwk] });
      return true;
    }
    if (request.method === 'GET' && url.pathname === '/oauth2/authorize') {
      this.authorize(response, url);
      return true;
    }
    if (request.method === 'POST' && url.pathname === '/oauth2/token') {
      this.token(response, new URLSearchParams(await readBody(request)));
      return true;
    }
    if (request.method === 'POST' && url.pathname === '/oauth2/revoke') {
      const form = new URLSearchParams(await readBody(request));
      const token = form.get('token') ?? '';
      this.revocations.push({ token, clientId: form.get('client_id') ?? '' });
      for (const access of this.refreshTokens.get(token) ?? []) this.revokedAccessTokens.add(access);
      this.refreshTokens.delete(token);
      response.writeHead(200, { 'Content-Length': '0' }).end();
      return true;
    }
    if (request.method === 'GET' && url.pathname === '/logout') {
      this.logouts.push({ clientId: url.searchParams.get('client_id'), logoutUri: url.searchParams.get('logout_uri') });
      redirect(response, url.searchParams.get('logout_uri') ?? '/');
      return true;
    }
    return false;
  }

  private authorize(response: ServerResponse, url: URL): void {
    const params = url.searchParams;
    const redirectUri = params.get('redirect_uri') ?? '';
    const problems = [
      params.get('client_id') === STUB_CLIENT_ID ? undefined : 'client_id',
      redirectUri === `${this.origin()}/callback` ? undefined : 'redirect_uri',
      params.get('response_type') === 'code' ? undefined : 'response_type',
      params.get('code_challenge_method') === 'S256' ? undefined : 'code_challenge_method',
      params.get('code_challenge') ? undefined : 'code_challenge',
      params.get('state') ? undefined : 'state',
    ].filter((problem) => problem !== undefined);
    if (problems.length > 0) {
      sendJson(response, 400, { error: 'invalid_request', error_description: `bad ${problems.join(', ')}` });
      return;
    }
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { challenge: params.get('code_challenge')!, redirectUri, nonce: params.get('nonce') ?? undefined });
    redirect(response, `${redirectUri}?${new URLSearchParams({ code, state: params.get('state')! })}`);
  }

  private token(response: ServerResponse, form: URLSearchParams): void {
    if (form.get('client_id') !== STUB_CLIENT_ID) {
      sendJson(response, 400, { error: 'invalid_client' });
      return;
    }
    if (form.get('grant_type') === 'authorization_code') {
      const pending = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (pending === undefined || pending.redirectUri !== form.get('redirect_uri') || sha256(verifier) !== pending.challenge) {
        sendJson(response, 400, { error: 'invalid_grant' });
        return;
      }
      const refreshToken = randomBytes(24).toString('hex');
      this.refreshTokens.set(refreshToken, new Set());
      this.authTimes.set(refreshToken, Math.floor(Date.now() / 1000));
      sendJson(response, 200, { ...this.issue(refreshToken, pending.nonce), refresh_token: refreshToken });
      return;
    }
    if (form.get('grant_type') === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      if (!this.refreshAllowed || !this.refreshTokens.has(refreshToken)) {
        sendJson(response, 400, { error: 'invalid_grant', error_description: 'Refresh Token has been revoked' });
        return;
      }
      // As Cognito: no new refresh token in a refresh answer.
      const renewed = this.issue(refreshToken, undefined);
      this.renewedAccessTokens.push(renewed.access_token);
      sendJson(response, 200, renewed);
      for (const waiter of this.renewalWaiters.splice(0)) waiter(renewed.access_token);
      return;
    }
    sendJson(response, 400, { error: 'unsupported_grant_type' });
  }

  private issue(refreshToken: string, nonce: string | undefined) {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.accessTokenLifetime;
    const common = { sub: SUB, iss: this.authority, iat: now, exp, auth_time: this.authTimes.get(refreshToken) ?? now };
    const idToken = this.signer.sign({
      ...common,
      aud: STUB_CLIENT_ID,
      token_use: 'id',
      email: STUB_EMAIL,
      email_verified: true,
      'cognito:username': 'staff',
      ...(nonce === undefined ? {} : { nonce }),
    });
    const accessToken = this.signer.sign({
      ...common,
      client_id: STUB_CLIENT_ID,
      token_use: 'access',
      scope: 'openid email profile aws.cognito.signin.user.admin',
      username: 'staff',
      jti: randomBytes(8).toString('hex'),
    });
    this.refreshTokens.get(refreshToken)?.add(accessToken);
    return { id_token: idToken, access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTokenLifetime };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

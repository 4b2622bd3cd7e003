/**
 * The hosted UI's OAuth 2.0 / OIDC endpoints, answering as Cognito's do:
 *
 *   GET  /oauth2/authorize   the sign-in page, or straight back with a code for a signed-in browser
 *   POST /login              the sign-in form
 *   POST /oauth2/token       authorization_code (PKCE S256) and refresh_token grants
 *   POST /oauth2/revoke      revokes a refresh token and the tokens issued with it
 *   GET  /logout             ends the hosted UI session, back to a registered logout URL
 *   GET  /oauth2/userInfo    the signed-in person's claims, for a Bearer access token
 *
 * A request the endpoint cannot trust (unknown client, unregistered redirect_uri or
 * logout_uri) is answered with a page here and sent nowhere; once the redirect_uri is known
 * to be the client's, errors go back to it as RFC 6749 says.
 */
import { AuthorizationCodes } from './authorization-codes';
import { appendCookie, type HttpExchange } from './http-exchange';
import { HostedUiSessions, SESSION_SECONDS, type PendingAuthorization } from './hosted-ui-sessions';
import type { AppClient, LocalUser, LocalUserPool, TokenSet } from './local-user-pool';
import { errorPage, pagePolicy, SIGN_IN_ERROR, signInPage } from './sign-in-page';

export interface OAuthEndpointsOptions {
  readonly pool: LocalUserPool;
  readonly now: () => number;
  /** Told why a request was refused: the answers themselves say as little as Cognito's. */
  readonly log: (line: string) => void;
}

/** Cognito's hosted UI session cookie. */
const SESSION_COOKIE = 'cognito';
/** Ties a sign-in form to the browser that loaded it (see HostedUiSessions). */
const BROWSER_COOKIE = 'XSRF-TOKEN';
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'unsupported_token_type';

export class OAuthEndpoints {
  private readonly pool: LocalUserPool;
  private readonly codes: AuthorizationCodes;
  private readonly sessions: HostedUiSessions;
  private readonly log: (line: string) => void;

  constructor(options: OAuthEndpointsOptions) {
    this.pool = options.pool;
    this.codes = new AuthorizationCodes(options.now);
    this.sessions = new HostedUiSessions(options.now);
    this.log = options.log;
  }

  async authorize(exchange: HttpExchange): Promise<void> {
    const query = exchange.url.searchParams;
    const clientId = query.get('client_id') ?? '';
    const client = this.pool.appClient(clientId);
    if (client === undefined || client.callbackUrls.length === 0) {
      return this.refusePage(exchange, 400, `client_id ${JSON.stringify(clientId)} is not an app client of this user pool with a callback URL.`);
    }
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!client.callbackUrls.includes(redirectUri)) {
      return this.refusePage(exchange, 400, `redirect_uri ${JSON.stringify(redirectUri)} is not one of the app client's callback URLs.`);
    }
    const state = query.get('state') ?? undefined;
    const back = (error: string, description: string): void => {
      this.log(`authorize: ${error}: ${description}`);
      exchange.redirect(withQuery(redirectUri, { error, error_description: description, state }));
    };
    if (query.get('response_type') !== 'code') return back('unsupported_response_type', 'response_type must be code');
    const requested = (query.get('scope') ?? '').split(/\s+/).filter((scope) => scope !== '');
    const scopes = requested.length === 0 ? client.allowedScopes : requested;
    const foreign = scopes.filter((scope) => !client.allowedScopes.includes(scope));
    if (foreign.length > 0) return back('invalid_scope', `the app client may not ask for ${foreign.join(' ')}`);
    if (query.get('code_challenge_method') !== 'S256') return back('invalid_request', 'code_challenge_method must be S256 (PKCE is required for this public client)');
    const codeChallenge = query.get('code_challenge') ?? '';
    if (!CODE_CHALLENGE.test(codeChallenge)) return back('invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier');
    const authorization: PendingAuthorization = { clientId, redirectUri, scopes, codeChallenge, state, nonce: query.get('nonce') ?? undefined };

    const prompt = query.get('prompt');
    const session = prompt === 'login' ? undefined : this.sessions.session(exchange.cookie(SESSION_COOKIE));
    if (session !== undefined) return this.returnWithCode(exchange, authorization, session.user, session.authTime);
    if (prompt === 'none') return back('login_required', 'nobody is signed in to the hosted UI in this browser');
    this.showForm(exchange, authorization, {});
  }

  async login(exchange: HttpExchange): Promise<void> {
    const form = await exchange.form();
    if (form === undefined) return this.refusePage(exchange, 400, 'The sign-in form must be posted as a form.');
    const authorization = this.sessions.takeForm(form.get('_csrf') ?? '', exchange.cookie(BROWSER_COOKIE));
    if (authorization === undefined) {
      return this.refusePage(exchange, 403, 'This sign-in form has expired, was used already, or was opened in another browser.');
    }
    const email = form.get('username') ?? '';
    const user = this.pool.authenticate(email, form.get('password') ?? '');
    if (user === undefined) {
      this.log(`login: refused ${JSON.stringify(email)} (no such user, or a wrong password)`);
      return this.showForm(exchange, authorization, { email, error: SIGN_IN_ERROR });
    }
    // A new session id at every sign-in, so that a session id planted before it is worth nothing.
    this.sessions.endSession(exchange.cookie(SESSION_COOKIE));
    const sessionId = this.sessions.startSession(user);
    appendCookie(exchange, `${SESSION_COOKIE}=${sessionId}; Path=/; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Lax`);
    const session = this.sessions.session(sessionId);
    this.returnWithCode(exchange, authorization, user, session?.authTime ?? 0);
  }

  async token(exchange: HttpExchange): Promise<void> {
    const form = await exchange.form();
    if (form === undefined) return this.refuse(exchange, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    const client = this.clientOf(exchange, form);
    if (typeof client === 'string') return this.refuse(exchange, 'invalid_client', client);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const redeemed = this.codes.redeem(form.get('code') ?? '', {
        clientId: client.clientId,
        redirectUri: form.get('redirect_uri') ?? '',
        codeVerifier: form.get('code_verifier') ?? '',
      });
      if ('error' in redeemed) return this.refuse(exchange, redeemed.error, redeemed.reason);
      const { grant } = redeemed;
      const tokens = await this.pool.signIn(grant.user, client.clientId, grant.scopes, { nonce: grant.nonce, authTime: grant.authTime });
      return exchange.json(200, tokenResponse(tokens));
    }
    if (grantType === 'refresh_token') {
      const refreshed = await this.pool.refresh(form.get('refresh_token') ?? '', client.clientId);
      if ('error' in refreshed) return this.refuse(exchange, refreshed.error, refreshed.reason);
      return exchange.json(200, tokenResponse(refreshed.tokens));
    }
    this.refuse(exchange, 'unsupported_grant_type', `grant_type ${JSON.stringify(grantType)} is not authorization_code or refresh_token`);
  }

  async revoke(exchange: HttpExchange): Promise<void> {
    const form = await exchange.form();
    if (form === undefined) return this.refuse(exchange, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    const client = this.clientOf(exchange, form);
    if (typeof client === 'string') return this.refuse(exchange, 'invalid_client', client);
    const token = form.get('token') ?? '';
    if (token === '') return this.refuse(exchange, 'invalid_request', 'token is missing');
    // Cognito revokes refresh tokens only; the access tokens go with them.
    if (JWT.test(token)) return this.refuse(exchange, 'unsupported_token_type', 'only a refresh token can be revoked');
    const result = this.pool.revokeRefreshToken(token, client.clientId);
    if (result === 'other-client') return this.refuse(exchange, 'unauthorized_client', `the token was not issued to ${client.clientId}`);
    // RFC 7009: an unknown token is answered as a revoked one.
    if (result === 'unknown') this.log('revoke: the token is not one this pool issued (answered 200, as RFC 7009 asks)');
    exchange.send(200, '', undefined);
  }

  logout(exchange: HttpExchange): void {
    const query = exchange.url.searchParams;
    const clientId = query.get('client_id') ?? '';
    const client = this.pool.appClient(clientId);
    if (client === undefined) return this.refusePage(exchange, 400, `client_id ${JSON.stringify(clientId)} is not an app client of this user pool.`);
    const logoutUri = query.get('logout_uri');
    if (logoutUri === null) {
      return this.refusePage(exchange, 400, 'logout_uri is missing (the local hosted UI does not support signing out with redirect_uri and response_type).');
    }
    if (!client.logoutUrls.includes(logoutUri)) {
      return this.refusePage(exchange, 400, `logout_uri ${JSON.stringify(logoutUri)} is not one of the app client's sign-out URLs.`);
    }
    this.sessions.endSession(exchange.cookie(SESSION_COOKIE));
    appendCookie(exchange, `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    exchange.redirect(logoutUri);
  }

  async userInfo(exchange: HttpExchange): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(exchange.header('authorization')?.trim() ?? '')?.[1];
    const refuse = (description: string, reason: string): void => {
      this.log(`userInfo: ${reason}`);
      exchange.setHeader('WWW-Authenticate', `Bearer error="invalid_token", error_description="${description}"`);
      exchange.json(401, { error: 'invalid_token', error_description: description });
    };
    if (token === undefined) return refuse('Access token is missing', 'no Bearer token in Authorization');
    const checked = await this.pool.verifyAccessToken(token);
    if (!checked.valid) return refuse(checked.refusal === 'expired' ? 'Access token is expired' : checked.refusal === 'revoked' ? 'Access token has been revoked' : 'Invalid access token', checked.reason);
    const scopes = checked.claims.scope.split(' ');
    if (!scopes.includes('openid')) return refuse('Access token does not contain openid scope', 'the token has no openid scope');
    const { user } = checked;
    exchange.json(200, {
      sub: user.sub,
      ...(scopes.includes('email') ? { email_verified: 'true', email: user.email } : {}),
      username: user.username,
    });
  }

  private showForm(exchange: HttpExchange, authorization: PendingAuthorization, shown: { email?: string; error?: string }): void {
    let browser = exchange.cookie(BROWSER_COOKIE);
    if (browser === undefined || !/^[A-Za-z0-9_-]{32}$/.test(browser)) {
      browser = HostedUiSessions.newBrowserValue();
      appendCookie(exchange, `${BROWSER_COOKIE}=${browser}; Path=/; HttpOnly; SameSite=Lax`);
    }
    const formToken = this.sessions.openForm(authorization, browser);
    exchange.html(200, signInPage({ formToken, ...shown }), pagePolicy([new URL(authorization.redirectUri).origin]));
  }

  private returnWithCode(exchange: HttpExchange, authorization: PendingAuthorization, user: LocalUser, authTime: number): void {
    const code = this.codes.issue({
      user,
      clientId: authorization.clientId,
      redirectUri: authorization.redirectUri,
      scopes: authorization.scopes,
      codeChallenge: authorization.codeChallenge,
      nonce: authorization.nonce,
      authTime,
    });
    exchange.redirect(withQuery(authorization.redirectUri, { code, state: authorization.state }));
  }

  /** The app client making a token or revoke request (public: its id in the body, or in Basic auth with an empty secret); else why not. */
  private clientOf(exchange: HttpExchange, form: URLSearchParams): AppClient | string {
    const basic = /^Basic\s+(\S+)$/i.exec(exchange.header('authorization') ?? '')?.[1];
    let clientId = form.get('client_id') ?? undefined;
    if (basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const [id, secret] = [decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)];
      if (decoded.indexOf(':') < 0 || secret !== '') return 'the local app clients are public: they have no secret';
      if (clientId !== undefined && clientId !== id) return 'client_id differs from the one in Authorization';
      clientId = id;
    }
    if (clientId === undefined) return 'client_id is missing';
    return this.pool.appClient(clientId) ?? `${clientId} is not an app client of this user pool`;
  }

  private refuse(exchange: HttpExchange, error: OAuthError, reason: string): void {
    this.log(`${exchange.url.pathname}: ${error}: ${reason}`);
    // Cognito answers the error code alone.
    exchange.json(error === 'invalid_client' && exchange.header('authorization') !== undefined ? 401 : 400, { error });
  }

  private refusePage(exchange: HttpExchange, status: number, message: string): void {
    this.log(`${exchange.url.pathname}: refused: ${message}`);
    exchange.html(status, errorPage(message), pagePolicy());
  }
}

function tokenResponse(tokens: TokenSet): Record<string, unknown> {
  return {
    ...(tokens.idToken === undefined ? {} : { id_token: tokens.idToken }),
    access_token: tokens.accessToken,
    ...(tokens.refreshToken === undefined ? {} : { refresh_token: tokens.refreshToken }),
    expires_in: tokens.expiresIn,
    token_type: 'Bearer',
  };
}

function withQuery(uri: string, parameters: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

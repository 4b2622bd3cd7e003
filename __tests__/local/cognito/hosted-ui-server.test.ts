import { createHash, randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { InMemoryWebStorage, OidcClient, WebStorageStateStore, type RefreshState } from 'oidc-client-ts';
import { startLocalHostedUi, type RunningLocalHostedUi } from '../../../local/cognito/hosted-ui-server';
import { LocalUserPool, type CreatedUser } from '../../../local/cognito/local-user-pool';

const POOL_ID = 'us-east-1_LocalTest';
const APP = 'http://localhost:8080';
const CALLBACK = `${APP}/callback`;
const SCOPES = 'openid email profile aws.cognito.signin.user.admin';
const ENDPOINT_VARIABLE = 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER';

/** A browser as far as the hosted UI sees one: it keeps cookies and follows no redirect by itself. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Submits the sign-in form of `page` (its hidden token included), as pressing "Sign in" would. */
  submitSignIn(server: RunningLocalHostedUi, page: string, email: string, password: string): Promise<Response> {
    const body = new URLSearchParams({ _csrf: formToken(page), username: email, password });
    return this.request(`${server.url}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  }
}

function formToken(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (token === undefined) throw new Error(`No sign-in form in:\n${page}`);
  return token;
}

/** HTML text as a person reads it (the pages escape quotes as numeric references). */
function textOf(html: string): string {
  return html.replace(/&#(\d+);/g, (_reference, code: string) => String.fromCharCode(Number(code)));
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
});

describe('the local hosted UI and cognito-idp endpoint', () => {
  let skewMs = 0;
  const now = () => Date.now() + skewMs;
  let pool: LocalUserPool;
  let staff: CreatedUser;
  let server: RunningLocalHostedUi;
  let log: string[];

  beforeAll(async () => {
    pool = new LocalUserPool({ pool: POOL_ID, now, passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true } });
    pool.registerClient({ clientId: 'web', callbackUrls: [CALLBACK], logoutUrls: [`${APP}/`], allowedScopes: SCOPES.split(' ') });
    pool.registerClient({ clientId: 'narrow', callbackUrls: ['http://localhost:9090/cb'], logoutUrls: [], allowedScopes: ['openid'] });
    staff = pool.createUser('staff@example.com');
    log = [];
    server = await startLocalHostedUi({ pool, log: (line) => log.push(line) });
  });

  afterAll(() => server.stop());

  beforeEach(() => {
    skewMs = 0;
    log.length = 0;
  });

  /** oidc-client-ts's OidcClient, as the page configures its UserManager. */
  const oidcClient = () =>
    new OidcClient({
      authority: server.issuer,
      client_id: 'web',
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: SCOPES,
      stateStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    });

  /** authorize -> sign-in page -> login -> the callback URL with a code (straight back if the browser is signed in). */
  async function signIn(browser: Browser, authorizeUrl: string): Promise<URL> {
    const page = await browser.request(authorizeUrl);
    if (page.status === 302) return new URL(page.headers.get('location')!);
    expect(page.status).toBe(200);
    const signedIn = await browser.submitSignIn(server, await page.text(), staff.email, staff.password);
    expect(signedIn.status).toBe(302);
    return new URL(signedIn.headers.get('location')!);
  }

  const authorizeUrl = (parameters: Record<string, string>): string =>
    `${server.url}/oauth2/authorize?${new URLSearchParams({ client_id: 'web', redirect_uri: CALLBACK, response_type: 'code', scope: SCOPES, code_challenge_method: 'S256', ...parameters })}`;

  async function codeFor(browser: Browser, challenge: string): Promise<string> {
    const back = await signIn(browser, authorizeUrl({ code_challenge: challenge, state: 's1' }));
    return back.searchParams.get('code')!;
  }

  it('serves a pool from one server at a time (a pool has one issuer)', async () => {
    await expect(startLocalHostedUi({ pool })).rejects.toThrow(/already serves us-east-1_LocalTest/);
  });

  it('publishes discovery and JWKS under its local issuer, with the endpoints on this server', async () => {
    expect(server.issuer).toBe(`${server.url}/${POOL_ID}`);
    expect(pool.issuer).toBe(server.issuer);
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;

    expect(discovery).toMatchObject({
      issuer: server.issuer,
      authorization_endpoint: `${server.url}/oauth2/authorize`,
      token_endpoint: `${server.url}/oauth2/token`,
      revocation_endpoint: `${server.url}/oauth2/revoke`,
      userinfo_endpoint: `${server.url}/oauth2/userInfo`,
      end_session_endpoint: `${server.url}/logout`,
      jwks_uri: `${server.issuer}/.well-known/jwks.json`,
    });
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: pool.keyId })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs in with oidc-client-ts: authorize, the sign-in page, login, then the code with its PKCE verifier', async () => {
    const client = oidcClient();
    const browser = new Browser();
    const request = await client.createSigninRequest({});

    const back = await signIn(browser, request.url);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    const response = await client.processSigninResponse(back.toString());

    expect(response.profile).toMatchObject({ sub: staff.sub, email: 'staff@example.com', iss: server.issuer, aud: 'web' });
    expect(response.refresh_token).toEqual(expect.any(String));
    const access = decodeJwt(response.access_token);
    expect(access).toMatchObject({ token_use: 'access', client_id: 'web', username: staff.sub, sub: staff.sub, iss: server.issuer, scope: SCOPES });
    expect(access).not.toHaveProperty('aud');
    expect(access.origin_jti).toBe(decodeJwt(response.id_token!).origin_jti);
    // Whoever verifies the tokens finds the key from the issuer alone.
    const keys = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
    await expect(jwtVerify(response.id_token!, keys, { issuer: server.issuer, audience: 'web' })).resolves.toBeDefined();
    await expect(jwtVerify(response.access_token, keys, { issuer: server.issuer })).resolves.toBeDefined();
  });

  it("renews and revokes with oidc-client-ts's own requests, as the page's silent renewal and sign-out make them", async () => {
    const client = oidcClient();
    const request = await client.createSigninRequest({});
    const signedIn = await client.processSigninResponse((await signIn(new Browser(), request.url)).toString());
    skewMs = 1000;

    const renewed = await client.useRefreshToken({
      // What UserManager keeps of a signed-in user (the class itself is not exported).
      state: { refresh_token: signedIn.refresh_token!, id_token: signedIn.id_token, session_state: null, scope: signedIn.scope, profile: signedIn.profile } as RefreshState,
    });
    expect(renewed.access_token).not.toBe(signedIn.access_token);
    expect(renewed.profile.sub).toBe(staff.sub);
    await client.revokeToken(signedIn.refresh_token!, 'refresh_token');

    for (const token of [signedIn.access_token, renewed.access_token]) {
      expect(await pool.verifyAccessToken(token)).toMatchObject({ valid: false, refusal: 'revoked' });
    }
    // Cognito revokes refresh tokens only (their access tokens go with them): the page must
    // set UserManager's revokeTokenTypes to ['refresh_token'], not its default of both.
    await expect(client.revokeToken(renewed.access_token, 'access_token')).rejects.toThrow(/unsupported_token_type/);
  });

  it('shows an accessible sign-in page with no inline script or style, under a strict CSP', async () => {
    const browser = new Browser();
    const page = await browser.request(authorizeUrl({ code_challenge: pkce().challenge }));
    const html = await page.text();

    expect(page.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${APP}; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<label for="email">Email<\/label>/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(html).not.toMatch(/<script|style=|<style|\son[a-z]+=/i);
    const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1];
    const css = await fetch(`${server.url}${stylesheet}`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(page.headers.getSetCookie()).toEqual([expect.stringMatching(/^XSRF-TOKEN=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/)]);
  });

  it('says "Incorrect username or password." for a wrong password and for an unknown email alike, and sends nobody back', async () => {
    const browser = new Browser();
    const first = await (await browser.request(authorizeUrl({ code_challenge: pkce().challenge }))).text();

    const wrongPassword = await browser.submitSignIn(server, first, staff.email, `${staff.password}x`);
    const again = await wrongPassword.text();
    const unknown = await browser.submitSignIn(server, again, 'nobody@example.com', staff.password);

    for (const [answer, html] of [
      [wrongPassword, again],
      [unknown, await unknown.text()],
    ] as const) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('location')).toBeNull();
      expect(html).toContain('<p id="sign-in-error" class="error" role="alert">Incorrect username or password.</p>');
    }
    expect(again).toContain('value="staff@example.com"');
    expect(log).toEqual([expect.stringMatching(/login: refused "staff@example.com"/), expect.stringMatching(/login: refused "nobody@example.com"/)]);
  });

  it('keeps the sign-in for the session: a later authorize goes straight back with a code, as the hosted UI does', async () => {
    const browser = new Browser();
    await signIn(browser, authorizeUrl({ code_challenge: pkce().challenge }));

    const again = await browser.request(authorizeUrl({ code_challenge: pkce().challenge, state: 'second' }));
    expect(again.status).toBe(302);
    const back = new URL(again.headers.get('location')!);
    expect(back.searchParams.get('code')).toEqual(expect.any(String));
    expect(back.searchParams.get('state')).toBe('second');

    const forced = await browser.request(authorizeUrl({ code_challenge: pkce().challenge, prompt: 'login' }));
    expect(forced.status).toBe(200);
    const noneWithout = await new Browser().request(authorizeUrl({ code_challenge: pkce().challenge, prompt: 'none', state: 'n' }));
    expect(new URL(noneWithout.headers.get('location')!).searchParams.get('error')).toBe('login_required');
  });

  it('refuses a wrong PKCE verifier, and the code is spent by the attempt', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(new Browser(), challenge);
    const exchange = (codeVerifier: string) =>
      fetch(`${server.url}/oauth2/token`, form({ grant_type: 'authorization_code', client_id: 'web', code, redirect_uri: CALLBACK, code_verifier: codeVerifier }));

    const wrong = await exchange(pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
    expect(await (await exchange(verifier)).json()).toEqual({ error: 'invalid_grant' });
    expect(log).toEqual([expect.stringMatching(/code_verifier does not match/), expect.stringMatching(/unknown or was used already/)]);
  });

  it('refuses a code used twice, for another redirect_uri or client, or after five minutes', async () => {
    const exchange = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
      fetch(`${server.url}/oauth2/token`, form({ grant_type: 'authorization_code', client_id: 'web', code, redirect_uri: CALLBACK, code_verifier: verifier, ...overrides }));
    const browser = new Browser();
    const first = pkce();
    const code = await codeFor(browser, first.challenge);
    expect((await exchange(code, first.verifier)).status).toBe(200);
    expect(await (await exchange(code, first.verifier)).json()).toEqual({ error: 'invalid_grant' });

    const second = pkce();
    expect(await (await exchange(await codeFor(browser, second.challenge), second.verifier, { redirect_uri: `${APP}/other` })).json()).toEqual({ error: 'invalid_grant' });
    expect(await (await exchange(await codeFor(browser, second.challenge), second.verifier, { client_id: 'narrow' })).json()).toEqual({ error: 'invalid_grant' });
    expect(await (await exchange(await codeFor(browser, second.challenge), '')).json()).toEqual({ error: 'invalid_request' });

    const late = await codeFor(browser, second.challenge);
    skewMs = 5 * 60 * 1000;
    expect(await (await exchange(late, second.verifier)).json()).toEqual({ error: 'invalid_grant' });
    expect(log.at(-1)).toMatch(/the code expired/);
  });

  it.each([
    ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/callback' }, /redirect_uri "https:\/\/evil.example\/callback" is not one of/],
    ['a redirect_uri that only starts like a registered one', { redirect_uri: `${CALLBACK}/../../evil` }, /is not one of the app client's callback URLs/],
    ['an unknown client', { client_id: 'nobody' }, /client_id "nobody" is not an app client/],
  ])('refuses %s with a page of its own, before any sign-in form, sending the browser nowhere', async (_case, parameters, message) => {
    const answer = await new Browser().request(authorizeUrl({ code_challenge: pkce().challenge, ...parameters }));
    const html = textOf(await answer.text());

    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
    expect(html).not.toContain('_csrf');
    expect(html).toMatch(message);
  });

  it.each([
    ['no PKCE', { code_challenge_method: '' }, 'invalid_request'],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['the implicit flow', { response_type: 'token' }, 'unsupported_response_type'],
    ['a scope the client may not ask for', { scope: 'openid phone' }, 'invalid_scope'],
  ])('sends %s back to the (registered) redirect_uri with the error and the state', async (_case, parameters, error) => {
    const answer = await new Browser().request(authorizeUrl({ code_challenge: pkce().challenge, state: 'xyz', ...parameters }));
    const back = new URL(answer.headers.get('location')!);

    expect(answer.status).toBe(302);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get('error')).toBe(error);
    expect(back.searchParams.get('state')).toBe('xyz');
  });

  it('refuses a login post without the form token, or from another browser (CSRF)', async () => {
    const browser = new Browser();
    const page = await (await browser.request(authorizeUrl({ code_challenge: pkce().challenge }))).text();

    const elsewhere = await new Browser().submitSignIn(server, page, staff.email, staff.password);
    const forged = await browser.request(`${server.url}/login`, form({ _csrf: 'guessed', username: staff.email, password: staff.password }));

    for (const answer of [elsewhere, forged]) {
      expect(answer.status).toBe(403);
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.headers.getSetCookie().filter((cookie) => cookie.startsWith('cognito='))).toEqual([]);
    }
    // The form itself still works in its own browser, once.
    expect((await browser.submitSignIn(server, page, staff.email, staff.password)).status).toBe(302);
    expect((await browser.submitSignIn(server, page, staff.email, staff.password)).status).toBe(403);
  });

  describe('after sign-in', () => {
    const previousEndpoint = process.env[ENDPOINT_VARIABLE];
    let cognito: CognitoIdentityProviderClient;

    beforeAll(() => {
      // The SDK finds the local endpoint as a deployed function's would find AWS: by configuration, unchanged code.
      process.env[ENDPOINT_VARIABLE] = server.cognitoIdpEndpoint;
      cognito = new CognitoIdentityProviderClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    });

    afterAll(() => {
      cognito.destroy();
      if (previousEndpoint === undefined) delete process.env[ENDPOINT_VARIABLE];
      else process.env[ENDPOINT_VARIABLE] = previousEndpoint;
    });

    async function tokens(): Promise<{ access_token: string; id_token: string; refresh_token: string }> {
      const { verifier, challenge } = pkce();
      const code = await codeFor(new Browser(), challenge);
      const answer = await fetch(`${server.url}/oauth2/token`, form({ grant_type: 'authorization_code', client_id: 'web', code, redirect_uri: CALLBACK, code_verifier: verifier }));
      expect(answer.status).toBe(200);
      return (await answer.json()) as { access_token: string; id_token: string; refresh_token: string };
    }

    const getUser = (accessToken: string) => cognito.send(new GetUserCommand({ AccessToken: accessToken }));
    const refresh = (refreshToken: string) => fetch(`${server.url}/oauth2/token`, form({ grant_type: 'refresh_token', client_id: 'web', refresh_token: refreshToken }));

    it('answers GetUser through the real SDK, and userInfo', async () => {
      const { access_token } = await tokens();

      const user = await getUser(access_token);
      expect(user.Username).toBe(staff.sub);
      expect(user.UserAttributes).toEqual([
        { Name: 'sub', Value: staff.sub },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'email', Value: 'staff@example.com' },
      ]);
      const info = await fetch(`${server.url}/oauth2/userInfo`, { headers: { Authorization: `Bearer ${access_token}` } });
      expect(await info.json()).toEqual({ sub: staff.sub, email: 'staff@example.com', email_verified: 'true', username: staff.sub });
      const anonymous = await fetch(`${server.url}/oauth2/userInfo`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });

    it('refreshes: new ID and access tokens of the same sign-in, no new refresh token', async () => {
      const first = await tokens();
      skewMs = 1000;

      const answer = await refresh(first.refresh_token);
      const renewed = (await answer.json()) as Record<string, string>;

      expect(answer.status).toBe(200);
      expect(Object.keys(renewed).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'token_type']);
      expect(renewed.access_token).not.toBe(first.access_token);
      expect(decodeJwt(renewed.access_token).origin_jti).toBe(decodeJwt(first.access_token).origin_jti);
      expect((await getUser(renewed.access_token)).Username).toBe(staff.sub);
      expect(await (await fetch(`${server.url}/oauth2/token`, form({ grant_type: 'refresh_token', client_id: 'narrow', refresh_token: first.refresh_token }))).json()).toEqual({
        error: 'invalid_grant',
      });
    });

    it('revokes: the refresh token and every access token issued with it are refused afterwards', async () => {
      const signIn1 = await tokens();
      const renewed = (await (await refresh(signIn1.refresh_token)).json()) as { access_token: string };
      const otherSignIn = await tokens();

      const revoked = await fetch(`${server.url}/oauth2/revoke`, form({ token: signIn1.refresh_token, client_id: 'web' }));

      expect(revoked.status).toBe(200);
      for (const accessToken of [signIn1.access_token, renewed.access_token]) {
        await expect(getUser(accessToken)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has been revoked', $metadata: { httpStatusCode: 400 } });
      }
      expect(await (await refresh(signIn1.refresh_token)).json()).toEqual({ error: 'invalid_grant' });
      // Another sign-in of the same person is untouched.
      expect((await getUser(otherSignIn.access_token)).Username).toBe(staff.sub);
      // The ID token stays a valid JWT, as in AWS: why the APIs' authorizer calls GetUser with the access token.
      expect((await pool.verify(signIn1.id_token)).valid).toBe(true);
    });

    it('refuses to revoke an access token or another client\'s refresh token', async () => {
      const { access_token, refresh_token } = await tokens();

      expect(await (await fetch(`${server.url}/oauth2/revoke`, form({ token: access_token, client_id: 'web' }))).json()).toEqual({ error: 'unsupported_token_type' });
      expect(await (await fetch(`${server.url}/oauth2/revoke`, form({ token: refresh_token, client_id: 'narrow' }))).json()).toEqual({ error: 'unauthorized_client' });
      expect((await getUser(access_token)).Username).toBe(staff.sub);
    });

    it('refuses expired, foreign and malformed tokens at GetUser in Cognito\'s words', async () => {
      const { access_token, id_token } = await tokens();
      const otherPool = new LocalUserPool({ pool: POOL_ID });
      otherPool.serveIssuerAt(server.url);
      const refusal = (message: string) => ({ name: 'NotAuthorizedException', message });

      await expect(getUser(await otherPool.issueAccessToken({ sub: staff.sub }))).rejects.toMatchObject(refusal('Invalid Access Token'));
      await expect(getUser(id_token)).rejects.toMatchObject(refusal('Invalid Access Token'));
      await expect(getUser('not-a-token')).rejects.toMatchObject(refusal('Invalid Access Token'));
      await expect(getUser(await pool.issueAccessToken({ sub: staff.sub, clientId: 'web', scopes: ['openid'] }))).rejects.toMatchObject(
        refusal('Access Token does not have required scopes'),
      );
      skewMs = 3600 * 1000;
      await expect(getUser(access_token)).rejects.toMatchObject(refusal('Access Token has expired'));
    });

    it('answers the API the way AWS JSON 1.1 clients expect errors', async () => {
      const answer = await fetch(server.cognitoIdpEndpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GetUser' },
        body: JSON.stringify({ AccessToken: 'nope' }),
      });

      expect(answer.status).toBe(400);
      expect(answer.headers.get('x-amzn-errortype')).toMatch(/^NotAuthorizedException:/);
      expect(await answer.json()).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' });
      const other = await fetch(server.cognitoIdpEndpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUsers' },
        body: '{}',
      });
      expect(await other.json()).toMatchObject({ __type: 'UnknownOperationException' });
    });
  });

  describe('logout', () => {
    it('refuses a logout_uri that is not one of the client\'s, keeping the session', async () => {
      const browser = new Browser();
      await signIn(browser, authorizeUrl({ code_challenge: pkce().challenge }));

      const foreign = await browser.request(`${server.url}/logout?${new URLSearchParams({ client_id: 'web', logout_uri: 'https://evil.example/' })}`);

      expect(foreign.status).toBe(400);
      expect(foreign.headers.get('location')).toBeNull();
      expect(textOf(await foreign.text())).toMatch(/logout_uri "https:\/\/evil.example\/" is not one of the app client's sign-out URLs/);
      expect((await browser.request(authorizeUrl({ code_challenge: pkce().challenge }))).status).toBe(302);
    });

    it('ends the session, clears its cookie and returns to the logout URL; the next authorize shows the form', async () => {
      const browser = new Browser();
      await signIn(browser, authorizeUrl({ code_challenge: pkce().challenge }));

      const out = await browser.request(`${server.url}/logout?${new URLSearchParams({ client_id: 'web', logout_uri: `${APP}/` })}`);

      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe(`${APP}/`);
      expect(out.headers.getSetCookie()).toEqual(['cognito=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
      expect((await browser.request(authorizeUrl({ code_challenge: pkce().challenge }))).status).toBe(200);
    });
    it("signs out with oidc-client-ts's end-session request, given Cognito's logout_uri", async () => {
      const browser = new Browser();
      const client = oidcClient();
      const request = await client.createSigninRequest({});
      const signedIn = await client.processSigninResponse((await signIn(browser, request.url)).toString());

      const signout = await client.createSignoutRequest({ id_token_hint: signedIn.id_token, extraQueryParams: { client_id: 'web', logout_uri: `${APP}/` } });
      const out = await browser.request(signout.url);

      expect(new URL(signout.url).pathname).toBe('/logout');
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe(`${APP}/`);
      expect((await browser.request(authorizeUrl({ code_challenge: pkce().challenge }))).status).toBe(200);
    });
  });

  describe('CORS', () => {
    const preflight = (path: string, origin: string) =>
      fetch(`${server.url}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });

    it.each(['/oauth2/token', '/oauth2/revoke', '/oauth2/userInfo', `/${POOL_ID}/.well-known/openid-configuration`, `/${POOL_ID}/.well-known/jwks.json`])(
      'answers %s for a callback origin, preflight included, and nothing for others',
      async (path) => {
        const allowed = await preflight(path, APP);
        expect(allowed.status).toBe(204);
        expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
        expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);

        const foreign = await preflight(path, 'https://evil.example');
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      },
    );

    it('adds the header to the answers themselves, for the calling origin only', async () => {
      const discovery = `${server.issuer}/.well-known/openid-configuration`;
      expect((await fetch(discovery, { headers: { Origin: 'http://localhost:9090' } })).headers.get('access-control-allow-origin')).toBe('http://localhost:9090');
      expect((await fetch(discovery, { headers: { Origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
      const token = await fetch(`${server.url}/oauth2/token`, { ...form({ grant_type: 'refresh_token', client_id: 'web', refresh_token: 'x' }), headers: { Origin: APP, 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(token.headers.get('access-control-allow-origin')).toBe(APP);
      const api = await fetch(server.cognitoIdpEndpoint, { method: 'POST', headers: { Origin: APP, 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GetUser' }, body: '{}' });
      expect(api.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});

/**
 * Signs in through a local hosted UI as the dashboard's page does, without a browser: the
 * authorization code flow with PKCE against the client and callback that config.json names,
 * the sign-in form posted with the email and password, the code redeemed at the token endpoint.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface DashboardConfig {
  readonly clientId: string;
  readonly hostedUiUrl: string;
}

export interface SignedIn {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  /** Where the hosted UI sent the browser back to, code and state included. */
  readonly callback: URL;
}

export async function signInThroughHostedUi(siteUrl: string, email: string, password: string): Promise<SignedIn> {
  const config = (await (await fetch(`${siteUrl}/config.json`)).json()) as DashboardConfig;
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = `${siteUrl}/callback`;
  const authorize = new URL('/oauth2/authorize', config.hostedUiUrl);
  for (const [name, value] of Object.entries({
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile aws.cognito.signin.user.admin',
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(name, value);
  }
  const form = await fetch(authorize, { redirect: 'manual' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (form.status !== 200 || csrf === undefined) throw new Error(`The hosted UI showed no sign-in form (${form.status} ${form.headers.get('location') ?? ''})`);
  const cookie = form.headers.getSetCookie().map((set) => set.split(';')[0]).join('; ');
  const login = await fetch(new URL('/login', config.hostedUiUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, username: email, password }),
  });
  if (login.status !== 302) throw new Error(`Signing in as ${email} was refused (${login.status})`);
  const callback = new URL(login.headers.get('location') ?? '');
  const token = await fetch(new URL('/oauth2/token', config.hostedUiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code: callback.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: verifier }),
  });
  if (token.status !== 200) throw new Error(`The token endpoint refused the code (${token.status}: ${await token.text()})`);
  const tokens = (await token.json()) as { access_token: string; id_token: string; refresh_token: string };
  return { accessToken: tokens.access_token, idToken: tokens.id_token, refreshToken: tokens.refresh_token, callback };
}

/**
 * A local stand-in for a user pool's Cognito hosted UI domain and for the regional
 * cognito-idp endpoint, on one loopback port:
 *
 *   hosted UI (AWS: https://<prefix>.auth.<region>.amazoncognito.com)
 *     GET /oauth2/authorize, POST /login, POST /oauth2/token, POST /oauth2/revoke,
 *     GET /logout, GET|POST /oauth2/userInfo                    (oauth-endpoints.ts)
 *   issuer (AWS: https://cognito-idp.<region>.amazonaws.com/<poolId>)
 *     GET /<poolId>/.well-known/openid-configuration, GET /<poolId>/.well-known/jwks.json
 *   cognito-idp API (AWS: https://cognito-idp.<region>.amazonaws.com/)
 *     POST / with X-Amz-Target: AWSCognitoIdentityProviderService.GetUser (cognito-idp-api.ts)
 *
 * Once it listens, the pool's issuer is `http://127.0.0.1:<port>/<poolId>`: tokens carry it,
 * and a client discovers everything else from it. The token, revoke and userInfo endpoints
 * and the two documents answer CORS (preflight included) for the origins of the app clients'
 * callback URLs, since a browser page calls them with fetch; other origins get no CORS headers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cognitoIdpApi } from './cognito-idp-api';
import { BodyTooLargeError, HttpExchange } from './http-exchange';
import type { LocalUserPool } from './local-user-pool';
import { OAuthEndpoints } from './oauth-endpoints';
import { STYLESHEET, STYLESHEET_PATH } from './sign-in-page';

export interface LocalHostedUiOptions {
  readonly pool: LocalUserPool;
  /** @default 0: a free port */
  readonly port?: number;
  /** For codes and sessions. @default the pool's clock */
  readonly now?: () => number;
  /** Told why a request was refused, for the terminal; the answers say as little as Cognito's. @default nothing */
  readonly log?: (line: string) => void;
}

export interface RunningLocalHostedUi {
  /** `http://127.0.0.1:<port>`: the hosted UI's base URL (config.json's `hostedUiUrl`). */
  readonly url: string;
  /** `http://127.0.0.1:<port>/<poolId>`: the pool's issuer (config.json's `authority`, the authorizer's expected `iss`). */
  readonly issuer: string;
  /** What `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` points to. */
  readonly cognitoIdpEndpoint: string;
  stop(): Promise<void>;
}

type Handler = (exchange: HttpExchange) => void | Promise<void>;

interface Route {
  readonly methods: readonly string[];
  readonly handler: Handler;
  /** Called from pages of the app clients' origins with fetch. */
  readonly cors?: true;
}

const CORS_MAX_AGE_SECONDS = 600;
/** A pool has one issuer at a time, so one server at a time may serve it. */
const served = new WeakSet<LocalUserPool>();

export async function startLocalHostedUi(options: LocalHostedUiOptions): Promise<RunningLocalHostedUi> {
  const { pool } = options;
  if (served.has(pool)) throw new Error(`A local hosted UI already serves ${pool.poolId}: stop it first`);
  const log = options.log ?? (() => {});
  const endpoints = new OAuthEndpoints({ pool, now: options.now ?? pool.now, log });
  const wellKnown = `/${pool.poolId}/.well-known`;
  let origin = '';

  const routes = new Map<string, Route>([
    ['/oauth2/authorize', { methods: ['GET'], handler: (exchange) => endpoints.authorize(exchange) }],
    ['/login', { methods: ['POST'], handler: (exchange) => endpoints.login(exchange) }],
    ['/oauth2/token', { methods: ['POST'], handler: (exchange) => endpoints.token(exchange), cors: true }],
    ['/oauth2/revoke', { methods: ['POST'], handler: (exchange) => endpoints.revoke(exchange), cors: true }],
    ['/oauth2/userInfo', { methods: ['GET', 'POST'], handler: (exchange) => endpoints.userInfo(exchange), cors: true }],
    ['/logout', { methods: ['GET'], handler: (exchange) => endpoints.logout(exchange) }],
    [`${wellKnown}/openid-configuration`, { methods: ['GET'], handler: (exchange) => exchange.json(200, discoveryDocument(origin, pool)), cors: true }],
    [`${wellKnown}/jwks.json`, { methods: ['GET'], handler: (exchange) => exchange.json(200, pool.jwks()), cors: true }],
    [STYLESHEET_PATH, { methods: ['GET'], handler: (exchange) => exchange.setHeader('Cache-Control', 'no-cache').send(200, STYLESHEET, 'text/css;charset=UTF-8') }],
    ['/', { methods: ['POST'], handler: (exchange) => cognitoIdpApi(exchange, pool, log) }],
  ]);

  const server = createServer((request, response) => {
    const exchange = new HttpExchange(request, response);
    route(exchange).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return exchange.json(413, { message: error.message });
      log(`${exchange.method} ${exchange.url.pathname}: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) exchange.json(500, { message: 'The local hosted UI failed; its terminal says why' });
      else response.destroy();
    });
  });

  async function route(exchange: HttpExchange): Promise<void> {
    const found = routes.get(exchange.url.pathname);
    if (found === undefined) return exchange.json(404, { message: `Nothing here: ${exchange.url.pathname}` });
    if (found.cors && !allowCrossOrigin(exchange, found.methods)) return;
    if (!found.methods.includes(exchange.method)) {
      exchange.setHeader('Allow', found.methods.join(', '));
      return exchange.json(405, { message: `${exchange.url.pathname} answers ${found.methods.join(' and ')} only` });
    }
    await found.handler(exchange);
  }

  /** Adds CORS headers for an allowed origin; answers a preflight itself (false: nothing more to do). */
  function allowCrossOrigin(exchange: HttpExchange, methods: readonly string[]): boolean {
    exchange.setHeader('Vary', 'Origin');
    const requestOrigin = exchange.header('origin');
    const allowed = requestOrigin !== undefined && callbackOrigins(pool).has(requestOrigin);
    if (allowed) exchange.setHeader('Access-Control-Allow-Origin', requestOrigin);
    if (exchange.method !== 'OPTIONS') return true;
    if (!allowed) {
      exchange.send(403, '', undefined);
      return false;
    }
    exchange
      .setHeader('Access-Control-Allow-Methods', methods.join(', '))
      .setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
      .setHeader('Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS))
      .send(204, '', undefined);
    return false;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  const issuer = pool.serveIssuerAt(origin);
  served.add(pool);
  return {
    url: origin,
    issuer,
    cognitoIdpEndpoint: origin,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        served.delete(pool);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The pool's OpenID Connect discovery document, as Cognito publishes it, pointing here.
 * Cognito lists its `/logout` as `end_session_endpoint` although it takes `client_id` and
 * `logout_uri` rather than OIDC's `post_logout_redirect_uri`: a client passes `logout_uri` itself.
 */
function discoveryDocument(origin: string, pool: LocalUserPool): Record<string, unknown> {
  return {
    authorization_endpoint: `${origin}/oauth2/authorize`,
    end_session_endpoint: `${origin}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer: pool.issuer,
    jwks_uri: `${pool.issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    revocation_endpoint: `${origin}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${origin}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${origin}/oauth2/userInfo`,
    code_challenge_methods_supported: ['S256'],
  };
}

function callbackOrigins(pool: LocalUserPool): Set<string> {
  const origins = new Set<string>();
  for (const client of pool.appClients()) {
    for (const url of client.callbackUrls) {
      try {
        origins.add(new URL(url).origin);
      } catch {
        // A callback URL that is not a URL cannot be a page's origin.
      }
    }
  }
  return origins;
}

import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errorVariables, type GatewayError } from './gateway-responses';
import type { ApiResource } from './rest-api-definition';

/**
 * `$context`, built step by step as a request is handled: what is known on arrival,
 * then the resource it was routed to, then the authorizer's claims, then the
 * integration's status and latency, or else the error it was refused with. Each step
 * makes a new value from the one before and changes nothing; mapping templates,
 * parameter mappings, gateway responses and access logs read the step they run at.
 */

/** What API Gateway knows of a request on arrival. */
export type ArrivalContext = {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly protocol: string;
  readonly domainName: string;
  readonly requestTime: string;
  readonly requestTimeEpoch: number;
  readonly identity: { readonly sourceIp: string; readonly userAgent?: string };
};

type RouteVariables = { readonly resourcePath: string; readonly resourceId: string };

/** What the method's authorizer established about the caller. */
export type AuthorizerResult =
  /** A Cognito user pool authorizer: the ID token's claims, as strings. */
  | { readonly kind: 'cognito'; readonly claims: Readonly<Record<string, string>> }
  /**
   * A Lambda authorizer: its principalId and its context, whose values API Gateway
   * stringifies (null stays null), and how long the function took (0 when cached).
   */
  | { readonly kind: 'lambda'; readonly principalId: string; readonly context: Readonly<Record<string, string | null>>; readonly latencyMs: number };

/** `$context.authorizer`: `claims` for Cognito; principalId, integrationLatency and the context's keys for a Lambda authorizer. */
type AuthorizerVariables = { readonly authorizer?: Readonly<Record<string, string | number | Readonly<Record<string, string>>>> };
type IntegrationVariables = { readonly integration: { readonly status?: number; readonly latency?: number; readonly error?: string } };
type ErrorVariables = { readonly error: ReturnType<typeof errorVariables> };

export type RoutedContext = ArrivalContext & RouteVariables;
/** After the method request; what mapping templates see. */
export type AuthorizedContext = RoutedContext & AuthorizerVariables;
export type IntegratedContext = AuthorizedContext & { readonly integration: { readonly status: number; readonly latency: number } };
/** `$context` however far handling got, as gateway responses and access logs read it. */
export type RequestContext = ArrivalContext & Partial<RouteVariables> & AuthorizerVariables & Partial<IntegrationVariables>;
export type RefusedContext = RequestContext & ErrorVariables;

export function arrivalContext(request: IncomingMessage, url: URL, api: { readonly apiId: string; readonly stageName: string }, receivedAt: number): ArrivalContext {
  return {
    requestId: randomUUID(),
    extendedRequestId: createHash('sha256').update(randomUUID()).digest('base64').slice(0, 16),
    apiId: api.apiId,
    stage: api.stageName,
    httpMethod: (request.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    protocol: `HTTP/${request.httpVersion}`,
    domainName: request.headers.host ?? '127.0.0.1',
    requestTime: clfTime(new Date(receivedAt)),
    requestTimeEpoch: receivedAt,
    identity: { sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''), userAgent: request.headers['user-agent'] },
  };
}

export function withRoute(context: ArrivalContext, resource: ApiResource): RoutedContext {
  return { ...context, resourcePath: resource.path, resourceId: resource.id };
}

/** `result` is undefined when the method has no authorizer. */
export function withAuthorizer(context: RoutedContext, result: AuthorizerResult | undefined): AuthorizedContext {
  if (result === undefined) return context;
  if (result.kind === 'cognito') return { ...context, authorizer: { claims: result.claims } };
  const values = Object.fromEntries(Object.entries(result.context).filter((entry): entry is [string, string] => entry[1] !== null));
  return { ...context, authorizer: { ...values, principalId: result.principalId, integrationLatency: result.latencyMs } };
}

/** `requestContext.authorizer` of a Lambda proxy event, as API Gateway writes it (a Lambda authorizer's null values included). */
export function proxyEventAuthorizer(result: AuthorizerResult | undefined): Record<string, unknown> | undefined {
  if (result === undefined) return undefined;
  if (result.kind === 'cognito') return { claims: { ...result.claims } };
  return { ...result.context, principalId: result.principalId, integrationLatency: result.latencyMs };
}

export function withIntegration(context: AuthorizedContext, status: number, latency: number): IntegratedContext {
  return { ...context, integration: { status, latency } };
}

export function withError(context: RequestContext, error: GatewayError): RefusedContext {
  const { integrationError } = error.details;
  return {
    ...context,
    error: errorVariables(error),
    ...(integrationError === undefined ? {} : { integration: { ...context.integration, error: plainText(integrationError) } }),
  };
}

/**
 * A local failure's message as `$context.integration.error`: one line without quotes or
 * backslashes, so it cannot break an access-log format that quotes it (as JSON formats do).
 */
function plainText(message: string): string {
  return message.replace(/["\\]/g, "'").replace(/\s+/g, ' ').trim();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`: CLF format, e.g. `23/Nov/2026:14:05:09 +0000`. */
function clfTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

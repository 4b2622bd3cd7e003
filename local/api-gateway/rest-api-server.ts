import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import { authorize } from './cognito-authorizer';
import { substituteContextVariables, type ContextValue, type ContextVariables } from './context-variables';
import { GatewayError, renderGatewayResponse, chooseContentType, type RenderedResponse } from './gateway-responses';
import type { LocalUserPool } from '../cognito/local-user-pool';
import { renderMappingTemplate } from './mapping-template';
import { headerValue, methodRequest, parameterValues, type MethodRequest, type ParameterValues } from './method-request';
import {
  arrivalContext,
  withAuthorizer,
  withError,
  withIntegration,
  withRoute,
  type ArrivalContext,
  type AuthorizedContext,
  type RequestContext,
  type RoutedContext,
} from './request-context';
import { readRestApi, type ApiIntegration, type ApiMethod, type ApiResource, type RestApiDefinition } from './rest-api-definition';
import { validateRequest } from './request-validator';
import { findRoute, type RouteMatch } from './routing';
import { TokenBucket } from './throttle';

/**
 * Serves one REST API (API Gateway v1) of a synthesized stack on a loopback port, doing
 * what API Gateway does with the same configuration: routing by stage and resource
 * path, throttling, request validation against the method's model, request and response
 * mapping templates, integration response selection, gateway responses and access logs.
 * AWS-type integrations are handed to a backend per AWS service (see
 * sqs-query-adapter.ts for SQS, step-functions-adapter.ts for Step Functions); the API's
 * configuration is read generically from the aws_api_gateway_* resources (see
 * rest-api-definition.ts).
 *
 * Cognito user pool authorizers run against local pools (see local-user-pool.ts): the
 * ID token from the authorizer's identity source is verified with the pools the
 * authorizer names, a missing or invalid token gets the API's UNAUTHORIZED response
 * (401), and a valid one's claims are `$context.authorizer.claims`.
 *
 * What it does not do (yet), and how it says so: a method with another kind of
 * authorization (AWS_IAM, CUSTOM), with a Cognito authorizer naming a pool that has no
 * local pool, with authorization scopes, or that requires an API key, answers 500
 * "... not supported locally yet" so that nobody mistakes it for an open method; HTTP,
 * HTTP_PROXY and AWS_PROXY integrations answer 500 likewise. Only MOCK and AWS
 * integrations run.
 */

/** What an AWS-type integration call looks like after the request template ran. */
export interface AwsIntegrationRequest {
  /** The integration uri with every ${...} resolved, e.g. arn:aws:apigateway:us-east-1:sqs:path/000000000000/dev-POC-Queue */
  readonly uri: string;
  /** integration_http_method */
  readonly httpMethod: string;
  /** From request_parameters `integration.request.header.X`, e.g. `'literal'` or `method.request.header.Y`. */
  readonly headers: Record<string, string>;
  /** The rendered request template (or the client's body when it passes through). */
  readonly body: string;
}

export interface AwsIntegrationResponse {
  readonly statusCode: number;
  readonly body: string;
}

/** Backend for one AWS service of `arn:aws:apigateway:<region>:<service>:...` uris, e.g. 'sqs'. */
export type AwsServiceBackend = (request: AwsIntegrationRequest) => Promise<AwsIntegrationResponse>;

export interface RestApiServerOptions {
  readonly stack: SynthesizedStack;
  /** Resolves every ${...} in a synthesized string to its local value (the runtime supplies it). */
  readonly resolve: (value: string) => string;
  readonly backends: Readonly<Record<string, AwsServiceBackend>>;
  /** Terraform name of the aws_api_gateway_rest_api to serve; required when the stack has several. */
  readonly restApi?: string;
  /** Stage to serve; required when the API has several. */
  readonly stage?: string;
  /** @default 0 (a free port); bound on 127.0.0.1 only */
  readonly port?: number;
  /**
   * Local user pools by pool ARN, for COGNITO_USER_POOLS authorizers (a key may also be
   * the pool id). A method whose authorizer names a pool without one answers 500.
   */
  readonly userPools?: ReadonlyMap<string, LocalUserPool>;
  /** Honour the stage's method-settings throttling (token bucket rate/burst). @default true */
  readonly throttle?: boolean;
  /** Each access-log line, rendered from the stage's access_log_settings.format. */
  readonly onAccessLog?: (line: string) => void;
  /**
   * API Gateway's execution log: why a request failed inside the gateway (a missing
   * backend, a template that did not render, ...), which the client is never told.
   * @default a line on stderr
   */
  readonly onExecutionLog?: (line: string) => void;
}

export interface RunningRestApi {
  /** http://127.0.0.1:<port>/<stage> */
  readonly url: string;
  /** Stops accepting connections and resolves once the server is closed. Safe to call more than once. */
  stop(): Promise<void>;
}

/** API Gateway's payload limit: 10 MiB. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
const LISTEN_BACKLOG = 4096;
/** How long stop() lets requests in flight finish before it closes their connections. */
const STOP_GRACE_MS = 2_000;

/**
 * Starts serving the stack's REST API.
 *
 * @throws Error when the stack has no REST API or several and `restApi` is not given,
 *   or when its configuration cannot be read (an unresolvable reference, a bad schema)
 */
export async function startRestApi(options: RestApiServerOptions): Promise<RunningRestApi> {
  const api = readRestApi(options.stack, options.resolve, { restApi: options.restApi, stage: options.stage });
  const gateway = new LocalRestApi(api, options);
  const server = createServer((request, response) => {
    gateway.handle(request, response).catch((error: unknown) => {
      // A fault of this server, not of the API: answer 500 rather than crash the process.
      gateway.log(`the local API Gateway failed on ${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end('{"message":"Internal server error"}');
    });
  });
  // API Gateway takes thousands of connections at once. Node's default backlog (511)
  // made a burst of 1,000 concurrent clients see ECONNRESET while the process was busy
  // running functions; the kernel caps this at net.core.somaxconn.
  server.listen({ host: '127.0.0.1', port: options.port ?? 0, backlog: LISTEN_BACKLOG });
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const { port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/${encodeURIComponent(api.stageName)}`,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        gateway.stopping = true;
        const forceClose = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        forceClose.unref();
        server.close(() => {
          clearTimeout(forceClose);
          resolve();
        });
        server.closeIdleConnections();
      });
      return stopping;
    },
  };
}

/** What the front door decided on arrival: a refusal, or the route with `$context` routed. */
type Admission =
  | { readonly context: RoutedContext; readonly route: RouteMatch; readonly refusal?: undefined }
  | { readonly context: RequestContext; readonly route: RouteMatch | undefined; readonly refusal: GatewayError };

/** The response to send, and `$context` as the access log reads it. */
interface Answer {
  readonly context: RequestContext;
  readonly result: RenderedResponse;
}

class LocalRestApi {
  /** Set by stop(): responses then close their connection. */
  stopping = false;
  private readonly buckets = new Map<ApiMethod, TokenBucket>();
  /** Writes a line to the execution log. */
  readonly log: (line: string) => void;

  constructor(
    private readonly api: RestApiDefinition,
    private readonly options: RestApiServerOptions,
  ) {
    this.log = options.onExecutionLog ?? ((line) => process.stderr.write(`[local API Gateway ${api.name}] ${line}\n`));
    if (options.throttle ?? true) {
      const visit = (resource: ApiResource): void => {
        for (const method of resource.methods.values()) {
          if (method.throttle) this.buckets.set(method, new TokenBucket(method.throttle));
        }
        resource.children.forEach(visit);
      };
      visit(api.root);
    }
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const arrival = arrivalContext(request, url, this.api, receivedAt);
    const admission = this.admit(arrival, url.pathname, Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BODY_BYTES);

    let body: { text: string; tooLarge: boolean };
    try {
      body = await readBody(request, MAX_REQUEST_BODY_BYTES);
    } catch {
      response.destroy(); // the client went away mid-request
      return;
    }
    const client = methodRequest(request, url, body.text);
    const { context, result } = body.tooLarge
      ? this.refuse(new GatewayError('REQUEST_TOO_LARGE'), admission.context, client, admission.route)
      : await this.respond(admission, client);
    this.send(response, result, context);
    this.accessLog(context, result, Date.now() - receivedAt);
  }

  /**
   * As at API Gateway's front door, decided on arrival: the declared size, the route
   * and the throttle (so that a burst is judged by when it arrived).
   */
  private admit(arrival: ArrivalContext, pathname: string, declaredTooLarge: boolean): Admission {
    const route = findRoute(this.api, arrival.httpMethod, pathname);
    if (declaredTooLarge) return { context: arrival, route, refusal: new GatewayError('REQUEST_TOO_LARGE') };
    if (!route) return { context: arrival, route, refusal: new GatewayError('MISSING_AUTHENTICATION_TOKEN') };
    const context = withRoute(arrival, route.resource);
    if (this.buckets.get(route.method)?.tryTake() === false) return { context, route, refusal: new GatewayError('THROTTLED') };
    return { context, route };
  }

  /**
   * The method request, integration request, integration and integration response; or
   * the gateway response for whatever refused the request, with `$context` as far as
   * handling got.
   */
  private async respond(admission: Admission, client: MethodRequest): Promise<Answer> {
    if (admission.refusal) return this.refuse(admission.refusal, admission.context, client, admission.route);
    const { route } = admission;
    const { method } = route;
    const where = `${method.httpMethod} ${route.resource.path}`;
    let reached: RequestContext = admission.context;
    try {
      const authorized = withAuthorizer(admission.context, authorize(method, client, this.options.userPools, where));
      reached = authorized;
      if (method.apiKeyRequired) {
        throw new GatewayError('API_CONFIGURATION_ERROR', `API keys not supported locally yet (${where} requires one)`, {
          log: `${where}: api_key_required is not supported by the local API Gateway; refusing rather than serving it open`,
        });
      }
      validateRequest(route, client);

      const integration = method.integration;
      if (!integration) {
        throw new GatewayError('API_CONFIGURATION_ERROR', undefined, { log: `${where} has no aws_api_gateway_integration` });
      }
      const template = requestTemplate(integration, client.contentType);
      let integrationBody: string;
      try {
        integrationBody = template === undefined ? client.body : renderMappingTemplate(template, { body: client.body, context: authorized });
      } catch (error) {
        const notJson = error instanceof SyntaxError ? jsonParseError(client.body) : undefined;
        if (notJson !== undefined) {
          // The template reads the body as JSON ($input.json, $input.path) and it is not.
          throw new GatewayError('BAD_REQUEST_BODY', `Could not parse request body into json: ${notJson}`);
        }
        throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
          log: `Execution failed due to configuration error: Unable to transform request (${where}): ${(error as Error).message}`,
        });
      }

      const integrationStartedAt = Date.now();
      let endpoint: { statusCode: number; body: string };
      switch (integration.type) {
        case 'AWS':
          endpoint = await this.callAwsService(integration, integrationBody, parameterValues(client, route.pathParameters, authorized), where);
          break;
        case 'MOCK':
          endpoint = { statusCode: mockStatusCode(integrationBody, where), body: '' };
          break;
        default:
          throw new GatewayError('API_CONFIGURATION_ERROR', `integration type ${integration.type} not supported locally yet`, {
            log: `${where}: integration type ${integration.type} is not supported by the local API Gateway (only AWS and MOCK are)`,
          });
      }
      const integrated = withIntegration(authorized, endpoint.statusCode, Date.now() - integrationStartedAt);
      reached = integrated;
      const result = this.integrationResponse(integration, endpoint, client, parameterValues(client, route.pathParameters, integrated), authorized, where);
      return { context: integrated, result };
    } catch (error) {
      return this.refuse(asGatewayError(error, reached, this.log), reached, client, route);
    }
  }

  private async callAwsService(
    integration: ApiIntegration,
    body: string,
    parameterValue: ParameterValues,
    where: string,
  ): Promise<{ statusCode: number; body: string }> {
    const headers: Record<string, string> = {};
    let uri = integration.uri ?? '';
    for (const [target, source] of Object.entries(integration.requestParameters)) {
      const [, kind, name] = /^integration\.request\.(header|path|querystring|multivaluequerystring)\.(.+)$/.exec(target) ?? [];
      const value = parameterValue(source);
      if (kind === 'header') {
        if (value !== undefined) headers[name] = value;
      } else if (kind === 'path') {
        uri = uri.split(`{${name}}`).join(value === undefined ? '' : encodeURIComponent(value));
      } else {
        throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
          log: `${where}: the integration request parameter ${target} is not supported by the local API Gateway (headers and path parameters are)`,
        });
      }
    }
    const service = /^arn:[^:]+:apigateway:[^:]*:(?:[^:]*\.)?([^:.]+):(?:path|action)\/.*$/s.exec(uri)?.[1];
    if (service === undefined) {
      throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
        log: `${where}: the integration uri ${uri} is not arn:<partition>:apigateway:<region>:<service>:path/... or :action/...`,
      });
    }
    const backend = Object.prototype.hasOwnProperty.call(this.options.backends, service) ? this.options.backends[service] : undefined;
    if (!backend) {
      const message = `no backend for AWS service ${service} (integration uri ${uri}): pass backends.${service} to startRestApi`;
      throw new GatewayError('INTEGRATION_FAILURE', undefined, { log: `${where}: ${message}`, integrationError: message });
    }
    const request: AwsIntegrationRequest = { uri, httpMethod: integration.httpMethod ?? 'POST', headers, body };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new GatewayError('INTEGRATION_TIMEOUT', undefined, {
        log: `${where}: the ${service} backend did not answer within ${integration.timeoutMs} ms`,
        integrationError: 'Endpoint request timed out',
      })), integration.timeoutMs);
    });
    try {
      const answer = await Promise.race([backend(request), timeout]);
      if (!Number.isInteger(answer?.statusCode) || typeof answer.body !== 'string') {
        throw new Error(`the backend answered ${JSON.stringify(answer)}, not { statusCode, body }`);
      }
      return answer;
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      const message = (error as Error)?.message ?? String(error);
      throw new GatewayError('INTEGRATION_FAILURE', undefined, {
        log: `${where}: Execution failed due to an internal error: the ${service} backend failed: ${message}`,
        integrationError: message,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private integrationResponse(
    integration: ApiIntegration,
    endpoint: { statusCode: number; body: string },
    client: MethodRequest,
    parameterValue: ParameterValues,
    context: AuthorizedContext,
    where: string,
  ): RenderedResponse {
    const status = String(endpoint.statusCode);
    const matching = integration.responses.filter((r) => r.selects?.test(status));
    const selected = matching[0] ?? integration.responses.find((r) => r.selects === undefined);
    if (matching.length > 1) {
      this.log(`(${context.requestId}) ${where}: several integration responses match status ${status}; using the one for ${selected?.statusCode}`);
    }
    if (!selected) {
      throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
        log: `Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${status} (${where})`,
      });
    }
    const contentTypes = Object.keys(selected.templates);
    const contentType = contentTypes.length > 0 ? chooseContentType(contentTypes, headerValue(client.headers, 'accept')) : 'application/json';
    const template = selected.templates[contentType];
    let body: string;
    try {
      // An empty template, like none, passes the integration's body through.
      body = template === undefined || template.trim() === '' ? endpoint.body : renderMappingTemplate(template, { body: endpoint.body, context });
    } catch (error) {
      throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
        log: `Execution failed due to configuration error: Unable to transform response (${where}): ${(error as Error).message}`,
      });
    }
    const headers: Record<string, string> = { 'Content-Type': contentType };
    for (const [target, source] of Object.entries(selected.parameters)) {
      const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
      const value = source === 'integration.response.body' ? endpoint.body : parameterValue(source);
      if (name !== undefined && value !== undefined) headers[name] = value;
    }
    return { statusCode: selected.statusCode, headers, body };
  }

  /** The API's gateway response for `error`. */
  private refuse(error: GatewayError, reached: RequestContext, client: MethodRequest, route: RouteMatch | undefined): Answer {
    const context = withError(reached, error);
    if (error.details.log !== undefined) this.log(`(${context.requestId}) ${error.details.log}`);
    const result = renderGatewayResponse(this.api.gatewayResponses, error, context, {
      parameterValue: parameterValues(client, route?.pathParameters, context),
      accept: headerValue(client.headers, 'accept'),
    });
    return { context, result };
  }

  private send(response: ServerResponse, result: RenderedResponse, context: RequestContext): void {
    const body = Buffer.from(result.body, 'utf8');
    response.writeHead(result.statusCode, {
      ...result.headers,
      'Content-Length': String(body.length),
      'x-amzn-RequestId': context.requestId,
      'x-amz-apigw-id': context.extendedRequestId,
      ...(this.stopping ? { Connection: 'close' } : {}),
    });
    response.end(body);
  }

  private accessLog(context: RequestContext, result: RenderedResponse, latencyMs: number): void {
    if (!this.options.onAccessLog || this.api.accessLogFormat === undefined) return;
    const variables = withoutEmpty({
      ...context,
      status: result.statusCode,
      responseLength: Buffer.byteLength(result.body, 'utf8'),
      responseLatency: latencyMs,
      integrationStatus: context.integration?.status,
      integrationLatency: context.integration?.latency,
    });
    try {
      this.options.onAccessLog(substituteContextVariables(this.api.accessLogFormat, variables, '-'));
    } catch (error) {
      this.log(`(${context.requestId}) onAccessLog threw: ${(error as Error).message}`);
    }
  }

}

/**
 * The request template for the client's content type, or undefined to pass the body
 * through, as the integration's passthrough behaviour decides.
 */
function requestTemplate(integration: ApiIntegration, contentType: string): string | undefined {
  const template = integration.requestTemplates[contentType];
  if (template !== undefined) return template;
  const hasTemplates = Object.keys(integration.requestTemplates).length > 0;
  const refuse =
    integration.passthroughBehavior === 'NEVER' || (integration.passthroughBehavior === 'WHEN_NO_TEMPLATES' && hasTemplates);
  if (refuse) {
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', undefined, {
      log: `No template for content type ${contentType} and passthrough behavior ${integration.passthroughBehavior}`,
    });
  }
  return undefined;
}

/** A MOCK integration answers the status code its request template renders, e.g. `{"statusCode": 200}`. */
function mockStatusCode(rendered: string, where: string): number {
  let statusCode: unknown;
  try {
    statusCode = (JSON.parse(rendered) as { statusCode?: unknown })?.statusCode;
  } catch {
    statusCode = undefined;
  }
  if (typeof statusCode === 'string' && /^\d+$/.test(statusCode)) statusCode = Number(statusCode);
  if (!Number.isInteger(statusCode)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `${where}: the MOCK integration's request template must render {"statusCode": <number>}, it rendered ${JSON.stringify(rendered.slice(0, 200))}`,
    });
  }
  return statusCode as number;
}

function asGatewayError(error: unknown, context: RequestContext, log: (line: string) => void): GatewayError {
  if (error instanceof GatewayError) return error;
  log(`(${context.requestId}) the local API Gateway failed: ${(error as Error)?.stack ?? String(error)}`);
  return new GatewayError('API_CONFIGURATION_ERROR');
}

async function readBody(request: IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit, so the client gets its 413 rather than a reset.
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? { text: '', tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
}

/** Why `text` is not JSON, or undefined when it is. */
function jsonParseError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Access logs write `-` for a variable without a value, including an empty one. */
function withoutEmpty(variables: ContextVariables): ContextVariables {
  const copy: Record<string, ContextValue> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined || value === '') continue;
    copy[name] = typeof value === 'object' ? withoutEmpty(value) : value;
  }
  return copy;
}

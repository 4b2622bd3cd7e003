import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalUserPool } from '../cognito/local-user-pool';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import { accessLogLine } from './access-log';
import type { AwsServiceBackend } from './aws-integration';
import { GatewayError, type RenderedResponse } from './gateway-responses';
import type { LambdaInvoker } from './lambda-invocation';
import { lambdaPermissions } from './lambda-permissions';
import { methodRequest } from './method-request';
import { arrivalContext, type RequestContext } from './request-context';
import { RequestLifecycle } from './request-lifecycle';
import { readRestApi, type RestApiDefinition } from './rest-api-definition';

// Defined beside the AWS integration call; importable from here, where callers look for them.
export type { AwsIntegrationRequest, AwsIntegrationResponse, AwsServiceBackend } from './aws-integration';
export type { LambdaInvoker } from './lambda-invocation';

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
 * AWS_PROXY integrations with Lambda get API Gateway's proxy event (payload format 1.0)
 * and answer with what the function returns (see lambda-proxy-integration.ts); the
 * functions run through the `lambda` invoker the runtime gives, after the function's
 * aws_lambda_permission is checked for the method's ARN, as Lambda checks it.
 *
 * Cognito user pool authorizers run against local pools (see local-user-pool.ts): the
 * ID token from the authorizer's identity source is verified with the pools the
 * authorizer names, a missing or invalid token gets the API's UNAUTHORIZED response
 * (401), and a valid one's claims are `$context.authorizer.claims`. Lambda TOKEN
 * authorizers run through the same invoker (see lambda-authorizer.ts): their policy is
 * judged for the method ARN, their answer cached for their TTL, and their context is
 * `$context.authorizer.<key>`.
 *
 * What it does not do (yet), and how it says so: a method with another kind of
 * authorization (AWS_IAM, a REQUEST authorizer), with a Cognito authorizer naming a pool
 * that has no local pool, with authorization scopes, or that requires an API key, answers
 * 500 "... not supported locally yet" so that nobody mistakes it for an open method;
 * HTTP and HTTP_PROXY integrations, AWS_PROXY to anything but Lambda, and binary media
 * types answer 500 likewise.
 *
 * This module is the HTTP side: the listener, the body and its size limit, sending the
 * answer, stop() and idle(). A request's way through the gateway is request-lifecycle.ts,
 * each step of it a module named after what it does in API Gateway.
 */

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
  /**
   * Invokes a function by ARN, for AWS_PROXY integrations and Lambda authorizers (the
   * function ARN is read from the invoke uri `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`).
   * Without it, such methods answer 500.
   */
  readonly lambda?: LambdaInvoker;
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
  /** Resolves once no request is in flight (its response sent and its access-log line written); at once when none is. */
  idle(): Promise<void>;
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
  const log = options.onExecutionLog ?? ((line: string) => process.stderr.write(`[local API Gateway ${api.name}] ${line}\n`));
  const permissions = lambdaPermissions(options.stack, options.resolve);
  for (const reason of permissions.skipped) log(`left out a Lambda permission the local runtime cannot resolve (it grants nothing here): ${reason}`);
  const lifecycle = new RequestLifecycle(api, {
    backends: options.backends,
    userPools: options.userPools,
    lambda: options.lambda,
    lambdaPermissions: permissions.permissions,
    throttle: options.throttle ?? true,
    log,
  });
  const listener = new Listener(api, lifecycle, log, options.onAccessLog);
  const inFlight = new InFlight();
  const server = createServer((request, response) => {
    inFlight.track(
      listener.handle(request, response).catch((error: unknown) => {
        // A fault of this server, not of the API: answer 500 rather than crash the process.
        log(`the local API Gateway failed on ${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end('{"message":"Internal server error"}');
      }),
    );
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
        listener.stopping = true;
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
    idle: () => inFlight.idle(),
  };
}

/** The HTTP side of the gateway: reads the request, hands it to the lifecycle, sends the answer and logs it. */
class Listener {
  /** Set by stop(): responses then close their connection. */
  stopping = false;

  constructor(
    private readonly api: RestApiDefinition,
    private readonly lifecycle: RequestLifecycle,
    private readonly log: (line: string) => void,
    private readonly onAccessLog: ((line: string) => void) | undefined,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const arrival = arrivalContext(request, url, this.api, receivedAt);
    const admission = this.lifecycle.admit(arrival, url.pathname, Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BODY_BYTES);

    let body: { text: string; tooLarge: boolean };
    try {
      body = await readBody(request, MAX_REQUEST_BODY_BYTES);
    } catch {
      response.destroy(); // the client went away mid-request
      return;
    }
    const client = methodRequest(request, url, body.text);
    const answer = body.tooLarge
      ? this.lifecycle.refuse(new GatewayError('REQUEST_TOO_LARGE'), admission.context, client, admission.route)
      : await this.lifecycle.respond(admission, client);
    this.send(response, answer.response, answer.context);
    this.accessLog(answer.context, answer.response, Date.now() - receivedAt);
  }

  private send(response: ServerResponse, result: RenderedResponse, context: RequestContext): void {
    const body = Buffer.from(result.body, 'utf8');
    const own: Record<string, string> = {
      'Content-Length': String(body.length),
      'x-amzn-RequestId': context.requestId,
      'x-amz-apigw-id': context.extendedRequestId,
      ...(this.stopping ? { Connection: 'close' } : {}),
    };
    // The gateway's own headers win over a function's spelling of them (e.g. its content-length).
    const ownNames = new Set([...Object.keys(own), 'Transfer-Encoding', 'Connection'].map((name) => name.toLowerCase()));
    const theirs = Object.entries({ ...result.headers, ...result.multiValueHeaders })
      .filter(([name]) => !ownNames.has(name.toLowerCase()))
      .map(([name, value]) => [name, typeof value === 'string' ? value : [...value]]);
    response.writeHead(result.statusCode, { ...(Object.fromEntries(theirs) as Record<string, string | string[]>), ...own });
    response.end(body);
  }

  private accessLog(context: RequestContext, result: RenderedResponse, latencyMs: number): void {
    if (!this.onAccessLog || this.api.accessLogFormat === undefined) return;
    try {
      this.onAccessLog(accessLogLine(this.api.accessLogFormat, context, result, latencyMs));
    } catch (error) {
      this.log(`(${context.requestId}) onAccessLog threw: ${(error as Error).message}`);
    }
  }
}

/** The requests being handled, for idle(). */
class InFlight {
  private count = 0;
  private readonly waiters: (() => void)[] = [];

  track(handling: Promise<void>): void {
    this.count += 1;
    void handling.finally(() => {
      this.count -= 1;
      if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
    });
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
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

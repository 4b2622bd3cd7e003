import type { LocalUserPool } from '../cognito/local-user-pool';
import { callAwsService, type AwsIntegrationResponse, type AwsServiceBackend } from './aws-integration';
import { GatewayError, renderGatewayResponse, type RenderedResponse } from './gateway-responses';
import { integrationRequestBody } from './integration-request';
import { integrationResponse } from './integration-response';
import { LambdaTokenAuthorizers } from './lambda-authorizer';
import type { LambdaInvoker } from './lambda-invocation';
import type { LambdaPermission } from './lambda-permissions';
import { lambdaProxyIntegration } from './lambda-proxy-integration';
import { authorizeMethod } from './method-authorizer';
import { mockIntegration } from './mock-integration';
import { noOverrides, type ContextOverrides, type TemplateScope } from './mapping-template';
import { headerValue, parameterValues, templateParameters, type MethodRequest, type ParameterValues } from './method-request';
import {
  withAuthorizer,
  withError,
  withIntegration,
  withRoute,
  type ArrivalContext,
  type RequestContext,
  type RoutedContext,
} from './request-context';
import { validateRequest } from './request-validator';
import type { ApiIntegration, ApiMethod, ApiResource, RestApiDefinition } from './rest-api-definition';
import { findRoute, type RouteMatch } from './routing';
import { TokenBucket } from './throttle';

/**
 * A request's way through API Gateway, as its console draws it: the front door (size,
 * route, throttle), the method request (authorizer, API key, request validator), the
 * integration request, the integration and the integration response; or the API's
 * gateway response for whatever refused the request on the way.
 */

export interface RequestLifecycleOptions {
  readonly backends: Readonly<Record<string, AwsServiceBackend>>;
  readonly userPools?: ReadonlyMap<string, LocalUserPool>;
  /** Invokes the functions of AWS_PROXY integrations and Lambda authorizers. */
  readonly lambda?: LambdaInvoker;
  /** The stack's aws_lambda_permission statements, checked before each such invocation. */
  readonly lambdaPermissions: readonly LambdaPermission[];
  /** Honour the stage's method-settings throttling. */
  readonly throttle: boolean;
  /** Writes a line to the execution log. */
  readonly log: (line: string) => void;
}

/** What the front door decided on arrival: a refusal, or the route with `$context` routed. */
export type Admission =
  | { readonly context: RoutedContext; readonly route: RouteMatch; readonly refusal?: undefined }
  | { readonly context: RequestContext; readonly route: RouteMatch | undefined; readonly refusal: GatewayError };

/** The response to send, and `$context` as far as handling got, for the access log. */
export interface Answer {
  readonly context: RequestContext;
  readonly response: RenderedResponse;
}

export class RequestLifecycle {
  private readonly buckets = new Map<ApiMethod, TokenBucket>();
  private readonly lambdaAuthorizers: LambdaTokenAuthorizers;

  constructor(
    private readonly api: RestApiDefinition,
    private readonly options: RequestLifecycleOptions,
  ) {
    this.lambdaAuthorizers = new LambdaTokenAuthorizers({ api, invoke: options.lambda, permissions: options.lambdaPermissions });
    if (options.throttle) {
      const visit = (resource: ApiResource): void => {
        for (const method of resource.methods.values()) {
          if (method.throttle) this.buckets.set(method, new TokenBucket(method.throttle));
        }
        resource.children.forEach(visit);
      };
      visit(api.root);
    }
  }

  /**
   * As at API Gateway's front door, decided on arrival: the declared size, the route
   * and the throttle (so that a burst is judged by when it arrived).
   */
  admit(arrival: ArrivalContext, pathname: string, declaredTooLarge: boolean): Admission {
    const route = findRoute(this.api, arrival.httpMethod, pathname);
    if (declaredTooLarge) return { context: arrival, route, refusal: new GatewayError('REQUEST_TOO_LARGE') };
    if (!route) return { context: arrival, route, refusal: new GatewayError('MISSING_AUTHENTICATION_TOKEN') };
    const context = withRoute(arrival, route.resource);
    if (this.buckets.get(route.method)?.tryTake() === false) return { context, route, refusal: new GatewayError('THROTTLED') };
    return { context, route };
  }

  /** The answer to an admitted request, or the gateway response for the front door's refusal. */
  async respond(admission: Admission, request: MethodRequest): Promise<Answer> {
    if (admission.refusal) return this.refuse(admission.refusal, admission.context, request, admission.route);
    const { route } = admission;
    const where = `${route.method.httpMethod} ${route.resource.path}`;
    // The latest step of `$context`, for the gateway response if a later step refuses.
    let reached: RequestContext = admission.context;
    try {
      // The method request: the authorizer's answer is in `$context` even when a later check refuses.
      const authorizer = await authorizeMethod(route.method, request, admission.context, { userPools: this.options.userPools, lambda: this.lambdaAuthorizers }, where);
      const authorized = withAuthorizer(admission.context, authorizer);
      reached = authorized;
      this.checkApiKeyAndValidate(route, request, where);
      const integration = route.method.integration;
      if (!integration) {
        throw new GatewayError('API_CONFIGURATION_ERROR', undefined, { log: `${where} has no aws_api_gateway_integration` });
      }
      if (integration.type === 'AWS_PROXY') {
        // A proxy integration has no templates and no integration responses: the function's answer is the response.
        const integrationStartedAt = Date.now();
        const dependencies = { api: this.api, invoke: this.options.lambda, permissions: this.options.lambdaPermissions };
        const proxied = await lambdaProxyIntegration(dependencies, { integration, request, pathParameters: route.pathParameters, context: authorized, authorizer, where });
        return { context: withIntegration(authorized, proxied.integrationStatus, Date.now() - integrationStartedAt), response: proxied.response };
      }
      const scope: TemplateScope = { params: templateParameters(request, route.pathParameters), overrides: noOverrides() };
      const body = integrationRequestBody(integration, request, authorized, scope, where);
      if (integration.type === 'AWS') refuseRequestOverrides(scope.overrides, where);
      const integrationStartedAt = Date.now();
      const endpoint = await this.integration(integration, body, parameterValues(request, route.pathParameters, authorized), where);
      const integrated = withIntegration(authorized, endpoint.statusCode, Date.now() - integrationStartedAt);
      reached = integrated;
      const parameterValue = parameterValues(request, route.pathParameters, integrated);
      const response = integrationResponse(integration, endpoint, request, authorized, scope, parameterValue, this.logFor(integrated), where);
      return { context: integrated, response };
    } catch (error) {
      return this.refuse(this.asGatewayError(error, reached), reached, request, route);
    }
  }

  /** The API's gateway response for `error`, with `$context` as far as handling got. */
  refuse(error: GatewayError, reached: RequestContext, request: MethodRequest, route: RouteMatch | undefined): Answer {
    const context = withError(reached, error);
    if (error.details.log !== undefined) this.logFor(context)(error.details.log);
    const response = renderGatewayResponse(this.api.gatewayResponses, error, context, {
      parameterValue: parameterValues(request, route?.pathParameters, context),
      accept: headerValue(request.headers, 'accept'),
    });
    return { context, response };
  }

  /** The rest of the method request after its authorizer: its API key and its request validator. */
  private checkApiKeyAndValidate(route: RouteMatch, request: MethodRequest, where: string): void {
    if (route.method.apiKeyRequired) {
      throw new GatewayError('API_CONFIGURATION_ERROR', `API keys not supported locally yet (${where} requires one)`, {
        log: `${where}: api_key_required is not supported by the local API Gateway; refusing rather than serving it open`,
      });
    }
    validateRequest(route, request);
  }

  /** The integration, by type: AWS and MOCK here (AWS_PROXY to Lambda above); the others are refused rather than answered some other way. */
  private async integration(integration: ApiIntegration, body: string, parameterValue: ParameterValues, where: string): Promise<AwsIntegrationResponse> {
    switch (integration.type) {
      case 'AWS':
        return callAwsService(integration, body, parameterValue, this.options.backends, where);
      case 'MOCK':
        return mockIntegration(body, where);
      default:
        throw new GatewayError('API_CONFIGURATION_ERROR', `integration type ${integration.type} not supported locally yet`, {
          log: `${where}: integration type ${integration.type} is not supported by the local API Gateway (only AWS, AWS_PROXY to Lambda and MOCK are)`,
        });
    }
  }

  private asGatewayError(error: unknown, context: RequestContext): GatewayError {
    if (error instanceof GatewayError) return error;
    this.logFor(context)(`the local API Gateway failed: ${(error as Error)?.stack ?? String(error)}`);
    return new GatewayError('API_CONFIGURATION_ERROR');
  }

  /** The execution log, each line marked with the request's id. */
  private logFor(context: RequestContext): (line: string) => void {
    return (line) => this.options.log(`(${context.requestId}) ${line}`);
  }
}

/**
 * The local AWS integrations call their service with the rendered body and the
 * integration's request parameters only; headers, path or query string set on
 * `$context.requestOverride` would be lost, so they are refused.
 */
function refuseRequestOverrides(overrides: ContextOverrides, where: string): void {
  const set = Object.entries(overrides.request).flatMap(([group, values]) =>
    typeof values === 'object' && values !== null ? Object.keys(values).map((name) => `${group}.${name}`) : [group],
  );
  if (set.length === 0) return;
  throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
    log: `${where}: $context.requestOverride (${set.join(', ')}) on an AWS integration is not supported locally`,
  });
}

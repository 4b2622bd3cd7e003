import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ITerraformDependable, Token } from 'cdktf';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { environmentRulesOf } from './stack-environment';
import { OpsAlarms } from './ops-alarms';

/*
 * What every JSON REST API of this project shares: a regional API whose POST / validates
 * the body against a model, JSON bodies for every error API Gateway itself answers, and a
 * stage with access logs, tracing and throttling. createAwsIntegrationApi puts them
 * together around one AWS service action; the API constructs (ApiGatewayToSqs,
 * ApiGatewayToStepFunctions) add only that action and its grant.
 *
 * These are functions that create resources in the caller's scope rather than a nested
 * construct: a resource's Terraform name comes from its construct path, so a new scope
 * would rename, and so replace, every resource of an API that is already deployed.
 */

/** Gateway responses allow only variable substitution; `messageString` arrives quoted. */
export const DEFAULT_ERROR_TEMPLATE = '{"message": $context.error.messageString}';

/** One JSON line per request: what a person needs to trace a failed request. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integration.error',
  validationError: '$context.error.validationErrorString',
});

/**
 * Where a deployed REST API answers, `https://<restApiId>.execute-api.<region>.amazonaws.com/<stageName>`:
 * what another stack needs to put the API behind a CloudFront origin.
 */
export interface RestApiAddress {
  readonly restApiId: string;
  readonly stageName: string;
}

/** The stage every API construct exposes, with the same defaults. */
export interface RestApiStageProps {
  /** @default 'v1' */
  readonly stageName?: string;
  /** Steady-state requests per second across the stage. @default 10 */
  readonly throttlingRateLimit?: number;
  /** @default 20 */
  readonly throttlingBurstLimit?: number;
  /** @default the environment's rule (environment-rules.ts): 14 days in development, 365 in production */
  readonly accessLogRetentionDays?: number;
}

/** What every API construct takes: the API, the body it accepts, and its stage. */
export interface JsonRestApiProps extends RestApiStageProps {
  readonly apiName: string;
  /** JSON schema (draft-04) every request body must satisfy; others get a 400 and never reach the integration. */
  readonly requestSchema: object;
  /** Model name: letters and digits only. */
  readonly modelName: string;
  /** Body of the 400 for a request that fails the schema. */
  readonly invalidBodyMessage: string;
}

export interface CognitoAuthorizerProps {
  /** ARNs of the user pools whose ID tokens the API accepts. */
  readonly userPoolArns: string[];
}

/** A Lambda TOKEN authorizer: the function reads the `Authorization` header and allows or refuses the call. */
export interface TokenAuthorizerProps {
  readonly tokenFunction: AuthorizerFunction;
}

/** What an API needs of its authorizer function. */
export interface AuthorizerFunction {
  readonly functionName: string;
  readonly arn: string;
  readonly invokeArn: string;
}

/** Who may call: holders of a pool's ID token (COGNITO_USER_POOLS), or whoever a TOKEN authorizer function lets through. */
export type ApiAuthorizerProps = CognitoAuthorizerProps | TokenAuthorizerProps;

export interface JsonPostMethodProps extends Pick<JsonRestApiProps, 'apiName' | 'requestSchema' | 'modelName'> {
  /** Callers must pass this authorizer. @default none: anyone may call */
  readonly authorizer?: ApiAuthorizerProps;
}

export interface JsonPostMethod {
  readonly api: ApiGatewayRestApi;
  readonly method: ApiGatewayMethod;
  /** Present when the method requires an authorizer. */
  readonly authorizer?: ApiAuthorizer;
}

/** An authorizer attached to an API, and what a method names to use it. */
export interface ApiAuthorizer {
  readonly resource: ApiGatewayAuthorizer;
  /** The method's `authorization`: COGNITO_USER_POOLS or CUSTOM. */
  readonly authorization: 'COGNITO_USER_POOLS' | 'CUSTOM';
  /** What the deployment must snapshot besides the authorizer (the function's permission). */
  readonly dependables: ITerraformDependable[];
  /** Deployment triggers known after apply: a replaced pool or function changes who gets through. */
  readonly triggers: Record<string, string>;
}

/**
 * The API's authorizer, reading the `Authorization` header. A TOKEN authorizer's result is
 * never cached (TTL 0): a token revoked at sign-out is refused from the next request on,
 * where a cached Allow would let it through until the cache expired. The function may be
 * invoked by this authorizer of this API only.
 */
export function createAuthorizer(scope: Construct, api: ApiGatewayRestApi, apiName: string, props: ApiAuthorizerProps): ApiAuthorizer {
  const identitySource = 'method.request.header.Authorization';
  if ('userPoolArns' in props) {
    const resource = new ApiGatewayAuthorizer(scope, 'authorizer', {
      restApiId: api.id,
      name: `${apiName}-cognito`,
      type: 'COGNITO_USER_POOLS',
      providerArns: props.userPoolArns,
      identitySource,
    });
    return { resource, authorization: 'COGNITO_USER_POOLS', dependables: [], triggers: { userPoolArns: props.userPoolArns.join(',') } };
  }
  const { tokenFunction } = props;
  const resource = new ApiGatewayAuthorizer(scope, 'authorizer', {
    restApiId: api.id,
    name: `${apiName}-access-token`,
    type: 'TOKEN',
    authorizerUri: tokenFunction.invokeArn,
    identitySource,
    authorizerResultTtlInSeconds: 0,
  });
  const permission = new LambdaPermission(scope, 'authorizer-permission', {
    statementId: 'AllowApiGatewayAuthorizer',
    action: 'lambda:InvokeFunction',
    functionName: tokenFunction.functionName,
    principal: 'apigateway.amazonaws.com',
    sourceArn: `${api.executionArn}/authorizers/${resource.id}`,
  });
  return { resource, authorization: 'CUSTOM', dependables: [permission], triggers: { authorizerFunctionArn: tokenFunction.arn } };
}

/** The API and its POST /, which only a JSON body satisfying the schema passes. */
export function createJsonPostMethod(scope: Construct, props: JsonPostMethodProps): JsonPostMethod {
  const api = new ApiGatewayRestApi(scope, 'api', {
    name: props.apiName,
    endpointConfiguration: { types: ['REGIONAL'] },
  });
  const restApiId = api.id;
  const validator = new ApiGatewayRequestValidator(scope, 'validator', {
    restApiId,
    name: 'validate-body',
    validateRequestBody: true,
    validateRequestParameters: false,
  });
  const model = new ApiGatewayModel(scope, 'model', {
    restApiId,
    name: props.modelName,
    contentType: 'application/json',
    schema: JSON.stringify(props.requestSchema),
  });
  const authorizer = props.authorizer && createAuthorizer(scope, api, props.apiName, props.authorizer);
  const method = new ApiGatewayMethod(scope, 'post', {
    restApiId,
    resourceId: api.rootResourceId,
    httpMethod: 'POST',
    authorization: authorizer?.authorization ?? 'NONE',
    authorizerId: authorizer?.resource.id,
    requestValidatorId: validator.id,
    requestModels: { 'application/json': model.name },
  });
  return { api, method, authorizer };
}

/** Where an integration and its responses attach: the API's POST /. */
export function postTarget({ api, method }: JsonPostMethod) {
  return { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: method.httpMethod };
}

export interface JsonResponse {
  readonly statusCode: string;
  /** Java regex over the backend's status code; none for the default response. */
  readonly selectionPattern?: string;
  /** VTL template producing the JSON body; `$input` is the backend's response. */
  readonly template: string;
}

/** A method response and an integration response (JSON body) for each status code. */
export function addJsonResponses(
  scope: Construct,
  target: JsonPostMethod,
  integration: ApiGatewayIntegration,
  responses: JsonResponse[],
): ApiGatewayIntegrationResponse[] {
  const { restApiId, resourceId, httpMethod } = postTarget(target);
  return responses.map(({ statusCode, selectionPattern, template }) => {
    const methodResponse = new ApiGatewayMethodResponse(scope, `method-response-${statusCode}`, {
      restApiId,
      resourceId,
      httpMethod,
      statusCode,
      responseModels: { 'application/json': 'Empty' },
    });
    return new ApiGatewayIntegrationResponse(scope, `integration-response-${statusCode}`, {
      restApiId,
      resourceId,
      httpMethod,
      statusCode: methodResponse.statusCode,
      selectionPattern,
      responseTemplates: { 'application/json': template },
      dependsOn: [integration],
    });
  });
}

/** The 400 body for a request that fails the schema, naming what API Gateway found wrong. */
export function invalidBodyTemplate(message: string): string {
  return JSON.stringify({ message }).replace(/}$/, ', "details": "$context.error.validationErrorString"}');
}

export interface GatewayResponse {
  /** API Gateway's response type, e.g. UNAUTHORIZED. */
  readonly type: string;
  /** @default the response type's own status code */
  readonly statusCode?: string;
  /** @default DEFAULT_ERROR_TEMPLATE */
  readonly template?: string;
}

/**
 * JSON bodies for what API Gateway answers itself: the invalid body with its message,
 * every other 4xx and 5xx, and any `more` (e.g. UNAUTHORIZED), instead of its default text.
 */
export function addGatewayResponses(
  scope: Construct,
  api: ApiGatewayRestApi,
  invalidBodyMessage: string,
  more: GatewayResponse[] = [],
): ApiGatewayGatewayResponse[] {
  return [
    { type: 'BAD_REQUEST_BODY', statusCode: '400', template: invalidBodyTemplate(invalidBodyMessage) },
    { type: 'DEFAULT_4XX' },
    { type: 'DEFAULT_5XX' },
    ...more,
  ].map(
    ({ type, statusCode, template }: GatewayResponse) =>
      new ApiGatewayGatewayResponse(scope, `gateway-response-${type.toLowerCase()}`, {
        restApiId: api.id,
        responseType: type,
        statusCode,
        responseTemplates: { 'application/json': template ?? DEFAULT_ERROR_TEMPLATE },
      }),
  );
}

export interface DeployStageProps extends RestApiStageProps {
  readonly apiName: string;
  /**
   * Values whose change must make a new deployment (otherwise the stage keeps serving the
   * old one): a `fingerprint` of the templates, and references known only after apply.
   */
  readonly triggers: Record<string, string>;
  /** Everything the deployment snapshots: the method, integration and every response. */
  readonly dependsOn: ITerraformDependable[];
}

export interface DeployedStage {
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
}

/** A deployment and its stage, with access logs, X-Ray tracing, metrics and throttling. */
export function deployStage(scope: Construct, api: ApiGatewayRestApi, props: DeployStageProps): DeployedStage {
  const restApiId = api.id;
  const deployment = new ApiGatewayDeployment(scope, 'deployment', {
    restApiId,
    triggers: props.triggers,
    lifecycle: { createBeforeDestroy: true },
    dependsOn: props.dependsOn,
  });
  const accessLogGroup = new CloudwatchLogGroup(scope, 'access-logs', {
    name: `/aws/apigateway/${props.apiName}/access`,
    retentionInDays: props.accessLogRetentionDays ?? environmentRulesOf(scope).logRetentionDays,
  });
  const stage = new ApiGatewayStage(scope, 'stage', {
    restApiId,
    deploymentId: deployment.id,
    stageName: props.stageName ?? 'v1',
    xrayTracingEnabled: true,
    accessLogSettings: { destinationArn: accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
  });
  new ApiGatewayMethodSettings(scope, 'throttling', {
    restApiId,
    stageName: stage.stageName,
    methodPath: '*/*',
    settings: {
      throttlingRateLimit: props.throttlingRateLimit ?? 10,
      throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
      metricsEnabled: true,
      loggingLevel: 'ERROR',
    },
  });
  OpsAlarms.of(scope)?.watchRestApi(scope, props.apiName, api.name, stage.stageName);
  return { stage, accessLogGroup };
}

/**
 * A stable hash of values known at synth time, for a deployment trigger. A reference
 * (a token) would hash differently on every synth and redeploy each time: pass it as
 * its own trigger instead.
 */
export function fingerprint(value: unknown): string {
  const json = JSON.stringify(value);
  if (Token.isUnresolved(json)) {
    throw new Error('fingerprint() takes values known at synth time; pass references as their own deployment triggers');
  }
  return createHash('sha256').update(json).digest('hex');
}

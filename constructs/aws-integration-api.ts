import { Construct } from 'constructs';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ServiceRole } from './iam/service-role';
import { addLambdaRoutes, LambdaRoute } from './lambda-routes';
import {
  addGatewayResponses,
  addJsonResponses,
  ApiAuthorizer,
  ApiAuthorizerProps,
  createJsonPostMethod,
  DEFAULT_ERROR_TEMPLATE,
  deployStage,
  fingerprint,
  GatewayResponse,
  invalidBodyTemplate,
  JsonRestApiProps,
  postTarget,
} from './rest-api';

export interface AwsIntegrationApiProps extends JsonRestApiProps {
  /** Name of the API's own role; the caller grants it what the integration calls, and nothing else. */
  readonly roleName: string;
  /** The role's description: what the API may do with it. */
  readonly roleDescription: string;
  /** Who may call. @default none: anyone may call */
  readonly authorizer?: ApiAuthorizerProps;
  /** More routes, each to a function (Lambda proxy), behind the same authorizer. @default none */
  readonly lambdaRoutes?: LambdaRoute[];
  /** The AWS service action POST / calls. */
  readonly integration: AwsServiceAction;
  /** The response to a request the service accepted. */
  readonly success: { readonly statusCode: string; readonly template: string };
  /**
   * Body of the 500 answering any 4xx or 5xx of the service: a body that passed validation
   * mostly leaves nothing for the client to fix (throttling, our own role), so it is our
   * failure too. A failure that is the client's after all (a body over the service's size
   * limit) gets its 4xx from the template, with `$context.responseOverride.status`.
   */
  readonly failureTemplate: string;
  /** Responses API Gateway gives itself, besides a bad body and any 4xx or 5xx. @default none */
  readonly gatewayResponses?: GatewayResponse[];
  /**
   * Deployment triggers known only after apply: a replaced target changes what the API does.
   * The authorizer's user pools are added to them. @default none
   */
  readonly referenceTriggers?: Record<string, string>;
}

export interface AwsServiceAction {
  /** The integration's construct id, part of its Terraform address. */
  readonly id: string;
  readonly uri: string;
  /** @default none */
  readonly requestParameters?: Record<string, string>;
  /** The request for an application/json body; no other content type reaches the service. */
  readonly requestTemplate: string;
  /**
   * The request template as the deployment fingerprint sees it: references (known only
   * after apply) replaced by placeholders, since a fingerprint takes values known at synth.
   * @default requestTemplate
   */
  readonly fingerprintedRequestTemplate?: string;
}

export interface AwsIntegrationApi {
  readonly role: ServiceRole;
  readonly api: ApiGatewayRestApi;
  readonly integration: ApiGatewayIntegration;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  /** Present when the API has an authorizer. */
  readonly authorizer?: ApiAuthorizer;
}

/**
 * A regional REST API whose POST / calls one AWS service action with the validated JSON
 * body (an AWS service integration: no function in between) using the API's own role,
 * with JSON errors and a deployed stage: what ApiGatewayToSqs and ApiGatewayToStepFunctions
 * share. Created in the caller's scope, as the rest-api functions are, so that the
 * resources keep the Terraform names they have in deployed stacks.
 */
export function createAwsIntegrationApi(scope: Construct, props: AwsIntegrationApiProps): AwsIntegrationApi {
  const { integration: action, gatewayResponses = [] } = props;
  const role = new ServiceRole(scope, 'role', {
    roleName: props.roleName,
    assumedBy: 'apigateway.amazonaws.com',
    description: props.roleDescription,
  });

  const post = createJsonPostMethod(scope, props);
  const integration = new ApiGatewayIntegration(scope, action.id, {
    ...postTarget(post),
    type: 'AWS',
    integrationHttpMethod: 'POST',
    uri: action.uri,
    credentials: role.arn,
    requestParameters: action.requestParameters,
    // Only application/json has a template; anything else gets 415 instead of reaching the service raw.
    passthroughBehavior: 'NEVER',
    requestTemplates: { 'application/json': action.requestTemplate },
  });
  const responses = addJsonResponses(scope, post, integration, [
    props.success,
    { statusCode: '500', selectionPattern: '[45]\\d{2}', template: props.failureTemplate },
  ]);
  const gatewayResponseResources = addGatewayResponses(scope, post.api, props.invalidBodyMessage, gatewayResponses);
  const routes = addLambdaRoutes(scope, post.api, props.lambdaRoutes ?? [], post.authorizer);

  const deployed = deployStage(scope, post.api, {
    ...props,
    triggers: {
      redeployment: fingerprint({
        schema: props.requestSchema,
        request: action.fingerprintedRequestTemplate ?? action.requestTemplate,
        successTemplate: props.success.template,
        invalidBodyTemplate: invalidBodyTemplate(props.invalidBodyMessage),
        errors: [props.failureTemplate, DEFAULT_ERROR_TEMPLATE],
        ...(gatewayResponses.length > 0 ? { gatewayResponses: gatewayResponses.map((response) => response.type) } : {}),
        ...(routes.fingerprinted.length > 0 ? { lambdaRoutes: routes.fingerprinted } : {}),
        ...(post.authorizer?.authorization === 'CUSTOM' ? { authorizer: 'TOKEN' } : {}),
      }),
      ...props.referenceTriggers,
      ...post.authorizer?.triggers,
      ...routes.triggers,
    },
    dependsOn: [post.method, integration, ...responses, ...gatewayResponseResources, ...(post.authorizer?.dependables ?? []), ...routes.dependables],
  });
  return { role, api: post.api, integration, authorizer: post.authorizer, ...deployed };
}

import { Construct } from 'constructs';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { addLambdaRoutes, LambdaRoute } from './lambda-routes';
import {
  addGatewayResponses,
  ApiAuthorizer,
  ApiAuthorizerProps,
  createAuthorizer,
  DEFAULT_ERROR_TEMPLATE,
  deployStage,
  fingerprint,
  GatewayResponse,
  invalidBodyTemplate,
  RestApiAddress,
  RestApiStageProps,
} from './rest-api';

export interface ApiGatewayToLambdaProps extends RestApiStageProps {
  readonly apiName: string;
  /** Every method of the API, each answered by its function. */
  readonly routes: LambdaRoute[];
  /** Who may call every route. @default none: anyone may call */
  readonly authorizer?: ApiAuthorizerProps;
  /** The 400 for a body that fails a route's model. @default "Invalid request body." */
  readonly invalidBodyMessage?: string;
}

/** What API Gateway answers itself besides a bad body and the default 4xx/5xx: a refused caller. */
const AUTHORIZATION_RESPONSES: GatewayResponse[] = [
  { type: 'UNAUTHORIZED', statusCode: '401' },
  { type: 'ACCESS_DENIED', statusCode: '403' },
];

/**
 * A regional REST API whose methods are answered by functions through Lambda proxy
 * integrations (AWS Solutions Constructs' ApiGatewayToLambda), each function invocable by
 * this API for its own method and path only, behind one authorizer, with JSON bodies for
 * what API Gateway answers itself, and a stage with access logs, tracing, throttling and
 * alarms, as every API of the project has.
 */
export class ApiGatewayToLambda extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly authorizer?: ApiAuthorizer;

  constructor(scope: Construct, id: string, props: ApiGatewayToLambdaProps) {
    super(scope, id);
    const invalidBodyMessage = props.invalidBodyMessage ?? 'Invalid request body.';
    this.restApi = new ApiGatewayRestApi(this, 'api', { name: props.apiName, endpointConfiguration: { types: ['REGIONAL'] } });
    this.authorizer = props.authorizer && createAuthorizer(this, this.restApi, props.apiName, props.authorizer);
    const routes = addLambdaRoutes(this, this.restApi, props.routes, this.authorizer);
    const gatewayResponses = addGatewayResponses(this, this.restApi, invalidBodyMessage, AUTHORIZATION_RESPONSES);

    ({ stage: this.stage, accessLogGroup: this.accessLogGroup } = deployStage(this, this.restApi, {
      ...props,
      triggers: {
        redeployment: fingerprint({
          routes: routes.fingerprinted,
          authorizer: this.authorizer?.authorization ?? 'NONE',
          invalidBodyTemplate: invalidBodyTemplate(invalidBodyMessage),
          errors: [DEFAULT_ERROR_TEMPLATE],
          gatewayResponses: AUTHORIZATION_RESPONSES.map((response) => response.type),
        }),
        ...this.authorizer?.triggers,
        ...routes.triggers,
      },
      dependsOn: [...routes.dependables, ...gatewayResponses, ...(this.authorizer ? [this.authorizer.resource, ...this.authorizer.dependables] : [])],
    }));
  }

  /** Where the API answers, for another stack's CloudFront origin. */
  get address(): RestApiAddress {
    return { restApiId: this.restApi.id, stageName: this.stage.stageName };
  }

  get url(): string {
    return this.stage.invokeUrl;
  }
}

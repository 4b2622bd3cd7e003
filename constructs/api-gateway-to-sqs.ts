import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
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
import { arnPart } from './arn';
import { ServiceRole } from './iam/service-role';
import { SecureQueue } from './secure-queue';

/**
 * The lab's template (`Action=SendMessage&MessageBody=$input.body`) with the body
 * URL-encoded: unencoded, a `&` ends the body early and a `+` turns into a space.
 */
export const SEND_MESSAGE_TEMPLATE = 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)';
/** The lab's integration header: SQS's query API reads a form-encoded body. */
export const FORM_CONTENT_TYPE = "'application/x-www-form-urlencoded'";
export const DEFAULT_SUCCESS_TEMPLATE =
  `#set($result = $input.path('$.SendMessageResponse.SendMessageResult'))\n` + `{"messageId": "$result.MessageId"}`;
const QUEUE_ERROR_TEMPLATE = '{"message": "The request could not be queued. Try again later."}';
/** Gateway responses allow only variable substitution; `messageString` arrives quoted. */
const DEFAULT_ERROR_TEMPLATE = '{"message": $context.error.messageString}';

export interface ApiGatewayToSqsProps {
  readonly apiName: string;
  /** Name of the API's own role, which may send to the queue and nothing else. */
  readonly roleName: string;
  readonly queue: SecureQueue;
  /** JSON schema (draft-04) every request body must satisfy; others get a 400 and never reach the queue. */
  readonly requestSchema: object;
  /** Model name: letters and digits only. */
  readonly modelName: string;
  /** Body of the 400 for a request that fails the schema. */
  readonly invalidBodyMessage: string;
  /** VTL template for the 200 response; `$input` is SQS's SendMessage response. @default `{"messageId": ...}` */
  readonly successTemplate?: string;
  /** @default 'v1' */
  readonly stageName?: string;
  /** Steady-state requests per second across the stage. @default 10 */
  readonly throttlingRateLimit?: number;
  /** @default 20 */
  readonly throttlingBurstLimit?: number;
  /** @default 30 */
  readonly accessLogRetentionDays?: number;
}

/**
 * A regional REST API whose POST / sends the validated JSON body to an SQS queue
 * through an AWS service integration (no function in between), with request
 * validation, JSON errors, access logs, tracing and throttling on its stage.
 */
export class ApiGatewayToSqs extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly role: ServiceRole;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly integration: ApiGatewayIntegration;

  constructor(scope: Construct, id: string, props: ApiGatewayToSqsProps) {
    super(scope, id);
    const { queue } = props;
    const successTemplate = props.successTemplate ?? DEFAULT_SUCCESS_TEMPLATE;
    const invalidBodyTemplate = JSON.stringify({ message: props.invalidBodyMessage }).replace(
      /}$/,
      ', "details": "$context.error.validationErrorString"}',
    );

    this.role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      assumedBy: 'apigateway.amazonaws.com',
      description: `Lets ${props.apiName} send to its queue`,
    });
    this.role.addInlinePolicy('send', 'send-to-queue', [
      { Sid: 'SendToQueue', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [queue.arn] },
    ]);
    queue.allowSendFrom('AllowApiGatewaySend', [this.role.arn]);

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.apiName,
      endpointConfiguration: { types: ['REGIONAL'] },
    });
    const restApiId = this.api.id;
    const validator = new ApiGatewayRequestValidator(this, 'validator', {
      restApiId,
      name: 'validate-body',
      validateRequestBody: true,
      validateRequestParameters: false,
    });
    const model = new ApiGatewayModel(this, 'model', {
      restApiId,
      name: props.modelName,
      contentType: 'application/json',
      schema: JSON.stringify(props.requestSchema),
    });
    const method = new ApiGatewayMethod(this, 'post', {
      restApiId,
      resourceId: this.api.rootResourceId,
      httpMethod: 'POST',
      authorization: 'NONE',
      requestValidatorId: validator.id,
      requestModels: { 'application/json': model.name },
    });
    this.integration = new ApiGatewayIntegration(this, 'send-message', {
      restApiId,
      resourceId: this.api.rootResourceId,
      httpMethod: method.httpMethod,
      type: 'AWS',
      integrationHttpMethod: 'POST',
      // The lab's "path override": /<account id>/<queue name>, all read from the queue's ARN.
      uri: `arn:${arnPart(queue.arn, 'partition')}:apigateway:${arnPart(queue.arn, 'region')}:sqs:path/${arnPart(queue.arn, 'account')}/${queue.name}`,
      credentials: this.role.arn,
      requestParameters: { 'integration.request.header.Content-Type': FORM_CONTENT_TYPE },
      // Only application/json has a template; anything else gets 415 instead of reaching SQS raw.
      passthroughBehavior: 'NEVER',
      requestTemplates: { 'application/json': SEND_MESSAGE_TEMPLATE },
    });

    const responses = [
      { statusCode: '200', selectionPattern: undefined, template: successTemplate },
      { statusCode: '500', selectionPattern: '[45]\\d{2}', template: QUEUE_ERROR_TEMPLATE },
    ].map(({ statusCode, selectionPattern, template }) => {
      const methodResponse = new ApiGatewayMethodResponse(this, `method-response-${statusCode}`, {
        restApiId,
        resourceId: this.api.rootResourceId,
        httpMethod: method.httpMethod,
        statusCode,
        responseModels: { 'application/json': 'Empty' },
      });
      return new ApiGatewayIntegrationResponse(this, `integration-response-${statusCode}`, {
        restApiId,
        resourceId: this.api.rootResourceId,
        httpMethod: method.httpMethod,
        statusCode: methodResponse.statusCode,
        selectionPattern,
        responseTemplates: { 'application/json': template },
        dependsOn: [this.integration],
      });
    });

    const gatewayResponses = [
      { type: 'BAD_REQUEST_BODY', statusCode: '400', template: invalidBodyTemplate },
      { type: 'DEFAULT_4XX', statusCode: undefined, template: DEFAULT_ERROR_TEMPLATE },
      { type: 'DEFAULT_5XX', statusCode: undefined, template: DEFAULT_ERROR_TEMPLATE },
    ].map(
      ({ type, statusCode, template }) =>
        new ApiGatewayGatewayResponse(this, `gateway-response-${type.toLowerCase()}`, {
          restApiId,
          responseType: type,
          statusCode,
          responseTemplates: { 'application/json': template },
        }),
    );

    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId,
      // A new deployment whenever what the API does changes; otherwise the stage keeps serving the old one.
      triggers: {
        redeployment: fingerprint({
          schema: props.requestSchema,
          request: SEND_MESSAGE_TEMPLATE,
          successTemplate,
          invalidBodyTemplate,
          errors: [QUEUE_ERROR_TEMPLATE, DEFAULT_ERROR_TEMPLATE],
        }),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [method, this.integration, ...responses, ...gatewayResponses],
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.apiName}/access`,
      retentionInDays: props.accessLogRetentionDays ?? 30,
    });
    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId,
      deploymentId: deployment.id,
      stageName: props.stageName ?? 'v1',
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
    });
    new ApiGatewayMethodSettings(this, 'throttling', {
      restApiId,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        throttlingRateLimit: props.throttlingRateLimit ?? 10,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
        metricsEnabled: true,
        loggingLevel: 'ERROR',
      },
    });
  }

  /** The URL clients POST to. */
  get url(): string {
    return this.stage.invokeUrl;
  }
}

/** One JSON line per request: what a person needs to trace a failed order. */
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

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

import { Construct } from 'constructs';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { arnPart } from './arn';
import { ServiceRole } from './iam/service-role';
import {
  addGatewayResponses,
  addJsonResponses,
  createJsonPostMethod,
  DEFAULT_ERROR_TEMPLATE,
  deployStage,
  fingerprint,
  invalidBodyTemplate,
  JsonRestApiProps,
  postTarget,
} from './rest-api';
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

export interface ApiGatewayToSqsProps extends JsonRestApiProps {
  /** Name of the API's own role, which may send to the queue and nothing else. */
  readonly roleName: string;
  readonly queue: SecureQueue;
  /** VTL template for the 200 response; `$input` is SQS's SendMessage response. @default `{"messageId": ...}` */
  readonly successTemplate?: string;
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

    this.role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      assumedBy: 'apigateway.amazonaws.com',
      description: `Lets ${props.apiName} send to its queue`,
    });
    queue.grantSend(this.role, { formerId: 'send' });

    const post = createJsonPostMethod(this, props);
    this.api = post.api;
    this.integration = new ApiGatewayIntegration(this, 'send-message', {
      ...postTarget(post),
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
    const responses = addJsonResponses(this, post, this.integration, [
      { statusCode: '200', template: successTemplate },
      { statusCode: '500', selectionPattern: '[45]\\d{2}', template: QUEUE_ERROR_TEMPLATE },
    ]);
    const gatewayResponses = addGatewayResponses(this, this.api, props.invalidBodyMessage);

    const deployed = deployStage(this, this.api, {
      ...props,
      triggers: {
        redeployment: fingerprint({
          schema: props.requestSchema,
          request: SEND_MESSAGE_TEMPLATE,
          successTemplate,
          invalidBodyTemplate: invalidBodyTemplate(props.invalidBodyMessage),
          errors: [QUEUE_ERROR_TEMPLATE, DEFAULT_ERROR_TEMPLATE],
        }),
      },
      dependsOn: [post.method, this.integration, ...responses, ...gatewayResponses],
    });
    this.stage = deployed.stage;
    this.accessLogGroup = deployed.accessLogGroup;
  }

  /** The URL clients POST to. */
  get url(): string {
    return this.stage.invokeUrl;
  }
}

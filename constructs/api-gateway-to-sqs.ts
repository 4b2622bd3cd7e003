import { Construct } from 'constructs';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { arnPart } from './arn';
import { createAwsIntegrationApi } from './aws-integration-api';
import { ServiceRole } from './iam/service-role';
import { JsonRestApiProps } from './rest-api';
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
    const parts = createAwsIntegrationApi(this, {
      ...props,
      roleDescription: `Lets ${props.apiName} send to its queue`,
      integration: {
        id: 'send-message',
        // The lab's "path override": /<account id>/<queue name>, all read from the queue's ARN.
        uri: `arn:${arnPart(queue.arn, 'partition')}:apigateway:${arnPart(queue.arn, 'region')}:sqs:path/${arnPart(queue.arn, 'account')}/${queue.name}`,
        requestParameters: { 'integration.request.header.Content-Type': FORM_CONTENT_TYPE },
        requestTemplate: SEND_MESSAGE_TEMPLATE,
      },
      success: { statusCode: '200', template: props.successTemplate ?? DEFAULT_SUCCESS_TEMPLATE },
      failureTemplate: QUEUE_ERROR_TEMPLATE,
    });
    ({ role: this.role, api: this.api, integration: this.integration, stage: this.stage, accessLogGroup: this.accessLogGroup } = parts);
    // Its construct id was `send` before grants were named: deployed stacks move it.
    queue.grantSend(this.role, { formerId: 'send' });
  }

  /** The URL clients POST to. */
  get url(): string {
    return this.stage.invokeUrl;
  }
}

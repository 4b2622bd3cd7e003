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
/** The phrase of SQS's 400 InvalidParameterValue for a message over the queue's MaximumMessageSize. */
export const SQS_MESSAGE_TOO_LONG = 'Message must be shorter than';

/**
 * The answer to any 4xx or 5xx of SQS. A body that passed validation leaves the client
 * nothing to fix but its size: padded with white space (which no model limits) it can
 * pass validation yet be more than the queue takes, and SQS refuses it with 400
 * InvalidParameterValue "... Message must be shorter than N bytes.". Retrying cannot help,
 * so that is a 413 naming the limit; every other failure (throttling, access denied, a
 * missing queue) is ours and stays a 500. The 413 is set with
 * `$context.responseOverride.status` because API Gateway selects an integration response
 * by status code alone, and both arrive as 400. SQS's body is matched as text, which
 * works whether it answers in JSON (as API Gateway asks) or in the Query API's XML.
 */
export function queueErrorTemplate(maxMessageSizeBytes: number): string {
  return [
    `#if($input.body.contains('${SQS_MESSAGE_TOO_LONG}'))`,
    '#set($context.responseOverride.status = 413)',
    `{"message": "The request body is too large to queue: the queue takes messages of at most ${maxMessageSizeBytes} bytes."}`,
    '#else',
    '{"message": "The request could not be queued. Try again later."}',
    '#end',
  ].join('\n');
}

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
      failureTemplate: queueErrorTemplate(queue.maxMessageSizeBytes),
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

import { Construct } from 'constructs';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { arnPart } from './arn';
import { createAwsIntegrationApi } from './aws-integration-api';
import { ServiceRole } from './iam/service-role';
import { LambdaRoute } from './lambda-routes';
import { ApiAuthorizer, ApiAuthorizerProps, JsonRestApiProps } from './rest-api';
import { grantStartExecution } from './state-machine';

/**
 * `$util.escapeJavaScript` turns `'` into `\'`, which is not a JSON escape: Step Functions
 * would refuse the request. API Gateway's documented fix turns it back (`replaceAll` is
 * Java's, so its first argument is the regex for a backslash followed by a quote).
 */
const JSON_ESCAPE = String.raw`.replaceAll("\\'", "'")`;

/** Where the caller's email is: a TOKEN authorizer's context, or a Cognito authorizer's ID token claims. */
export const TOKEN_AUTHORIZER_EMAIL = 'context.authorizer.email';
export const COGNITO_AUTHORIZER_EMAIL = 'context.authorizer.claims.email';
export type CallerEmail = typeof TOKEN_AUTHORIZER_EMAIL | typeof COGNITO_AUTHORIZER_EMAIL;

/** The email variable the authorizer fills. */
export function callerEmailOf(authorizer: ApiAuthorizerProps): CallerEmail {
  return 'userPoolArns' in authorizer ? COGNITO_AUTHORIZER_EMAIL : TOKEN_AUTHORIZER_EMAIL;
}

/**
 * The StartExecution request. The execution input is a JSON document inside a JSON
 * string, so every value is escaped once for the input document and once more for the
 * string that carries it; the body, already JSON, only for the string:
 *
 *     {"request": <the validated body>, "requestedBy": "<the caller's email claim>"}
 *
 * The email comes from the authorizer, never from the body: a TOKEN authorizer's context
 * (the user Cognito vouched for when it accepted the caller's access token), or the
 * claims of the ID token a COGNITO_USER_POOLS authorizer verified.
 */
export function startExecutionTemplate(stateMachineArn: string, callerEmail: CallerEmail = TOKEN_AUTHORIZER_EMAIL): string {
  return [
    `#set($request = $util.escapeJavaScript($input.json('$'))${JSON_ESCAPE})`,
    `#set($requestedBy = $util.escapeJavaScript("$!${callerEmail}")${JSON_ESCAPE})`,
    `#set($requestedBy = $util.escapeJavaScript($requestedBy)${JSON_ESCAPE})`,
    String.raw`{"stateMachineArn": "${stateMachineArn}", "input": "{\"request\": $request, \"requestedBy\": \"$requestedBy\"}"}`,
  ].join('\n');
}

/**
 * The 202 body, from StartExecution's response: the execution's name (the last part of
 * its ARN) is what the client quotes; `startedAt` is StartExecution's `startDate`, in
 * epoch seconds.
 */
export const EXECUTION_STARTED_TEMPLATE = [
  `#set($executionArn = $input.path('$.executionArn'))`,
  `#set($nameStart = $executionArn.lastIndexOf(":") + 1)`,
  `{"executionId": "$executionArn.substring($nameStart)", "executionArn": "$executionArn", "startedAt": $input.json('$.startDate')}`,
].join('\n');

export const START_FAILED_TEMPLATE = '{"message": "The report could not be started. Try again later."}';

export interface ApiGatewayToStepFunctionsProps extends JsonRestApiProps {
  /** Name of the API's own role, which may start this state machine and do nothing else. */
  readonly roleName: string;
  /** The (STANDARD) state machine each valid POST starts an execution of. */
  readonly stateMachineArn: string;
  /**
   * Only callers this authorizer lets through; others get a JSON 401. The caller's email
   * (a TOKEN authorizer's context `email`, or the ID token's `email` claim) becomes the
   * execution input's `requestedBy`.
   */
  readonly authorizer: ApiAuthorizerProps;
  /** More routes on the same API and authorizer, each to a function (e.g. an execution's status). @default none */
  readonly lambdaRoutes?: LambdaRoute[];
}

/**
 * A regional REST API whose POST / starts an execution of a state machine through the
 * AWS service integration (StartExecution, no function in between) for a caller its
 * TOKEN authorizer lets through, with request validation, JSON errors, access logs, tracing
 * and throttling on its stage. The client gets 202 with the execution id.
 */
export class ApiGatewayToStepFunctions extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly role: ServiceRole;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly integration: ApiGatewayIntegration;
  readonly authorizer: ApiAuthorizer;

  constructor(scope: Construct, id: string, props: ApiGatewayToStepFunctionsProps) {
    super(scope, id);
    const { stateMachineArn } = props;
    const parts = createAwsIntegrationApi(this, {
      ...props,
      roleDescription: `Lets ${props.apiName} start its state machine`,
      integration: {
        id: 'start-execution',
        // The Step Functions API action in the state machine's own partition and region.
        uri: `arn:${arnPart(stateMachineArn, 'partition')}:apigateway:${arnPart(stateMachineArn, 'region')}:states:action/StartExecution`,
        requestTemplate: startExecutionTemplate(stateMachineArn, callerEmailOf(props.authorizer)),
        fingerprintedRequestTemplate: startExecutionTemplate('<state machine>', callerEmailOf(props.authorizer)),
      },
      success: { statusCode: '202', template: EXECUTION_STARTED_TEMPLATE },
      failureTemplate: START_FAILED_TEMPLATE,
      gatewayResponses: [
        { type: 'UNAUTHORIZED', statusCode: '401' },
        { type: 'ACCESS_DENIED', statusCode: '403' },
      ],
      referenceTriggers: { stateMachineArn },
    });
    ({ role: this.role, api: this.restApi, integration: this.integration, stage: this.stage, accessLogGroup: this.accessLogGroup } = parts);
    this.authorizer = parts.authorizer!;
    // Its construct id was `start` before grants were named: deployed stacks move it.
    grantStartExecution(this.role, stateMachineArn, { formerId: 'start' });
  }

  /** The URL clients POST to, with `Authorization: <Cognito access token>`. */
  get url(): string {
    return this.stage.invokeUrl;
  }
}

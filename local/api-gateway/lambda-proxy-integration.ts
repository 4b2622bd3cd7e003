import { methodArn, pathAfterStage } from './execute-api-arn';
import { GatewayError, type RenderedResponse } from './gateway-responses';
import { callFunction, functionArnOfInvokeUri, mayInvoke, type LambdaInvoker } from './lambda-invocation';
import { API_GATEWAY_PRINCIPAL, type LambdaPermission } from './lambda-permissions';
import { lambdaProxyEvent } from './lambda-proxy-event';
import { readProxyAnswer } from './lambda-proxy-response';
import type { MethodRequest } from './method-request';
import type { AuthorizedContext, AuthorizerResult } from './request-context';
import type { ApiIntegration, RestApiDefinition } from './rest-api-definition';

/**
 * An AWS_PROXY integration with a Lambda function (REST API, payload format 1.0): the
 * function's permission checked for the method's ARN, the proxy event built from the
 * method request, the function invoked within the integration's timeout, and its answer
 * sent as the response. Failures answer as API Gateway does, the reason going to the
 * execution log only: no permission 500, a function error or a malformed answer 502
 * `{"message": "Internal server error"}`, the timeout 504 `{"message": "Endpoint request timed out"}`.
 */
export interface LambdaProxyDependencies {
  readonly api: RestApiDefinition;
  readonly invoke?: LambdaInvoker;
  readonly permissions: readonly LambdaPermission[];
}

export interface LambdaProxyRequest {
  readonly integration: ApiIntegration;
  readonly request: MethodRequest;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly context: AuthorizedContext;
  readonly authorizer: AuthorizerResult | undefined;
  readonly where: string;
}

/** The response, and `$context.integration.status` (Lambda's own 200 for a function that answered). */
export async function lambdaProxyIntegration(
  dependencies: LambdaProxyDependencies,
  { integration, request, pathParameters, context, authorizer, where }: LambdaProxyRequest,
): Promise<{ response: RenderedResponse; integrationStatus: number }> {
  const { api } = dependencies;
  const functionArn = functionArnOfInvokeUri(integration.uri);
  if (functionArn === undefined) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `${where}: the AWS_PROXY integration uri ${integration.uri ?? '(none)'} is not arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations, the only proxy target the local API Gateway runs`,
    });
  }
  if (isBinary(api.binaryMediaTypes, request.contentType)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', 'binary media types not supported locally yet', {
      log: `${where}: the request's ${request.contentType} is one of the API's binary_media_types, which the local API Gateway does not base64-encode for a proxy event; refusing rather than sending it as text`,
    });
  }
  const sourceArn = methodArn(api, context.httpMethod, pathAfterStage(context.path, api.stageName));
  if (!mayInvoke(dependencies.permissions, functionArn, sourceArn, api.accountId, integration.credentials)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `${where}: Execution failed due to configuration error: Invalid permissions on Lambda function (no aws_lambda_permission lets ${API_GATEWAY_PRINCIPAL} invoke ${functionArn} from ${sourceArn})`,
    });
  }
  if (!dependencies.invoke) {
    const message = `no Lambda invoker for ${functionArn}: pass lambda to startRestApi`;
    throw new GatewayError('INTEGRATION_FAILURE', undefined, { log: `${where}: ${message}`, integrationError: message });
  }

  const event = lambdaProxyEvent(api, request, pathParameters, context, authorizer);
  const call = await callFunction(dependencies.invoke, functionArn, event, integration.timeoutMs);
  switch (call.outcome) {
    case 'timeout':
      throw new GatewayError('INTEGRATION_TIMEOUT', undefined, {
        log: `${where}: Execution failed due to a timeout error: ${functionArn} did not answer within ${integration.timeoutMs} ms`,
        integrationError: 'Endpoint request timed out',
      });
    case 'failed':
      throw new GatewayError('INTEGRATION_FAILURE', undefined, {
        log: `${where}: Execution failed due to configuration error: invoking ${functionArn} failed: ${call.message}`,
        integrationError: call.message,
      });
    case 'error':
      throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', {
        statusCode: 502,
        log: `${where}: Lambda execution failed with status 200 due to customer function error: ${call.error.errorType}: ${call.error.errorMessage}`,
        integrationError: `${call.error.errorType}: ${call.error.errorMessage}`,
      });
    case 'result': {
      const answer = readProxyAnswer(call.result);
      if (answer.malformed !== undefined) {
        throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', {
          statusCode: 502,
          log: `${where}: Execution failed due to configuration error: Malformed Lambda proxy response: ${answer.malformed}`,
          integrationError: 'Malformed Lambda proxy response',
        });
      }
      if (answer.isBase64Encoded && api.binaryMediaTypes.length > 0) {
        throw new GatewayError('API_CONFIGURATION_ERROR', 'binary media types not supported locally yet', {
          log: `${where}: ${functionArn} answered isBase64Encoded for an API with binary_media_types, which the local API Gateway does not decode; refusing rather than sending the base64 text`,
        });
      }
      return { response: answer.response, integrationStatus: 200 };
    }
  }
}

/** Whether a content type is one of the API's binary media types (`*` wildcards allowed, as in `image/*`). */
function isBinary(binaryMediaTypes: readonly string[], contentType: string): boolean {
  return binaryMediaTypes.some((type) => new RegExp(`^${type.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i').test(contentType));
}

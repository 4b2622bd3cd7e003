import type { LocalUserPool } from '../cognito/local-user-pool';
import { cognitoAuthorizer } from './cognito-authorizer';
import { GatewayError } from './gateway-responses';
import type { LambdaTokenAuthorizers } from './lambda-authorizer';
import type { MethodRequest } from './method-request';
import type { AuthorizerResult, RoutedContext } from './request-context';
import type { ApiMethod } from './rest-api-definition';

/**
 * The method request's authorizer: none, a Cognito user pool (cognito-authorizer.ts) or
 * a Lambda TOKEN authorizer (lambda-authorizer.ts). Any other kind (AWS_IAM, a REQUEST
 * authorizer) answers 500 "... not supported locally yet", never served open.
 *
 * @returns what the authorizer established, or undefined for a method without authorization
 */
export async function authorizeMethod(
  method: ApiMethod,
  request: MethodRequest,
  context: RoutedContext,
  authorizers: { readonly userPools?: ReadonlyMap<string, LocalUserPool>; readonly lambda: LambdaTokenAuthorizers },
  where: string,
): Promise<AuthorizerResult | undefined> {
  if (method.authorization === 'NONE') return undefined;
  const unsupported = (reason: string): GatewayError =>
    new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', `authorizer not supported locally yet (${where} ${reason})`, {
      log: `${where}: ${reason}, which the local API Gateway does not support; refusing rather than serving it open`,
    });
  const authorizer = method.authorizer;
  if (method.authorization === 'COGNITO_USER_POOLS' && authorizer?.type === 'COGNITO_USER_POOLS') {
    return cognitoAuthorizer(method, authorizer, request, authorizers.userPools, where, unsupported);
  }
  if (method.authorization === 'CUSTOM' && authorizer?.type === 'TOKEN') {
    return authorizers.lambda.authorize(authorizer, request, context, where, unsupported);
  }
  throw unsupported(`has authorization ${method.authorization}${authorizer ? ` with a ${authorizer.type} authorizer` : ''}`);
}

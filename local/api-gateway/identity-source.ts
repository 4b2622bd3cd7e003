import { GatewayError } from './gateway-responses';
import { headerValue, type MethodRequest } from './method-request';
import type { ApiAuthorizer } from './rest-api-definition';

/**
 * The token in an authorizer's identity source (`method.request.header.<name>`), as the
 * client sent it; undefined when the header is missing or empty, or when it does not
 * match the authorizer's identity_validation_expression (API Gateway then answers 401
 * without calling the authorizer).
 */
export function identitySourceToken(authorizer: ApiAuthorizer, request: MethodRequest, where: string): string | undefined {
  const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource.trim())?.[1];
  if (header === undefined) {
    throw new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', undefined, {
      log: `${where}: the identity source ${authorizer.identitySource} of authorizer ${authorizer.name} is not method.request.header.<name>, which is all the local API Gateway reads`,
    });
  }
  const raw = headerValue(request.headers, header)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (authorizer.identityValidationExpression !== undefined && !new RegExp(`^(?:${authorizer.identityValidationExpression})$`, 's').test(raw)) {
    return undefined;
  }
  return raw;
}

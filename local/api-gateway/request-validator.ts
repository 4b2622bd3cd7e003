import { GatewayError } from './gateway-responses';
import { requestParameter, type MethodRequest } from './method-request';
import { checkRequestBody, validationErrorString } from './request-model';
import type { ApiMethod } from './rest-api-definition';
import type { RouteMatch } from './routing';

/**
 * A method's request validator: the parameters it requires, then the body against the
 * model for its content type. What fails is refused with 400 before the integration.
 */
export function validateRequest(route: RouteMatch, request: MethodRequest): void {
  validateParameters(route, request);
  validateBody(route.method.bodyModels, request);
}

function validateParameters({ method, pathParameters }: RouteMatch, request: MethodRequest): void {
  const missing = method.requiredParameters.filter((parameter) => {
    const given = requestParameter(parameter, request, pathParameters);
    return given !== undefined && !given.value;
  });
  if (missing.length > 0) {
    const names = missing.map((parameter) => parameter.split('.').slice(3).join('.'));
    throw new GatewayError('BAD_REQUEST_PARAMETERS', `Missing required request parameters: [${names.join(', ')}]`);
  }
}

function validateBody(bodyModels: ApiMethod['bodyModels'], request: MethodRequest): void {
  // A content type without a model is not validated (its template, or passthrough, decides).
  const model = bodyModels.get(request.contentType) ?? bodyModels.get('$default');
  if (!model) return;
  let check: ReturnType<typeof checkRequestBody>;
  try {
    check = checkRequestBody(model.schema, request.body);
  } catch (error) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, { log: `Model ${model.name} cannot be used to validate: ${(error as Error).message}` });
  }
  if (!check.valid) {
    const problems = validationErrorString(check.problems);
    throw new GatewayError('BAD_REQUEST_BODY', undefined, {
      validationErrorString: problems,
      log: `Request body does not match model schema for content type ${request.contentType}: ${problems}`,
    });
  }
}

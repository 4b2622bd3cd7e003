import { substituteContextVariables, type ContextVariables } from './context-variables';

/**
 * API Gateway's own error responses ("gateway responses"): the response for each error
 * type, customizable per API with aws_api_gateway_gateway_response, falling back to the
 * API's DEFAULT_4XX or DEFAULT_5XX, falling back to API Gateway's built-in
 * `{"message":$context.error.messageString}`.
 *
 * Gateway response templates, like access-log formats, are not VTL: API Gateway only
 * substitutes `$context` variables in them ("A GatewayResponse mapping template isn't
 * processed by the Velocity Template Language (VTL) engine"), so they are rendered here
 * by substitution, not by the mapping template renderer.
 */

/**
 * The response types this server produces, with API Gateway's default status and message.
 * A null message is API Gateway's own: an authorizer that fails answers `{"message":null}`.
 */
export const GATEWAY_RESPONSE_TYPES: Readonly<Record<GatewayResponseType, { readonly status: number; readonly message: string | null; readonly errorType: string; readonly template?: string }>> = {
  // A Lambda authorizer's denial is written with a capital M: {"Message":"User is not authorized ..."}.
  ACCESS_DENIED: { status: 403, message: 'Forbidden', errorType: 'AccessDeniedException', template: '{"Message":$context.error.messageString}' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: null, errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, message: 'Internal server error', errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters', errorType: 'BadRequestException' },
  EXPIRED_TOKEN: { status: 403, message: 'Forbidden', errorType: 'ExpiredTokenException' },
  // API Gateway documents 504 for INTEGRATION_FAILURE, but an AWS integration that fails
  // (unreachable service, bad credentials) answers 500 "Internal server error".
  INTEGRATION_FAILURE: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, message: 'Forbidden', errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'ResourceNotFoundException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' },
  WAF_FILTERED: { status: 403, message: 'Forbidden', errorType: 'WafFilteredException' },
};

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/** The built-in template of every gateway response an API does not customize. */
export const BUILT_IN_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * An error API Gateway answers itself, thrown anywhere while handling a request and
 * turned into the API's gateway response for its type.
 */
export class GatewayError extends Error {
  /** API Gateway's message is null (`$context.error.messageString` is `null`). */
  readonly messageIsNull: boolean;

  constructor(
    readonly type: GatewayResponseType,
    /** `$context.error.message`; defaults to the type's message. */
    message?: string,
    readonly details: {
      /** The status when the API's gateway responses set none, where API Gateway answers another than the type's (a malformed Lambda proxy response: 502). */
      readonly statusCode?: number;
      /** `$context.error.validationErrorString`, e.g. `[object has missing required properties (["item"])]`. */
      readonly validationErrorString?: string;
      /** What went wrong, for the execution log (never shown to the client). */
      readonly log?: string;
      /** Sets `$context.integration.error`. */
      readonly integrationError?: string;
    } = {},
  ) {
    const defaultMessage = GATEWAY_RESPONSE_TYPES[type].message;
    super(message ?? defaultMessage ?? '');
    this.messageIsNull = message === undefined && defaultMessage === null;
    this.name = 'GatewayError';
  }
}

/** One aws_api_gateway_gateway_response, with its references resolved. */
export interface GatewayResponseConfig {
  readonly statusCode?: number;
  /** Content type -> template. */
  readonly templates: Readonly<Record<string, string>>;
  /** `gatewayresponse.header.<name>` -> source expression, e.g. `'*'` or `method.request.header.Origin`. */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface RenderedResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** Headers sent once per value (a Lambda proxy response's multiValueHeaders, e.g. several Set-Cookie). */
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[]>>;
  readonly body: string;
}

/** The `$context.error` variables of an error, as API Gateway sets them. */
export function errorVariables(error: GatewayError) {
  return {
    message: error.message,
    messageString: error.messageIsNull ? 'null' : JSON.stringify(error.message),
    responseType: error.type,
    // API Gateway JSON-escapes it, so that templates may put it between quotes.
    validationErrorString: escapeJsonString(error.details.validationErrorString ?? ''),
  };
}

/**
 * The response API Gateway sends for `error`: status, headers and body from the API's
 * gateway response for the error's type, else from its DEFAULT_4XX / DEFAULT_5XX, else
 * built in. As in API Gateway, a status code set on DEFAULT_4XX or DEFAULT_5XX applies
 * to every type of that class the API does not customize.
 */
export function renderGatewayResponse(
  responses: ReadonlyMap<string, GatewayResponseConfig>,
  error: GatewayError,
  context: ContextVariables,
  options: {
    /** Value of a response-parameter source such as `method.request.header.Origin`. */
    readonly parameterValue: (expression: string) => string | undefined;
    readonly accept?: string;
  },
): RenderedResponse {
  const defaults = GATEWAY_RESPONSE_TYPES[error.type];
  const specific = responses.get(error.type);
  const fallback = responses.get(defaults.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
  const statusCode = specific?.statusCode ?? fallback?.statusCode ?? error.details.statusCode ?? defaults.status;

  const templates = nonEmpty(specific?.templates) ?? nonEmpty(fallback?.templates) ?? { 'application/json': defaults.template ?? BUILT_IN_TEMPLATE };
  const contentType = chooseContentType(Object.keys(templates), options.accept);
  const body = substituteContextVariables(templates[contentType], context, '');

  const headers: Record<string, string> = { 'Content-Type': contentType, 'x-amzn-ErrorType': defaults.errorType };
  for (const [target, source] of Object.entries({ ...fallback?.parameters, ...specific?.parameters })) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    const value = options.parameterValue(source);
    if (name !== undefined && value !== undefined) headers[name] = value;
  }
  return { statusCode, headers, body };
}

/**
 * The template's content type for a client's Accept header: an exact match, else
 * application/json, else the first one.
 */
export function chooseContentType(contentTypes: readonly string[], accept: string | undefined): string {
  const accepted = (accept ?? '')
    .split(',')
    .map((part) => part.split(';')[0].trim().toLowerCase())
    .filter((part) => part !== '');
  return (
    accepted.map((type) => contentTypes.find((candidate) => candidate.toLowerCase() === type)).find((match) => match !== undefined) ??
    contentTypes.find((candidate) => candidate.toLowerCase() === 'application/json') ??
    contentTypes[0]
  );
}

/** The inside of a JSON string literal for `value`. */
export function escapeJsonString(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function nonEmpty(templates: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
  return templates && Object.keys(templates).length > 0 ? templates : undefined;
}

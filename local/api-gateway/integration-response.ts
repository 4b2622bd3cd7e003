import type { AwsIntegrationResponse } from './aws-integration';
import { chooseContentType, GatewayError, type RenderedResponse } from './gateway-responses';
import { renderMappingTemplate, type ContextOverrides, type TemplateScope } from './mapping-template';
import { headerValue, type MethodRequest, type ParameterValues } from './method-request';
import type { AuthorizedContext } from './request-context';
import type { ApiIntegration } from './rest-api-definition';
import { vtlText } from './vtl-values';

/**
 * The integration response: the one whose selection pattern matches the endpoint's
 * status code (else the default one), its template for the content type the client
 * accepts, and its response parameters as headers; then what the templates set on
 * `$context.responseOverride` (status, headers) over those.
 *
 * @param context `$context` as its template sees it
 * @param scope `$input.params()`, and the overrides the request's templates set
 * @param parameterValue sources of response parameters, read after the integration
 * @param log the execution log
 */
export function integrationResponse(
  integration: ApiIntegration,
  endpoint: AwsIntegrationResponse,
  request: MethodRequest,
  context: AuthorizedContext,
  scope: TemplateScope,
  parameterValue: ParameterValues,
  log: (line: string) => void,
  where: string,
): RenderedResponse {
  const status = String(endpoint.statusCode);
  const matching = integration.responses.filter((r) => r.selects?.test(status));
  const selected = matching[0] ?? integration.responses.find((r) => r.selects === undefined);
  if (matching.length > 1) {
    log(`${where}: several integration responses match status ${status}; using the one for ${selected?.statusCode}`);
  }
  if (!selected) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${status} (${where})`,
    });
  }
  const contentTypes = Object.keys(selected.templates);
  const contentType = contentTypes.length > 0 ? chooseContentType(contentTypes, headerValue(request.headers, 'accept')) : 'application/json';
  const template = selected.templates[contentType];
  let body: string;
  try {
    // An empty template, like none, passes the integration's body through.
    body = template === undefined || template.trim() === '' ? endpoint.body : renderMappingTemplate(template, { body: endpoint.body, context, ...scope });
  } catch (error) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `Execution failed due to configuration error: Unable to transform response (${where}): ${(error as Error).message}`,
    });
  }
  const headers: Record<string, string> = { 'Content-Type': contentType };
  for (const [target, source] of Object.entries(selected.parameters)) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    const value = source === 'integration.response.body' ? endpoint.body : parameterValue(source);
    if (name !== undefined && value !== undefined) headers[name] = value;
  }
  return withResponseOverride({ statusCode: selected.statusCode, headers, body }, scope.overrides.response, where);
}

/** The method response with `$context.responseOverride.status` and `.header.<name>` applied. */
function withResponseOverride(response: RenderedResponse, override: ContextOverrides['response'], where: string): RenderedResponse {
  const headers = { ...response.headers };
  for (const [name, value] of Object.entries(override.header)) {
    if (value !== null && value !== undefined) headers[name] = vtlText(value);
  }
  if (override.status === undefined || override.status === null || override.status === '') return { ...response, headers };
  const statusCode = Number(override.status);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `Execution failed due to configuration error: $context.responseOverride.status is ${vtlText(override.status)}, not a status code (${where})`,
    });
  }
  return { ...response, statusCode, headers };
}

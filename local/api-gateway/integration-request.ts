import { GatewayError } from './gateway-responses';
import { renderMappingTemplate, type TemplateScope } from './mapping-template';
import type { MethodRequest } from './method-request';
import type { AuthorizedContext } from './request-context';
import type { ApiIntegration } from './rest-api-definition';

/**
 * The integration request's body: the request template for the client's content type,
 * rendered, or the client's body passed through, as the integration's passthrough
 * behaviour decides.
 *
 * @param scope `$input.params()`, and the overrides the template sets for the rest of the request
 */
export function integrationRequestBody(integration: ApiIntegration, request: MethodRequest, context: AuthorizedContext, scope: TemplateScope, where: string): string {
  const template = requestTemplate(integration, request.contentType);
  if (template === undefined) return request.body;
  try {
    return renderMappingTemplate(template, { body: request.body, context, ...scope });
  } catch (error) {
    const notJson = error instanceof SyntaxError ? jsonParseError(request.body) : undefined;
    if (notJson !== undefined) {
      // The template reads the body as JSON ($input.json, $input.path) and it is not.
      throw new GatewayError('BAD_REQUEST_BODY', `Could not parse request body into json: ${notJson}`);
    }
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `Execution failed due to configuration error: Unable to transform request (${where}): ${(error as Error).message}`,
    });
  }
}

/**
 * The request template for the client's content type, or undefined to pass the body
 * through, as the integration's passthrough behaviour decides.
 */
function requestTemplate(integration: ApiIntegration, contentType: string): string | undefined {
  const template = integration.requestTemplates[contentType];
  if (template !== undefined) return template;
  const hasTemplates = Object.keys(integration.requestTemplates).length > 0;
  const refuse =
    integration.passthroughBehavior === 'NEVER' || (integration.passthroughBehavior === 'WHEN_NO_TEMPLATES' && hasTemplates);
  if (refuse) {
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', undefined, {
      log: `No template for content type ${contentType} and passthrough behavior ${integration.passthroughBehavior}`,
    });
  }
  return undefined;
}

/** Why `text` is not JSON, or undefined when it is. */
function jsonParseError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

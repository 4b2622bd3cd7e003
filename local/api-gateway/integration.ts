import { callAwsService, type AwsIntegrationResponse, type AwsServiceBackend } from './aws-integration';
import { GatewayError } from './gateway-responses';
import type { ParameterValues } from './method-request';
import type { ApiIntegration } from './rest-api-definition';

/**
 * The integration, by type: AWS integrations go to the backend of their service, a MOCK
 * answers from its request template; HTTP, HTTP_PROXY and AWS_PROXY are refused with
 * 500 rather than answered some other way.
 *
 * @param body the integration request's body (see integration-request.ts)
 * @returns what the endpoint answered, for the integration response to select on
 */
export async function callIntegration(
  integration: ApiIntegration,
  body: string,
  parameterValue: ParameterValues,
  backends: Readonly<Record<string, AwsServiceBackend>>,
  where: string,
): Promise<AwsIntegrationResponse> {
  switch (integration.type) {
    case 'AWS':
      return callAwsService(integration, body, parameterValue, backends, where);
    case 'MOCK':
      return { statusCode: mockStatusCode(body, where), body: '' };
    default:
      throw new GatewayError('API_CONFIGURATION_ERROR', `integration type ${integration.type} not supported locally yet`, {
        log: `${where}: integration type ${integration.type} is not supported by the local API Gateway (only AWS and MOCK are)`,
      });
  }
}

/** A MOCK integration answers the status code its request template renders, e.g. `{"statusCode": 200}`. */
function mockStatusCode(rendered: string, where: string): number {
  let statusCode: unknown;
  try {
    statusCode = (JSON.parse(rendered) as { statusCode?: unknown })?.statusCode;
  } catch {
    statusCode = undefined;
  }
  if (typeof statusCode === 'string' && /^\d+$/.test(statusCode)) statusCode = Number(statusCode);
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `${where}: the MOCK integration's request template must render {"statusCode": <number>}, it rendered ${JSON.stringify(rendered.slice(0, 200))}`,
    });
  }
  return statusCode;
}

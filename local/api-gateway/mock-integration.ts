import type { AwsIntegrationResponse } from './aws-integration';
import { GatewayError } from './gateway-responses';

/**
 * A MOCK integration answers the status code its request template renders, e.g.
 * `{"statusCode": 200}`, with an empty body for the integration response to fill.
 *
 * @param rendered the integration request's body (see integration-request.ts)
 */
export function mockIntegration(rendered: string, where: string): AwsIntegrationResponse {
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
  return { statusCode, body: '' };
}

import { GatewayError } from './gateway-responses';
import type { ParameterValues } from './method-request';
import type { ApiIntegration } from './rest-api-definition';

/**
 * An AWS-type integration: the integration request's parameters mapped onto headers and
 * the uri's path, the AWS service named by the uri, and the call handed to that
 * service's backend (see sqs-query-adapter.ts, step-functions-adapter.ts) within the
 * integration's timeout.
 */

/** What an AWS-type integration call looks like after the request template ran. */
export interface AwsIntegrationRequest {
  /** The integration uri with every ${...} resolved, e.g. arn:aws:apigateway:us-east-1:sqs:path/000000000000/dev-POC-Queue */
  readonly uri: string;
  /** integration_http_method */
  readonly httpMethod: string;
  /** From request_parameters `integration.request.header.X`, e.g. `'literal'` or `method.request.header.Y`. */
  readonly headers: Record<string, string>;
  /** The rendered request template (or the client's body when it passes through). */
  readonly body: string;
}

export interface AwsIntegrationResponse {
  readonly statusCode: number;
  readonly body: string;
}

/** Backend for one AWS service of `arn:aws:apigateway:<region>:<service>:...` uris, e.g. 'sqs'. */
export type AwsServiceBackend = (request: AwsIntegrationRequest) => Promise<AwsIntegrationResponse>;

export async function callAwsService(
  integration: ApiIntegration,
  body: string,
  parameterValue: ParameterValues,
  backends: Readonly<Record<string, AwsServiceBackend>>,
  where: string,
): Promise<AwsIntegrationResponse> {
  const { uri, headers } = mapRequestParameters(integration, parameterValue, where);
  const service = /^arn:[^:]+:apigateway:[^:]*:(?:[^:]*\.)?([^:.]+):(?:path|action)\/.*$/s.exec(uri)?.[1];
  if (service === undefined) {
    throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
      log: `${where}: the integration uri ${uri} is not arn:<partition>:apigateway:<region>:<service>:path/... or :action/...`,
    });
  }
  const backend = Object.prototype.hasOwnProperty.call(backends, service) ? backends[service] : undefined;
  if (!backend) {
    const message = `no backend for AWS service ${service} (integration uri ${uri}): pass backends.${service} to startRestApi`;
    throw new GatewayError('INTEGRATION_FAILURE', undefined, { log: `${where}: ${message}`, integrationError: message });
  }
  const request: AwsIntegrationRequest = { uri, httpMethod: integration.httpMethod ?? 'POST', headers, body };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new GatewayError('INTEGRATION_TIMEOUT', undefined, {
      log: `${where}: the ${service} backend did not answer within ${integration.timeoutMs} ms`,
      integrationError: 'Endpoint request timed out',
    })), integration.timeoutMs);
  });
  try {
    const answer = await Promise.race([backend(request), timeout]);
    if (!Number.isInteger(answer?.statusCode) || typeof answer.body !== 'string') {
      throw new Error(`the backend answered ${JSON.stringify(answer)}, not { statusCode, body }`);
    }
    return answer;
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    const message = (error as Error)?.message ?? String(error);
    throw new GatewayError('INTEGRATION_FAILURE', undefined, {
      log: `${where}: Execution failed due to an internal error: the ${service} backend failed: ${message}`,
      integrationError: message,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The integration's request_parameters: `integration.request.header.X` as a header, `integration.request.path.X` into the uri's `{X}`. */
function mapRequestParameters(integration: ApiIntegration, parameterValue: ParameterValues, where: string): { uri: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let uri = integration.uri ?? '';
  for (const [target, source] of Object.entries(integration.requestParameters)) {
    const [, kind, name] = /^integration\.request\.(header|path|querystring|multivaluequerystring)\.(.+)$/.exec(target) ?? [];
    const value = parameterValue(source);
    if (kind === 'header') {
      if (value !== undefined) headers[name] = value;
    } else if (kind === 'path') {
      uri = uri.split(`{${name}}`).join(value === undefined ? '' : encodeURIComponent(value));
    } else {
      throw new GatewayError('API_CONFIGURATION_ERROR', undefined, {
        log: `${where}: the integration request parameter ${target} is not supported by the local API Gateway (headers and path parameters are)`,
      });
    }
  }
  return { uri, headers };
}

import { substituteContextVariables, type ContextValue, type ContextVariables } from './context-variables';
import type { RenderedResponse } from './gateway-responses';
import type { RequestContext } from './request-context';

/**
 * One access-log line in the stage's access_log_settings.format: its `$context`
 * variables substituted, those of the response included (status, responseLength,
 * responseLatency, integrationStatus, integrationLatency).
 */
export function accessLogLine(format: string, context: RequestContext, response: RenderedResponse, latencyMs: number): string {
  const variables = withoutEmpty({
    ...context,
    status: response.statusCode,
    responseLength: Buffer.byteLength(response.body, 'utf8'),
    responseLatency: latencyMs,
    integrationStatus: context.integration?.status,
    integrationLatency: context.integration?.latency,
  });
  return substituteContextVariables(format, variables, '-');
}

/** Access logs write `-` for a variable without a value, including an empty one. */
function withoutEmpty(variables: ContextVariables): ContextVariables {
  const copy: Record<string, ContextValue> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined || value === '') continue;
    copy[name] = typeof value === 'object' ? withoutEmpty(value) : value;
  }
  return copy;
}

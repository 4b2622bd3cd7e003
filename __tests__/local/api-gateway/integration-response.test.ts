import { GatewayError } from '../../../local/api-gateway/gateway-responses';
import { integrationResponse } from '../../../local/api-gateway/integration-response';
import { NO_PARAMETERS } from '../../../local/api-gateway/input-variable';
import { noOverrides } from '../../../local/api-gateway/mapping-template';
import type { MethodRequest } from '../../../local/api-gateway/method-request';
import type { AuthorizedContext } from '../../../local/api-gateway/request-context';
import type { ApiIntegration } from '../../../local/api-gateway/rest-api-definition';

/** The method response a response template makes of a backend's answer, with `$context.responseOverride` applied. */
function respond(template: string, overrides = noOverrides()) {
  const integration: ApiIntegration = {
    type: 'MOCK',
    passthroughBehavior: 'WHEN_NO_MATCH',
    requestTemplates: {},
    requestParameters: {},
    timeoutMs: 29_000,
    responses: [{ statusCode: 200, templates: { 'application/json': template }, parameters: {} }],
  };
  const request: MethodRequest = { headers: {}, query: new URLSearchParams(), body: '', contentType: 'application/json' };
  const context = { requestId: 'r-1' } as AuthorizedContext;
  return integrationResponse(integration, { statusCode: 200, body: '{"state": "locked"}' }, request, context, { params: NO_PARAMETERS, overrides }, () => undefined, () => undefined, 'GET /doc');
}

describe('$context.responseOverride in the method response (issue 12)', () => {
  it('answers the status and headers the template set', () => {
    const response = respond(
      '#if($input.path("$.state") == "locked")#set($context.responseOverride.status = 423)#set($context.responseOverride.header.Retry-After = 30)#end{"ok": false}',
    );
    expect(response).toEqual({ statusCode: 423, headers: { 'Content-Type': 'application/json', 'Retry-After': '30' }, body: '{"ok": false}' });
  });

  it('answers the status a request template of the same request set', () => {
    const overrides = noOverrides();
    overrides.response.status = '202';
    expect(respond('{}', overrides).statusCode).toBe(202);
  });

  it('refuses a status that is not one', () => {
    expect(() => respond('#set($context.responseOverride.status = "soon")')).toThrow(GatewayError);
  });
});

import { substituteContextVariables } from '../../../local/api-gateway/context-variables';
import { chooseContentType, errorVariables, GatewayError, renderGatewayResponse, type GatewayResponseConfig } from '../../../local/api-gateway/gateway-responses';

const render = (responses: Record<string, GatewayResponseConfig>, error: GatewayError, headers: Record<string, string> = {}) =>
  renderGatewayResponse(new Map(Object.entries(responses)), error, { requestId: 'r-1', error: errorVariables(error) }, {
    parameterValue: (source) => (/^'(.*)'$/.exec(source)?.[1] ?? headers[source]),
  });

describe('renderGatewayResponse', () => {
  it("answers API Gateway's built-in response when the API customizes nothing", () => {
    expect(render({}, new GatewayError('MISSING_AUTHENTICATION_TOKEN'))).toEqual({
      statusCode: 403,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' },
      body: '{"message":"Missing Authentication Token"}',
    });
  });

  it('uses the response for the type, with its status and headers', () => {
    const responses = {
      THROTTLED: { statusCode: 503, templates: { 'application/json': '{"retry": true, "id": "$context.requestId"}' }, parameters: { 'gatewayresponse.header.Retry-After': "'5'" } },
      DEFAULT_4XX: { templates: { 'application/json': '{"fallback": true}' }, parameters: {} },
    };

    expect(render(responses, new GatewayError('THROTTLED'))).toEqual({
      statusCode: 503,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException', 'Retry-After': '5' },
      body: '{"retry": true, "id": "r-1"}',
    });
  });

  it("falls back to DEFAULT_4XX or DEFAULT_5XX by the type's class, whose status code applies to the whole class", () => {
    const responses = {
      DEFAULT_4XX: { statusCode: 400, templates: { 'application/json': '{"client": $context.error.messageString}' }, parameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
      DEFAULT_5XX: { templates: { 'application/json': '{"server": $context.error.messageString}' }, parameters: {} },
    };

    const forbidden = render(responses, new GatewayError('MISSING_AUTHENTICATION_TOKEN'));
    const failed = render(responses, new GatewayError('INTEGRATION_FAILURE'));

    expect(forbidden).toMatchObject({ statusCode: 400, body: '{"client": "Missing Authentication Token"}' });
    expect(forbidden.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(failed).toMatchObject({ statusCode: 500, body: '{"server": "Internal server error"}' });
  });

  it('keeps a specific status code but takes the templates of the class when the type sets none', () => {
    const responses = {
      REQUEST_TOO_LARGE: { statusCode: 400, templates: {}, parameters: {} },
      DEFAULT_4XX: { templates: { 'application/json': '{"m": $context.error.messageString}' }, parameters: {} },
    };

    expect(render(responses, new GatewayError('REQUEST_TOO_LARGE'))).toMatchObject({ statusCode: 400, body: '{"m": "Request Too Long"}' });
  });

  it('quotes messageString and JSON-escapes validationErrorString, so both fit in JSON', () => {
    const error = new GatewayError('BAD_REQUEST_BODY', 'Invalid "order"', { validationErrorString: '[object has missing required properties (["item"])]' });
    const responses = {
      BAD_REQUEST_BODY: { templates: { 'application/json': '{"m": $context.error.messageString, "d": "$context.error.validationErrorString"}' }, parameters: {} },
    };

    const { statusCode, body } = render(responses, error);

    expect(statusCode).toBe(400);
    expect(JSON.parse(body)).toEqual({ m: 'Invalid "order"', d: '[object has missing required properties (["item"])]' });
  });
});

describe('substituteContextVariables', () => {
  const context = { status: 200, identity: { sourceIp: '127.0.0.1' }, integration: {}, error: { message: '' } };

  it('substitutes dotted variables and writes `missing` for those without a value', () => {
    expect(substituteContextVariables('$context.identity.sourceIp $context.status $context.integration.error $context.nope', context, '-')).toBe('127.0.0.1 200 - -');
  });

  it('leaves text after a variable alone', () => {
    expect(substituteContextVariables('status=$context.status.', context, '-')).toBe('status=200.');
    expect(substituteContextVariables('"$context.status"', context, '-')).toBe('"200"');
  });

  it('is not VTL: directives and other variables stay as written', () => {
    expect(substituteContextVariables('#set($x = 1)$x $input.body', context, '-')).toBe('#set($x = 1)$x $input.body');
  });
});

describe('chooseContentType', () => {
  it('prefers what the client accepts, then application/json, then the first', () => {
    expect(chooseContentType(['application/json', 'application/xml'], 'application/xml')).toBe('application/xml');
    expect(chooseContentType(['text/html', 'application/json'], 'text/plain')).toBe('application/json');
    expect(chooseContentType(['text/html', 'application/xml'], undefined)).toBe('text/html');
  });
});

import { javaUrlEncode, noOverrides, renderMappingTemplate } from '../../local/api-gateway/mapping-template';
import { checkRequestBody } from '../../local/api-gateway/request-model';
import { parseOrderRequest } from '../../functions/orders/store-order/order';
import { OrdersPipelineStack } from '../../stacks/orders-pipeline';
import { synthStack } from '../support/synth';

/**
 * The API's mapping templates, taken from the synthesized stack and rendered as API
 * Gateway renders them: what SQS receives, and what the client gets back.
 */
const { stack } = synthStack(OrdersPipelineStack, 'orders-pipeline');
const [integration] = Object.values(stack.resources('aws_api_gateway_integration'));
const requestTemplate = (integration.request_templates as Record<string, string>)['application/json'];
const responseTemplate = (statusCode: string) => {
  const responses = Object.values(stack.resources('aws_api_gateway_integration_response'));
  const configuredOnly = () => {
    throw new Error('status codes are configured values');
  };
  const response = responses.find((r) => stack.resolve(String(r.status_code), configuredOnly) === statusCode);
  if (!response) throw new Error(`No integration response ${statusCode}`);
  return (response.response_templates as Record<string, string>)['application/json'];
};

/** What SQS's query API reads from the form-encoded integration request. */
const sentMessageBody = (template: string, body: string) => {
  const form = new URLSearchParams(renderMappingTemplate(template, { body }));
  return { action: form.get('Action'), messageBody: form.get('MessageBody') };
};

describe('the SendMessage request template', () => {
  it.each([
    ['the lab Task 9 order', '{"item": "latex gloves", "customerID": "12345"}'],
    ['& and = in a value', '{"item": "soap & water", "customerID": "a=b&Action=DeleteQueue"}'],
    ['+ and %', '{"item": "1+1 for 100% clean", "customerID": "%41%2B"}'],
    ['quotes and backslashes', '{"item": "5\\" \\"pro\\" mop \\\\ bucket", "customerID": "O\'Brien"}'],
    ['non-ASCII text', '{"item": "Schwämme für Küche 🧽, 洗剤", "customerID": "ÅÄÖ-42"}'],
    ['line breaks and spaces', '{\n  "item": "  bleach  ",\n  "customerID": "7"\n}'],
  ])('delivers %s to SQS intact', (_case, body) => {
    expect(sentMessageBody(requestTemplate, body)).toEqual({ action: 'SendMessage', messageBody: body });
  });

  it("fixes the lab's template, which breaks a body on & and +", () => {
    const labTemplate = 'Action=SendMessage&MessageBody=$input.body';
    const body = '{"item": "soap & water + sponge", "customerID": "1"}';
    expect(sentMessageBody(labTemplate, body).messageBody).not.toBe(body);
  });

  it("encodes as API Gateway's $util.urlEncode (Java's URLEncoder) does", () => {
    expect(javaUrlEncode("a b*c-d_e.f!g'h(i)j~k&l+m")).toBe('a+b*c-d_e.f%21g%27h%28i%29j%7Ek%26l%2Bm');
  });
});

describe('the integration responses', () => {
  const sqsResponse = JSON.stringify({
    SendMessageResponse: {
      ResponseMetadata: { RequestId: 'req-1' },
      SendMessageResult: { MD5OfMessageBody: 'abc', MessageId: '5fea7756-0ea4-451a-a703-a558b933e274' },
    },
  });

  it('answers 200 with the SQS message id as the order id, as JSON', () => {
    expect(JSON.parse(renderMappingTemplate(responseTemplate('200'), { body: sqsResponse }))).toEqual({
      orderId: '5fea7756-0ea4-451a-a703-a558b933e274',
      status: 'accepted',
    });
  });

  /** The error response as API Gateway renders it: its body, and the status `$context.responseOverride` sets. */
  const queueFailure = (sqsAnswer: string) => {
    const overrides = noOverrides();
    const rendered = renderMappingTemplate(responseTemplate('500'), { body: sqsAnswer, overrides });
    return { status: overrides.response.status ?? '500', json: JSON.parse(rendered) as unknown };
  };
  // What SQS answers (HTTP 400) for a message over the queue's MaximumMessageSize, as JSON
  // (API Gateway asks for JSON) and in the Query API's XML.
  const TOO_LONG = 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.';
  const tooLongJson = JSON.stringify({ Error: { Code: 'InvalidParameterValue', Message: TOO_LONG, Type: 'Sender' }, RequestId: 'req-2' });
  const tooLongXml = `<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>${TOO_LONG}</Message><Detail/></Error><RequestId>req-3</RequestId></ErrorResponse>`;

  it('answers a queue failure with a JSON message that leaks nothing of SQS', () => {
    expect(queueFailure('<ErrorResponse>AccessDenied</ErrorResponse>')).toEqual({ status: '500', json: { message: expect.stringMatching(/could not be queued/) } });
    expect(queueFailure(JSON.stringify({ Error: { Code: 'AccessDenied', Message: 'secret', Type: 'Sender' } }))).toEqual({
      status: '500',
      json: { message: 'The request could not be queued. Try again later.' },
    });
  });

  it.each([
    ['JSON', tooLongJson],
    ['XML', tooLongXml],
  ])("answers SQS's message-too-long error (%s) with 413 naming the queue's limit: retrying cannot help", (_format, sqsAnswer) => {
    expect(queueFailure(sqsAnswer)).toEqual({ status: 413, json: { message: expect.stringContaining('at most 262144 bytes') } });
  });
});

describe('the Order request model', () => {
  const [model] = Object.values(stack.resources('aws_api_gateway_model'));
  const schema = JSON.parse(String(model.schema)) as object;

  it.each([
    '{"item": "latex gloves", "customerID": "12345"}',
    '{"customerID": "12345", "item": "soap & water + 100% 🧼"}',
  ])('accepts %s', (body) => {
    expect(checkRequestBody(schema, body)).toEqual({ valid: true });
  });

  it.each([
    ['not JSON', '{"item": "latex gloves",'],
    ['an array', '[{"item": "latex gloves", "customerID": "12345"}]'],
    ['null', 'null'],
    ['no customerID', '{"item": "latex gloves"}'],
    ['no item', '{"customerID": "12345"}'],
    ['a number for customerID', '{"item": "latex gloves", "customerID": 12345}'],
    ['an empty item', '{"item": "", "customerID": "12345"}'],
    ['an item of spaces and tabs', '{"item": " \\t \\t", "customerID": "12345"}'],
    ['a customerID of spaces', '{"item": "latex gloves", "customerID": "   "}'],
    ['a customerID of line breaks', '{"item": "latex gloves", "customerID": "\\n\\r\\n"}'],
    ['an item of no-break and ideographic spaces', '{"item": "\\u00a0\\u3000\\u2003\\ufeff", "customerID": "12345"}'],
    ['an extra field', '{"item": "latex gloves", "customerID": "12345", "price": 0}'],
    ['an item past 200 characters', JSON.stringify({ item: 'x'.repeat(201), customerID: '1' })],
    ['a 1 MB body', JSON.stringify({ item: 'gloves', customerID: '1', padding: 'x'.repeat(1024 * 1024) })],
  ])('refuses %s', (_case, body) => {
    const check = checkRequestBody(schema, body);
    expect(check.valid).toBe(false);
  });
});

it('says which field is wrong', () => {
  const [model] = Object.values(stack.resources('aws_api_gateway_model'));
  expect(checkRequestBody(JSON.parse(String(model.schema)), '{"item": "latex gloves"}')).toEqual({
    valid: false,
    problems: [expect.stringContaining('customerID')],
  });
});

describe('the Order request model and POC-Lambda-1 (one rule)', () => {
  const [model] = Object.values(stack.resources('aws_api_gateway_model'));
  const schema = JSON.parse(String(model.schema)) as object;
  const storable = (body: string) => {
    try {
      parseOrderRequest(body);
      return true;
    } catch {
      return false;
    }
  };

  // Every order the API accepts must be one the function stores: else the client is told
  // "accepted" and the order ends in the dead-letter queue.
  it.each([
    ['spaces and tabs', ' \t \t '],
    ['line breaks', '\n\r\n'],
    ['a vertical tab and a form feed', '\u000b\u000c'],
    ['no-break spaces', '\u00a0\u202f\ufeff'],
    ['Unicode space separators', '\u1680\u2000\u200a\u2028\u2029\u205f\u3000'],
    ['a letter between spaces', '  x  '],
    ['a zero-width space (not white space to either)', '\u200b'],
    ['an emoji', '🧽'],
    ['201 characters', 'x'.repeat(201)],
    ['200 emoji (200 characters, 400 UTF-16 units)', '🧽'.repeat(200)],
  ])('agree on an item of %s', (_case, item) => {
    const body = JSON.stringify({ item, customerID: '12345' });
    expect(storable(body)).toBe(checkRequestBody(schema, body).valid);
  });
});

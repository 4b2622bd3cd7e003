import type { AwsIntegrationRequest, AwsIntegrationResponse, AwsServiceBackend } from '../../../local/api-gateway/rest-api-server';
import type { SynthesizedStack } from '../../../local/stack/synthesized-stack';
import { OrdersPipelineStack } from '../../../stacks/orders-pipeline';
import { fakeAwsAttributes } from '../../support/fake-aws';
import { synthStack, TEST_CONFIG } from '../../support/synth';

/** The orders-pipeline stack as synth writes it, and a resolver of its references to fake AWS values. */
export function ordersStack(): { stack: SynthesizedStack; resolve: (value: string) => string } {
  const { stack } = synthStack(OrdersPipelineStack, 'orders-pipeline', TEST_CONFIG);
  return { stack, resolve: resolverFor(stack) };
}

export function resolverFor(stack: SynthesizedStack): (value: string) => string {
  const attributes = fakeAwsAttributes(TEST_CONFIG.region);
  return (value) => stack.resolve(value, attributes);
}

/** A backend that records each call and answers what `answer` returns (by default, SendMessage's success). */
export class RecordingBackend {
  readonly requests: AwsIntegrationRequest[] = [];
  answer: (request: AwsIntegrationRequest) => Promise<AwsIntegrationResponse> | AwsIntegrationResponse = () => sendMessageSuccess(`message-${this.requests.length}`);

  readonly backend: AwsServiceBackend = async (request) => {
    this.requests.push(request);
    return this.answer(request);
  };

  /** MessageBody of each SendMessage call, decoded as SQS's Query API decodes the form. */
  get messageBodies(): (string | null)[] {
    return this.requests.map((request) => new URLSearchParams(request.body).get('MessageBody'));
  }
}

export function sendMessageSuccess(messageId: string): AwsIntegrationResponse {
  return {
    statusCode: 200,
    body: JSON.stringify({
      SendMessageResponse: {
        ResponseMetadata: { RequestId: 'request-1' },
        SendMessageResult: { MD5OfMessageBody: 'md5', MessageId: messageId, SequenceNumber: null },
      },
    }),
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Sends a request and reads the whole answer; `json` is undefined when the body is not JSON. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function postJson(url: string, body: string, contentType = 'application/json'): Promise<Answer> {
  return call(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
}

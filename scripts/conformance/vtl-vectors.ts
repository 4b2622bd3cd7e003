import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { integrationRequestBody } from '../../local/api-gateway/integration-request';
import { integrationResponse } from '../../local/api-gateway/integration-response';
import { noOverrides, type TemplateScope } from '../../local/api-gateway/mapping-template';
import { templateParameters, type MethodRequest } from '../../local/api-gateway/method-request';
import { mockIntegration } from '../../local/api-gateway/mock-integration';
import type { AuthorizedContext } from '../../local/api-gateway/request-context';
import type { ApiIntegration } from '../../local/api-gateway/rest-api-definition';
import { errorText, refusalOf, type Outcome } from './outcome';

/**
 * vtl.json: mapping templates and what AWS made of them. The first step is an
 * integration request template, rendered by integration-request.ts; a second step is
 * the integration response template over what the backend answered (`{"from":
 * "previous"}`: an echo of the rendered request; `mock`: the MOCK integration the first
 * step fed), rendered by integration-response.ts. `observe` says what AWS recorded of
 * the final text: the text itself, fields of SQS's form, or the records Kinesis stored.
 */
interface VtlVector {
  readonly id: string;
  readonly steps: readonly VtlStep[];
  readonly observe?: Observation;
  readonly expected: unknown;
  readonly compare: 'exact' | 'json';
}

interface VtlStep {
  readonly template: string;
  readonly body: string | { readonly from: 'previous' };
  readonly params?: { readonly path?: Record<string, string>; readonly querystring?: Record<string, string>; readonly header?: Record<string, string> };
  /** The step before was a MOCK integration's request template. */
  readonly mock?: boolean;
}

type Observation =
  | { readonly kind: 'form-field-md5'; readonly field: string }
  | { readonly kind: 'form-fields'; readonly fields: Record<string, string>; readonly json?: readonly string[] }
  | { readonly kind: 'kinesis-PutRecord' | 'kinesis-PutRecords' };

const WHERE = 'POST /conformance';

export function runVtlVector(vector: VtlVector): Outcome {
  const { id, expected } = vector;
  let actual: unknown;
  try {
    actual = observe(vector.observe, renderSteps(vector.steps));
  } catch (error) {
    const reason = refusalOf(error);
    return reason !== undefined ? { id, kind: 'refused', reason } : { id, kind: 'different', expected, actual: errorText(error) };
  }
  if (vector.compare === 'json' && typeof actual === 'string') actual = parsedOrText(actual);
  const same = vector.compare === 'exact' ? actual === expected : isDeepStrictEqual(actual, expected);
  return same ? { id, kind: 'same' } : { id, kind: 'different', expected, actual };
}

/** JSON text as the value it holds; anything else stays the text it is (and differs). */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function renderSteps(steps: readonly VtlStep[]): string {
  if (steps.length === 0 || steps.length > 2) throw new Error(`a vector of ${steps.length} steps: expected a request template and at most a response template`);
  const [first, second] = steps;
  const type = second?.mock ? 'MOCK' : 'AWS';
  const request = methodRequest(first);
  const context = CONTEXT;
  const scope: TemplateScope = { params: templateParameters(request, first.params?.path), overrides: noOverrides() };
  const rendered = integrationRequestBody(integration(type, first.template), request, context, scope, WHERE);
  if (second === undefined) return rendered;
  const endpoint = second.mock ? mockIntegration(rendered, WHERE) : { statusCode: 200, body: typeof second.body === 'string' ? second.body : rendered };
  const response = integrationResponse(integration(type, undefined, second.template), endpoint, request, context, scope, () => undefined, () => undefined, WHERE);
  return response.body;
}

function methodRequest(step: VtlStep): MethodRequest {
  if (typeof step.body !== 'string') throw new Error('the first step needs a body of its own');
  const headers = Object.fromEntries(Object.entries(step.params?.header ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return { headers, query: new URLSearchParams(step.params?.querystring ?? {}), body: step.body, contentType: 'application/json' };
}

function integration(type: string, requestTemplate?: string, responseTemplate?: string): ApiIntegration {
  return {
    type,
    passthroughBehavior: 'WHEN_NO_MATCH',
    requestTemplates: requestTemplate === undefined ? {} : { 'application/json': requestTemplate },
    requestParameters: {},
    timeoutMs: 29_000,
    responses: [{ statusCode: 200, templates: responseTemplate === undefined ? {} : { 'application/json': responseTemplate }, parameters: {} }],
  };
}

/** `$context` as a request to an API without an authorizer has it. */
const CONTEXT: AuthorizedContext = {
  requestId: 'c0ffee00-0000-4000-8000-000000000000',
  extendedRequestId: 'conformanceXXXXX',
  apiId: 'conformance',
  stage: 'test',
  httpMethod: 'POST',
  path: '/test/conformance',
  protocol: 'HTTP/1.1',
  domainName: '127.0.0.1',
  requestTime: '01/Jan/2026:00:00:00 +0000',
  requestTimeEpoch: 1767225600000,
  identity: { sourceIp: '127.0.0.1' },
  resourcePath: '/conformance',
  resourceId: 'conformance',
};

function observe(observation: Observation | undefined, text: string): unknown {
  switch (observation?.kind) {
    case undefined:
      return text;
    case 'form-field-md5':
      // What SQS stores is the form field as SQS's Query API decodes it.
      return createHash('md5').update(new URLSearchParams(text).get(observation.field) ?? '').digest('hex');
    case 'form-fields': {
      const form = new URLSearchParams(text);
      return Object.fromEntries(
        Object.entries(observation.fields).map(([name, field]) => {
          const value = form.get(field);
          return [name, value !== null && observation.json?.includes(name) ? JSON.parse(value) : value];
        }),
      );
    }
    case 'kinesis-PutRecord':
    case 'kinesis-PutRecords': {
      // No local Kinesis: the records are read from the rendered request as Kinesis's API
      // defines them (Data is the base64 of the bytes stored).
      const request = JSON.parse(text) as { Data?: string; PartitionKey?: string; Records?: { Data: string; PartitionKey: string }[] };
      const records = observation.kind === 'kinesis-PutRecord' ? [request as { Data: string; PartitionKey: string }] : (request.Records ?? []);
      return records.map(({ Data, PartitionKey }) => ({ Data: Buffer.from(Data, 'base64').toString('utf8'), PartitionKey }));
    }
  }
}

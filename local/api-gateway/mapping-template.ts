import { render } from 'velocityjs';

/**
 * Renders an API Gateway mapping template (VTL) as API Gateway does, with the variables
 * templates use: `$input` (body, path, json), `$util` and `$context`. Tests render the
 * templates taken from the synthesized stack, so what is proven is the deployed template.
 *
 * Reference: "Variables for data transformations for API Gateway" in the API Gateway
 * developer guide. JSONPath support is limited to what our templates use: `$` and
 * dotted paths such as `$.SendMessageResponse.SendMessageResult`.
 */
export interface MappingInput {
  /** The raw request (or integration response) body. */
  readonly body: string;
  /** `$context` variables, e.g. `{ requestId: '...' }`. */
  readonly context?: Record<string, unknown>;
}

export function renderMappingTemplate(template: string, input: MappingInput): string {
  return render(template, {
    input: inputVariable(input.body),
    util: UTIL,
    context: input.context ?? {},
  });
}

function inputVariable(body: string) {
  const parsed = () => JSON.parse(body) as unknown;
  return {
    body,
    path: (jsonPath: string) => select(parsed(), jsonPath),
    json: (jsonPath: string) => JSON.stringify(select(parsed(), jsonPath) ?? null),
  };
}

function select(document: unknown, jsonPath: string): unknown {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(jsonPath)) {
    throw new Error(`JSONPath ${jsonPath} is beyond what this renderer supports ($ and dotted names)`);
  }
  return jsonPath
    .split('.')
    .slice(1)
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), document);
}

/**
 * `$util.urlEncode` is Java's URLEncoder with UTF-8: letters, digits and `.-*_` stay,
 * a space becomes `+`, everything else is percent-encoded.
 */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

const UTIL = {
  urlEncode: javaUrlEncode,
  urlDecode: (value: string) => decodeURIComponent(value.replace(/\+/g, ' ')),
  escapeJavaScript: (value: string) => JSON.stringify(value).slice(1, -1).replace(/'/g, "\\'"),
  base64Encode: (value: string) => Buffer.from(value, 'utf8').toString('base64'),
  base64Decode: (value: string) => Buffer.from(value, 'base64').toString('utf8'),
  parseJson: (value: string) => JSON.parse(value) as unknown,
};

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
  return render(
    template,
    {
      input: inputVariable(input.body),
      util: UTIL,
      context: input.context ?? {},
    },
    undefined,
    { customMethodHandlers: [JAVA_REPLACE_ALL] },
  );
}

/**
 * In API Gateway's VTL a string is a java.lang.String, whose `replaceAll` takes a regular
 * expression: `.replaceAll("\\'", "'")` (AWS's documented fix for escapeJavaScript's `\'`)
 * matches a backslash and a quote. JavaScript's `replaceAll` would match its argument
 * literally and change nothing, so the Java behaviour is reproduced here.
 */
const JAVA_REPLACE_ALL = {
  uid: 'java-string-replaceAll',
  match: ({ property, context, params }: { property: string; context: unknown; params: unknown[] }) =>
    property === 'replaceAll' && typeof context === 'string' && params.length === 2 && params.every((param) => typeof param === 'string'),
  resolve: ({ context, params }: { context: unknown; params: unknown[] }) =>
    (context as string).replace(new RegExp(params[0] as string, 'g'), javaReplacement(params[1] as string)),
};

/** Java's replacement syntax (`\x` is a literal x, `$1` a group) in JavaScript's (`$$` a literal `$`). */
function javaReplacement(replacement: string): string {
  return replacement.replace(/\\(.)|(\$\d+)|(\$)/g, (_match, escaped: string | undefined, group: string | undefined) => {
    if (escaped !== undefined) return escaped === '$' ? '$$' : escaped;
    return group ?? '$$';
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

import { hostObject } from './vtl-methods';
import { parseJsonValue } from './vtl-values';

/**
 * `$input` in a mapping template: the payload (the method request's body in a request
 * template, the integration's answer in a response template) and the method request's
 * parameters. Reference: "$input variables" in the API Gateway developer guide.
 */

/** The method request's parameters, as `$input.params()` groups them. */
export interface RequestParameters {
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  /** Header names in any case; `$input.params(name)` finds them whatever the case. */
  readonly header: Readonly<Record<string, string>>;
}

export const NO_PARAMETERS: RequestParameters = { path: {}, querystring: {}, header: {} };

export function inputVariable(body: string, parameters: RequestParameters) {
  // AWS reads an empty payload as an empty JSON object (recorded: $input.body is "{}").
  const payload = body === '' ? '{}' : body;
  let parsed: { readonly value: unknown } | undefined;
  const document = () => (parsed ??= { value: parseJsonValue(payload) }).value;
  return hostObject('input', {
    body: payload,
    path: (jsonPath: string) => select(document(), jsonPath),
    json: (jsonPath: string) => JSON.stringify(select(document(), jsonPath) ?? null),
    params: (name?: string) => (name === undefined ? allParameters(parameters) : parameter(parameters, name)),
  });
}

/** `$input.params(name)`: a path parameter, else a query string parameter, else a header. */
function parameter({ path, querystring, header }: RequestParameters, name: string): string | undefined {
  if (Object.hasOwn(path, name)) return path[name];
  if (Object.hasOwn(querystring, name)) return querystring[name];
  const headerName = Object.keys(header).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return headerName === undefined ? undefined : header[headerName];
}

/** `$input.params()`: a map of the three maps, fresh each time (a template may change them). */
function allParameters({ path, querystring, header }: RequestParameters): Record<string, Record<string, string>> {
  return { path: { ...path }, querystring: { ...querystring }, header: { ...header } };
}

/**
 * The part of `document` a JSONPath names. Supported: `$`, `.name`, `['name']` and `[n]`
 * steps; anything else (wildcards, `..`, filters, slices) is refused as not supported
 * locally rather than guessed.
 */
function select(document: unknown, jsonPath: string): unknown {
  const steps = jsonPathSteps(jsonPath);
  return steps.reduce<unknown>((node, step) => {
    if (typeof step === 'number') return Array.isArray(node) ? node[step] : undefined;
    return node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, step) ? (node as Record<string, unknown>)[step] : undefined;
  }, document);
}

const STEP = /^(?:\.([^.[\]*'"]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

function jsonPathSteps(jsonPath: string): (string | number)[] {
  const path = jsonPath.trim();
  if (!path.startsWith('$')) throw new Error(`the JSONPath ${JSON.stringify(jsonPath)} (it must start with $) is not supported locally`);
  const steps: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) {
      throw new Error(`the JSONPath ${JSON.stringify(jsonPath)} is not supported locally (only $, .name, ['name'] and [index] steps are)`);
    }
    const [text, name, index, single, double] = match;
    steps.push(index !== undefined ? Number(index) : (name ?? single ?? double));
    rest = rest.slice(text.length);
  }
  return steps;
}

import type { IncomingMessage } from 'node:http';
import { contextVariable, type ContextVariables } from './context-variables';
import type { RequestParameters } from './input-variable';

/**
 * The method request: what the client sent, as API Gateway's validators, authorizers
 * and parameter mappings read it.
 */
export interface MethodRequest {
  readonly headers: IncomingMessage['headers'];
  /** Names and values as the client wrote them, in order (Node's rawHeaders), for a Lambda proxy event; absent, `headers` serves. */
  readonly rawHeaders?: readonly string[];
  readonly query: URLSearchParams;
  readonly body: string;
  /** The media type of the body; application/json when the client names none. */
  readonly contentType: string;
}

/** The value of a parameter-mapping source, e.g. `'literal'` or `method.request.header.Origin`; undefined when it has none. */
export type ParameterValues = (source: string) => string | undefined;

export function methodRequest(request: IncomingMessage, url: URL, body: string): MethodRequest {
  return {
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    query: url.searchParams,
    body,
    contentType: mediaType(request.headers['content-type']) ?? 'application/json',
  };
}

/**
 * Parameter mapping sources: a `'literal'`, `method.request.<header|querystring|path>.<name>`
 * or `context.<variable>`, read from `context` as it stands at the mapping's step.
 */
export function parameterValues(request: MethodRequest, pathParameters: Readonly<Record<string, string>> | undefined, context: ContextVariables): ParameterValues {
  return (source) => {
    const literal = /^'(.*)'$/s.exec(source);
    if (literal) return literal[1];
    const parameter = requestParameter(source, request, pathParameters);
    if (parameter) return parameter.value;
    const contextPath = /^context\.(.+)$/.exec(source)?.[1];
    return contextPath === undefined ? undefined : contextVariable(context, contextPath);
  };
}

/**
 * The request's value for `method.request.<header|querystring|path>.<name>`, or undefined
 * when the expression names no request parameter.
 */
export function requestParameter(
  expression: string,
  request: MethodRequest,
  pathParameters: Readonly<Record<string, string>> | undefined,
): { readonly value: string | undefined } | undefined {
  const [, where, name] = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(expression) ?? [];
  if (where === 'header') return { value: headerValue(request.headers, name) };
  if (where === 'querystring') return { value: request.query.get(name) ?? undefined };
  if (where === 'path') return { value: pathParameters?.[name] };
  return undefined;
}

/** The method request's parameters as `$input.params()` gives them to mapping templates. */
export function templateParameters(request: MethodRequest, pathParameters: Readonly<Record<string, string>> | undefined): RequestParameters {
  const header: Record<string, string> = {};
  for (const name of Object.keys(request.headers)) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) header[name] = value;
  }
  return { path: { ...pathParameters }, querystring: Object.fromEntries(request.query), header };
}

export function headerValue(headers: IncomingMessage['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `application/json; charset=utf-8` -> `application/json`. */
function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0].trim().toLowerCase();
  return type === '' ? undefined : type;
}

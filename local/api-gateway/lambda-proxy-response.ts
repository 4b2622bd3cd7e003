import type { RenderedResponse } from './gateway-responses';

/**
 * A Lambda proxy integration's answer read as API Gateway reads it: an object with
 * statusCode and optionally headers, multiValueHeaders, body (text) and isBase64Encoded,
 * nothing else; anything other is a "Malformed Lambda proxy response" (502).
 */

const KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

export type ProxyAnswer =
  | { readonly response: RenderedResponse; readonly isBase64Encoded: boolean; readonly malformed?: undefined }
  /** Why API Gateway would call it malformed, for the execution log. */
  | { readonly malformed: string };

export function readProxyAnswer(result: unknown): ProxyAnswer {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    return { malformed: `the function returned ${describe(result)}, not an object with a statusCode` };
  }
  const answer = result as Record<string, unknown>;
  const unknown = Object.keys(answer).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) return { malformed: `the response has fields a REST API does not take: ${unknown.join(', ')}` };

  const statusCode = typeof answer.statusCode === 'string' && /^\d+$/.test(answer.statusCode) ? Number(answer.statusCode) : answer.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return { malformed: `statusCode is ${describe(answer.statusCode)}, not an HTTP status code` };
  }
  if (answer.body !== undefined && answer.body !== null && !isScalar(answer.body)) {
    return { malformed: `body is ${describe(answer.body)}; it must be a string (JSON.stringify it)` };
  }
  if (answer.isBase64Encoded !== undefined && answer.isBase64Encoded !== null && typeof answer.isBase64Encoded !== 'boolean') {
    return { malformed: `isBase64Encoded is ${describe(answer.isBase64Encoded)}, not a boolean` };
  }
  const headers = scalarMap(answer.headers, 'headers');
  if (typeof headers === 'string') return { malformed: headers };
  const multiValueHeaders = listMap(answer.multiValueHeaders);
  if (typeof multiValueHeaders === 'string') return { malformed: multiValueHeaders };

  // A header in both is sent with multiValueHeaders' values only.
  const single: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!Object.keys(multiValueHeaders).some((multi) => multi.toLowerCase() === name.toLowerCase())) single[name] = value;
  }
  const named = (name: string) => [...Object.keys(single), ...Object.keys(multiValueHeaders)].some((key) => key.toLowerCase() === name);
  if (!named('content-type')) single['Content-Type'] = 'application/json';
  return {
    response: {
      statusCode,
      headers: single,
      multiValueHeaders,
      body: answer.body === undefined || answer.body === null ? '' : String(answer.body as string | number | boolean),
    },
    isBase64Encoded: answer.isBase64Encoded === true,
  };
}

function scalarMap(value: unknown, field: string): Record<string, string> | string {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return `${field} is ${describe(value)}, not an object`;
  const map: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry === null || entry === undefined) continue;
    if (!isScalar(entry)) return `${field}.${name} is ${describe(entry)}, not a string`;
    map[name] = String(entry);
  }
  return map;
}

function listMap(value: unknown): Record<string, string[]> | string {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return `multiValueHeaders is ${describe(value)}, not an object`;
  const map: Record<string, string[]> = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry === null || entry === undefined) continue;
    if (!Array.isArray(entry) || !entry.every(isScalar)) return `multiValueHeaders.${name} is ${describe(entry)}, not a list of strings`;
    map[name] = entry.map((one) => String(one as string | number | boolean));
  }
  return map;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describe(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

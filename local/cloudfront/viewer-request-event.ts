/**
 * The event a CloudFront Function (cloudfront-js-2.0) gets at viewer request, and how a
 * request it returns becomes the one sent on: headers and query string parameters keyed by
 * their lowercase name (headers) or their name (query string), each `{ value }`, a repeated
 * one with `multiValue`, as CloudFront's event structure documents.
 */
export interface FunctionValue {
  value: string;
  multiValue?: { value: string }[];
}

export interface FunctionRequest {
  method: string;
  uri: string;
  querystring: Record<string, FunctionValue>;
  headers: Record<string, FunctionValue>;
  cookies: Record<string, FunctionValue>;
}

export interface FunctionResponse {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, FunctionValue>;
  cookies?: Record<string, FunctionValue & { attributes?: string }>;
  body?: string | { data: string; encoding: 'text' | 'base64' };
}

export interface ViewerRequestEvent {
  version: '1.0';
  context: { distributionDomainName: string; distributionId: string; eventType: 'viewer-request'; requestId: string };
  viewer: { ip: string };
  request: FunctionRequest;
}

/** Several values of one name: the first as `value`, all of them as `multiValue`. */
function grouped(entries: Iterable<[string, string]>): Record<string, FunctionValue> {
  const result: Record<string, FunctionValue> = {};
  for (const [name, value] of entries) {
    const existing = result[name];
    if (existing === undefined) result[name] = { value };
    else (existing.multiValue ??= [{ value: existing.value }]).push({ value });
  }
  return result;
}

export function functionRequestOf(method: string, url: URL, headers: Record<string, string | string[] | undefined>): FunctionRequest {
  const headerEntries: [string, string][] = [];
  const cookieEntries: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      // CloudFront gives cookies apart from the headers.
      if (name === 'cookie') {
        for (const pair of one.split(';')) {
          const at = pair.indexOf('=');
          if (at > 0) cookieEntries.push([pair.slice(0, at).trim(), pair.slice(at + 1).trim()]);
        }
      } else headerEntries.push([name.toLowerCase(), one]);
    }
  }
  return {
    method,
    uri: decodeURIComponent(url.pathname),
    querystring: grouped(url.searchParams.entries()),
    headers: grouped(headerEntries),
    cookies: grouped(cookieEntries),
  };
}

/** Every value of a `{ value, multiValue }` map, as name/value pairs. */
export function valuesOf(map: Record<string, FunctionValue> | undefined): [string, string][] {
  return Object.entries(map ?? {}).flatMap(([name, entry]) =>
    entry.multiValue && entry.multiValue.length > 0 ? entry.multiValue.map((one): [string, string] => [name, one.value]) : [[name, entry.value] as [string, string]],
  );
}

/** The path and query string a (possibly changed) request goes on with. */
export function pathAndQueryOf(request: FunctionRequest): string {
  const query = new URLSearchParams(valuesOf(request.querystring)).toString();
  return `${encodeURI(request.uri)}${query === '' ? '' : `?${query}`}`;
}

/** The headers a (possibly changed) request goes on with, cookies folded back into one header. */
export function headersOf(request: FunctionRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of valuesOf(request.headers)) headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  const cookies = valuesOf(request.cookies).map(([name, value]) => `${name}=${value}`);
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  return headers;
}

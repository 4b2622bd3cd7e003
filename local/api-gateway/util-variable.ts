import { hostObject } from './vtl-methods';
import { parseJsonValue } from './vtl-values';

/**
 * `$util` in a mapping template. Reference: "$util variables" in the API Gateway
 * developer guide. A null argument gives what AWS was recorded giving (urlEncode: nothing)
 * or is refused, not guessed.
 */

/**
 * `$util.urlEncode` is Java's URLEncoder with UTF-8: letters, digits and `.-*_` stay,
 * a space becomes `+`, everything else is percent-encoded.
 */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

export function utilVariable() {
  return hostObject('util', {
    urlEncode: (value: unknown) => (value === null || value === undefined ? '' : javaUrlEncode(text('urlEncode', value))),
    urlDecode: (value: unknown) => decodeURIComponent(text('urlDecode', value).replace(/\+/g, ' ')),
    escapeJavaScript: (value: unknown) =>
      JSON.stringify(text('escapeJavaScript', value))
        .slice(1, -1)
        .replace(/'/g, "\\'"),
    base64Encode: (value: unknown) => Buffer.from(text('base64Encode', value), 'utf8').toString('base64'),
    base64Decode: (value: unknown) => Buffer.from(text('base64Decode', value), 'base64').toString('utf8'),
    parseJson: (value: unknown) => parseJsonValue(text('parseJson', value)),
  });
}

/** The argument as the String the Java method takes. */
function text(method: string, value: unknown): string {
  if (value === null || value === undefined) throw new Error(`$util.${method}() of a null value is not supported locally`);
  if (typeof value === 'object') throw new Error(`$util.${method}() of a map or list is not supported locally`);
  return String(value);
}

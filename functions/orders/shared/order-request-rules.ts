/**
 * What makes an order: the one rule that the REST API's request model (built from it by
 * the stack) and POC-Lambda-1 (which checks it again on every message) both enforce. If
 * they disagreed, an order the API answered "accepted" could be one the function refuses,
 * and it would end in the dead-letter queue: the client told yes, the order lost.
 */

export const ORDER_FIELD_NAMES = ['item', 'customerID'] as const;
export type OrderFieldName = (typeof ORDER_FIELD_NAMES)[number];

/** Longest value of each field, in characters (Unicode code points, as JSON Schema counts them). */
export const ORDER_FIELD_MAX_LENGTH: Readonly<Record<OrderFieldName, number>> = {
  item: 200,
  customerID: 64,
};

/**
 * Matches a value with at least one character that is not white space (JSON Schema
 * `pattern` is unanchored: any match anywhere passes).
 *
 * The white space is listed rather than written `\S`: API Gateway's validator runs in
 * Java, where `\s` may mean ASCII white space only, and a value of no-break spaces would
 * then pass the model yet fail here. These are exactly the characters JavaScript's `\s`
 * and `trim()` treat as white space (ECMA-262 WhiteSpace and LineTerminator), each
 * written as `\uXXXX`, which both regex dialects read the same way.
 */
export const NOT_BLANK_PATTERN = '[^\\u0009-\\u000d\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';

const NOT_BLANK = new RegExp(NOT_BLANK_PATTERN);

/** The JSON Schema (draft-04) of one field: the API's model is made of these. */
export function orderFieldSchema(name: OrderFieldName) {
  return { type: 'string', minLength: 1, maxLength: ORDER_FIELD_MAX_LENGTH[name], pattern: NOT_BLANK_PATTERN };
}

/** What is wrong with one field's value, in words for the dead-letter queue's reader, or undefined. */
export function orderFieldProblem(name: OrderFieldName, value: unknown): string | undefined {
  if (value === undefined) return `"${name}" is missing`;
  if (typeof value !== 'string') return `"${name}" must be a string, got ${describeJsonType(value)}`;
  if (value === '') return `"${name}" must not be empty`;
  if (!NOT_BLANK.test(value)) return `"${name}" must not be only white space`;
  const length = [...value].length;
  const maxLength = ORDER_FIELD_MAX_LENGTH[name];
  if (length > maxLength) return `"${name}" must be at most ${maxLength} characters, got ${length}`;
  return undefined;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

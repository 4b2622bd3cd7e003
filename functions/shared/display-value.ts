import { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';

/** Shown instead of a value the row does not have: a reader should never see "undefined". */
export const NOT_RECORDED = '(not recorded)';

/**
 * One field of a DynamoDB row (unmarshalled, numbers wrapped) as a person reads it in a
 * plain-text email: always a single line, never "undefined" or DynamoDB type descriptors.
 *
 * @param placeholder shown when the value is missing, null or blank; `NOT_RECORDED` unless given
 */
export function displayValue(value: unknown, placeholder: string = NOT_RECORDED): string {
  if (value === undefined || value === null) return placeholder;
  if (typeof value === 'string') {
    if (value.trim() === '') return placeholder;
    // A line break inside a value would start a line of its own and could pose as
    // another field ("Order ID: ..."); a space keeps one field per line.
    return value.replace(/[\r\n]+/g, ' ');
  }
  // A DynamoDB number, wrapped: its exact decimal text.
  if (value instanceof NumberValue) return value.toString();
  if (typeof value === 'object') return JSON.stringify(value, readableJson);
  return String(value);
}

/** Wrapped numbers and sets would otherwise print as `{"value":"1"}` and `{}`. */
function readableJson(_key: string, value: unknown): unknown {
  if (value instanceof NumberValue) return value.toString();
  if (value instanceof Set) return [...value];
  return value;
}

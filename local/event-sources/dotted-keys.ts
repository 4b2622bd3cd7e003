/**
 * Event Ruler reads events and patterns as flat lists of dotted paths, so a key that
 * holds dots names the same field as the nested keys it spells: `{"state.status": x}`
 * and `{"state": {"status": x}}` are one field, in a pattern and in an event alike.
 * These turn dotted keys into nesting, so that matching can walk one shape.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * An event with every dotted key nested. Where two spellings give one path two values,
 * the path holds both as a list (what Ruler's flattening does: either value can match);
 * objects at one path are merged. An event without dotted keys is returned as it is.
 */
export function nestEventKeys(value: Json): Json {
  if (!hasDottedKey(value)) return value;
  return nestEvent(value);
}

function nestEvent(value: Json): Json {
  if (Array.isArray(value)) return value.map(nestEvent);
  if (!isObject(value)) return value;
  const nested: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(value)) {
    const names = key.split('.');
    const leaf = nestEvent(child);
    const inner = names.slice(1).reduceRight<Json>((acc, name) => ({ [name]: acc }), leaf);
    nested[names[0]] = Object.hasOwn(nested, names[0]) ? mergeEvent(nested[names[0]], inner) : inner;
  }
  return nested;
}

function mergeEvent(left: Json, right: Json): Json {
  if (isObject(left) && isObject(right)) {
    const merged = { ...left };
    for (const [key, value] of Object.entries(right)) merged[key] = Object.hasOwn(merged, key) ? mergeEvent(merged[key], value) : value;
    return merged;
  }
  return [...(Array.isArray(left) ? left : [left]), ...(Array.isArray(right) ? right : [right])];
}

/**
 * A pattern object with every dotted field name nested (`$or` alternatives included;
 * value lists are left alone). Two spellings of one field that both give it a value list
 * are refused by `conflict`: Ruler's answer for that is not known here.
 */
export function nestPatternKeys(pattern: Record<string, unknown>, conflict: (path: string) => never): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      nested[key] = Array.isArray(value) ? value.map((alternative) => (isObject(alternative) ? nestPatternKeys(alternative, conflict) : alternative)) : value;
      continue;
    }
    const names = key.split('.');
    const inner = names.slice(1).reduceRight<unknown>((acc, name) => ({ [name]: acc }), isObject(value) ? nestPatternKeys(value, conflict) : value);
    nested[names[0]] = Object.hasOwn(nested, names[0]) ? mergePattern(nested[names[0]], inner, names[0], conflict) : inner;
  }
  return nested;
}

function mergePattern(left: unknown, right: unknown, path: string, conflict: (path: string) => never): unknown {
  if (!isObject(left) || !isObject(right)) return conflict(path);
  const merged: Record<string, unknown> = { ...left };
  for (const [key, value] of Object.entries(right)) {
    merged[key] = Object.hasOwn(merged, key) ? mergePattern(merged[key], value, `${path}.${key}`, conflict) : value;
  }
  return merged;
}

function hasDottedKey(value: Json): boolean {
  if (Array.isArray(value)) return value.some(hasDottedKey);
  if (!isObject(value)) return false;
  return Object.entries(value).some(([key, child]) => key.includes('.') || hasDottedKey(child));
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

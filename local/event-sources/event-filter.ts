/**
 * Lambda event filtering (an event source mapping's `filter_criteria`), evaluated the
 * way Lambda evaluates it: each pattern is an EventBridge-style pattern (Lambda uses
 * AWS's Event Ruler) matched against one record as Lambda delivers it; a record is sent
 * to the function when ANY pattern matches, and with no patterns every record is sent.
 *
 * Supported, as Lambda documents them ("Control which events Lambda sends to your
 * function") and Event Ruler implements them: exact values (strings, numbers, booleans,
 * null), nested objects, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `cidr`,
 * `anything-but` (a value, a list of strings or of numbers, or `{prefix}` / `{suffix}` /
 * `{wildcard}` with a string or a list of them, or `{equals-ignore-case}`), `numeric`
 * (`=`, `<`, `<=`, `>`, `>=` and ranges), `exists` and `$or`. A pattern AWS would refuse
 * throws a PatternError when the patterns are compiled; one this module cannot evaluate
 * exactly throws an error saying it is "not supported locally": it must never silently
 * match or silently drop records. Checked against AWS-recorded answers with
 * `npm run conformance` (../shared/fidelity/filter.json).
 *
 * Matching rules taken from Event Ruler:
 * - Field names are dotted paths: `{"state.status": ...}` and `{"state": {"status": ...}}`
 *   name one field, in patterns and in records (see dotted-keys.ts).
 * - A field's pattern is always an array (or a nested object); the field matches when
 *   any entry matches. Fields of one object are ANDed.
 * - When the record's value is an array, the field matches when any element matches.
 *   A nested pattern matched against an array of objects must match within ONE element
 *   (Ruler's "array-consistent" matching): fields from different elements do not combine.
 * - Comparison operators apply to leaf values only. `exists: true` needs a leaf value
 *   (a string, number, boolean or null) at the path; a field holding an object or an
 *   empty array counts as absent, so `exists: false` matches it.
 * - A number in a value list matches numerically (`[300]` matches `3.0e2`); strings
 *   never match numbers (`["1"]` does not match `1`). DynamoDB's `N` values are strings
 *   in a stream record, so `numeric` never matches them, as in AWS.
 * - `anything-but` needs the field to be present: an absent field matches nothing but
 *   `exists: false`. A string (or string list) `anything-but` matches any other leaf
 *   value, numbers and null included, and so do the `prefix`, `suffix`, `wildcard` and
 *   `equals-ignore-case` forms (as AWS answers: `{"anything-but": {"prefix": "a"}}`
 *   matches 12 and null). A numeric one matches only numbers (AWS does not document it).
 */

import { nestEventKeys, nestPatternKeys } from './dotted-keys';
import { compileCidr } from './filter-cidr';
import { compileWildcard } from './filter-wildcard';

/** A record view: what Lambda matches patterns against (see sqsFilterView for SQS). */
export type RecordMatcher = (record: object) => boolean;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Matches one leaf value (never undefined, never an object or an array). */
type LeafTest = (value: Json) => boolean;

/** One entry of a field's value list. */
type ValueMatcher = { readonly kind: 'leaf'; readonly test: LeafTest } | { readonly kind: 'exists'; readonly exists: boolean };

interface ObjectPattern {
  readonly fields: ReadonlyMap<string, FieldPattern>;
  /** Each group needs one of its alternatives to match (`$or`); groups are ANDed. */
  readonly orGroups: readonly (readonly ObjectPattern[])[];
}

type FieldPattern = { readonly kind: 'object'; readonly pattern: ObjectPattern } | { readonly kind: 'values'; readonly matchers: readonly ValueMatcher[] };

/** Operators that are not field names inside `$or` (Ruler refuses them there too). */
const OPERATORS = new Set(['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'wildcard', 'cidr']);

/**
 * Compiles `filter_criteria.filter[].pattern` strings into one predicate.
 *
 * @throws PatternError naming the pattern when a pattern is not valid JSON or not a
 *   valid filter pattern; NotSupportedLocally when it is valid but cannot be evaluated here
 */
export function compileFilterCriteria(patterns: readonly string[]): RecordMatcher {
  const compiled = patterns.map((pattern) => compilePattern(pattern));
  if (compiled.length === 0) return () => true;
  return (record) => {
    const nested = nestEventKeys(record as Json);
    return compiled.some((pattern) => matchObject(pattern, nested));
  };
}

/**
 * The view of an SQS record that Lambda matches patterns against: `body` parsed when it
 * holds a JSON object or array, so `{"body": {"field": [...]}}` patterns reach into the
 * message; any other body (plain text, or a bare JSON scalar such as `42`) stays the
 * string it is, so only plain-string `body` patterns (`{"body": ["text"]}`, prefix, ...)
 * can match it: under a string every nested field is absent, so an object pattern on a
 * non-JSON body matches only through `exists: false`, as Event Ruler evaluates it.
 *
 * Callers pass the view to the matcher and the original record to the function.
 */
export function sqsFilterView<T extends { readonly body: string }>(record: T): Omit<T, 'body'> & { body: unknown } {
  return { ...record, body: parseJsonDocument(record.body) };
}

function parseJsonDocument(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : text;
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------
// Compilation

export class PatternError extends Error {
  constructor(message: string, pattern: string) {
    super(`Invalid Lambda filter pattern ${pattern}: ${message}`);
    this.name = 'PatternError';
  }
}

/** A valid pattern (as far as is known) that this module cannot evaluate exactly. */
export class NotSupportedLocally extends Error {
  constructor(what: string, pattern: string) {
    super(`Lambda filter pattern ${pattern}: ${what} is not supported locally`);
    this.name = 'NotSupportedLocally';
  }
}

function compilePattern(source: string): ObjectPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new PatternError(`not JSON (${(error as Error).message})`, source);
  }
  if (!isPlainObject(parsed)) throw new PatternError('a pattern must be a JSON object', source);
  const nested = nestPatternKeys(parsed, (path) => {
    throw new NotSupportedLocally(`giving the field "${path}" values under two spellings (dotted and nested)`, source);
  });
  return compileObject(nested, source, false);
}

function compileObject(pattern: Record<string, unknown>, source: string, insideOr: boolean): ObjectPattern {
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new PatternError('empty objects are not allowed', source);
  const fields = new Map<string, FieldPattern>();
  const orGroups: ObjectPattern[][] = [];
  for (const [name, value] of entries) {
    if (name === '$or') {
      orGroups.push(compileOr(value, source));
      continue;
    }
    if (insideOr && OPERATORS.has(name)) {
      throw new PatternError(`"${name}" is an operator and cannot be a field name inside $or`, source);
    }
    if (Array.isArray(value)) {
      fields.set(name, { kind: 'values', matchers: compileValueList(name, value, source) });
    } else if (isPlainObject(value)) {
      fields.set(name, { kind: 'object', pattern: compileObject(value, source, insideOr) });
    } else if (OPERATORS.has(name)) {
      // {"field": {"prefix": "x"}} instead of {"field": [{"prefix": "x"}]}: Ruler reads
      // "prefix" as a nested field name and refuses its scalar value; say what was meant.
      throw new PatternError(`"${name}" must be an object or an array (an operator goes inside the field's array: [{"${name}": ...}])`, source);
    } else {
      throw new PatternError(`"${name}" must be an object or an array`, source);
    }
  }
  return { fields, orGroups };
}

function compileOr(value: unknown, source: string): ObjectPattern[] {
  if (!Array.isArray(value)) throw new PatternError('$or must be an array of objects', source);
  if (value.length < 2) throw new PatternError('$or needs at least 2 objects', source);
  return value.map((alternative) => {
    if (!isPlainObject(alternative)) throw new PatternError('only objects are allowed in $or', source);
    return compileObject(alternative, source, true);
  });
}

function compileValueList(field: string, values: unknown[], source: string): ValueMatcher[] {
  if (values.length === 0) throw new PatternError(`"${field}": empty arrays are not allowed`, source);
  return values.map((value): ValueMatcher => {
    if (value === null || typeof value === 'boolean') return { kind: 'leaf', test: (candidate) => candidate === value };
    if (typeof value === 'string') return { kind: 'leaf', test: (candidate) => candidate === value };
    if (typeof value === 'number') return { kind: 'leaf', test: (candidate) => typeof candidate === 'number' && candidate === value };
    if (isPlainObject(value)) return compileOperator(field, value, source);
    throw new PatternError(`"${field}": a match value must be a string, number, boolean, null or an operator object`, source);
  });
}

function compileOperator(field: string, expression: Record<string, unknown>, source: string): ValueMatcher {
  const keys = Object.keys(expression);
  if (keys.length !== 1) {
    throw new PatternError(`"${field}": an operator object must have exactly one key, found ${JSON.stringify(keys)}`, source);
  }
  const [operator] = keys;
  const operand = expression[operator];
  const fail = (message: string): never => {
    throw new PatternError(`"${field}": ${operator} ${message}`, source);
  };
  switch (operator) {
    case 'wildcard': {
      const test = compileWildcardOperand(operand, fail, source);
      return { kind: 'leaf', test: (candidate) => typeof candidate === 'string' && test(candidate) };
    }
    case 'cidr': {
      const test = compileCidr(operand);
      if (typeof test !== 'function') return fail(test.invalid.replace(/^cidr /, ''));
      return { kind: 'leaf', test };
    }
    case 'prefix':
    case 'suffix': {
      const test = compileAffix(operator, operand, fail);
      return { kind: 'leaf', test: (candidate) => typeof candidate === 'string' && test(candidate) };
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') return fail('must be a string');
      const expected = foldCase(operand);
      return { kind: 'leaf', test: (candidate) => typeof candidate === 'string' && foldCase(candidate) === expected };
    }
    case 'anything-but':
      return { kind: 'leaf', test: compileAnythingBut(operand, fail, source) };
    case 'numeric': {
      const test = compileNumeric(operand, fail);
      return { kind: 'leaf', test: (candidate) => typeof candidate === 'number' && test(candidate) };
    }
    case 'exists':
      if (typeof operand !== 'boolean') return fail('must be true or false');
      return { kind: 'exists', exists: operand };
    default:
      throw new PatternError(`"${field}": unknown operator "${operator}"`, source);
  }
}

/** A wildcard pattern string as a test, or the pattern refused as invalid or unsupported. */
function compileWildcardOperand(operand: unknown, fail: (message: string) => never, source: string): (value: string) => boolean {
  if (typeof operand !== 'string') return fail('must be a string');
  const test = compileWildcard(operand);
  if (typeof test === 'function') return test;
  if (test.kind === 'invalid') return fail(test.message);
  throw new NotSupportedLocally(test.message, source);
}

/** `prefix`/`suffix` with a string, or with `{"equals-ignore-case": string}`. */
function compileAffix(operator: 'prefix' | 'suffix', operand: unknown, fail: (message: string) => never): (value: string) => boolean {
  const at = (value: string, affix: string): boolean => (operator === 'prefix' ? value.startsWith(affix) : value.endsWith(affix));
  if (typeof operand === 'string') return (value) => at(value, operand);
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const inner = operand['equals-ignore-case'];
    if (keys.length === 1 && typeof inner === 'string') {
      const affix = foldCase(inner);
      return (value) => at(foldCase(value), affix);
    }
    return fail(`accepts a string or {"equals-ignore-case": string}, not ${JSON.stringify(operand)}`);
  }
  return fail('must be a string');
}

function compileAnythingBut(operand: unknown, fail: (message: string) => never, source: string): LeafTest {
  if (typeof operand === 'string' || typeof operand === 'number') return compileAnythingBut([operand], fail, source);
  if (Array.isArray(operand)) {
    const allStrings = operand.length > 0 && operand.every((value) => typeof value === 'string');
    const allNumbers = operand.length > 0 && operand.every((value) => typeof value === 'number');
    if (!allStrings && !allNumbers) return fail('takes a string, a number, or a non-empty list of only strings or only numbers');
    const excluded = new Set<unknown>(operand);
    if (allNumbers) return (candidate) => typeof candidate === 'number' && !excluded.has(candidate);
    return (candidate) => !excluded.has(candidate);
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) return fail(`takes one operator in an object, found ${JSON.stringify(keys)}`);
    const [inner] = keys;
    const value = operand[inner];
    // Each form excludes some strings; any other leaf value (a number, null) is not excluded.
    const unless = (excluded: (text: string) => boolean): LeafTest => (candidate) => typeof candidate !== 'string' || !excluded(candidate);
    if (!['prefix', 'suffix', 'wildcard', 'equals-ignore-case'].includes(inner)) {
      return fail(`does not support "${inner}" (only prefix, suffix, wildcard and equals-ignore-case)`);
    }
    const strings = stringOrStrings(value);
    if (strings === undefined) return fail(`${inner} takes a string or a non-empty list of strings`);
    if (inner === 'prefix' || inner === 'suffix') {
      if (strings.includes('')) return fail(`${inner} must not be empty`);
      return unless((text) => strings.some((affix) => (inner === 'prefix' ? text.startsWith(affix) : text.endsWith(affix))));
    }
    if (inner === 'wildcard') {
      const tests = strings.map((pattern) => compileWildcardOperand(pattern, fail, source));
      return unless((text) => tests.some((test) => test(text)));
    }
    const excluded = new Set(strings.map(foldCase));
    return unless((text) => excluded.has(foldCase(text)));
  }
  return fail('takes a string, a number, a list, or {prefix|suffix|wildcard|equals-ignore-case}');
}

/** A string as a list of one, a non-empty list of strings as it is, anything else undefined. */
function stringOrStrings(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((entry) => typeof entry === 'string')) return undefined;
  return list as string[];
}

/** `["=", n]`, `[op, n]` with op in < <= > >=, or `[">"|">=", low, "<"|"<=", high]`. */
function compileNumeric(operand: unknown, fail: (message: string) => never): (value: number) => boolean {
  if (!Array.isArray(operand)) return fail('must be an array such as [">", 0, "<=", 5]');
  const bound = (index: number): number => {
    const value = operand[index];
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`needs a number after "${String(operand[index - 1])}"`);
    return value;
  };
  const [first, , second] = operand;
  if (operand.length === 2) {
    const limit = bound(1);
    switch (first) {
      case '=':
        return (value) => value === limit;
      case '<':
        return (value) => value < limit;
      case '<=':
        return (value) => value <= limit;
      case '>':
        return (value) => value > limit;
      case '>=':
        return (value) => value >= limit;
      default:
        return fail(`has an unknown comparison ${JSON.stringify(first)}`);
    }
  }
  if (operand.length === 4) {
    if (first !== '>' && first !== '>=') return fail('ranges start with ">" or ">="');
    if (second !== '<' && second !== '<=') return fail('ranges end with "<" or "<="');
    const low = bound(1);
    const high = bound(3);
    const aboveLow = first === '>' ? (value: number) => value > low : (value: number) => value >= low;
    const belowHigh = second === '<' ? (value: number) => value < high : (value: number) => value <= high;
    return (value) => aboveLow(value) && belowHigh(value);
  }
  return fail('takes one comparison or a range of two');
}

// ---------------------------------------------------------------------------------
// Matching

/**
 * Whether `pattern` matches `value`, the value at the pattern's path (undefined when the
 * record has nothing there). An array is matched element by element (see the header).
 */
function matchObject(pattern: ObjectPattern, value: Json | undefined): boolean {
  const objects = objectsIn(value);
  // Nothing to descend into: every field is absent, which `exists: false` can still match.
  if (objects.length === 0) return matchWithin(pattern, undefined);
  return objects.some((object) => matchWithin(pattern, object));
}

function matchWithin(pattern: ObjectPattern, object: { [key: string]: Json } | undefined): boolean {
  for (const [name, field] of pattern.fields) {
    const value = object === undefined || !Object.hasOwn(object, name) ? undefined : object[name];
    const matched = field.kind === 'object' ? matchObject(field.pattern, value) : matchValues(field.matchers, value);
    if (!matched) return false;
  }
  return pattern.orGroups.every((alternatives) => alternatives.some((alternative) => matchWithin(alternative, object)));
}

function matchValues(matchers: readonly ValueMatcher[], value: Json | undefined): boolean {
  const leaves = leavesIn(value);
  return matchers.some((matcher) =>
    matcher.kind === 'exists' ? matcher.exists === leaves.length > 0 : leaves.some((leaf) => matcher.test(leaf)),
  );
}

/** The leaf values at a path: the value itself, or the scalars of an (nested) array. */
function leavesIn(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((element) => leavesIn(element));
  if (typeof value === 'object' && value !== null) return [];
  return [value];
}

function objectsIn(value: Json | undefined): { [key: string]: Json }[] {
  if (Array.isArray(value)) return value.flatMap((element) => objectsIn(element));
  return isPlainObject(value) ? [value as { [key: string]: Json }] : [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Case folding for equals-ignore-case: lower case of the upper case folds ß/SS and similar pairs alike. */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

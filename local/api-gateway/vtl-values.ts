/**
 * Values in API Gateway's VTL as AWS writes and compares them (checked against the
 * AWS-recorded answers in ../shared/fidelity/vtl.json with `npm run conformance`):
 *
 * - a null or missing value writes nothing, and equals "" as well as null;
 * - a JSON object (from `$input.path`, `$util.parseJson`) is a java.util.Map and writes
 *   as one: `{foo=bar, n=1}`;
 * - a JSON array is a JSON list and writes as compact JSON, `[{"foo":"bar"}]`, wherever it
 *   is (inside a map too: `{list=[{"foo":"bar"}]}`); a list made in the template
 *   (`[1, 2]`) is a java.util.List, `[1, 2]`.
 *
 * Values here are plain JavaScript data; the arrays that came from JSON are remembered
 * in JSON_LISTS.
 */

const JSON_LISTS = new WeakSet<unknown[]>();

/** `text` parsed as JSON, its arrays marked as JSON lists. */
export function parseJsonValue(text: string): unknown {
  return markJsonLists(JSON.parse(text) as unknown);
}

function markJsonLists(value: unknown): unknown {
  if (Array.isArray(value)) {
    JSON_LISTS.add(value);
    value.forEach(markJsonLists);
  } else if (isMap(value)) {
    Object.values(value).forEach(markJsonLists);
  }
  return value;
}

/**
 * A JSON object or a map made in the template: a plain object. (By its tag, not its
 * prototype: under jest, objects can come from another realm's Object.)
 */
export function isMap(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]' && !Array.isArray(value);
}

/** What `$value` writes into the output: nothing for null, Java's text for the rest. */
export function vtlText(value: unknown): string {
  return value === null || value === undefined ? '' : javaText(value);
}

/** Java's toString(): as vtlText, but a null inside a map or list is `null`. */
export function javaText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return JSON_LISTS.has(value) ? JSON.stringify(value) : `[${value.map(javaText).join(', ')}]`;
  if (isMap(value)) return `{${Object.entries(value).map(([key, entry]) => `${key}=${javaText(entry)}`).join(', ')}}`;
  if (typeof value === 'object' || typeof value === 'function') {
    throw new Error(`writing ${Object.prototype.toString.call(value)} as text is not supported locally`);
  }
  return String(value);
}

/**
 * `==` as AWS answers it: nulls equal each other and "" (recorded: a missing
 * `$input.path` result is both `== $null` and `== ""`); numbers compare by value; values of
 * one kind compare by content; values of different kinds by their text, as Velocity does.
 */
export function vtlEquals(left: unknown, right: unknown): boolean {
  const leftNull = left === null || left === undefined;
  const rightNull = right === null || right === undefined;
  if (leftNull || rightNull) return (leftNull && rightNull) || vtlText(leftNull ? right : left) === '';
  if (typeof left === 'number' && typeof right === 'number') return left === right;
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((item, index) => vtlEquals(item, right[index]));
  if (isMap(left) && isMap(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && vtlEquals(left[key], right[key]));
  }
  if (typeof left === typeof right && typeof left !== 'object') return left === right;
  return javaText(left) === javaText(right);
}

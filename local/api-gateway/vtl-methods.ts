import { isMap, javaText, vtlEquals } from './vtl-values';

/**
 * Method calls in API Gateway's VTL, as the Java objects behind the values answer them:
 * `$s.length()` on a java.lang.String, `$m.containsKey("a")` on a Map, `$l.size()` on a
 * List, `$util.base64Encode(...)` on a host object of the renderer. velocityjs would call
 * JavaScript's methods of the same name (or none, and write the call out as text), so
 * every call goes through these handlers, and a method not listed here is refused as
 * not supported locally instead of answering as JavaScript would.
 */

/** velocityjs's customMethodHandlers entry. */
export interface MethodHandler {
  readonly uid: string;
  match(payload: MethodCall): boolean;
  resolve(payload: MethodCall): unknown;
}

interface MethodCall {
  readonly property: string;
  readonly context: unknown;
  readonly params: unknown[];
}

/** Host objects (`$input`, `$util`) by the name templates know them by. */
const HOSTS = new WeakMap<object, string>();

/** Marks `functions` as the host object `$name`: its functions are its methods, nothing else is. */
export function hostObject<T extends object>(name: string, functions: T): T {
  HOSTS.set(functions, name);
  return functions;
}

export function hostName(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? HOSTS.get(value) : undefined;
}

type Method = (self: never, ...params: never[]) => unknown;

const STRING_METHODS: Record<string, Method> = {
  length: (s: string) => s.length,
  isEmpty: (s: string) => s.length === 0,
  toString: (s: string) => s,
  trim: (s: string) => s.trim(),
  toLowerCase: (s: string) => s.toLowerCase(),
  toUpperCase: (s: string) => s.toUpperCase(),
  contains: (s: string, part: unknown) => s.includes(javaText(part)),
  startsWith: (s: string, prefix: string) => s.startsWith(prefix),
  endsWith: (s: string, suffix: string) => s.endsWith(suffix),
  indexOf: (s: string, part: string, from?: number) => s.indexOf(part, from),
  lastIndexOf: (s: string, part: string, from?: number) => (from === undefined ? s.lastIndexOf(part) : s.lastIndexOf(part, from)),
  substring: (s: string, begin: number, end?: number) => javaSubstring(s, begin, end),
  charAt: (s: string, index: number) => javaCharAt(s, index),
  equals: (s: string, other: unknown) => s === other,
  equalsIgnoreCase: (s: string, other: unknown) => typeof other === 'string' && s.toLowerCase() === other.toLowerCase(),
  concat: (s: string, other: string) => s + other,
  // Java's replace is literal and replaces every occurrence; replaceAll/replaceFirst/matches/split take regexes.
  replace: (s: string, target: string, replacement: string) => s.split(target).join(replacement),
  replaceAll: (s: string, regex: string, replacement: string) => s.replace(new RegExp(regex, 'g'), javaReplacement(replacement)),
  replaceFirst: (s: string, regex: string, replacement: string) => s.replace(new RegExp(regex), javaReplacement(replacement)),
  matches: (s: string, regex: string) => new RegExp(`^(?:${regex})$`).test(s),
  split: (s: string, regex: string) => javaSplit(s, regex),
};

const MAP_METHODS: Record<string, Method> = {
  get: (m: Record<string, unknown>, key: unknown) => (Object.hasOwn(m, String(key)) ? m[String(key)] : undefined),
  containsKey: (m: Record<string, unknown>, key: unknown) => Object.hasOwn(m, String(key)),
  keySet: (m: Record<string, unknown>) => Object.keys(m),
  values: (m: Record<string, unknown>) => Object.values(m),
  entrySet: (m: Record<string, unknown>) => Object.entries(m).map(([key, value]) => ({ key, value })),
  size: (m: Record<string, unknown>) => Object.keys(m).length,
  isEmpty: (m: Record<string, unknown>) => Object.keys(m).length === 0,
  // Map.put and Map.remove answer the previous value, which `$m.put(...)` then writes (nothing when there was none).
  put: (m: Record<string, unknown>, key: unknown, value: unknown) => {
    const previous = m[String(key)];
    m[String(key)] = value;
    return previous;
  },
  remove: (m: Record<string, unknown>, key: unknown) => {
    const previous = m[String(key)];
    delete m[String(key)];
    return previous;
  },
  toString: (m: Record<string, unknown>) => javaText(m),
};

const LIST_METHODS: Record<string, Method> = {
  size: (l: unknown[]) => l.length,
  isEmpty: (l: unknown[]) => l.length === 0,
  get: (l: unknown[], index: number) => javaListGet(l, index),
  contains: (l: unknown[], item: unknown) => l.some((entry) => vtlEquals(entry, item)),
  add: (l: unknown[], item: unknown) => {
    l.push(item);
    return true;
  },
  toString: (l: unknown[]) => javaText(l),
};

const SCALAR_METHODS: Record<string, Method> = {
  toString: (value: number | boolean) => javaText(value),
  equals: (value: number | boolean, other: unknown) => value === other,
};

/** The one handler every call goes through (velocityjs tries custom handlers first). */
export const JAVA_METHODS: MethodHandler = {
  uid: 'api-gateway-java-methods',
  match: () => true,
  resolve: ({ property, context, params }) => {
    const host = hostName(context);
    if (host !== undefined) {
      const fn = (context as Record<string, unknown>)[property];
      if (typeof fn !== 'function') throw new Error(`$${host}.${property}() is not supported locally`);
      return (fn as (...args: unknown[]) => unknown)(...params);
    }
    const [methods, kind] = methodsOf(context);
    const method = Object.hasOwn(methods, property) ? methods[property] : undefined;
    if (method === undefined) throw new Error(`the ${kind} method ${property}() is not supported locally`);
    return (method as (...args: unknown[]) => unknown)(context, ...params);
  },
};

function methodsOf(value: unknown): [Record<string, Method>, string] {
  if (typeof value === 'string') return [STRING_METHODS, 'String'];
  if (Array.isArray(value)) return [LIST_METHODS, 'List'];
  if (isMap(value)) return [MAP_METHODS, 'Map'];
  if (typeof value === 'number' || typeof value === 'boolean') return [SCALAR_METHODS, typeof value === 'number' ? 'Number' : 'Boolean'];
  return [{}, Object.prototype.toString.call(value)];
}

function javaSubstring(s: string, begin: number, end = s.length): string {
  if (begin < 0 || end > s.length || begin > end) throw new Error(`StringIndexOutOfBoundsException: begin ${begin}, end ${end}, length ${s.length}`);
  return s.substring(begin, end);
}

function javaCharAt(s: string, index: number): string {
  if (index < 0 || index >= s.length) throw new Error(`StringIndexOutOfBoundsException: index ${index}, length ${s.length}`);
  return s.charAt(index);
}

function javaListGet(l: unknown[], index: number): unknown {
  if (!Number.isInteger(index) || index < 0 || index >= l.length) throw new Error(`IndexOutOfBoundsException: Index ${index} out of bounds for length ${l.length}`);
  return l[index];
}

/** Java's split drops trailing empty strings. */
function javaSplit(s: string, regex: string): string[] {
  const parts = s.split(new RegExp(regex));
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's replacement syntax (`\x` is a literal x, `$1` a group) in JavaScript's (`$$` a literal `$`). */
function javaReplacement(replacement: string): string {
  return replacement.replace(/\\(.)|(\$\d+)|(\$)/g, (_match, escaped: string | undefined, group: string | undefined) => {
    if (escaped !== undefined) return escaped === '$' ? '$$' : escaped;
    return group ?? '$$';
  });
}

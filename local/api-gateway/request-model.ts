import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject } from 'ajv';

/**
 * Checks a request body against an API Gateway model (JSON Schema draft-04) the way the
 * method's request validator does: a body that is not JSON, or breaks the schema, is
 * refused with a 400 and never reaches the integration.
 *
 * Each problem is worded as API Gateway words it (its validator is the Java
 * json-schema-validator), e.g. `object has missing required properties (["customerID"])`,
 * so that `$context.error.validationErrorString` reads as it does in AWS. Like AWS, the
 * messages do not name the position of a nested problem.
 */
export type ModelCheck = { valid: true } | { valid: false; problems: string[] };

const ajv = new AjvDraft04({ allErrors: true, strict: false, verbose: true });

export function checkRequestBody(schema: object, body: string): ModelCheck {
  let document: unknown;
  try {
    // API Gateway validates an empty body as an empty object.
    document = JSON.parse(body.trim() === '' ? '{}' : body);
  } catch (error) {
    return { valid: false, problems: [`the body is not valid JSON (${(error as Error).message})`] };
  }
  const validate = ajv.compile(schema);
  if (validate(document)) return { valid: true };
  return { valid: false, problems: describeErrors(validate.errors ?? []) };
}

/** `$context.error.validationErrorString` for the problems: a Java list, `[a, b]`. */
export function validationErrorString(problems: readonly string[]): string {
  return `[${problems.join(', ')}]`;
}

function describeErrors(errors: readonly ErrorObject[]): string[] {
  // Like AWS, report an anyOf/oneOf/not as one problem, not each branch's.
  const combinators = errors.filter((e) => ['anyOf', 'oneOf', 'not'].includes(e.keyword)).map((e) => `${e.schemaPath}/`);
  const reported = errors.filter((e) => !combinators.some((prefix) => e.schemaPath.startsWith(prefix)));

  const problems: string[] = [];
  const grouped = new Map<string, { index: number; names: string[] }>();
  for (const error of reported) {
    const name = error.keyword === 'required' ? error.params.missingProperty : error.keyword === 'additionalProperties' ? error.params.additionalProperty : undefined;
    if (typeof name === 'string') {
      // One problem per object and keyword, naming every property, as AWS does.
      const key = `${error.keyword} ${error.instancePath}`;
      const group = grouped.get(key);
      if (group) {
        group.names.push(name);
      } else {
        grouped.set(key, { index: problems.length, names: [name] });
        problems.push(key);
      }
      continue;
    }
    problems.push(describe(error));
  }
  for (const [key, { index, names }] of grouped) {
    const list = JSON.stringify([...new Set(names)].sort());
    problems[index] = key.startsWith('required ')
      ? `object has missing required properties (${list})`
      : `object instance has properties which are not allowed by the schema: ${list}`;
  }
  return problems;
}

function describe(error: ErrorObject): string {
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  const json = (value: unknown) => JSON.stringify(value);
  switch (error.keyword) {
    case 'type': {
      const allowed = Array.isArray(error.schema) ? error.schema : [error.schema];
      return `instance type (${jsonType(data)}) does not match any allowed primitive type (allowed: ${json(allowed)})`;
    }
    case 'minLength':
      return `string ${json(data)} is too short (length: ${codePoints(data)}, required minimum: ${params.limit})`;
    case 'maxLength':
      return `string ${json(data)} is too long (length: ${codePoints(data)}, maximum allowed: ${params.limit})`;
    case 'pattern':
      return `ECMA 262 regex ${json(params.pattern)} does not match input string ${json(data)}`;
    case 'enum':
      return `instance value (${json(data)}) not found in enum (possible values: ${json(params.allowedValues)})`;
    case 'minimum':
      return params.comparison === '>'
        ? `numeric instance is not strictly greater than the required minimum ${params.limit}`
        : `numeric instance is lower than the required minimum (minimum: ${params.limit}, found: ${json(data)})`;
    case 'maximum':
      return params.comparison === '<'
        ? `numeric instance is not strictly lower than the required maximum ${params.limit}`
        : `numeric instance is greater than the required maximum (maximum: ${params.limit}, found: ${json(data)})`;
    case 'multipleOf':
      return `remainder of division is not zero (${json(data)} / ${params.multipleOf})`;
    case 'minItems':
      return `array is too short: must have at least ${params.limit} elements but instance has ${lengthOf(data)} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${params.limit} elements but instance has ${lengthOf(data)} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'minProperties':
      return `object has too few properties (found ${propertyCount(data)} but schema requires at least ${params.limit})`;
    case 'maxProperties':
      return `object has too many properties (found ${propertyCount(data)} but schema requires at most ${params.limit})`;
    case 'anyOf':
      return `instance failed to match at least one required schema among ${lengthOf(error.schema)}`;
    case 'oneOf': {
      const passing = Array.isArray(params.passingSchemas) ? params.passingSchemas.length : 0;
      return `instance failed to match exactly one schema (matched ${passing} out of ${lengthOf(error.schema)})`;
    }
    case 'not':
      return 'instance matched a schema which it should not have';
    case 'dependencies':
      return `property ${json(params.property)} of object has missing property dependencies (missing: ${json([params.missingProperty])})`;
    default:
      return `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`;
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function codePoints(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function propertyCount(value: unknown): number {
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}

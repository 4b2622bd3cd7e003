import { Compile, parse } from 'velocityjs';
import { inputVariable, NO_PARAMETERS, type RequestParameters } from './input-variable';
import { javaUrlEncode, utilVariable } from './util-variable';
import { JAVA_METHODS, hostName, hostObject } from './vtl-methods';
import { isMap, vtlEquals, vtlText } from './vtl-values';

export { javaUrlEncode };

/**
 * Renders an API Gateway mapping template (VTL) as API Gateway does, with the variables
 * templates use: `$input` (body, path, json, params), `$util` and `$context`. Tests
 * render the templates taken from the synthesized stack, so what is proven is the
 * deployed template; `npm run conformance` checks the renderer against answers AWS gave
 * (../shared/fidelity/vtl.json).
 *
 * velocityjs renders the template, with API Gateway's Java semantics put back where
 * JavaScript's would differ: how values are written and compared (vtl-values.ts), the
 * methods values have (vtl-methods.ts), and references to nothing writing nothing (AWS's
 * quiet references: a missing `$result.nested` writes "", not its own text). What the
 * renderer cannot do as AWS does throws an error saying it is "not supported locally".
 *
 * Reference: "Variables for data transformations for API Gateway" in the API Gateway
 * developer guide.
 */
export interface MappingInput {
  /** The raw request (or integration response) body. */
  readonly body: string;
  /** `$context` variables, e.g. `{ requestId: '...' }`; the template sees a copy. */
  readonly context?: Record<string, unknown>;
  /** `$input.params()`: the method request's path, query string and header parameters. */
  readonly params?: RequestParameters;
  /**
   * `$context.requestOverride` and `$context.responseOverride`, shared by the templates
   * of one request: what the request template sets, the response template reads.
   */
  readonly overrides?: ContextOverrides;
}

/** What templates set on `$context.requestOverride` / `$context.responseOverride`. */
export interface ContextOverrides {
  readonly request: { header: Record<string, unknown>; path: Record<string, unknown>; querystring: Record<string, unknown>; [name: string]: unknown };
  readonly response: { header: Record<string, unknown>; status?: unknown; [name: string]: unknown };
}

/** What every template of one request shares besides its body and `$context`. */
export interface TemplateScope {
  readonly params: RequestParameters;
  readonly overrides: ContextOverrides;
}

export function noOverrides(): ContextOverrides {
  return { request: { header: {}, path: {}, querystring: {} }, response: { header: {} } };
}

export function renderMappingTemplate(template: string, input: MappingInput): string {
  const overrides = input.overrides ?? noOverrides();
  const context = {
    ...copyOf(input.context ?? {}),
    requestOverride: overrides.request,
    responseOverride: overrides.response,
  };
  const variables = {
    input: inputVariable(input.body, input.params ?? NO_PARAMETERS),
    util: utilVariable(),
    context,
    stageVariables: hostObject('stageVariables', {}),
  };
  return new ApiGatewayTemplate(parse(template), { customMethodHandlers: [JAVA_METHODS] }).render(variables, unsupportedDirectives());
}

/** A copy of plain data, so that `#set($context.x.y = ...)` cannot change the caller's `$context`. */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, copyOf(entry)])) as T;
  return value;
}

/**
 * `$context` variables AWS always sets that the local runtime has no value for: reading
 * one is refused rather than written as nothing.
 */
const UNMODELLED_CONTEXT = new Set(['accountId', 'deploymentId', 'domainPrefix', 'awsEndpointRequestId', 'isCanaryRequest', 'xrayTraceId', 'customDomain']);

/** The parts of velocityjs's syntax tree read here (its own types are not exported). */
type Ast = { readonly type: string; readonly operator?: string; readonly expression?: Ast[] };
type Attribute = { readonly type: 'property'; readonly id: string } | { readonly type: 'method' | 'index'; readonly id: unknown };

/** The one step velocityjs's type declarations leave out. */
interface VelocityAttributes {
  getAttributes(property: Attribute, baseRef: unknown, ast: Ast): unknown;
}
const velocityAttributes = Compile.prototype as unknown as VelocityAttributes;

/**
 * velocityjs's Compile with three of its steps taken as API Gateway takes them. The
 * steps are velocityjs 2.1's own (pinned in package.json); they return any value,
 * whatever their declared `string`.
 */
class ApiGatewayTemplate extends Compile {
  /** `==` and `!=` compare as vtlEquals does; JavaScript's `==` says `[] == ""` and `null != ""`. */
  protected getExpression(ast: Ast): string {
    if (ast.type === 'math' && (ast.operator === '==' || ast.operator === '!=') && ast.expression) {
      const [left, right] = ast.expression.map((operand) => this.getExpression(operand) as unknown);
      return (vtlEquals(left, right) === (ast.operator === '==')) as unknown as string;
    }
    return super.getExpression(ast as never);
  }

  /** A reference written into the output is written as AWS writes its value (nothing for null or missing). */
  protected getReferences(ast: Ast, isVal?: boolean): string {
    const value = super.getReferences(ast as never, false) as unknown;
    return (isVal ? vtlText(value) : value) as string;
  }

  /** `$a.b` reads a map's entry or a host's member; strings and lists have no properties in Java. */
  getAttributes(property: Attribute, baseRef: unknown, ast: Ast): unknown {
    if (property.type !== 'property') return velocityAttributes.getAttributes.call(this, property, baseRef, ast);
    const name = property.id;
    const host = hostName(baseRef);
    if (host === 'stageVariables') throw new Error(`$stageVariables.${name} is not supported locally`);
    if (host !== undefined) return Object.hasOwn(baseRef as object, name) ? (baseRef as Record<string, unknown>)[name] : undefined;
    if (!isMap(baseRef)) return undefined;
    if (Object.hasOwn(baseRef, name)) return baseRef[name];
    if (baseRef === this.context.context && UNMODELLED_CONTEXT.has(name)) throw new Error(`$context.${name} is not supported locally`);
    return undefined;
  }
}

/**
 * Directives velocityjs hands to "macros": `#include`, `#parse`, `#evaluate` and any
 * unknown `#name(...)` would silently write nothing, and `#eval` is velocityjs's own;
 * they are refused instead. Only `#stop`, which velocityjs adds itself, gets through.
 */
function unsupportedDirectives(): Record<string, unknown> {
  return new Proxy<Record<string, unknown>>(
    {},
    {
      get: (target, name) => {
        if (typeof name !== 'string' || name === 'stop' || name in Object.prototype) return Reflect.get(target, name);
        throw new Error(`the directive #${name} is not supported locally`);
      },
    },
  );
}

import type { SynthesizedStack } from '../stack/synthesized-stack';

const API_GATEWAY_REFERENCE = /^(aws_api_gateway_[a-z_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)$/;

/**
 * Resolves the values of a synthesized configuration. References between API Gateway
 * resources are joined here, by identity (`<type>.<name>.id`), so the caller need not
 * know API Gateway ids; configured attributes such as a model's name or a method
 * response's status code resolve to what is configured; every other reference goes to
 * the caller's resolver. Terraform's escapes (`$${`, `%%{`) become literal text.
 */
export class References {
  constructor(
    private readonly stack: SynthesizedStack,
    private readonly resolve: (value: string) => string,
  ) {}

  /** `<type>.<name>.<attribute>` for a reference to an API Gateway id, else the value. */
  identity(value: unknown): string {
    const reference = typeof value === 'string' ? /^\$\{([^{}]+)\}$/.exec(value) : null;
    const parts = reference ? API_GATEWAY_REFERENCE.exec(reference[1].trim()) : null;
    if (parts) {
      const [, type, name, attribute] = parts;
      if (attribute === 'id' || attribute === 'root_resource_id') return `${type}.${name}.${attribute}`;
      // e.g. an integration's resource_id = ${aws_api_gateway_method.x.resource_id}
      const configured = this.stack.resource(type, name)[attribute];
      if (typeof configured === 'string') return this.identity(configured);
    }
    return this.value(value);
  }

  value(value: unknown): string {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') throw new Error(`Expected a string in the configuration, found ${JSON.stringify(value)}`);
    return value.replace(/\$\$\{|%%\{|\$\{([^{}]+)\}/g, (match, expression: string | undefined) => {
      if (expression === undefined) return match.slice(1);
      return this.expression(expression.trim());
    });
  }

  /** The caller's value for a reference, or undefined if it has none. */
  optionalExternal(reference: string): string | undefined {
    try {
      return this.resolve(reference);
    } catch {
      return undefined;
    }
  }

  private expression(expression: string): string {
    const parts = API_GATEWAY_REFERENCE.exec(expression);
    if (parts) {
      const [, type, name, attribute] = parts;
      const configured = this.stack.resource(type, name)[attribute];
      if (configured !== undefined && configured !== null && typeof configured !== 'object') return this.value(configured);
    }
    return this.resolve(`\${${expression}}`);
  }
}

/** Terraform writes a nested block as an object, or as a list of one. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

export function optionalValue(references: References, value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : references.value(value);
}

export function stringList(references: References, value: unknown, options: { lenient?: boolean } = {}): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((entry) => {
    try {
      return references.value(entry);
    } catch (error) {
      if (options.lenient && typeof entry === 'string') return entry;
      throw error;
    }
  });
}

export function stringMap(references: References, value: unknown): Record<string, string> {
  const map = block(value) ?? {};
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, references.value(v)]));
}

/**
 * `$context` variables as gateway responses and access-log formats read them: by
 * substitution of `$context.<path>`, not VTL (see gateway-responses.ts).
 */

/** A `$context` value: text, a number, a flag, or a group such as `identity` or `error`. */
export type ContextValue = string | number | boolean | undefined | ContextVariables;

/** `$context` (or a part of it), e.g. `{ requestId: '...', identity: { sourceIp: '127.0.0.1' } }`. */
export type ContextVariables = { readonly [name: string]: ContextValue };

const CONTEXT_VARIABLE = /\$context\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/g;

/**
 * Replaces each `$context.<path>` with its value, as API Gateway does in gateway
 * responses and access-log formats; `missing` stands for a variable without a value
 * (access logs write `-`). The longest path that names a value wins, so in
 * `$context.status.` the trailing dot stays text.
 */
export function substituteContextVariables(template: string, context: ContextVariables, missing: string): string {
  return template.replace(CONTEXT_VARIABLE, (_match, path: string) => {
    const names = path.split('.');
    for (let length = names.length; length > 0; length -= 1) {
      const value = contextVariable(context, names.slice(0, length).join('.'));
      if (value !== undefined) {
        const rest = names.slice(length);
        return value + (rest.length > 0 ? `.${rest.join('.')}` : '');
      }
    }
    return missing;
  });
}

/** The value of `$context.<path>` (e.g. `identity.sourceIp`), or undefined when it has none. */
export function contextVariable(context: ContextVariables, path: string): string | undefined {
  const value = path.split('.').reduce<ContextValue>((node, name) => (typeof node === 'object' ? node[name] : undefined), context);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Thrown at cold start when the function's configuration lacks a variable it depends on. */
export class MissingEnvironmentVariableError extends Error {
  constructor(readonly variableName: string) {
    super(
      `Missing required environment variable ${variableName}: ` +
        'set it in the function configuration (the stack passes every name and ARN a handler needs).',
    );
    this.name = 'MissingEnvironmentVariableError';
  }
}

/**
 * Reads an environment variable the handler cannot work without.
 *
 * Handlers call this at module scope, so a misconfigured function fails its first cold
 * start with an error that names the variable, instead of failing every record later
 * with an SDK validation error that never mentions the environment.
 * A blank value counts as missing: it is what an unset Terraform variable usually becomes.
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new MissingEnvironmentVariableError(name);
  }
  return value;
}

/** Thrown at cold start when a variable is set but is not the whole number the handler needs. */
export class InvalidEnvironmentVariableError extends Error {
  constructor(
    readonly variableName: string,
    value: string,
    expected: string,
  ) {
    super(`Environment variable ${variableName}="${value}" must be ${expected}: fix it in the function configuration.`);
    this.name = 'InvalidEnvironmentVariableError';
  }
}

/**
 * Reads a required whole number no smaller than `minimum`, such as a threshold or a
 * size limit. "5.5", "-1" or "five" fail the cold start rather than becoming NaN later.
 */
export function requireIntegerEnv(name: string, minimum: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = requireEnv(name, env).trim();
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new InvalidEnvironmentVariableError(name, raw, `a whole number of at least ${minimum}`);
  }
  return value;
}

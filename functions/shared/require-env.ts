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

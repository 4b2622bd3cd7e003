/** Mistakes in what a person typed: reported with their message alone and exit status 2. */

export class UsageError extends Error {}

export const EXIT_USAGE = 2;

/** What node:util's parseArgs throws for an unknown option or a missing value. */
export function isArgumentError(error: unknown): boolean {
  return String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');
}

export function wholeNumber(option: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) throw new UsageError(`${option} takes a whole number from 0 to ${max}, got "${text}".`);
  return value;
}

/**
 * A command's arguments, parsed by `parse`; --help and a mistake are answered here (the
 * usage on standard output, or the mistake and the usage on standard error), with the exit
 * status the command returns.
 */
export function parseCommandLine<T>(parse: (argv: string[]) => T | 'help', argv: string[], usage: string): { readonly options: T } | { readonly exit: number } {
  let parsed: T | 'help';
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return { exit: EXIT_USAGE };
  }
  if (parsed !== 'help') return { options: parsed };
  console.log(usage);
  return { exit: 0 };
}

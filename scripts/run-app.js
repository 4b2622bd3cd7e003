// Runs main.ts as `cdktf synth` expects, compiled by esbuild into one CommonJS file
// (our sources only; packages stay in node_modules) and recompiled only when a source
// changed. Loading TypeScript through tsx's loader instead costs ~0.3 s on every run.
const fs = require('node:fs');
const { SourceMap } = require('node:module');
const { Buffer } = require('node:buffer');
const path = require('node:path');
const { buildIfChanged } = require('../constructs/incremental-build');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, 'dist', 'app', 'main.js');
buildIfChanged({
  entry: path.join(root, 'main.ts'),
  outfile,
  root,
  options: { bundle: true, packages: 'external', platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'error' },
});
// Source maps are not enabled for the run: cdktf records a stack trace for every token it
// creates, and mapping each through the source map made synth ~0.4 s slower. Only the
// stack of an error that ends the run is mapped back to the TypeScript sources.
try {
  require(outfile);
} catch (error) {
  console.error(withSourcePositions(error, outfile));
  process.exit(1);
}

/** The error's stack with positions in the compiled app replaced by positions in the .ts sources. */
function withSourcePositions(error, compiledFile) {
  const stack = error instanceof Error && error.stack ? error.stack : String(error);
  const inline = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(fs.readFileSync(compiledFile, 'utf8'));
  if (!inline) return stack;
  const sourceMap = new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')));
  const compiledDir = path.dirname(compiledFile);
  return stack.replaceAll(`${compiledFile}:`, '\0').replace(/\0(\d+):(\d+)/g, (match, line, column) => {
    const entry = sourceMap.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || entry.originalSource === undefined) return `${compiledFile}:${line}:${column}`;
    const source = path.relative(root, path.resolve(compiledDir, entry.originalSource));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

// Plain JavaScript so that scripts/run-app.js can use it before any TypeScript is compiled.
const fs = require('node:fs');
const path = require('node:path');

/**
 * Runs esbuild only when a file that went into the previous output changed (size or
 * modification time, as make decides), recording the inputs esbuild reports in a
 * manifest beside the output. Synth runs on every deploy, test and plan; rebuilding
 * unchanged bundles, or even starting esbuild, would be most of its time.
 *
 * @param {{ entry: string, outfile: string, options: object, root: string }} build
 * @returns {boolean} whether esbuild ran
 */
function buildIfChanged({ entry, outfile, options, root }) {
  const manifestFile = `${outfile}.manifest.json`;
  const optionsKey = JSON.stringify({ entry, ...options });
  if (isUpToDate(outfile, manifestFile, optionsKey)) return false;

  const { buildSync } = require('esbuild');
  // absWorkingDir: the metafile's input paths are relative to it, whatever the process's cwd.
  const result = buildSync({ ...options, entryPoints: [entry], outfile, metafile: true, absWorkingDir: root });
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(root, input));
  fs.writeFileSync(manifestFile, JSON.stringify({ options: optionsKey, inputs: fingerprints(inputs) }));
  return true;
}

function isUpToDate(outfile, manifestFile, optionsKey) {
  if (!fs.existsSync(outfile) || !fs.existsSync(manifestFile)) return false;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  if (manifest.options !== optionsKey) return false;
  const now = fingerprints(Object.keys(manifest.inputs));
  return Object.entries(manifest.inputs).every(([file, fingerprint]) => now[file] === fingerprint);
}

function fingerprints(files) {
  return Object.fromEntries(
    files.map((file) => {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return [file, stat ? `${stat.size}:${stat.mtimeMs}` : 'missing'];
    }),
  );
}

/** The folder holding package.json above `start`: modules here also run compiled into dist/. */
function findProjectRoot(start) {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`No package.json above ${start}`);
}

module.exports = { buildIfChanged, findProjectRoot };

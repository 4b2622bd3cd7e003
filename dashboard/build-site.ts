import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../constructs/bundle';

/** One file of the built site, as the dashboard stack uploads it. */
export interface SiteFile {
  /** The object key, relative to the site's root, e.g. "index.html" or "assets/app-3F2K.js". */
  readonly path: string;
  /** Absolute path on disk. */
  readonly file: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

const SOURCE = 'dashboard/src';

/** index.html must be re-read on every visit so a deploy's new asset names are found. */
export const NO_CACHE = 'no-cache';
/** Hashed names change whenever content does: browsers may keep them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Bundles the dashboard page into `outDir`: `index.html` plus `assets/app-[hash].js` and
 * `assets/app-[hash].css`. Synchronous because cdktf synth is. Earlier output in `outDir` is
 * removed first, so a stack that uploads every file there never ships a stale bundle.
 * `config.json` is not written here: the stack writes it from the other stacks' outputs.
 */
export function buildDashboardSite(outDir: string): SiteFile[] {
  // esbuild is required lazily: importing this module (as every synth does) stays cheap.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const assetsDir = path.join(outDir, 'assets');
  rmSync(assetsDir, { recursive: true, force: true });
  rmSync(path.join(outDir, 'index.html'), { force: true });
  mkdirSync(assetsDir, { recursive: true });

  const result = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [
      { in: `${SOURCE}/main.ts`, out: 'app' },
      { in: `${SOURCE}/styles.css`, out: 'app' },
    ],
    entryNames: 'assets/[name]-[hash]',
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    metafile: true,
    write: true,
    logLevel: 'error',
  });

  const outputs = Object.keys(result.metafile.outputs).map((output) => path.resolve(PROJECT_ROOT, output));
  const script = outputs.find((file) => file.endsWith('.js'));
  const stylesheet = outputs.find((file) => file.endsWith('.css'));
  if (script === undefined || stylesheet === undefined) {
    throw new Error(`The dashboard build made no script or stylesheet (made: ${outputs.join(', ')})`);
  }

  const indexFile = path.join(outDir, 'index.html');
  writeFileSync(indexFile, indexHtml(siteKey(outDir, script), siteKey(outDir, stylesheet)));
  return [indexFile, ...outputs].map((file) => siteFile(outDir, file));
}

/**
 * The page's only HTML. No inline script or style (the CSP is script-src 'self';
 * style-src 'self'); the empty data: icon stops a request for /favicon.ico.
 */
function indexHtml(scriptKey: string, stylesheetKey: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Café dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/${stylesheetKey}">
<script type="module" src="/${scriptKey}"></script>
</head>
<body>
<div id="app"><noscript>The café dashboard needs JavaScript.</noscript></div>
</body>
</html>
`;
}

function siteFile(outDir: string, file: string): SiteFile {
  const key = siteKey(outDir, file);
  const contentType = CONTENT_TYPES[path.extname(file)];
  if (contentType === undefined) throw new Error(`The dashboard build made ${key}, whose content type is unknown`);
  return { path: key, file, contentType, cacheControl: key === 'index.html' ? NO_CACHE : IMMUTABLE };
}

/** The S3 key: forward slashes whatever the platform. */
function siteKey(outDir: string, file: string): string {
  return path.relative(path.resolve(outDir), file).split(path.sep).join('/');
}

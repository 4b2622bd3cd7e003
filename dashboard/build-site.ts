/**
 * STAND-IN for the hosting branch (issue-11-hosting): the real `buildDashboardSite`, which
 * bundles dashboard/src/ with esbuild into index.html and hashed assets/*, is written on
 * branch issue-11-web and replaces this file when the branches merge. This one keeps the
 * same signature and writes one plain index.html, so that the dashboard stack can be built
 * and tested before the page exists.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One file of the built site, as the dashboard stack uploads it. */
export interface SiteFile {
  /** The object key, relative to the site's root, with forward slashes: `index.html`, `assets/app-4KQ2ZB7M.js`. */
  readonly path: string;
  /** Absolute path of the built file on disk. */
  readonly file: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

const STAND_IN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Café dashboard</title>
</head>
<body>
<main>
<h1>Café dashboard</h1>
<p>This is a stand-in page: the dashboard itself is built from dashboard/src/.</p>
</main>
</body>
</html>
`;

/** Writes the site into `outDir` (emptied first) and lists its files. */
export function buildDashboardSite(outDir: string): SiteFile[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.html');
  writeFileSync(file, STAND_IN_PAGE);
  return [{ path: 'index.html', file, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' }];
}

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildDashboardSite, IMMUTABLE, NO_CACHE } from '../../dashboard/build-site';

const SOURCE_DIR = path.join(__dirname, '../../dashboard/src');

let outDir: string;
beforeAll(() => {
  outDir = mkdtempSync(path.join(tmpdir(), 'dashboard-site-'));
  // A stale bundle from an earlier build must not be shipped again.
  mkdirSync(path.join(outDir, 'assets'));
  writeFileSync(path.join(outDir, 'assets', 'app-OLD.js'), 'old');
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test('builds index.html and hashed assets with their content types and cache rules', () => {
  const files = buildDashboardSite(outDir);
  expect(files.map((file) => file.path)).toEqual([
    'index.html',
    expect.stringMatching(/^assets\/app-[A-Z0-9]+\.js$/),
    expect.stringMatching(/^assets\/app-[A-Z0-9]+\.css$/),
  ]);
  expect(files[0]).toEqual({ path: 'index.html', file: path.join(outDir, 'index.html'), contentType: 'text/html; charset=utf-8', cacheControl: NO_CACHE });
  expect(files[1]).toMatchObject({ contentType: 'text/javascript; charset=utf-8', cacheControl: IMMUTABLE });
  expect(files[2]).toMatchObject({ contentType: 'text/css; charset=utf-8', cacheControl: IMMUTABLE });
  expect(existsSync(path.join(outDir, 'assets', 'app-OLD.js'))).toBe(false);
  expect(existsSync(path.join(outDir, 'config.json'))).toBe(false);

  const html = readFileSync(files[0].file, 'utf8');
  expect(html).toContain(`<script type="module" src="/${files[1].path}"></script>`);
  expect(html).toContain(`<link rel="stylesheet" href="/${files[2].path}">`);
  // The CSP allows no inline script or style.
  expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|style=/);
});

test('the bundle is minified, includes the pipeline\'s validation module, and stays small', () => {
  const files = buildDashboardSite(outDir);
  const script = readFileSync(files[1].file, 'utf8');
  expect(script).toContain('productId must not start or end with spaces');
  // Minified: no comments or long local names left (htm's templates keep their own newlines).
  expect(script).not.toContain('Removed before redirecting');
  expect(gzipSync(script).length).toBeLessThan(40 * 1024);
});

test('the same sources give the same names (content hashes)', () => {
  const first = buildDashboardSite(outDir).map((file) => file.path);
  expect(buildDashboardSite(outDir).map((file) => file.path)).toEqual(first);
});

test('the page never writes HTML from strings: every server text is rendered as text', () => {
  const sources = readdirSync(SOURCE_DIR, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  expect(sources.length).toBeGreaterThan(5);
  for (const file of sources) {
    expect([file, readFileSync(path.join(SOURCE_DIR, file), 'utf8')]).not.toEqual([file, expect.stringMatching(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|style=/)]);
  }
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteFile } from '../../dashboard/build-site';
import { synthDashboard } from '../support/dashboard-app';

/**
 * The stack uploads whatever the site build lists, as the real build (index.html and hashed
 * assets in folders) will list it: here a build of three files stands in for it.
 */
jest.mock('../../dashboard/build-site', () => ({
  buildDashboardSite(outDir: string): SiteFile[] {
    const files: [string, string, string, string][] = [
      ['index.html', '<!doctype html><title>x</title>', 'text/html; charset=utf-8', 'no-cache'],
      ['assets/app-4KQ2ZB7M.js', 'console.log(1)', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['assets/app-Q7X3PLMA.css', 'body{}', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ];
    return files.map(([path, content, contentType, cacheControl]) => {
      const file = join(outDir, path);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, content);
      return { path, file, contentType, cacheControl };
    });
  },
}));

describe('dashboard: a site of several files', () => {
  const { stack } = synthDashboard();
  const objects = Object.values(stack.resources('aws_s3_object'));

  it('uploads each under its own key, with its own type and caching, from the copied assets', () => {
    const byKey = Object.fromEntries(objects.map((object) => [object.key, object]));
    expect(Object.keys(byKey).sort()).toEqual(['assets/app-4KQ2ZB7M.js', 'assets/app-Q7X3PLMA.css', 'config.json', 'index.html']);
    expect(byKey['assets/app-4KQ2ZB7M.js']).toMatchObject({
      content_type: 'text/javascript; charset=utf-8',
      cache_control: 'public, max-age=31536000, immutable',
      source: expect.stringMatching(/^assets\/site-files\/[0-9A-F]+\/assets\/app-4KQ2ZB7M\.js$/),
    });
    expect(byKey['index.html'].cache_control).toBe('no-cache');
  });
});

import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../../local/emulators/emulator-process';

const run = promisify(execFile);
const INSTALL_HINT = 'Install it: `apt-get install chromium` (Debian/Ubuntu).';

/** Debian's `chromium`, headless: how a person's browser would show a page. */
function chromium(): string {
  const path = findExecutable('chromium') ?? findExecutable('chromium-browser');
  if (path === undefined) throw new Error(`Headless Chromium is needed to look at the report as a person would. ${INSTALL_HINT}`);
  return path;
}

// --no-sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];

/** The DOM after the page was loaded and rendered, as Chromium serializes it. */
export async function renderedDom(url: string): Promise<string> {
  const { stdout } = await run(chromium(), [...FLAGS, '--dump-dom', url], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Saves a PNG of the page as a browser window of this size shows it. */
export async function screenshot(url: string, path: string, size = { width: 1280, height: 1600 }): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await run(chromium(), [...FLAGS, `--screenshot=${path}`, `--window-size=${size.width},${size.height}`, url], { timeout: 60_000 });
}

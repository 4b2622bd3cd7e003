import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { findExecutable } from '../../local/emulators/emulator-process';

/**
 * Debian's Chromium driven by playwright-core: no browser download is possible here.
 * The flags keep it from reaching for the network (refused here) and let it run as root.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function chromiumPath(): string {
  const found = [findExecutable('chromium'), findExecutable('chromium-browser'), '/usr/bin/chromium'].find(
    (candidate) => candidate !== undefined && existsSync(candidate),
  );
  if (found === undefined) {
    throw new Error('The browser tests need Chromium and it is not installed. Install it: `apt-get install chromium` (Debian/Ubuntu).');
  }
  return found;
}

/** playwright gives every launch a fresh, temporary profile (user data dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: FLAGS });
}

import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataDirectory, type MariaDbPrograms } from '../../../local/emulators/mariadb-data-directory';

/** A stand-in for mariadb-install-db that counts its runs and writes one system file. */
function fakeInstall(dir: string, body = 'echo system > "$datadir/mysql.frm"'): MariaDbPrograms {
  const script = join(dir, 'install-db');
  writeFileSync(
    script,
    `#!/bin/sh\necho run >> "${join(dir, 'runs')}"\nfor a in "$@"; do case "$a" in --datadir=*) datadir="\${a#--datadir=}";; esac; done\n${body}\n`,
  );
  chmodSync(script, 0o755);
  // A "server binary" of its own: a template key no real start shares.
  const mariadbd = join(dir, 'mariadbd');
  writeFileSync(mariadbd, `${dir}\n`);
  return { installDb: script, mariadbd, asUser: [] };
}

const scratch = mkdtempSync(join(tmpdir(), 'mariadb-datadir-test-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith('mariadb-template-'))) {
    if (readdirSync(join(tmpdir(), name)).includes('mysql.frm')) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
});

test('installs once, then every data directory is a copy of that install, also when started side by side', async () => {
  const programs = fakeInstall(mkdtempSync(join(scratch, 'programs-')));
  const targets = [1, 2, 3].map(() => mkdtempSync(join(scratch, 'data-')));
  await Promise.all(targets.slice(0, 2).map((target) => prepareDataDirectory(programs, target)));
  await prepareDataDirectory(programs, targets[2]);
  for (const target of targets) expect(readFileSync(join(target, 'mysql.frm'), 'utf8')).toBe('system\n');
  // Two starts raced for the first template; the third found it.
  const runs = readFileSync(join(programs.installDb, '..', 'runs'), 'utf8').trim().split('\n');
  expect(runs.length).toBeLessThanOrEqual(2);
});

test('a failed install says so, with what it printed, and leaves no template behind', async () => {
  const programs = fakeInstall(mkdtempSync(join(scratch, 'programs-')), 'echo "cannot write system tables" >&2; exit 1');
  await expect(prepareDataDirectory(programs, mkdtempSync(join(scratch, 'data-')))).rejects.toThrow(/mariadb-install-db failed[\s\S]*cannot write system tables/);
  await expect(prepareDataDirectory(programs, mkdtempSync(join(scratch, 'data-')))).rejects.toThrow(/mariadb-install-db failed/);
  expect(readFileSync(join(programs.installDb, '..', 'runs'), 'utf8').trim().split('\n')).toHaveLength(2);
});

/**
 * A fresh MariaDB data directory, made by copying one that `mariadb-install-db` made once
 * per machine and MariaDB build: the install takes ~2 s (it bootstraps a server to write
 * the system tables), the copy ~0.2 s, and every local pipeline, test suite or CLI run
 * with a database pays it at start. The template lives in the temporary directory, keyed
 * by the server binary, and is made under a name of its own, then renamed into place, so
 * concurrent starts never see half of one.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmulatorStartError } from './emulator-process';

export interface MariaDbPrograms {
  readonly installDb: string;
  readonly mariadbd: string;
  /** `--user=root` when running as root, which mariadbd refuses otherwise. */
  readonly asUser: readonly string[];
}

/** Fills the empty directory `dataDir` with freshly installed system tables. */
export async function prepareDataDirectory(programs: MariaDbPrograms, dataDir: string): Promise<void> {
  const template = join(tmpdir(), `mariadb-template-${templateKey(programs)}`);
  if (!existsSync(template)) await installTemplate(programs, template);
  cpSync(template, dataDir, { recursive: true });
}

/** Another build of the server, or another user, gets a template of its own. */
function templateKey({ installDb, mariadbd, asUser }: MariaDbPrograms): string {
  const server = statSync(mariadbd);
  const identity = [installDb, mariadbd, server.size, server.mtimeMs, process.getuid?.() ?? '', ...asUser].join('\n');
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

async function installTemplate({ installDb, asUser }: MariaDbPrograms, template: string): Promise<void> {
  const building = mkdtempSync(`${template}.building-`);
  try {
    await promisify(execFile)(installDb, ['--no-defaults', `--datadir=${building}`, '--auth-root-authentication-method=socket', '--skip-test-db', ...asUser]);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw new EmulatorStartError('MariaDB', 'mariadb-install-db failed', String((error as { stderr?: string }).stderr ?? ''));
  }
  try {
    renameSync(building, template);
  } catch (error) {
    // Another start made the template first: theirs serves as well.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(template)) throw error;
  }
}

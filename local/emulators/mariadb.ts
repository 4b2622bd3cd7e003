/**
 * MariaDB from Debian (`mariadb-server`), started on demand as the report pipeline's
 * MySQL: a fresh data directory in a temporary folder (copied from one installed once, see
 * mariadb-data-directory.ts), a free loopback port, and a user
 * with a password, reached over TCP as a function in a VPC reaches Aurora. Nothing is
 * shared with a system-wide MariaDB, and nothing is left behind when it stops.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import {
  EmulatorProcess,
  EmulatorStartError,
  findExecutable,
  findFreePort,
  startupTimeoutMs,
  type RunningEmulator,
} from './emulator-process';
import { prepareDataDirectory } from './mariadb-data-directory';

export const MARIADB_INSTALL_HINT =
  'Install MariaDB: `apt-get install mariadb-server` (Debian/Ubuntu; the tests start their own server, no service needs to run).';

/** What a client needs to connect: the shape of the secret RDS keeps in Secrets Manager. */
export interface DatabaseCredentials {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

export interface RunningMariaDb extends RunningEmulator {
  readonly credentials: DatabaseCredentials;
}

export interface MariaDbOptions {
  /** @default EMULATOR_STARTUP_TIMEOUT_MS from the environment, else 120_000 (see `startupTimeoutMs`) */
  readonly startupTimeoutMs?: number;
  /** Where to look for `mariadbd` and `mariadb-install-db`. @default PATH, then /usr/sbin */
  readonly programDirectories?: readonly string[];
}

/** Fixed and local-only, as the emulators' AWS credentials are. */
const LOCAL_USER = { username: 'local', password: 'local-password' };

export async function startMariaDb(options: MariaDbOptions = {}): Promise<RunningMariaDb> {
  // Read before anything is spawned: a bad EMULATOR_STARTUP_TIMEOUT_MS then leaves nothing running.
  const timeoutMs = options.startupTimeoutMs ?? startupTimeoutMs();
  // Debian installs the server in /usr/sbin, which is not on a normal user's PATH.
  const directories = options.programDirectories ?? [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin'];
  const installDb = findExecutable('mariadb-install-db', directories);
  const mariadbd = findExecutable('mariadbd', directories);
  if (installDb === undefined || mariadbd === undefined) {
    const missing = installDb === undefined ? 'mariadb-install-db' : 'mariadbd';
    throw new EmulatorStartError('MariaDB', `\`${missing}\` was not found. ${MARIADB_INSTALL_HINT}`, '');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'mariadb-'));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  // mariadbd refuses to run as root unless told which user to be.
  const asUser = process.getuid?.() === 0 ? ['--user=root'] : [];
  const socketPath = join(dataDir, 'mariadb.sock');
  try {
    await prepareDataDirectory({ installDb, mariadbd, asUser }, dataDir);
  } catch (error) {
    removeDataDir();
    throw error;
  }

  const port = await findFreePort();
  const server = new EmulatorProcess(
    spawn(
      mariadbd,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socketPath}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--skip-log-bin',
        // Small and quick: a test database, not a production one.
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=8M',
        `--pid-file=${join(dataDir, 'mariadb.pid')}`,
        ...asUser,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
    'MariaDB',
  );
  try {
    await server.waitUntilReady(async () => {
      // root signs in over the socket only; it creates the TCP user the functions use.
      const admin = await createConnection({ socketPath, user: 'root' });
      try {
        await admin.query(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [LOCAL_USER.username, LOCAL_USER.password]);
        // Like an RDS master user: it may create the users and grants an application needs.
        await admin.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION`, [LOCAL_USER.username]);
      } finally {
        await admin.end();
      }
      return true;
    }, timeoutMs);
  } catch (error) {
    removeDataDir();
    throw error;
  }

  return {
    endpoint: `mysql://127.0.0.1:${port}`,
    credentials: { host: '127.0.0.1', port, ...LOCAL_USER },
    stop: async () => {
      await server.stop();
      removeDataDir();
    },
  };
}

import { createConnection } from 'mysql2/promise';
import { startMariaDb } from '../../../local/emulators/mariadb';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { acceptsConnections } from '../support/process-checks';

jest.setTimeout(EMULATOR_HOOK_TIMEOUT_MS);

test('starts a private MariaDB on a loopback port with a password user, and stop() removes it all', async () => {
  const startedAt = Date.now();
  const mariadb = await startMariaDb();
  console.info(`MariaDB answered after ${Date.now() - startedAt} ms`);
  const { host, port, username, password } = mariadb.credentials;
  expect(host).toBe('127.0.0.1');
  try {
    const connection = await createConnection({ host, port, user: username, password });
    const [rows] = await connection.query('SELECT VERSION() AS version');
    await connection.end();
    expect((rows as { version: string }[])[0].version).toMatch(/MariaDB/);
    await expect(createConnection({ host, port, user: username, password: 'wrong' })).rejects.toThrow(/Access denied/);
  } finally {
    await mariadb.stop();
  }
  expect(await acceptsConnections(port)).toBe(false);
});

test('without MariaDB installed, says what to install', async () => {
  await expect(startMariaDb({ programDirectories: ['/nonexistent'] })).rejects.toThrow(
    /`mariadb-install-db` was not found\. Install MariaDB: `apt-get install mariadb-server`/,
  );
});

/**
 * The report's data step against a real MariaDB (Debian's mariadb-server): the repo's SQL
 * applied as a deploy applies it, then read as the data function reads it.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { applyMigrations } from '../../../../functions/report/migrate-database/migrations';
import { fetchSupplierData } from '../../../../functions/report/fetch-supplier-data/supplier-data';
import { readMigrations } from '../../../support/sql-migrations';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';

// MariaDB is shared with the other suites of this jest worker: the database is this suite's own.
const DATABASE = uniqueNames().database('COFFEE');
let connection: Connection;

beforeAll(async () => {
  const { host, port, username, password } = (await workerEmulators().mariadb()).credentials;
  connection = await createConnection({ host, port, user: username, password, multipleStatements: true });
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await connection?.end();
});

test('the repo SQL applies once; running it again applies nothing', async () => {
  const first = await applyMigrations(connection, DATABASE, readMigrations());
  expect(first).toEqual({ applied: ['001-suppliers-and-beans.sql', '002-sample-data.sql'], alreadyApplied: [] });
  const again = await applyMigrations(connection, DATABASE, readMigrations());
  expect(again).toEqual({ applied: [], alreadyApplied: ['001-suppliers-and-beans.sql', '002-sample-data.sql'] });
});

test('every supplier is read with its beans, by name, and text survives intact', async () => {
  const data = await fetchSupplierData(connection, () => new Date('2026-11-23T10:00:00Z'));
  expect(data.readAt).toBe('2026-11-23T10:00:00.000Z');
  expect(data.suppliers.map((supplier) => supplier.name)).toEqual(['Café do Vale', 'Highland Roasters', 'Pacific Bean Co.']);
  expect(data.suppliers[0]).toEqual({
    id: 2,
    name: 'Café do Vale',
    address: 'Rua das Flores 88, Minas Gerais, Brazil',
    phone: '+55 31 5550 0202',
    beans: [
      { type: 'Robusta', productName: 'Conilon Dark', quantity: 40 },
      { type: 'Arabica', productName: 'Santos Bourbon', quantity: 200 },
    ],
  });
  expect(data.suppliers.flatMap((supplier) => supplier.beans)).toHaveLength(6);
});

test('a supplier with no beans listed is kept, with none', async () => {
  await connection.query("INSERT INTO suppliers (name, address, phone) VALUES ('New Farm', '1 Hill Lane', '+44 20 5550 0404')");
  try {
    const data = await fetchSupplierData(connection);
    expect(data.suppliers.find((supplier) => supplier.name === 'New Farm')).toMatchObject({ beans: [] });
  } finally {
    await connection.query("DELETE FROM suppliers WHERE name = 'New Farm'");
  }
});

test('a failing migration is named, and is not recorded as applied', async () => {
  const broken = [{ name: '003-broken.sql', sql: 'ALTER TABLE no_such_table ADD COLUMN x INT' }];
  await expect(applyMigrations(connection, DATABASE, broken)).rejects.toThrow(/Migration 003-broken\.sql failed: .*no_such_table/);
  const [rows] = await connection.query('SELECT name FROM schema_migrations WHERE name = ?', ['003-broken.sql']);
  expect(rows).toEqual([]);
});

test('a database name that is not a plain identifier is refused before any SQL runs', async () => {
  await expect(applyMigrations(connection, 'COFFEE; DROP DATABASE COFFEE', [])).rejects.toThrow(/not a plain SQL identifier/);
});

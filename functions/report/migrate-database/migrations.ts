import type { Connection, RowDataPacket } from 'mysql2/promise';

/** One SQL file of `sql/<database>/`, applied once, in name order. */
export interface Migration {
  /** The file name, e.g. `001-suppliers-and-beans.sql`: what is recorded as applied. */
  readonly name: string;
  readonly sql: string;
}

export interface MigrationResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** Only plain names reach SQL as identifiers; anything else would need quoting rules. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Creates `database` if needed and applies, in name order, each migration not recorded in
 * its `schema_migrations` table, recording each one after it succeeds. Running it again
 * applies nothing, so a deploy (or the local runtime) may run it every time.
 *
 * MySQL commits DDL implicitly, so a migration that fails halfway is not rolled back:
 * it stays unrecorded, and the error names it.
 *
 * @param connection opened with `multipleStatements: true`, as a migration is a file of statements
 */
export async function applyMigrations(connection: Connection, database: string, migrations: readonly Migration[]): Promise<MigrationResult> {
  if (!DATABASE_NAME.test(database)) throw new Error(`Database name ${JSON.stringify(database)} is not a plain SQL identifier`);
  await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.query(`USE \`${database}\``);
  await connection.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(255) NOT NULL PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)',
  );
  const [rows] = await connection.query<RowDataPacket[]>('SELECT name FROM schema_migrations');
  const done = new Set(rows.map((row) => String(row.name)));

  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    if (done.has(migration.name)) {
      alreadyApplied.push(migration.name);
      continue;
    }
    try {
      await connection.query(migration.sql);
    } catch (error) {
      throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
    await connection.query('INSERT INTO schema_migrations (name) VALUES (?)', [migration.name]);
    applied.push(migration.name);
  }
  return { applied, alreadyApplied };
}

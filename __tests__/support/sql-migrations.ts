import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Migration } from '../../functions/report/migrate-database/migrations';

/** The report pipeline's database, as SQL files applied in name order. */
export const COFFEE_SQL_DIR = resolve(__dirname, '..', '..', 'sql', 'coffee');

/** Every `*.sql` file of a directory, in name order, as migrations. */
export function readMigrations(directory: string = COFFEE_SQL_DIR): Migration[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(directory, name), 'utf8') }));
}

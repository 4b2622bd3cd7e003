import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { requireEnv } from '../../shared/require-env';
import { DatabaseConnector, databaseSettingsFromEnv } from '../shared/database-connection';
import { COFFEE_MIGRATIONS } from './coffee-migrations';
import { applyMigrations, type MigrationResult } from './migrations';

const settings = databaseSettingsFromEnv();
const logger = new Logger();
const database = new DatabaseConnector(settings, requireEnv('DB_SECRET_ARN'), logger);

/**
 * Applies the repo's SQL to the database, once per file: invoked on every deploy (by
 * `aws_lambda_invocation`), and a no-op when nothing is new. A failure fails the deploy,
 * naming the migration.
 */
export async function handler(_event: unknown, context: Context): Promise<MigrationResult> {
  logger.addContext(context);
  const connection = await database.connect({ multipleStatements: true, selectDatabase: false });
  try {
    const result = await applyMigrations(connection, settings.database, COFFEE_MIGRATIONS);
    logger.info('Database migrated', { database: settings.database, applied: result.applied, alreadyApplied: result.alreadyApplied.length });
    return result;
  } finally {
    await connection.end();
  }
}

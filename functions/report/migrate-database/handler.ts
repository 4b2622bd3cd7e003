import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { createConnection } from 'mysql2/promise';
import { DatabaseSecret } from '../shared/database-secret';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { COFFEE_MIGRATIONS } from './coffee-migrations';
import { applyMigrations, type MigrationResult } from './migrations';

const host = requireEnv('DB_HOST');
const port = requireIntegerEnv('DB_PORT', 1);
const database = requireEnv('DB_NAME');
const logger = new Logger();
const secret = new DatabaseSecret(new SecretsManagerClient({}), requireEnv('DB_SECRET_ARN'));

/**
 * Applies the repo's SQL to the database, once per file: invoked on every deploy (by
 * `aws_lambda_invocation`), and a no-op when nothing is new. A failure fails the deploy,
 * naming the migration.
 */
export async function handler(_event: unknown, context: Context): Promise<MigrationResult> {
  logger.addContext(context);
  const { username, password } = await secret.login();
  const connection = await createConnection({ host, port, user: username, password, multipleStatements: true, connectTimeout: 10_000 });
  try {
    const result = await applyMigrations(connection, database, COFFEE_MIGRATIONS);
    logger.info('Database migrated', { database, applied: result.applied, alreadyApplied: result.alreadyApplied.length });
    return result;
  } finally {
    await connection.end();
  }
}

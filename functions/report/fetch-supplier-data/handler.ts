import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { requireEnv } from '../../shared/require-env';
import { DatabaseConnector, databaseSettingsFromEnv } from '../shared/database-connection';
import { fetchSupplierData, type SupplierData } from './supplier-data';

// Module scope: read and built once per container, reused by every invocation.
const settings = databaseSettingsFromEnv();
const logger = new Logger();
const database = new DatabaseConnector(settings, requireEnv('DB_SECRET_ARN'), logger);

/**
 * The state machine's first step: every supplier and its beans, read from MySQL now.
 * A connection is opened per invocation and closed after it: reports are rare, and a
 * connection kept across invocations of a frozen container only dies on the server.
 * Errors are thrown as they are, for the state machine's Retry and Catch to handle.
 */
export async function handler(_event: unknown, context: Context): Promise<SupplierData> {
  logger.addContext(context);
  const connection = await database.connect();
  try {
    const data = await fetchSupplierData(connection);
    logger.info('Read the supplier data', { suppliers: data.suppliers.length, host: settings.host, database: settings.database });
    return data;
  } finally {
    await connection.end();
  }
}

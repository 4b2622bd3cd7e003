import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { createConnection, type Connection } from 'mysql2/promise';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { DatabaseSecret } from '../shared/database-secret';
import { fetchSupplierData, type SupplierData } from './supplier-data';

// Module scope: read and built once per container, reused by every invocation.
const host = requireEnv('DB_HOST');
const port = requireIntegerEnv('DB_PORT', 1);
const database = requireEnv('DB_NAME');
const logger = new Logger();
// The endpoint comes from AWS_ENDPOINT_URL_SECRETS_MANAGER when set (local runtime); in the
// VPC, from the Secrets Manager interface endpoint: the function has no route to the internet.
const secret = new DatabaseSecret(new SecretsManagerClient({}), requireEnv('DB_SECRET_ARN'));

/** MySQL's "access denied": the password may have been rotated since it was read. */
const ACCESS_DENIED = 'ER_ACCESS_DENIED_ERROR';

/**
 * The state machine's first step: every supplier and its beans, read from MySQL now.
 * A connection is opened per invocation and closed after it: reports are rare, and a
 * connection kept across invocations of a frozen container only dies on the server.
 * Errors are thrown as they are, for the state machine's Retry and Catch to handle.
 */
export async function handler(_event: unknown, context: Context): Promise<SupplierData> {
  logger.addContext(context);
  const connection = await connect();
  try {
    const data = await fetchSupplierData(connection);
    logger.info('Read the supplier data', { suppliers: data.suppliers.length, host, database });
    return data;
  } finally {
    await connection.end();
  }
}

async function connect(): Promise<Connection> {
  const open = async () => {
    const { username, password } = await secret.login();
    return createConnection({ host, port, database, user: username, password, connectTimeout: 5_000 });
  };
  try {
    return await open();
  } catch (error) {
    if ((error as { code?: string }).code !== ACCESS_DENIED) throw error;
    logger.warn('The database refused the login; reading the secret again in case it was rotated');
    secret.forget();
    return open();
  }
}

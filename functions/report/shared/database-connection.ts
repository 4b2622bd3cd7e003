import type { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createConnection, type Connection } from 'mysql2/promise';
import { requireEnv, requireIntegerEnv } from '../../shared/require-env';
import { DatabaseSecret } from './database-secret';

/** Where the database is, and how to reach it: the functions' DB_* environment. */
export interface DatabaseSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /**
   * `required`: TLS verified against the Amazon RDS certificate authorities (bundled with
   * mysql2), as the cluster refuses plain connections. `disabled`: only for the local
   * runtime's MariaDB, which has no certificate.
   */
  readonly tls: 'required' | 'disabled';
}

/** Reads DB_HOST, DB_PORT, DB_NAME and DB_TLS (default `required`) at cold start. */
export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const tls = env.DB_TLS?.trim() || 'required';
  if (tls !== 'required' && tls !== 'disabled') {
    throw new Error(`Environment variable DB_TLS="${tls}" must be "required" or "disabled": fix it in the function configuration.`);
  }
  return {
    host: requireEnv('DB_HOST', env),
    port: requireIntegerEnv('DB_PORT', 1, env),
    database: requireEnv('DB_NAME', env),
    tls,
  };
}

/** MySQL's "access denied": the password may have been rotated since it was read. */
const ACCESS_DENIED = 'ER_ACCESS_DENIED_ERROR';

/**
 * Opens connections with the login kept in Secrets Manager (DB_SECRET_ARN). When the
 * database refuses a cached login, the secret is read again once: a rotated password is
 * picked up without waiting for the cache to expire.
 */
export class DatabaseConnector {
  private readonly secret: DatabaseSecret;

  constructor(
    private readonly settings: DatabaseSettings,
    secretArn: string,
    private readonly logger: Logger,
    // The endpoint comes from AWS_ENDPOINT_URL_SECRETS_MANAGER when set (local runtime); in
    // the VPC, from the Secrets Manager interface endpoint: there is no route out.
    client = new SecretsManagerClient({}),
  ) {
    this.secret = new DatabaseSecret(client, secretArn);
  }

  /**
   * @param options.multipleStatements for migrations, which are files of statements
   * @param options.selectDatabase false for migrations, which create the database first
   */
  async connect(options: { multipleStatements?: boolean; selectDatabase?: boolean } = {}): Promise<Connection> {
    const open = async () => {
      const { username, password } = await this.secret.login();
      const { host, port, database, tls } = this.settings;
      return createConnection({
        host,
        port,
        ...(options.selectDatabase === false ? {} : { database }),
        user: username,
        password,
        connectTimeout: 10_000,
        multipleStatements: options.multipleStatements ?? false,
        ...(tls === 'required' ? { ssl: 'Amazon RDS' } : {}),
      });
    };
    try {
      return await open();
    } catch (error) {
      if ((error as { code?: string }).code !== ACCESS_DENIED) throw error;
      this.logger.warn('The database refused the login; reading the secret again in case it was rotated');
      this.secret.forget();
      return open();
    }
  }
}

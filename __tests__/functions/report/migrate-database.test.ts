/**
 * The migration function as a deploy invokes it: the SQL bundled into it, applied to a real
 * MariaDB with the master login read from Secrets Manager (the local one).
 */
import { createConnection } from 'mysql2/promise';
import { COFFEE_MIGRATIONS } from '../../../functions/report/migrate-database/coffee-migrations';
import { readMigrations } from '../../support/sql-migrations';
import { startSecretsManager, type RunningSecretsManager } from '../../../local/emulators/secrets-manager';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../support/deadlines';
import { workerEmulators, type SharedMariaDb } from '../../support/emulators/worker-emulators';
import { uniqueNames } from '../../support/unique-names';
import { lambdaContext } from '../support/lambda-events';
import { useLocalAwsEnvironment } from '../support/local-aws-env';
import { expectStartRefusedWithout } from '../support/start-refusal';

const HANDLER_MODULE = '../../../functions/report/migrate-database/handler';
type HandlerModule = typeof import('../../../functions/report/migrate-database/handler');

// MariaDB is shared with the other suites of this jest worker: the database is this suite's own.
const DATABASE = uniqueNames().database('COFFEE');
let mariadb: SharedMariaDb;
let secrets: RunningSecretsManager;
let handler: HandlerModule['handler'];
const context = lambdaContext('dev-MigrateReportDatabase');

beforeAll(async () => {
  [mariadb, secrets] = await Promise.all([workerEmulators().mariadb(), startSecretsManager()]);
  const { host, port, username, password } = mariadb.credentials;
  useLocalAwsEnvironment(context.functionName, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    DB_HOST: host,
    DB_PORT: String(port),
    DB_NAME: DATABASE,
    // The local MariaDB has no certificate; in AWS the stack leaves DB_TLS at its default, required.
    DB_TLS: 'disabled',
    DB_SECRET_ARN: secrets.putSecret('rds-master', JSON.stringify({ username, password })),
  });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await secrets?.stop();
});

test('the bundled migrations are exactly the files of sql/coffee/', () => {
  expect(COFFEE_MIGRATIONS).toEqual(readMigrations());
});

test('a first deploy creates the schema and sample data; the next one applies nothing', async () => {
  await expect(handler({}, context)).resolves.toEqual({ applied: ['001-suppliers-and-beans.sql', '002-sample-data.sql'], alreadyApplied: [] });
  await expect(handler({}, context)).resolves.toEqual({ applied: [], alreadyApplied: ['001-suppliers-and-beans.sql', '002-sample-data.sql'] });
  const { host, port, username, password } = mariadb.credentials;
  const connection = await createConnection({ host, port, user: username, password, database: DATABASE });
  try {
    const [rows] = await connection.query('SELECT COUNT(*) AS suppliers FROM suppliers');
    expect(rows).toEqual([{ suppliers: 3 }]);
  } finally {
    await connection.end();
  }
});

test.each(['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_SECRET_ARN'])('the cold start refuses a missing %s', async (variable) => {
  await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), variable);
});

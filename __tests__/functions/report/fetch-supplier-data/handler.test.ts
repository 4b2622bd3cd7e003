/**
 * The data function as deployed: its login read from Secrets Manager (the local one), its
 * data from a real MariaDB holding the repo's SQL, a rotated password picked up.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { applyMigrations } from '../../../../functions/report/migrate-database/migrations';
import { readMigrations } from '../../../support/sql-migrations';
import { startSecretsManager, type RunningSecretsManager } from '../../../../local/emulators/secrets-manager';
import { EMULATOR_HOOK_TIMEOUT_MS } from '../../../support/deadlines';
import { workerEmulators, type SharedMariaDb } from '../../../support/emulators/worker-emulators';
import { uniqueNames } from '../../../support/unique-names';
import { lambdaContext } from '../../support/lambda-events';
import { useLocalAwsEnvironment } from '../../support/local-aws-env';
import { expectStartRefusedWithout } from '../../support/start-refusal';

const HANDLER_MODULE = '../../../../functions/report/fetch-supplier-data/handler';
type HandlerModule = typeof import('../../../../functions/report/fetch-supplier-data/handler');

let secrets: RunningSecretsManager;
let admin: Connection;
let handler: HandlerModule['handler'];
const context = lambdaContext('dev-FetchSupplierData');
const SECRET_NAME = 'report-database-login';
// MariaDB is shared with the other suites of this jest worker: databases and users are this suite's own.
const names = uniqueNames();
const DATABASE = names.database('COFFEE');
const READER = names.databaseUser('reporter');

beforeAll(async () => {
  let mariadb: SharedMariaDb;
  [mariadb, secrets] = await Promise.all([workerEmulators().mariadb(), startSecretsManager()]);
  const { host, port, username, password } = mariadb.credentials;
  admin = await createConnection({ host, port, user: username, password, multipleStatements: true });
  await applyMigrations(admin, DATABASE, readMigrations());
  await admin.query("CREATE USER ?@'%' IDENTIFIED BY 'first-password'", [READER]);
  await admin.query(`GRANT SELECT ON ${DATABASE}.* TO ?@'%'`, [READER]);
  const secretArn = secrets.putSecret(SECRET_NAME, JSON.stringify({ username: READER, password: 'first-password' }));
  useLocalAwsEnvironment(context.functionName, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    DB_HOST: host,
    DB_PORT: String(port),
    DB_NAME: DATABASE,
    // The local MariaDB has no certificate; in AWS the stack leaves DB_TLS at its default, required.
    DB_TLS: 'disabled',
    DB_SECRET_ARN: secretArn,
  });
  ({ handler } = (await import(HANDLER_MODULE)) as HandlerModule);
}, EMULATOR_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await admin?.end();
  await secrets?.stop();
});

test('reads every supplier with a login from the secret, as a least-privileged user', async () => {
  const data = await handler({}, context);
  expect(data.suppliers.map((supplier) => supplier.name)).toEqual(['Café do Vale', 'Highland Roasters', 'Pacific Bean Co.']);
});

test('a rotated password is picked up: refused once, the secret is read again', async () => {
  await handler({}, context); // the login is now cached
  await admin.query("ALTER USER ?@'%' IDENTIFIED BY 'second-password'", [READER]);
  secrets.putSecret(SECRET_NAME, JSON.stringify({ username: READER, password: 'second-password' }));
  const data = await handler({}, context);
  expect(data.suppliers).toHaveLength(3);
});

test('a secret that holds no login fails with a message saying what it must hold', async () => {
  await admin.query("ALTER USER ?@'%' IDENTIFIED BY 'third-password'", [READER]);
  secrets.putSecret(SECRET_NAME, 'not json');
  await expect(handler({}, context)).rejects.toThrow(/must be a JSON object with string "username" and "password"/);
  secrets.putSecret(SECRET_NAME, JSON.stringify({ username: READER, password: 'third-password' }));
  await expect(handler({}, context)).resolves.toMatchObject({ suppliers: expect.any(Array) });
});

test.each(['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_SECRET_ARN'])('the cold start refuses a missing %s', async (variable) => {
  await expectStartRefusedWithout(require.resolve(HANDLER_MODULE), variable);
});

test('by default the connection must use TLS: a database without it is refused', async () => {
  const saved = process.env.DB_TLS;
  delete process.env.DB_TLS;
  try {
    await jest.isolateModulesAsync(async () => {
      const { handler: requiringTls } = (await import(HANDLER_MODULE)) as HandlerModule;
      await expect(requiringTls({}, context)).rejects.toThrow(/secure connection|SSL|TLS/i);
    });
  } finally {
    process.env.DB_TLS = saved;
  }
});

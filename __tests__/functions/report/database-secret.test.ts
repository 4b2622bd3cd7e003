import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { databaseSettingsFromEnv } from '../../../functions/report/shared/database-connection';
import { DatabaseSecret } from '../../../functions/report/shared/database-secret';

function stubClient(values: string[]): SecretsManagerClient & { calls: number } {
  const client = {
    calls: 0,
    async send() {
      client.calls += 1;
      return { SecretString: values[Math.min(client.calls - 1, values.length - 1)] };
    },
  };
  return client as unknown as SecretsManagerClient & { calls: number };
}

test('keeps the login for its time to live, then reads it again', async () => {
  let now = 0;
  const client = stubClient([JSON.stringify({ username: 'a', password: '1' }), JSON.stringify({ username: 'a', password: '2' })]);
  const secret = new DatabaseSecret(client, 'arn:secret', 1_000, () => now);
  expect(await secret.login()).toEqual({ username: 'a', password: '1' });
  now = 999;
  expect(await secret.login()).toEqual({ username: 'a', password: '1' });
  expect(client.calls).toBe(1);
  now = 1_000;
  expect(await secret.login()).toEqual({ username: 'a', password: '2' });
  expect(client.calls).toBe(2);
});

test('forget() makes the next login read the secret', async () => {
  const client = stubClient([JSON.stringify({ username: 'a', password: '1' })]);
  const secret = new DatabaseSecret(client, 'arn:secret');
  await secret.login();
  secret.forget();
  await secret.login();
  expect(client.calls).toBe(2);
});

test.each([
  ['not JSON', 'password=1', /is not JSON/],
  ['no username', JSON.stringify({ password: '1' }), /lacks a username or password/],
  ['a numeric password', JSON.stringify({ username: 'a', password: 1 }), /lacks a username or password/],
  ['null', 'null', /lacks a username or password/],
])('refuses a secret that is %s, naming it', async (_case, value, message) => {
  const secret = new DatabaseSecret(stubClient([value]), 'arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf');
  await expect(secret.login()).rejects.toThrow(message);
  await expect(secret.login()).rejects.toThrow(/arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf/);
});

describe('databaseSettingsFromEnv', () => {
  const env = { DB_HOST: 'db.example', DB_PORT: '3306', DB_NAME: 'COFFEE' };

  it('requires TLS unless told otherwise', () => {
    expect(databaseSettingsFromEnv(env)).toEqual({ host: 'db.example', port: 3306, database: 'COFFEE', tls: 'required' });
    expect(databaseSettingsFromEnv({ ...env, DB_TLS: 'disabled' }).tls).toBe('disabled');
  });

  it('refuses a TLS setting it does not know, naming the variable', () => {
    expect(() => databaseSettingsFromEnv({ ...env, DB_TLS: 'off' })).toThrow(/DB_TLS="off" must be "required" or "disabled"/);
  });
});

import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The fields RDS keeps in a master-user secret it manages (and that an existing database's secret must hold). */
export interface DatabaseLogin {
  readonly username: string;
  readonly password: string;
}

/** Thrown when the secret exists but does not hold a login: a configuration problem, not a transient one. */
export class InvalidDatabaseSecretError extends Error {
  constructor(secretId: string, problem: string) {
    super(`The database secret ${secretId} ${problem}: it must be a JSON object with string "username" and "password"`);
    this.name = 'InvalidDatabaseSecretError';
  }
}

/**
 * Reads the database login from Secrets Manager, keeping it for `ttlMs` so that warm
 * invocations make no extra call, yet a rotated password is picked up within that time
 * (and at once after `forget()`, which the caller uses when the database refuses it).
 */
export class DatabaseSecret {
  private cached: { login: DatabaseLogin; readAt: number } | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async login(): Promise<DatabaseLogin> {
    if (this.cached && this.now() - this.cached.readAt < this.ttlMs) return this.cached.login;
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const login = parseLogin(this.secretId, SecretString);
    this.cached = { login, readAt: this.now() };
    return login;
  }

  forget(): void {
    this.cached = undefined;
  }
}

function parseLogin(secretId: string, secretString: string | undefined): DatabaseLogin {
  if (secretString === undefined) throw new InvalidDatabaseSecretError(secretId, 'has no string value');
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    throw new InvalidDatabaseSecretError(secretId, 'is not JSON');
  }
  const { username, password } = (value ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || username === '' || typeof password !== 'string') {
    throw new InvalidDatabaseSecretError(secretId, 'lacks a username or password');
  }
  return { username, password };
}

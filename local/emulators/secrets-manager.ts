/**
 * The part of AWS Secrets Manager the pipelines' functions use, on a loopback port:
 * GetSecretValue over its JSON protocol, so a function reads its database secret with the
 * real SDK and the endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER. Secrets are stored with
 * `putSecret`, as a deploy would store them. No emulator of it installs from npm or
 * Debian; this one call is small.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from './emulator-process';

export interface RunningSecretsManager extends RunningEmulator {
  /** Stores a secret, or a new value of it (as a deploy or a rotation would), returning its ARN. */
  putSecret(name: string, secretString: string): string;
}

interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  secretString: string;
  versionId: string;
  readonly createdDate: number;
}

class SecretsManagerError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startSecretsManager(options: { region?: string; accountId?: string } = {}): Promise<RunningSecretsManager> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const secrets = new Map<string, StoredSecret>();

  const find = (secretId: unknown): StoredSecret => {
    const secret = [...secrets.values()].find((candidate) => candidate.arn === secretId || candidate.name === secretId);
    if (!secret) throw new SecretsManagerError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  };
  const put = (name: string, secretString: string): StoredSecret => {
    const existing = secrets.get(name);
    if (existing) {
      existing.secretString = secretString;
      existing.versionId = randomUUID();
      return existing;
    }
    // AWS appends six random characters to a secret's name in its ARN.
    const arn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${randomUUID().slice(0, 6)}`;
    const created: StoredSecret = { arn, name, secretString, versionId: randomUUID(), createdDate: Date.now() / 1000 };
    secrets.set(name, created);
    return created;
  };

  const actions: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetSecretValue: (input) => {
      const secret = find(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.secretString,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.createdDate,
      };
    },
  };

  const server = createServer((request, response) => void handle(request, response));
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const action = target.startsWith('secretsmanager.') ? actions[target.slice('secretsmanager.'.length)] : undefined;
    try {
      if (!action) throw new SecretsManagerError('UnknownOperationException', `The local Secrets Manager does not implement ${target || 'this request'}.`);
      const output = action(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(output));
    } catch (error) {
      const known = error instanceof SecretsManagerError ? error : new SecretsManagerError('InternalServiceError', String(error), 500);
      response.writeHead(known.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: known.type, message: known.message }));
    }
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    putSecret: (name, secretString) => put(name, secretString).arn,
    stop: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

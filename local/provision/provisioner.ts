/** What every resource family's provisioning step gets, and reports. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { RunningMariaDb } from '../emulators/mariadb';
import type { RunningSecretsManager } from '../emulators/secrets-manager';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import type { ProvisionedStack } from './provisioned-stack';

export interface ProvisionClients {
  /** Required when the stack has a table. */
  readonly dynamodb?: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  /** Required when the stack has a database: what serves it locally. */
  readonly databases?: { readonly mariadb: RunningMariaDb; readonly secrets: RunningSecretsManager };
}

/** What one resource creation looked like, for progress output. */
export interface ProvisionedResource {
  readonly type: string;
  readonly name: string;
  readonly detail: string;
}

export interface ProvisionContext {
  readonly stack: SynthesizedStack;
  readonly clients: ProvisionClients;
  /** Where each step records what it created, and resolves references to what came before. */
  readonly provisioned: ProvisionedStack;
  readonly onCreated: (resource: ProvisionedResource) => void;
}

/** Creates one family of the stack's resources (its tables, its queues...) in the emulators. */
export type Provisioner = (context: ProvisionContext) => Promise<void>;

/** A value the emulator must have returned. */
export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`The emulator returned no ${what}`);
  return value;
}

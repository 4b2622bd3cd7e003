/**
 * Runs a synthesized pipeline stack on this machine (with local-stacks.ts, which runs
 * several together): the services its functions reach,
 * the stack's tables, queues and topics created from cdk.tf.json, its functions run from
 * the bundles Terraform would zip, its event source mappings, bucket notifications, state
 * machines and REST API honoured as AWS honours them. What runs here is what
 * `cdktf deploy` would create.
 *
 * This module only connects the parts: what the stack declares is read in local/stack/,
 * and each AWS behaviour lives in the folder named after its service.
 */
import type { LocalUserPool } from '../cognito/local-user-pool';
import type { RunningEmulator } from '../emulators/emulator-process';
import type { LocalFunction } from '../lambda/local-function';
import type { ProvisionedStack } from '../provision/provisioned-stack';
import type { RunningPart } from '../running-part';
import type { NotificationInbox } from '../sns/notification-inbox';
import { SynthesizedApp } from '../stack/synthesized-app';
import type { SynthesizedStack } from '../stack/synthesized-stack';
import type { LocalStateMachine } from '../step-functions/local-state-machine';
import { startLocalStacks } from './local-stacks';
import type { FunctionEndpointService, LocalServices } from './local-services';
import type { PipelineEvent } from './pipeline-events';
import type { S3Trigger } from './triggers';

export interface LocalPipelineOptions {
  /** The synthesized stack's directory: cdk.tf.json and the assets it names. */
  readonly stackDir: string;
  /** Port of the REST API. @default a free port */
  readonly apiPort?: number;
  /** Honour the stage's throttling. Load runs turn it off. @default true */
  readonly throttle?: boolean;
  /**
   * Retry failed SQS messages and asynchronous invocations after this many seconds instead
   * of AWS's delays (the queue's visibility timeout; 1 then 2 minutes), and scale the state
   * machines' retry intervals to match. @default AWS's delays
   */
  readonly retryDelaySeconds?: number;
  /** Replaces a function's bundle, by function name: how the benchmark runs the lab's own handler logic. */
  readonly codeOverrides?: Readonly<Record<string, string>>;
  /**
   * Endpoints the functions use instead of the emulators', e.g. a proxy that makes
   * DynamoDB fail on purpose. Keys are SDK service ids as in AWS_ENDPOINT_URL_<ID>.
   */
  readonly functionEndpoints?: Readonly<Partial<Record<FunctionEndpointService, string>>>;
  /**
   * A DynamoDB Local already running, to use instead of starting one (a JVM saved, e.g. in a
   * test run that has one). The stack's tables are created in it, so none of their names
   * may be taken there; stop() deletes them again and leaves the emulator running.
   * @default a DynamoDB Local of the pipeline's own, when the stack has a table
   */
  readonly dynamodbEndpoint?: string;
  /**
   * Variables set in every function's environment over the stack's and the runtime's own,
   * as `sam local invoke --env-vars` does (`npm run local -- invoke --env`). @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Runs only this function (by its name or construct id) and what it reaches, not what
   * invokes it: see local/stack/function-reach.ts. @default the whole stack
   */
  readonly onlyFunction?: string;
  /** Progress, as it happens. @default ignored */
  readonly onEvent?: (event: PipelineEvent) => void;
}

export interface LocalPipeline extends RunningPart {
  readonly stack: SynthesizedStack;
  readonly resources: ProvisionedStack;
  /** The stage's URL, e.g. http://127.0.0.1:3000/v1; undefined when the stack has no REST API. */
  readonly apiUrl?: string;
  readonly endpoints: LocalServices['endpoints'];
  readonly clients: LocalServices['clients'];
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly notifications: NotificationInbox;
  /** Where a new object invokes a function: what a person uploads to. */
  readonly s3Triggers: readonly S3Trigger[];
  /** The stack's state machines, by name. */
  readonly stateMachines: ReadonlyMap<string, LocalStateMachine>;
  /** The stack's user pools, by ARN: they issue the ID tokens the API's authorizers accept. */
  readonly userPools: ReadonlyMap<string, LocalUserPool>;
  /** The MariaDB serving the stack's database, when it has one (tests stop it to stage an outage). */
  readonly database?: RunningEmulator;
  /** The stack's outputs, resolved to local values. */
  readonly outputs: Readonly<Record<string, string>>;
  /**
   * Resolves once every part is idle and stays so: everything put into the pipeline before
   * the call has gone as far as it goes (retries waiting on a delay excepted).
   */
  idle(): Promise<void>;
  /** Stops everything that was started, newest first; resolves once all of it is gone. */
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  // The app the stack belongs to, for its cross-stack references (a stack directory of its own is an app of one).
  const app = SynthesizedApp.containing(options.stackDir);
  const { id } = app.byDirectory(options.stackDir);
  const run = await startLocalStacks({ ...options, app, stackIds: [id], apiPorts: options.apiPort === undefined ? undefined : { [id]: options.apiPort } });
  return run.stacks.get(id)!;
}

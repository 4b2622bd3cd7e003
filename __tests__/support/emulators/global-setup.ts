/**
 * Jest's globalSetup (jest.config.js), in the jest parent process before any worker starts:
 * what it puts in process.env, every worker inherits.
 */
import { startDynamoDbLocal } from '../../../local/emulators/dynamodb-local';
import { startupTimeoutMs } from '../../../local/emulators/emulator-process';
import { startFauxqs } from '../../../local/emulators/fauxqs';
import { startMariaDb } from '../../../local/emulators/mariadb';
import { isUnitRun } from '../unit-run';
import { BROKER_URL_VARIABLE } from './broker-protocol';
import { BROKER_GLOBAL, startEmulatorBroker, type EmulatorBroker, type Launchers } from './emulator-broker';

const LAUNCHERS: Launchers = {
  dynamodb: () => startDynamoDbLocal(),
  fauxqs: () => startFauxqs(),
  mariadb: () => startMariaDb(),
};

export default async function globalSetup(globalConfig: { readonly filter?: string | null }): Promise<void> {
  // Node 20 is what the machines run; the SDK's notice that later releases need Node 22
  // would otherwise be printed once per test file and worker.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // test:unit runs only tests that need no emulator: without a broker, one that asks fails loudly.
  if (isUnitRun(globalConfig)) return;
  const broker = await startEmulatorBroker(LAUNCHERS, startupTimeoutMs());
  process.env[BROKER_URL_VARIABLE] = broker.url;
  (globalThis as { [BROKER_GLOBAL]?: EmulatorBroker })[BROKER_GLOBAL] = broker;
}

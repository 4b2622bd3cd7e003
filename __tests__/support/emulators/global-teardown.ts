/** Jest's globalTeardown (jest.config.js): stops every emulator the broker started, after the last suite. */
import { BROKER_GLOBAL, type EmulatorBroker } from './emulator-broker';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { [BROKER_GLOBAL]?: EmulatorBroker };
  const broker = holder[BROKER_GLOBAL];
  delete holder[BROKER_GLOBAL];
  await broker?.stop();
}

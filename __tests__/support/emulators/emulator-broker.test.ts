/**
 * The broker and the workers' helper together, with stand-in launchers: which emulators
 * are started, for whom, how often, what a failed start tells the suites, and that stop()
 * leaves nothing running. The real launchers are tested in __tests__/local/emulators/.
 */
import { EmulatorStartError } from '../../../local/emulators/emulator-process';
import { BROKER_URL_VARIABLE, EMULATOR_KINDS, type EmulatorKind } from './broker-protocol';
import { startEmulatorBroker, type BrokeredEmulator, type EmulatorBroker, type Launchers } from './emulator-broker';
import { workerEmulators } from './worker-emulators';

/** Launchers that count starts and stops, each start finishing when the test lets it. */
function fakeLaunchers() {
  const starts: EmulatorKind[] = [];
  const running = new Set<string>();
  let failMariaDb: Error | undefined;
  let startGate: Promise<void> = Promise.resolve();
  const launch = (kind: EmulatorKind) => async (): Promise<BrokeredEmulator> => {
    starts.push(kind);
    const endpoint = `http://127.0.0.1:${10_000 + starts.length}`;
    await startGate;
    if (kind === 'mariadb' && failMariaDb) throw failMariaDb;
    running.add(endpoint);
    return {
      endpoint,
      ...(kind === 'mariadb' ? { credentials: { host: '127.0.0.1', port: 3306, username: 'local', password: 'pw' } } : {}),
      stop: async () => void running.delete(endpoint),
    };
  };
  const launchers = Object.fromEntries(EMULATOR_KINDS.map((kind) => [kind, launch(kind)])) as unknown as Launchers;
  return {
    launchers,
    starts,
    running,
    failMariaDbWith: (error: Error) => (failMariaDb = error),
    holdStarts: () => {
      let release = () => {};
      startGate = new Promise((resolve) => (release = resolve));
      return release;
    },
  };
}

const saved = { url: process.env[BROKER_URL_VARIABLE], worker: process.env.JEST_WORKER_ID };
let broker: EmulatorBroker | undefined;

async function brokerFor(launchers: Launchers): Promise<EmulatorBroker> {
  broker = await startEmulatorBroker(launchers, 120_000);
  process.env[BROKER_URL_VARIABLE] = broker.url;
  return broker;
}

function asWorker(id: string) {
  process.env.JEST_WORKER_ID = id;
  return workerEmulators();
}

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
  process.env[BROKER_URL_VARIABLE] = saved.url;
  process.env.JEST_WORKER_ID = saved.worker;
});

it('starts nothing until asked, then one emulator of a kind per worker, shared by its suites', async () => {
  const fake = fakeLaunchers();
  const started = await brokerFor(fake.launchers);
  expect(started.started()).toEqual([]);

  const first = await asWorker('1').dynamodb();
  const again = await asWorker('1').dynamodb();
  const otherWorker = await asWorker('2').dynamodb();

  expect(again.endpoint).toBe(first.endpoint);
  expect(otherWorker.endpoint).not.toBe(first.endpoint);
  expect(fake.starts).toEqual(['dynamodb', 'dynamodb']);
  expect(started.started()).toEqual(['1/dynamodb', '2/dynamodb']);
});

it('starts an emulator once when a suite asks for it twice at the same time', async () => {
  const fake = fakeLaunchers();
  await brokerFor(fake.launchers);
  const release = fake.holdStarts();

  const asking = Promise.all([asWorker('1').fauxqs(), asWorker('1').fauxqs(), asWorker('1').dynamodb()]);
  release();
  const [a, b] = await asking;

  expect(a.endpoint).toBe(b.endpoint);
  expect(fake.starts.sort()).toEqual(['dynamodb', 'fauxqs']);
});

it("gives MariaDB's login along with its endpoint", async () => {
  await brokerFor(fakeLaunchers().launchers);

  await expect(asWorker('1').mariadb()).resolves.toEqual({
    endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    credentials: { host: '127.0.0.1', port: 3306, username: 'local', password: 'pw' },
  });
});

it("passes a failed start's message on, install hint included, to every suite that asks, without retrying", async () => {
  const fake = fakeLaunchers();
  fake.failMariaDbWith(new EmulatorStartError('MariaDB', '`mariadbd` was not found. Install MariaDB: `apt-get install mariadb-server`', ''));
  await brokerFor(fake.launchers);

  await expect(asWorker('1').mariadb()).rejects.toThrow('MariaDB did not start: `mariadbd` was not found. Install MariaDB: `apt-get install mariadb-server`');
  await expect(asWorker('1').mariadb()).rejects.toThrow(/apt-get install mariadb-server/);
  expect(fake.starts).toEqual(['mariadb']);
});

it('stops every emulator it started, waiting for one still starting, and then refuses connections', async () => {
  const fake = fakeLaunchers();
  const started = await brokerFor(fake.launchers);
  await asWorker('1').dynamodb();
  await asWorker('2').fauxqs();
  const release = fake.holdStarts();
  const stillStarting = asWorker('2').dynamodb();
  // Let the request reach the broker before it is stopped.
  while (fake.starts.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));

  const stopping = started.stop();
  release();
  await stopping;
  broker = undefined;

  await expect(stillStarting).resolves.toMatchObject({ endpoint: expect.any(String) });
  expect(fake.running.size).toBe(0);
  await expect(asWorker('1').dynamodb()).rejects.toThrow(/Could not reach the emulator broker/);
});

it('explains what to do when no broker runs (test:unit, or a runner without the global setup)', async () => {
  delete process.env[BROKER_URL_VARIABLE];

  await expect(workerEmulators().fauxqs()).rejects.toThrow(/no emulator broker is running \(EMULATOR_BROKER_URL is not set\)/);
});

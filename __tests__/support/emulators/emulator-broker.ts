/**
 * The emulator broker: a loopback HTTP server in the jest parent process that starts one
 * emulator of each kind per jest worker, on the first request for it, and stops them all
 * at the end of the run. The parent owns the processes, so workers have nothing to stop
 * and exit cleanly; a suite that needs no emulator starts none.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from '../../../local/emulators/emulator-process';
import { isEmulatorKind, type BrokerAnswer, type EmulatorAddress, type EmulatorKind } from './broker-protocol';

/** Where globalTeardown finds the broker globalSetup started: jest runs both in the parent, with one globalThis. */
export const BROKER_GLOBAL = Symbol.for('serverless-pipelines.emulator-broker');

/** A running emulator as the broker keeps it: what workers are told, and how to end it. */
export interface BrokeredEmulator extends RunningEmulator, EmulatorAddress {}

export type Launchers = Readonly<Record<EmulatorKind, () => Promise<BrokeredEmulator>>>;

export interface EmulatorBroker {
  /** Base URL for workers, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** How many emulators were asked for and started (or are starting), by `<worker>/<kind>`. */
  started(): string[];
  /** Stops every emulator (waiting for starts still under way), then the server. */
  stop(): Promise<void>;
}

/**
 * @param startupDeadlineMs told to workers, which wait for a start at least this long
 */
export async function startEmulatorBroker(launchers: Launchers, startupDeadlineMs: number): Promise<EmulatorBroker> {
  // Promises, not emulators: concurrent requests for one emulator share its start. A start
  // that failed stays failed: later suites get its reason at once instead of a retry that
  // would fail the same way (java missing) after the same wait.
  const emulators = new Map<string, Promise<BrokeredEmulator>>();

  const emulatorFor = (workerId: string, kind: EmulatorKind): Promise<BrokeredEmulator> => {
    const key = `${workerId}/${kind}`;
    let emulator = emulators.get(key);
    if (emulator === undefined) {
      emulator = launchers[kind]();
      // Reported to the requests that wait on it; this keeps the rejection from being "unhandled".
      emulator.catch(() => undefined);
      emulators.set(key, emulator);
    }
    return emulator;
  };

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    request.resume();
    const match = /^\/workers\/([^/]+)\/([a-z]+)$/.exec(request.url ?? '');
    if (request.method !== 'POST' || match === null || !isEmulatorKind(match[2])) {
      return reply(response, 404, { ok: false, error: `No such request: ${request.method} ${request.url}` });
    }
    try {
      const { endpoint, credentials } = await emulatorFor(decodeURIComponent(match[1]), match[2]);
      reply(response, 200, { ok: true, emulator: { endpoint, credentials }, startupDeadlineMs });
    } catch (error) {
      reply(response, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  };

  const server = createServer((request, response) => void answer(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    started: () => [...emulators.keys()].sort(),
    stop: async () => {
      const stopping = [...emulators.values()].map(stopOnceStarted);
      emulators.clear();
      const outcomes = await Promise.allSettled(stopping);
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      const failedStops = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      if (failedStops.length > 0) throw new AggregateError(failedStops, 'Some emulators did not stop');
    },
  };
}

async function stopOnceStarted(emulator: Promise<BrokeredEmulator>): Promise<void> {
  let running: BrokeredEmulator;
  try {
    running = await emulator;
  } catch {
    // A start that failed left nothing running, and its suites were told why.
    return;
  }
  await running.stop();
}

function reply(response: ServerResponse, status: number, body: BrokerAnswer): void {
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(body));
}

/**
 * What a jest worker and the emulator broker (in the jest parent process) say to each other
 * over loopback HTTP: one request per emulator a suite needs, answered once it is running.
 */
import type { DatabaseCredentials } from '../../../local/emulators/mariadb';

/** Set by the jest global setup in the parent; workers inherit it. */
export const BROKER_URL_VARIABLE = 'EMULATOR_BROKER_URL';

/** The emulators a jest worker can share between its suites. */
export const EMULATOR_KINDS = ['dynamodb', 'fauxqs', 'mariadb'] as const;
export type EmulatorKind = (typeof EMULATOR_KINDS)[number];

export function isEmulatorKind(text: string): text is EmulatorKind {
  return (EMULATOR_KINDS as readonly string[]).includes(text);
}

/** The request's path: `/workers/<JEST_WORKER_ID>/<kind>`, asked with POST. */
export function emulatorPath(workerId: string, kind: EmulatorKind): string {
  return `/workers/${encodeURIComponent(workerId)}/${kind}`;
}

/** Where the emulator answers; MariaDB's answer carries its login too. */
export interface EmulatorAddress {
  readonly endpoint: string;
  readonly credentials?: DatabaseCredentials;
}

export type BrokerAnswer =
  | { readonly ok: true; readonly emulator: EmulatorAddress; readonly startupDeadlineMs: number }
  /** Why the emulator could not start, in the launcher's words (what to install, its output). */
  | { readonly ok: false; readonly error: string };

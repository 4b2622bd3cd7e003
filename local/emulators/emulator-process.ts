import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A local stand-in for an AWS service, running until `stop()` is awaited. */
export interface RunningEmulator {
  /** Base URL to give SDK clients as `endpoint` (or as an `AWS_ENDPOINT_URL_<SERVICE>` variable). */
  readonly endpoint: string;
  /** Ends the emulator's process and resolves once it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Why an emulator did not come up, with what it printed (the useful part is usually there). */
export class EmulatorStartError extends Error {
  constructor(
    readonly emulator: string,
    readonly reason: string,
    readonly output: string,
    /** The spawn error's code, e.g. ENOENT when the executable is missing. */
    readonly code?: string,
  ) {
    super(`${emulator} did not start: ${reason}${output.trim() === '' ? '' : `\n--- its output ---\n${output.trim()}`}`);
    this.name = 'EmulatorStartError';
  }
}

/** The environment variable that sets every emulator's start deadline, in milliseconds. */
export const STARTUP_TIMEOUT_VARIABLE = 'EMULATOR_STARTUP_TIMEOUT_MS';

/**
 * Generous on purpose: DynamoDB Local's JVM answers in ~3.5 s on an idle 2-core machine,
 * but took 15 s and more while a test run and another heavy job shared the cores. A start
 * that is only slow must not fail; one that never answers still fails, after this long.
 */
export const DEFAULT_STARTUP_TIMEOUT_MS = 120_000;

/**
 * The start deadline for emulators whose caller sets none: EMULATOR_STARTUP_TIMEOUT_MS
 * when set, else two minutes.
 *
 * @throws Error when the variable is set to something other than a whole number of milliseconds
 */
export function startupTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[STARTUP_TIMEOUT_VARIABLE]?.trim();
  if (text === undefined || text === '') return DEFAULT_STARTUP_TIMEOUT_MS;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new Error(`${STARTUP_TIMEOUT_VARIABLE}="${text}" must be a whole number of milliseconds, at least 1.`);
  }
  return Number(text);
}

/** "3.5 s": durations in messages, where milliseconds would be noise. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** How long a process gets to exit on SIGTERM before it is killed outright. */
const GRACEFUL_EXIT_MS = 5_000;
/** Enough output to explain a failed start without keeping a chatty log in memory. */
const OUTPUT_TAIL_CHARS = 4_000;
const READINESS_POLL_MS = 100;

/**
 * Asks the OS for a port nobody is listening on, for emulators that cannot report the
 * port they bound. Probed on all interfaces because that is where such emulators bind.
 * Another process may take the port before the emulator does: callers retry on
 * "address in use".
 */
export async function findFreePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0);
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('Could not read the port the OS assigned');
  return address.port;
}

/**
 * An emulator's child process, owned from spawn to exit.
 *
 * It exists so that every launcher gets the same guarantees: a failed start says why
 * (spawn error, early exit or timeout, with the output), `stop()` returns only once the
 * process is gone, and the process dies with its parent even if `stop()` is never called.
 */
export class EmulatorProcess {
  private spawnError: (Error & { code?: string }) | undefined;
  private outputTail = '';
  private stopping: Promise<void> | undefined;
  private readonly exitedPromise: Promise<void>;
  private readonly killOnParentExit = (): void => {
    // Only a synchronous kill is possible while the parent is exiting.
    this.child.kill('SIGKILL');
  };

  constructor(
    readonly child: ChildProcess,
    /** Used in error messages, e.g. "DynamoDB Local". */
    readonly name: string,
  ) {
    // Listening is required, not just useful: an unhandled 'error' event (such as a
    // missing executable) would crash the parent.
    child.on('error', (error) => {
      this.spawnError ??= error;
    });
    // Reading the pipes matters too: a child blocks once a pipe it writes to is full.
    const append = (chunk: Buffer): void => {
      this.outputTail = (this.outputTail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    // 'close' (not 'exit'): it also fires when spawning failed and no process ever ran.
    this.exitedPromise = this.hasExited ? Promise.resolve() : once(child, 'close').then(() => undefined);
    process.once('exit', this.killOnParentExit);
    void this.exitedPromise.then(() => process.removeListener('exit', this.killOnParentExit));
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null || this.spawnError !== undefined;
  }

  get output(): string {
    return this.outputTail;
  }

  /**
   * Polls `isReady` until it returns true. Fails fast if the process cannot be spawned or
   * exits, and fails after `timeoutMs` if it never answers; the process is stopped then.
   *
   * @returns how long the process took to answer, in milliseconds
   */
  async waitUntilReady(isReady: () => Promise<boolean>, timeoutMs: number): Promise<number> {
    const startedAt = Date.now();
    const giveUpAt = startedAt + timeoutMs;
    for (;;) {
      const problem = this.startProblem();
      if (problem !== undefined) {
        await this.stop();
        throw new EmulatorStartError(this.name, problem, this.output, this.spawnError?.code);
      }
      // Raced with the exit: a probe may hang on a port the process never managed to bind.
      const ready = await Promise.race([isReady().catch(() => false), this.exitedPromise.then(() => false)]);
      if (ready) return Date.now() - startedAt;
      if (Date.now() >= giveUpAt) {
        const waited = Date.now() - startedAt;
        await this.stop();
        // Both figures: a deadline that a loaded machine needs more than is told apart from a hang.
        throw new EmulatorStartError(
          this.name,
          `no answer after waiting ${formatSeconds(waited)} (its start deadline is ${formatSeconds(timeoutMs)}; ` +
            `${STARTUP_TIMEOUT_VARIABLE} sets the default)`,
          this.output,
        );
      }
      await sleep(READINESS_POLL_MS);
    }
  }

  /**
   * SIGTERM, then SIGKILL if the process lingers; resolves once it has exited, so that
   * whatever runs next never finds it still holding a port or a CPU.
   */
  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    if (!this.hasExited) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), GRACEFUL_EXIT_MS);
      try {
        await this.exitedPromise;
      } finally {
        clearTimeout(timer);
      }
    }
    await this.exitedPromise;
  }

  private startProblem(): string | undefined {
    if (this.spawnError !== undefined) return `could not be spawned (${this.spawnError.message})`;
    if (this.child.exitCode !== null) return `exited with code ${this.child.exitCode}`;
    if (this.child.signalCode !== null) return `was killed by ${this.child.signalCode}`;
    return undefined;
  }
}

/**
 * Looks an executable up the way spawn() will, but before spawning: a missing one then
 * gets a message that says what to install rather than a bare ENOENT.
 */
export function findExecutable(name: string, directories: readonly string[] = (process.env.PATH ?? '').split(delimiter)): string | undefined {
  for (const directory of directories) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

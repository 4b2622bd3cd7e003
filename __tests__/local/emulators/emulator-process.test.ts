import { spawn } from 'node:child_process';
import {
  DEFAULT_STARTUP_TIMEOUT_MS,
  EmulatorProcess,
  EmulatorStartError,
  startupTimeoutMs,
} from '../../../local/emulators/emulator-process';
import { startFauxqs } from '../../../local/emulators/fauxqs';

/** A child that runs until stopped and never answers anything: a hung emulator. */
function idleChild(): EmulatorProcess {
  return new EmulatorProcess(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'pipe' }), 'idle child');
}

describe('the start deadline', () => {
  it('is two minutes unless EMULATOR_STARTUP_TIMEOUT_MS says otherwise', () => {
    expect(DEFAULT_STARTUP_TIMEOUT_MS).toBe(120_000);
    expect(startupTimeoutMs({})).toBe(120_000);
    expect(startupTimeoutMs({ EMULATOR_STARTUP_TIMEOUT_MS: '' })).toBe(120_000);
    expect(startupTimeoutMs({ EMULATOR_STARTUP_TIMEOUT_MS: ' 300000 ' })).toBe(300_000);
  });

  it.each(['2m', '-5', '0', '1.5'])('refuses EMULATOR_STARTUP_TIMEOUT_MS=%s, naming the variable', (value) => {
    expect(() => startupTimeoutMs({ EMULATOR_STARTUP_TIMEOUT_MS: value })).toThrow(
      `EMULATOR_STARTUP_TIMEOUT_MS="${value}" must be a whole number of milliseconds, at least 1.`,
    );
  });

  it('is read before a launcher spawns anything', async () => {
    const saved = process.env.EMULATOR_STARTUP_TIMEOUT_MS;
    process.env.EMULATOR_STARTUP_TIMEOUT_MS = 'soon';
    try {
      await expect(startFauxqs()).rejects.toThrow(/EMULATOR_STARTUP_TIMEOUT_MS="soon"/);
    } finally {
      if (saved === undefined) delete process.env.EMULATOR_STARTUP_TIMEOUT_MS;
      else process.env.EMULATOR_STARTUP_TIMEOUT_MS = saved;
    }
  });
});

describe('EmulatorProcess.waitUntilReady', () => {
  it('says how long it waited and what the deadline was, and stops the process', async () => {
    const child = idleChild();

    const waiting = child.waitUntilReady(async () => false, 300);

    await expect(waiting).rejects.toThrow(EmulatorStartError);
    await expect(waiting).rejects.toThrow(
      /^idle child did not start: no answer after waiting \d+\.\d s \(its start deadline is 0\.3 s; EMULATOR_STARTUP_TIMEOUT_MS sets the default\)/,
    );
    expect(child.hasExited).toBe(true);
  });

  it('returns how long the process took to answer', async () => {
    const child = idleChild();
    let probes = 0;
    try {
      const tookMs = await child.waitUntilReady(async () => ++probes === 3, 60_000);

      // Two polls of 100 ms before the third probe answered.
      expect(tookMs).toBeGreaterThanOrEqual(200);
      expect(tookMs).toBeLessThan(60_000);
    } finally {
      await child.stop();
    }
  });
});

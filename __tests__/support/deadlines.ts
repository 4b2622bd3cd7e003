/**
 * How long tests wait, in one place. Waits end as soon as their condition holds, so a
 * generous deadline costs nothing on a quiet machine; it is only spent when something is
 * wrong, and it keeps a busy machine (two test runs on two cores) from failing tests that
 * are merely slow.
 */
import { startupTimeoutMs } from '../../local/emulators/emulator-process';

/**
 * For a jest hook or test that starts emulators or waits for shared ones: their start
 * deadline (EMULATOR_STARTUP_TIMEOUT_MS, two minutes by default) plus a minute for the
 * hook's own work (tables, buckets, migrations, MariaDB's data directory).
 */
export const EMULATOR_HOOK_TIMEOUT_MS = startupTimeoutMs() + 60_000;

/**
 * For a condition that normally holds within milliseconds: a stream record written by the
 * test, a message it published. Well inside jest's 60 s test timeout, so a missed
 * condition fails with its own message rather than a bare timeout.
 */
export const CONDITION_DEADLINE_MS = 30_000;

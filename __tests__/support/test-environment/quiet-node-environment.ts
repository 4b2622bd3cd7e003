/**
 * The tests' jest environment (jest.config.js): Node's, plus
 * - quiet output: what a test prints is shown only when it fails (TEST_LOGS=1 shows all);
 * - in `npm run test:unit`, no child processes: see child-process-guard.ts;
 * - workers kept lean enough to exit within jest's 500 ms: see lean-worker.ts.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';
import { relative } from 'node:path';
import { isUnitRun } from '../unit-run';
import { refuseChildProcesses } from './child-process-guard';
import { collectGarbageNow } from './lean-worker';
import { OutputPerTest } from './output-per-test';
import { recordingConsole } from './recording-console';

/** Set to 1 (or true) to see every test's output as it is printed, as jest does by default. */
export const TEST_LOGS_VARIABLE = 'TEST_LOGS';

export default class QuietNodeEnvironment extends NodeEnvironment {
  private readonly output: OutputPerTest | undefined;
  private readonly unitRun: boolean;
  private readonly testPath: string;
  /** Jest's console for this file: where a failed test's output goes. */
  private jestConsole: Console | undefined;
  private allowChildProcesses: (() => void) | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.output = /^(1|true)$/i.test(process.env[TEST_LOGS_VARIABLE] ?? '') ? undefined : new OutputPerTest();
    this.unitRun = isUnitRun(config.globalConfig);
    this.testPath = relative(config.projectConfig.rootDir, context.testPath);
  }

  async setup(): Promise<void> {
    await super.setup();
    // Jest sets its console on the global before setup() and reads its buffer after the run.
    const { output } = this;
    if (output !== undefined) {
      this.jestConsole = this.global.console;
      this.global.console = recordingConsole((text) => output.record(text));
    }
    if (this.unitRun) {
      this.allowChildProcesses = refuseChildProcesses(
        (call) =>
          new Error(
            `${call}: npm run test:unit runs only tests that start no process, and ${this.testPath} does. ` +
              'Its filter (__tests__/support/unit-tests.js) should have left it out: teach the filter what this test imports.',
          ),
      );
    }
  }

  async teardown(): Promise<void> {
    this.allowChildProcesses?.();
    if (this.jestConsole !== undefined) this.global.console = this.jestConsole;
    await super.teardown();
    collectGarbageNow();
  }

  handleTestEvent(event: Circus.Event): void {
    const report = this.output?.onEvent(event);
    if (report !== undefined) this.jestConsole?.log(report);
  }
}

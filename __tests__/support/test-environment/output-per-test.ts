/**
 * Keeps what tests print (the functions' Powertools logs, mostly) until it is known whether
 * it matters: the output of a test that passed is dropped, that of a test or hook that
 * failed is given back to be printed beside the failure.
 */
import type { Circus } from '@jest/types';

/** Output of a `beforeAll` is context for every test after it: kept until the first failure shows it. */
interface Scope {
  readonly setup: string[];
  readonly test: string[];
}

export class OutputPerTest {
  private readonly kept: Scope = { setup: [], test: [] };
  private inBeforeAll = false;
  private setupShown = false;

  /** One chunk of output, as written (a console call's formatted text, newline included). */
  record(text: string): void {
    (this.inBeforeAll ? this.kept.setup : this.kept.test).push(text);
  }

  /**
   * Follows the test run; returns the report to print when a test or an all-hook failed.
   * (A failing beforeEach or afterEach fails its test, reported at `test_done`.)
   */
  onEvent(event: Circus.Event): string | undefined {
    switch (event.name) {
      case 'hook_start':
        this.inBeforeAll = event.hook.type === 'beforeAll';
        return undefined;
      case 'hook_success':
        this.inBeforeAll = false;
        return undefined;
      case 'hook_failure': {
        this.inBeforeAll = false;
        if (event.hook.type !== 'beforeAll' && event.hook.type !== 'afterAll') return undefined;
        const where = event.describeBlock === undefined ? '' : ` of ${JSON.stringify(titleOf(event.describeBlock) || 'the file')}`;
        return this.release(`the ${event.hook.type} hook${where}`);
      }
      case 'test_done':
        if (event.test.errors.length > 0) return this.release(JSON.stringify(titleOf(event.test)));
        this.kept.test.splice(0);
        return undefined;
      case 'run_finish':
        this.kept.setup.splice(0);
        this.kept.test.splice(0);
        return undefined;
      default:
        return undefined;
    }
  }

  private release(what: string): string | undefined {
    const setup = this.setupShown ? [] : this.kept.setup.splice(0);
    const test = this.kept.test.splice(0);
    this.setupShown ||= setup.length > 0;
    if (setup.length === 0 && test.length === 0) return undefined;
    return [
      `Output of ${what}, which failed (TEST_LOGS=1 prints every test's output as it comes):`,
      ...(setup.length > 0 ? ['--- while setting up (beforeAll) ---', ...setup] : []),
      ...(test.length > 0 && setup.length > 0 ? ['--- during the test ---'] : []),
      ...test,
    ]
      .map((line) => line.replace(/\n$/, ''))
      .join('\n');
  }
}

/** "describe name > test name", as jest prints it, without the invisible root block. */
function titleOf(entry: { readonly name: string; readonly parent?: { readonly name: string; readonly parent?: unknown } }): string {
  const names: string[] = [];
  for (let block: typeof entry | undefined = entry; block?.parent !== undefined; block = block.parent as typeof entry | undefined) {
    names.unshift(block.name);
  }
  return names.join(' > ');
}

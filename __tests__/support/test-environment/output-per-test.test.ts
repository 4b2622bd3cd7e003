import type { Circus } from '@jest/types';
import { OutputPerTest } from './output-per-test';

/** Just enough of jest-circus's blocks, tests and hooks for OutputPerTest to read. */
const root = { name: 'ROOT_DESCRIBE_BLOCK' };
const group = { name: 'a group', parent: root };
const hook = (type: string) => ({ type }) as unknown as Circus.Hook;
const test = (name: string, errors: unknown[] = [], parent: object = group) => ({ name, parent, errors }) as unknown as Circus.TestEntry;
const event = (value: object) => value as Circus.Event;

function runTest(output: OutputPerTest, entry: Circus.TestEntry, printed: string[]): string | undefined {
  output.onEvent(event({ name: 'test_start', test: entry }));
  for (const line of printed) output.record(`${line}\n`);
  return output.onEvent(event({ name: 'test_done', test: entry }));
}

describe('OutputPerTest', () => {
  it("drops a passing test's output", () => {
    const output = new OutputPerTest();
    expect(runTest(output, test('passes'), ['noise'])).toBeUndefined();
    expect(runTest(output, test('fails', ['boom']), ['clue'])).toBe(
      'Output of "a group > fails", which failed (TEST_LOGS=1 prints every test\'s output as it comes):\nclue',
    );
  });

  it('shows what beforeAll printed with the first failure only, then the test\'s own output', () => {
    const output = new OutputPerTest();
    output.onEvent(event({ name: 'hook_start', hook: hook('beforeAll') }));
    output.record('emulator was slow\n');
    output.onEvent(event({ name: 'hook_success', hook: hook('beforeAll') }));

    expect(runTest(output, test('passes'), [])).toBeUndefined();
    expect(runTest(output, test('fails', ['boom']), ['first clue'])).toBe(
      [
        'Output of "a group > fails", which failed (TEST_LOGS=1 prints every test\'s output as it comes):',
        '--- while setting up (beforeAll) ---',
        'emulator was slow',
        '--- during the test ---',
        'first clue',
      ].join('\n'),
    );
    expect(runTest(output, test('fails too', ['boom'], root), ['second clue'])).toBe(
      'Output of "fails too", which failed (TEST_LOGS=1 prints every test\'s output as it comes):\nsecond clue',
    );
  });

  it('reports a failing beforeAll or afterAll with its output, naming its block', () => {
    const output = new OutputPerTest();
    output.onEvent(event({ name: 'hook_start', hook: hook('beforeAll') }));
    output.record('could not start\n');
    expect(output.onEvent(event({ name: 'hook_failure', hook: hook('beforeAll'), describeBlock: root, error: 'x' }))).toBe(
      'Output of the beforeAll hook of "the file", which failed (TEST_LOGS=1 prints every test\'s output as it comes):\n' +
        '--- while setting up (beforeAll) ---\ncould not start',
    );

    output.onEvent(event({ name: 'hook_start', hook: hook('afterAll') }));
    output.record('could not stop\n');
    expect(output.onEvent(event({ name: 'hook_failure', hook: hook('afterAll'), describeBlock: group, error: 'x' }))).toMatch(
      /^Output of the afterAll hook of "a group", which failed .*\ncould not stop$/,
    );
  });

  it('leaves a failing beforeEach to its test, which reports the output', () => {
    const output = new OutputPerTest();
    const failing = test('fails in beforeEach', ['boom']);
    output.onEvent(event({ name: 'test_start', test: failing }));
    output.onEvent(event({ name: 'hook_start', hook: hook('beforeEach') }));
    output.record('before each\n');
    expect(output.onEvent(event({ name: 'hook_failure', hook: hook('beforeEach'), test: failing, error: 'x' }))).toBeUndefined();
    expect(output.onEvent(event({ name: 'test_done', test: failing }))).toMatch(/\nbefore each$/);
  });

  it('reports nothing for a failure that printed nothing', () => {
    expect(runTest(new OutputPerTest(), test('silent failure', ['boom']), [])).toBeUndefined();
  });
});

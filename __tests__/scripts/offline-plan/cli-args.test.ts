import { parseArgs, selectStacks, UsageError } from '../../../scripts/offline-plan/cli-args';

describe('plan:offline arguments', () => {
  it('synthesizes and plans every stack by default', () => {
    expect(parseArgs([])).toEqual({ stacks: [], synth: true, help: false });
  });

  it('takes stack names and --no-synth in any order', () => {
    expect(parseArgs(['orders-pipeline', '--no-synth', 'orders-pipeline'])).toEqual({ stacks: ['orders-pipeline'], synth: false, help: false });
  });

  it('rejects unknown options with the usage', () => {
    expect(() => parseArgs(['--nosynth'])).toThrow(UsageError);
    expect(() => parseArgs(['--nosynth'])).toThrow(/unknown option --nosynth[\s\S]*Usage:/);
  });
});

describe('stack selection', () => {
  const known = ['api-gateway-account', 'orders-pipeline', 'report-pipeline'];

  it('plans every known stack when none is named, in manifest order', () => {
    expect(selectStacks([], known)).toEqual(known);
    expect(selectStacks(['report-pipeline', 'api-gateway-account'], known)).toEqual(['api-gateway-account', 'report-pipeline']);
  });

  it('names the unknown stacks and lists the known ones', () => {
    expect(() => selectStacks(['orders', 'nope'], known)).toThrow('unknown stacks orders, nope; known stacks: api-gateway-account, orders-pipeline, report-pipeline');
  });

  it('asks for a synth when the manifest lists no stack', () => {
    expect(() => selectStacks([], [])).toThrow('synthesize first');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countsOf, refusalOf } from '../../../scripts/conformance/outcome';
import { conformance, runConformance } from '../../../scripts/conformance/run';

/**
 * The conformance run's counting and exit code, on tiny vectors written here in the
 * shape of ../shared/fidelity's (not taken from it).
 */
const sqsRecord = (body: string) => ({ body });

const VTL = {
  same: { id: 'echo', steps: [{ template: 'got $input.body', body: 'x' }], expected: 'got x', compare: 'exact' },
  refused: { id: 'unknown-util', steps: [{ template: '$util.shout($input.body)', body: 'x' }], expected: 'X', compare: 'exact' },
  different: { id: 'wrong-expectation', steps: [{ template: '$input.body', body: 'x' }], expected: 'y', compare: 'exact' },
  twoSteps: { id: 'echo-back', steps: [{ template: '{"n": 1}', body: '' }, { template: "$input.path('$.n')", body: { from: 'previous' } }], expected: 1, compare: 'json' },
};
const FILTER = {
  match: { id: 'match', via: 'sqs', patterns: ['{"body": {"k": ["v"]}}'], record: sqsRecord('{"k": "v"}'), expected: 'match' },
  invalid: { id: 'invalid', via: 'event', patterns: ['{"k": "v"}'], record: {}, expected: 'invalid' },
  refused: { id: 'too-many-stars', via: 'event', patterns: ['{"k": [{"wildcard": "*a*b*c"}]}'], record: { k: 'abc' }, expected: 'match' },
  different: { id: 'said-no-match', via: 'dynamodb', patterns: ['{"eventName": ["INSERT"]}'], record: { eventName: 'INSERT' }, expected: 'no-match' },
};
const BATCH = {
  same: { id: 'partial', messageIds: ['a', 'b'], invocation: { ok: true, result: { batchItemFailures: [{ itemIdentifier: 'b' }] } }, reportBatchItemFailures: true, expected: ['b'] },
};

describe('npm run conformance', () => {
  let folder: string;
  const write = (vtl: object[], filter: object[], batch: object[]) => {
    writeFileSync(join(folder, 'vtl.json'), JSON.stringify(vtl));
    writeFileSync(join(folder, 'filter.json'), JSON.stringify(filter));
    writeFileSync(join(folder, 'batch.json'), JSON.stringify(batch));
  };
  const run = async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await conformance(folder, { verbose: true, out: (text) => out.push(text), err: (text) => err.push(text) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'conformance-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('counts same, refused and different per area, and exits 1 on a different answer', async () => {
    write(Object.values(VTL), Object.values(FILTER), Object.values(BATCH));
    const reports = await runConformance(folder);
    expect(reports.map(({ area, outcomes }) => [area, countsOf(outcomes)])).toEqual([
      ['mapping templates', { same: 2, refused: 1, different: 1 }],
      ['event filters', { same: 2, refused: 1, different: 1 }],
      ['partial batch responses', { same: 1, refused: 0, different: 0 }],
    ]);
    const { code, out } = await run();
    expect(code).toBe(1);
    expect(out).toContain('mapping templates        2 of 4 same as AWS, 1 refused (not supported locally), 1 different');
    expect(out).toMatch(/DIFFERENT mapping templates wrong-expectation\n {2}AWS: {3}"y"\n {2}local: "x"/);
    expect(out).toMatch(/DIFFERENT event filters said-no-match/);
    expect(out).toMatch(/refused {3}event filters too-many-stars: .*not supported locally/);
  });

  it('exits 0 when every answer is the same as AWS or a loud refusal', async () => {
    write([VTL.same, VTL.refused], [FILTER.match, FILTER.refused], [BATCH.same]);
    expect((await run()).code).toBe(0);
  });

  it('counts a wrong refusal of a valid pattern, and a match AWS did not make, as different', async () => {
    write([], [{ ...FILTER.invalid, expected: 'match' }, { ...FILTER.match, expected: 'invalid' }], []);
    const [, filters] = await runConformance(folder);
    expect(countsOf(filters.outcomes)).toEqual({ same: 0, refused: 0, different: 2 });
  });

  it('says so and exits 2 when the vectors are not there', async () => {
    const { code, err } = await run();
    expect(code).toBe(2);
    expect(err).toMatch(/No AWS-recorded vectors at .*vtl\.json.*\.\.\/shared\/fidelity/);
    const missing = join(folder, 'nowhere');
    expect((await conformance(missing, { verbose: false, out: () => undefined, err: () => undefined }))).toBe(2);
  });

  it('takes only "not supported locally" errors as refusals', () => {
    expect(refusalOf(new Error('the directive #parse is not supported locally'))).toBeDefined();
    expect(refusalOf(Object.assign(new Error('Internal server error'), { details: { log: 'x is not supported locally' } }))).toBeDefined();
    expect(refusalOf(new Error('Unexpected token'))).toBeUndefined();
  });
});

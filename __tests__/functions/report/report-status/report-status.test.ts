import { isExecutionName, reportStatusOf, requestedByOf } from '../../../../functions/report/report-status/report-status';

const NOW = new Date('2026-12-05T10:00:00.000Z');
const input = (requestedBy: unknown) => JSON.stringify({ request: {}, requestedBy });
const output = (link: object) => JSON.stringify({ report: { key: 'reports/x.html' }, link });

describe('reportStatusOf', () => {
  it('is RUNNING while the workflow runs (or is being run again)', () => {
    expect(reportStatusOf('e1', { status: 'RUNNING' }, NOW)).toEqual({ executionId: 'e1', status: 'RUNNING' });
    expect(reportStatusOf('e1', { status: 'PENDING_REDRIVE' }, NOW)).toEqual({ executionId: 'e1', status: 'RUNNING' });
  });

  it("gives the emailed link once the report is made, from the workflow's output", () => {
    const link = { url: 'https://reports.example/x.html?X-Amz-Signature=abc', expiresAt: '2026-12-05T11:00:00.000Z', expiresInSeconds: 3600 };
    expect(reportStatusOf('e1', { status: 'SUCCEEDED', output: output(link) }, NOW)).toEqual({
      executionId: 'e1',
      status: 'SUCCEEDED',
      reportUrl: link.url,
      linkExpiresAt: link.expiresAt,
    });
  });

  it('says so in words when the link has expired, and gives no dead link', () => {
    const link = { url: 'https://reports.example/x.html', expiresAt: '2026-12-05T09:00:00.000Z', expiresInSeconds: 3600 };
    const status = reportStatusOf('e1', { status: 'SUCCEEDED', output: output(link) }, NOW);
    expect(status).toEqual({ executionId: 'e1', status: 'SUCCEEDED', linkExpiresAt: link.expiresAt, message: expect.stringMatching(/expired.*new report/) });
  });

  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('says what happened in words when the execution ended %s, leaking nothing of the error', (status) => {
    const answer = reportStatusOf('e1', { status, output: undefined }, NOW);
    expect(answer).toEqual({ executionId: 'e1', status, message: expect.stringMatching(/^The report .*\.$/) });
  });

  it('points to the email when the output holds no readable link', () => {
    expect(reportStatusOf('e1', { status: 'SUCCEEDED', output: '{}' }, NOW).message).toMatch(/email/);
  });
});

describe('requestedByOf and isExecutionName', () => {
  it('reads who asked from the execution input, and nobody from anything else', () => {
    expect(requestedByOf({ input: input('ana@example.com') })).toBe('ana@example.com');
    for (const bad of [input(''), input(7), '{}', 'not json', undefined]) expect(requestedByOf({ input: bad })).toBeUndefined();
  });

  it('takes execution names as Step Functions makes them, nothing that could reach another ARN', () => {
    expect(isExecutionName('5fea7756-0ea4-451a-a703-a558b933e274')).toBe(true);
    for (const bad of ['', 'a:b', 'x/y', '../z', 'a'.repeat(81), 'with space']) expect(isExecutionName(bad)).toBe(false);
  });
});

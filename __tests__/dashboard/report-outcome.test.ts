import { isFinished, isWebLink, reportOutcome } from '../../dashboard/src/report-outcome';

const ID = { executionId: 'e1' };

describe('reportOutcome: a finished report execution in words', () => {
  test('SUCCEEDED offers the link and says the email went out', () => {
    const outcome = reportOutcome({ ...ID, status: 'SUCCEEDED', reportUrl: 'https://bucket.s3.amazonaws.com/r.csv?X-Amz-Signature=1' });
    expect(outcome).toEqual({
      kind: 'ready',
      url: 'https://bucket.s3.amazonaws.com/r.csv?X-Amz-Signature=1',
      text: 'The report is ready. It was also sent by email.',
    });
  });

  test('SUCCEEDED names when the link stops working', () => {
    const outcome = reportOutcome({ ...ID, status: 'SUCCEEDED', reportUrl: 'https://x.test/r', linkExpiresAt: '2025-06-01T12:00:00Z' });
    expect(outcome.text).toMatch(/^The report is ready\. It was also sent by email\. The link works until .*2025.*\.$/);
  });

  test('SUCCEEDED with a link that is not http(s) is not offered', () => {
    expect(reportOutcome({ ...ID, status: 'SUCCEEDED', reportUrl: 'javascript:alert(1)' }).kind).toBe('failed');
    expect(reportOutcome({ ...ID, status: 'SUCCEEDED' }).kind).toBe('failed');
  });

  test.each([
    ['FAILED', 'The report failed. The orders database did not answer. Try again, or ask whoever runs the pipeline.'],
    ['TIMED_OUT', 'The report took too long and was stopped. The orders database did not answer. Try again later.'],
    ['ABORTED', 'The report was cancelled before it finished. The orders database did not answer.'],
  ] as const)('%s says so in words', (status, text) => {
    expect(reportOutcome({ ...ID, status, message: 'The orders database did not answer' })).toEqual({ kind: 'failed', text });
  });

  test('FAILED without a message', () => {
    expect(reportOutcome({ ...ID, status: 'FAILED' }).text).toBe('The report failed. Try again, or ask whoever runs the pipeline.');
  });

  test('only RUNNING is unfinished', () => {
    expect(isFinished({ ...ID, status: 'RUNNING' })).toBe(false);
    expect(isFinished({ ...ID, status: 'ABORTED' })).toBe(true);
  });

  test('isWebLink', () => {
    expect(isWebLink('http://127.0.0.1:4566/r')).toBe(true);
    expect(isWebLink('data:text/html,hi')).toBe(false);
    expect(isWebLink('not a url')).toBe(false);
  });
});

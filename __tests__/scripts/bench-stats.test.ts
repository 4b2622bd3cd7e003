import { formatSummary, summarize } from '../../scripts/bench/stats';

describe('benchmark statistics', () => {
  it('gives min, median and max of odd and even sample counts', () => {
    expect(summarize([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
  });

  it('refuses to summarize nothing', () => {
    expect(() => summarize([])).toThrow('No samples');
  });

  it('formats with a unit', () => {
    expect(formatSummary({ min: 1, median: 2.25, max: 3 }, 's', 2)).toBe('min 1.00 / median 2.25 / max 3.00 s');
  });
});

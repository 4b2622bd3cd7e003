import { formatSummary, percentile, summarize } from '../../scripts/bench/stats';

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

describe('percentile', () => {
  test('nearest rank: p50 and p95 of 1..100', () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 100)).toBe(100);
  });

  test('one sample is every percentile', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 95)).toBe(7);
  });

  test('refuses no samples and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(/No samples/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
  });
});

export interface Summary {
  min: number;
  median: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('No samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

export function formatSummary(summary: Summary, unit: string, digits = 0): string {
  const f = (n: number) => n.toFixed(digits);
  return `min ${f(summary.min)} / median ${f(summary.median)} / max ${f(summary.max)} ${unit}`;
}

/** The p-th percentile (nearest rank), e.g. 95 for p95. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('No samples for a percentile');
  if (p <= 0 || p > 100) throw new Error(`A percentile is in (0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

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

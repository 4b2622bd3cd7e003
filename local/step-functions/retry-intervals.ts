/**
 * A copy of the definition whose retriers wait `scale` times as long. The library's own
 * `retryIntervalOverrides` replaces a retrier's wait with one fixed number of milliseconds,
 * dropping BackoffRate, MaxDelaySeconds and jitter; scaling the fields keeps them.
 */
export function scaleRetryIntervals<T>(value: T, scale: number): T {
  if (Array.isArray(value)) return value.map((item) => scaleRetryIntervals(item, scale)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'Retry' && Array.isArray(child)) {
      copy[key] = child.map((retrier: Record<string, unknown>) => ({
        ...retrier,
        // The service's default interval is 1 second: scale it too.
        IntervalSeconds: ((retrier.IntervalSeconds as number | undefined) ?? 1) * scale,
        ...(retrier.MaxDelaySeconds === undefined ? {} : { MaxDelaySeconds: (retrier.MaxDelaySeconds as number) * scale }),
      }));
    } else {
      copy[key] = scaleRetryIntervals(child, scale);
    }
  }
  return copy as T;
}

import { ACCOUNT_DEFAULT_LIMITS, limitsFromSettings, TokenBucket } from '../../../local/api-gateway/throttle';

/** A clock the test moves by hand, in milliseconds. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const takeAll = (bucket: TokenBucket, attempts: number) => Array.from({ length: attempts }, () => bucket.tryTake()).filter(Boolean).length;

describe('TokenBucket', () => {
  it('starts full: a burst of up to burstLimit requests passes at once', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 20 }, clock.now);

    expect(takeAll(bucket, 50)).toBe(20);
  });

  it('refills at rateLimit tokens per second, never past burstLimit', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 20 }, clock.now);
    takeAll(bucket, 20);

    clock.advance(100);
    expect(takeAll(bucket, 5)).toBe(1);
    clock.advance(550);
    expect(takeAll(bucket, 10)).toBe(5);
    clock.advance(60_000);
    expect(bucket.available).toBe(20);
  });

  it('keeps fractions of a token between requests', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 1 }, clock.now);
    expect(bucket.tryTake()).toBe(true);

    clock.advance(60);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(40);
    expect(bucket.tryTake()).toBe(true);
  });

  it('sustains rateLimit per second over time', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 20 }, clock.now);
    let accepted = 0;
    // A request every 10 ms for 10 s: the burst, then 10 per second.
    for (let i = 0; i < 1000; i += 1) {
      if (bucket.tryTake()) accepted += 1;
      clock.advance(10);
    }
    expect(accepted).toBeGreaterThanOrEqual(20 + 99);
    expect(accepted).toBeLessThanOrEqual(20 + 100);
  });

  it('throttles everything with a burst of 0, and only the burst with a rate of 0', () => {
    const clock = manualClock();
    const closed = new TokenBucket({ rateLimit: 100, burstLimit: 0 }, clock.now);
    const noRefill = new TokenBucket({ rateLimit: 0, burstLimit: 2 }, clock.now);
    clock.advance(10_000);

    expect(takeAll(closed, 5)).toBe(0);
    expect(takeAll(noRefill, 5)).toBe(2);
  });

  it('refuses negative limits', () => {
    expect(() => new TokenBucket({ rateLimit: -1, burstLimit: 5 })).toThrow(/>= 0/);
  });
});

describe('limitsFromSettings', () => {
  it('reads a method-settings block', () => {
    expect(limitsFromSettings({ throttling_rate_limit: 10, throttling_burst_limit: 20, metrics_enabled: true })).toEqual({ rateLimit: 10, burstLimit: 20 });
  });

  it('treats -1 (the provider default) and absence as not set', () => {
    expect(limitsFromSettings({ throttling_rate_limit: -1, throttling_burst_limit: -1 })).toBeUndefined();
    expect(limitsFromSettings({ logging_level: 'ERROR' })).toBeUndefined();
    expect(limitsFromSettings(undefined)).toBeUndefined();
  });

  it('takes the account default for the limit that is not set', () => {
    expect(limitsFromSettings({ throttling_rate_limit: 5 })).toEqual({ rateLimit: 5, burstLimit: ACCOUNT_DEFAULT_LIMITS.burstLimit });
  });
});

/**
 * API Gateway's throttling: a token bucket per method, as its documentation describes
 * it. The bucket holds at most `burstLimit` tokens and starts full; it refills at
 * `rateLimit` tokens per second; each request takes one token, and a request that
 * finds none is throttled (429). So a quiet API accepts `burstLimit` requests at once,
 * then `rateLimit` per second.
 */
export interface ThrottleLimits {
  /** Steady-state requests per second (`throttling_rate_limit`). */
  readonly rateLimit: number;
  /** Bucket capacity (`throttling_burst_limit`). */
  readonly burstLimit: number;
}

/** Milliseconds from an arbitrary origin; only differences matter. */
export type Clock = () => number;

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly limits: ThrottleLimits,
    private readonly now: Clock = () => performance.now(),
  ) {
    if (!(limits.rateLimit >= 0) || !(limits.burstLimit >= 0)) {
      throw new Error(`Throttling limits must be numbers >= 0, got rate ${limits.rateLimit} and burst ${limits.burstLimit}`);
    }
    this.tokens = limits.burstLimit;
    this.refilledAt = now();
  }

  /** Takes a token if there is one: true means the request may proceed. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole tokens available now (for tests and diagnostics). */
  get available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + elapsedSeconds * this.limits.rateLimit);
  }
}

/**
 * The limits a method-settings block sets, or undefined when it sets none. Terraform
 * stores an unset limit as -1 (the provider's default), so negative means "not set".
 * When only one of the two is set, API Gateway cannot throttle with a bucket of unknown
 * size or rate, so the other falls back to the account-level default.
 */
export function limitsFromSettings(settings: Record<string, unknown> | undefined): ThrottleLimits | undefined {
  if (!settings) return undefined;
  const rate = numberOrUndefined(settings.throttling_rate_limit);
  const burst = numberOrUndefined(settings.throttling_burst_limit);
  if (rate === undefined && burst === undefined) return undefined;
  return {
    rateLimit: rate ?? ACCOUNT_DEFAULT_LIMITS.rateLimit,
    burstLimit: burst ?? ACCOUNT_DEFAULT_LIMITS.burstLimit,
  };
}

/** API Gateway's default account-level quota per region. */
export const ACCOUNT_DEFAULT_LIMITS: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 };

function numberOrUndefined(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

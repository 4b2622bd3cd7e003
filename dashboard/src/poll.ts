/** How long to wait between checks and in all, so a stuck pipeline ends in words, not a spinner. */
export interface PollOptions {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  /** Injected by tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

export type PollResult<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly last: T | undefined };

/**
 * Calls `check` until `finished` says so or the deadline passes, waiting a little longer each
 * time (x1.5, capped): quick answers show quickly, slow ones do not hammer the API.
 */
export async function pollUntil<T>(check: () => Promise<T>, finished: (value: T) => boolean, options: PollOptions): Promise<PollResult<T>> {
  const sleep = options.sleep ?? delay;
  const now = options.now ?? Date.now;
  const deadline = now() + options.deadlineMs;
  let wait = options.firstDelayMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (finished(last)) return { done: true, value: last };
    if (now() + wait > deadline) return { done: false, last };
    await sleep(wait, options.signal);
    wait = Math.min(Math.round(wait * 1.5), options.maxDelayMs);
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

import type { Logger } from "../log.js";
import { realSleep, type Sleep } from "../sync/rate-limiter.js";
import { shouldRetry } from "./errors.js";

/** How hard to retry one remote call. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a provider's Retry-After we are willing to sit out inside one call. */
  maxRetryAfterMs: number;
}

/** Defaults for channel calls: 5 attempts, 0.5 s → 30 s full-jitter backoff. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Full-jitter exponential backoff: a uniform pick in [0, min(max, base·2^(attempt−1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Options for {@link withRetry}. */
export interface RetryOptions {
  policy?: RetryPolicy;
  isIdempotent: boolean;
  signal?: AbortSignal;
  sleep?: Sleep;
  random?: () => number;
  log?: Logger;
  /** A label for logs, e.g. "shopify.inventorySetQuantities". */
  op?: string;
}

/**
 * Runs `fn` until it succeeds, fails with an error {@link shouldRetry} refuses, or the attempts run out (the last error
 * is rethrown). A provider's Retry-After wins over the computed backoff.
 *
 * @example
 * const body = await withRetry(() => limiter.acquire().then(send), { isIdempotent: true, signal });
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const policy = opts.policy ?? defaultRetryPolicy;
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal?.aborted || attempt >= policy.maxAttempts || !shouldRetry(err, opts.isIdempotent)) throw err;
      const delay =
        err.retryAfterSeconds !== undefined
          ? Math.min(err.retryAfterSeconds * 1000, policy.maxRetryAfterMs)
          : backoffDelay(attempt, policy, opts.random);
      opts.log?.warn(
        {
          op: opts.op,
          attempt,
          delayMs: delay,
          kind: err.kind,
          code: err.code,
          status: err.status,
          providerCode: err.providerCode,
        },
        "upstream call retrying",
      );
      await sleep(delay, opts.signal);
    }
  }
}

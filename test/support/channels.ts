import { readFileSync } from "node:fs";
import ky from "ky";
import type { ChannelDeps } from "../../src/channels/http.js";
import { type Clock, type Sleep, systemClock } from "../../src/clock.js";
import { asChannelId } from "../../src/ids.js";
import { silentLogger } from "../../src/log.js";
import { type BucketSpec, createRateLimiter, type RateLimiter } from "../../src/sync/rate-limiter.js";
import type { RetryPolicy } from "../../src/upstream/retry.js";

/** Short delays so retry tests finish quickly; no assertion depends on them. */
export const fastRetry: RetryPolicy = { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

/** The deps a channel factory needs, wired like app.ts does but with test-sized timings. */
export function channelDeps(
  id: string,
  opts: { buckets?: Record<string, BucketSpec>; retry?: RetryPolicy; clock?: Clock; sleep?: Sleep } = {},
): ChannelDeps & { limiter: RateLimiter } {
  const clock = opts.clock ?? systemClock;
  return {
    id: asChannelId(id),
    http: ky.create({ retry: 0 }),
    log: silentLogger(),
    clock,
    limiter: createRateLimiter({
      clock,
      buckets: opts.buckets ?? { default: { ratePerSec: 1000, burst: 1000 } },
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    }),
    retry: opts.retry ?? fastRetry,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  };
}

/** Reads a JSON fixture from test/fixtures/<provider>/<name>. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8");
}

/** A signal that never aborts. */
export const never = new AbortController().signal;

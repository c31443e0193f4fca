import { readFileSync } from "node:fs";
import ky from "ky";
import type { ChannelDeps } from "../../src/channels/http.js";
import type { Clock, Sleep } from "../../src/clock.js";
import { asChannelId } from "../../src/ids.js";
import { silentLogger } from "../../src/log.js";
import { type BucketSpec, createRateLimiter, type RateLimiter } from "../../src/sync/rate-limiter.js";
import type { RetryPolicy } from "../../src/upstream/retry.js";
import { testClock } from "./clock.js";

/** Short delays so retry tests finish quickly; no assertion depends on them. */
export const fastRetry: RetryPolicy = { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

/**
 * The deps a channel factory needs, wired like app.ts does but with test-sized timings. Without a clock of its
 * own the adapter gets a manual one whose sleep steps it, so retry backoffs and limiter pauses never wait.
 */
export function channelDeps(
  id: string,
  opts: { buckets?: Record<string, BucketSpec>; retry?: RetryPolicy; clock?: Clock; sleep?: Sleep } = {},
): ChannelDeps & { limiter: RateLimiter } {
  const own = testClock();
  const clock = opts.clock ?? own.clock;
  const sleep = opts.sleep ?? (opts.clock ? undefined : own.sleep);
  return {
    id: asChannelId(id),
    http: ky.create({ retry: 0 }),
    log: silentLogger(),
    clock,
    limiter: createRateLimiter({
      clock,
      buckets: opts.buckets ?? { default: { ratePerSec: 1000, burst: 1000 } },
      ...(sleep ? { sleep } : {}),
    }),
    retry: opts.retry ?? fastRetry,
    ...(sleep ? { sleep } : {}),
  };
}

/** Reads a JSON fixture from test/fixtures/<provider>/<name>. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8");
}

/** A signal that never aborts. */
export const never = new AbortController().signal;

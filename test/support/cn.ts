import ky from "ky";
import type { ChannelDeps } from "../../src/channels/http.js";
import type { manualClock } from "../../src/clock.js";
import { asChannelId } from "../../src/ids.js";
import { silentLogger } from "../../src/log.js";
import { createRateLimiter, type Sleep } from "../../src/sync/rate-limiter.js";

/**
 * Channel deps wired like the registry does, on a manual clock: "sleeping" (retry backoff, limiter
 * pauses) advances the clock instead of waiting, and every sleep is recorded.
 */
export function cnChannelDeps(id: string, clock: ReturnType<typeof manualClock>): ChannelDeps & { slept: number[] } {
  const slept: number[] = [];
  const sleep: Sleep = async (ms) => {
    slept.push(ms);
    clock.advance(ms);
  };
  return {
    id: asChannelId(id),
    http: ky.create({ retry: 0, throwHttpErrors: false }),
    log: silentLogger(),
    clock,
    limiter: createRateLimiter({ clock, buckets: { default: { ratePerSec: 1_000_000, burst: 1_000_000 } }, sleep }),
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 5_000 },
    sleep,
    slept,
  };
}

import { describe, expect, it } from "vitest";
import { manualClock } from "../src/clock.js";
import { InvalidInputError } from "../src/errors.js";
import { createRateLimiter, type Sleep } from "../src/sync/rate-limiter.js";
import { shouldRetry as isRetryable, kindOfStatus, UpstreamError } from "../src/upstream/errors.js";
import { backoffDelay, defaultRetryPolicy, withRetry } from "../src/upstream/retry.js";

/** A sleep that advances the manual clock instead of waiting, and records what it was asked for. */
function steppingSleep(clock: ReturnType<typeof manualClock>): Sleep & { calls: number[] } {
  const calls: number[] = [];
  const sleep = (async (ms: number) => {
    calls.push(ms);
    clock.advance(ms);
  }) as Sleep & { calls: number[] };
  sleep.calls = calls;
  return sleep;
}

const upstream = (over: Partial<{ status: number; retryable: boolean; retryAfterSeconds: number }> = {}) =>
  new UpstreamError({
    provider: "Test",
    message: "x",
    kind: over.retryable === false ? "rejected" : over.status !== undefined ? kindOfStatus(over.status) : "network",
    ...(over.status !== undefined ? { status: over.status } : {}),
    ...(over.retryAfterSeconds !== undefined ? { retryAfterSeconds: over.retryAfterSeconds } : {}),
  });

describe("rate limiter", () => {
  it("lets a burst through, then spaces calls at the refill rate", async () => {
    const clock = manualClock();
    const sleep = steppingSleep(clock);
    const limiter = createRateLimiter({ clock, sleep, buckets: { default: { ratePerSec: 2, burst: 3 } } });
    for (let i = 0; i < 5; i++) await limiter.acquire();
    expect(sleep.calls).toEqual([500, 500]);
    expect(limiter.snapshot().waitedMs).toBe(1000);
  });

  it("adapts to the provider's throttle status (Shopify currentlyAvailable / restoreRate)", async () => {
    const clock = manualClock();
    const sleep = steppingSleep(clock);
    const limiter = createRateLimiter({ clock, sleep, buckets: { default: { ratePerSec: 50, burst: 1000 } } });
    limiter.observe("default", { available: 100, capacity: 2000, ratePerSec: 100 });
    await limiter.acquire({ cost: 300 });
    expect(sleep.calls).toEqual([2000]);
    expect(limiter.snapshot().buckets.default).toMatchObject({ burst: 2000, ratePerSec: 100 });
  });

  it("a pause (429 Retry-After) holds every bucket of the channel", async () => {
    const clock = manualClock();
    const sleep = steppingSleep(clock);
    const limiter = createRateLimiter({
      clock,
      sleep,
      buckets: { default: { ratePerSec: 100, burst: 100 }, orders: { ratePerSec: 100, burst: 100 } },
    });
    limiter.pause(7);
    await limiter.acquire({ bucket: "orders" });
    await limiter.acquire();
    expect(sleep.calls).toEqual([7000]);
    expect(limiter.snapshot().pauses).toBe(1);
  });

  it("caps a hostile Retry-After", async () => {
    const clock = manualClock();
    const sleep = steppingSleep(clock);
    const limiter = createRateLimiter({ clock, sleep, maxPauseSeconds: 60 });
    limiter.pause(86_400);
    await limiter.acquire();
    expect(sleep.calls).toEqual([60_000]);
  });

  it("serves callers in arrival order so a costly call is not starved", async () => {
    const clock = manualClock();
    const sleep = steppingSleep(clock);
    const limiter = createRateLimiter({ clock, sleep, buckets: { default: { ratePerSec: 10, burst: 10 } } });
    const order: string[] = [];
    await Promise.all([
      limiter.acquire({ cost: 10 }).then(() => order.push("a")),
      limiter.acquire({ cost: 10 }).then(() => order.push("big")),
      limiter.acquire({ cost: 1 }).then(() => order.push("small")),
    ]);
    expect(order).toEqual(["a", "big", "small"]);
  });

  it("rejects a waiting caller whose signal aborts", async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ clock, buckets: { default: { ratePerSec: 0.001, burst: 1 } } });
    await limiter.acquire();
    const ac = new AbortController();
    const waiting = limiter.acquire({ signal: ac.signal });
    ac.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });
});

describe("retry", () => {
  it("uses full jitter under an exponential ceiling", () => {
    const p = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, p, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(3, p, () => 0)).toBe(0);
  });

  it("honours Retry-After over the computed backoff and stops after maxAttempts", async () => {
    const clock = manualClock();
    const sleep = steppingSleep(clock);
    let n = 0;
    const run = withRetry(
      async () => {
        n++;
        throw upstream({ status: 429, retryAfterSeconds: 3 });
      },
      { isIdempotent: true, sleep, policy: { ...defaultRetryPolicy, maxAttempts: 3 } },
    );
    await expect(run).rejects.toBeInstanceOf(UpstreamError);
    expect(n).toBe(3);
    expect(sleep.calls).toEqual([3000, 3000]);
  });

  it("never retries a non-retryable or non-upstream error", async () => {
    let n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw upstream({ status: 400, retryable: false });
        },
        { isIdempotent: true },
      ),
    ).rejects.toBeInstanceOf(UpstreamError);
    await expect(
      withRetry(
        async () => {
          n++;
          throw new InvalidInputError("bad", "bad");
        },
        { isIdempotent: true },
      ),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(n).toBe(2);
  });

  it("retries a non-idempotent call only on 429", () => {
    expect(isRetryable(upstream({ status: 429 }), false)).toBe(true);
    expect(isRetryable(upstream({ status: 500 }), false)).toBe(false);
    expect(isRetryable(upstream({}), false)).toBe(false);
    expect(isRetryable(upstream({ status: 500 }), true)).toBe(true);
  });

  it("returns the first success", async () => {
    const clock = manualClock();
    const sleep = steppingSleep(clock);
    let n = 0;
    const v = await withRetry(async () => (++n < 3 ? Promise.reject(upstream({ status: 503 })) : "ok"), {
      isIdempotent: true,
      sleep,
      random: () => 0.5,
    });
    expect(v).toBe("ok");
    expect(sleep.calls).toEqual([250, 500]);
  });
});

import { type Clock, realSleep, type Sleep } from "../clock.js";
import { must } from "../internal-error.js";

/** The sleep seam lives in clock.ts; re-exported for the callers that import it from here. */
export { realSleep, type Sleep } from "../clock.js";

/** Token-bucket parameters: `ratePerSec` tokens flow back per second, up to `burst` tokens. */
export interface BucketSpec {
  ratePerSec: number;
  burst: number;
}

/** What a provider told us about its own budget after a call. */
export interface ThrottleSignal {
  /** Tokens (points, requests) the provider says are left right now (Shopify `currentlyAvailable`). */
  available?: number;
  /** Bucket size the provider applies (Shopify `maximumAvailable`, Amazon burst). */
  capacity?: number;
  /** Restore rate per second (Shopify `restoreRate`, Amazon `x-amzn-RateLimit-Limit`). */
  ratePerSec?: number;
}

/** A per-channel rate limiter: named token buckets plus one channel-wide pause. */
export interface RateLimiter {
  /** Resolves when `cost` tokens were taken from `bucket` (default "default") and no pause is in force. */
  acquire(opts?: { cost?: number; bucket?: string; signal?: AbortSignal }): Promise<void>;
  /** Declares (or re-declares) a bucket, e.g. one per Amazon operation. Existing tokens are kept. */
  define(bucket: string, spec: BucketSpec): void;
  /** Adapts a bucket to what the provider just reported. */
  observe(bucket: string, signal: ThrottleSignal): void;
  /** Stops every bucket of this channel for `seconds` (a 429 / Retry-After pauses everyone). */
  pause(seconds: number): void;
  /** Current state, for `/sync status`, metrics and tests. */
  snapshot(): LimiterSnapshot;
}

/** A point-in-time view of a limiter. */
export interface LimiterSnapshot {
  pausedUntil: Date | null;
  /** Total milliseconds callers were made to wait so far. */
  waitedMs: number;
  pauses: number;
  /** `isReported`: the provider has told us what is left at least once (else the tokens are our own estimate). */
  buckets: Record<string, { tokens: number; ratePerSec: number; burst: number; isReported: boolean }>;
}

interface Bucket extends BucketSpec {
  tokens: number;
  at: number;
  isReported?: boolean;
}

/**
 * Builds a limiter for one channel. Buckets refill continuously; `acquire` calls are served in arrival
 * order so a large Shopify mutation is not starved by small reads.
 *
 * @example
 * const limiter = createRateLimiter({ clock, buckets: { default: { ratePerSec: 50, burst: 1000 } } });
 * await limiter.acquire({ cost: 112 });
 * limiter.observe("default", { available: 880, capacity: 1000, ratePerSec: 50 });
 */
export function createRateLimiter(opts: {
  clock: Clock;
  buckets?: Record<string, BucketSpec>;
  sleep?: Sleep;
  /** Longest single pause honoured, so a hostile Retry-After cannot park a channel for days. */
  maxPauseSeconds?: number;
}): RateLimiter {
  const sleep = opts.sleep ?? realSleep;
  const maxPause = opts.maxPauseSeconds ?? 900;
  const buckets = new Map<string, Bucket>();
  let pausedUntil = 0;
  let waitedMs = 0;
  let pauses = 0;
  let queue: Promise<void> = Promise.resolve();
  const now = () => opts.clock.now().getTime();

  const define = (name: string, spec: BucketSpec) => {
    const b = buckets.get(name);
    if (b) {
      refill(b);
      b.ratePerSec = spec.ratePerSec;
      b.burst = spec.burst;
      b.tokens = Math.min(b.tokens, spec.burst);
    } else buckets.set(name, { ...spec, tokens: spec.burst, at: now() });
  };
  for (const [name, spec] of Object.entries(opts.buckets ?? { default: { ratePerSec: 5, burst: 5 } }))
    define(name, spec);

  function refill(b: Bucket): void {
    const t = now();
    if (t > b.at) b.tokens = Math.min(b.burst, b.tokens + ((t - b.at) / 1000) * b.ratePerSec);
    b.at = t;
  }

  function bucketOf(name: string): Bucket {
    let b = buckets.get(name);
    if (!b) {
      const d = buckets.get("default") ?? { ratePerSec: 5, burst: 5 };
      define(name, { ratePerSec: d.ratePerSec, burst: d.burst });
      b = must(buckets.get(name), "define() just added the bucket");
    }
    return b;
  }

  async function take(cost: number, name: string, signal?: AbortSignal): Promise<void> {
    const b = bucketOf(name);
    // A call that costs more than the whole bucket can never fit; let it through once the bucket is full.
    const need = Math.min(cost, b.burst);
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const t = now();
      let wait = pausedUntil > t ? pausedUntil - t : 0;
      if (wait === 0) {
        refill(b);
        if (b.tokens >= need) {
          b.tokens -= need;
          return;
        }
        wait = Math.ceil(((need - b.tokens) / Math.max(b.ratePerSec, 1e-6)) * 1000);
      }
      waitedMs += wait;
      await sleep(wait, signal);
    }
  }

  return {
    define,
    acquire({ cost = 1, bucket = "default", signal } = {}) {
      const turn = queue.then(() => take(cost, bucket, signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
    observe(name, s) {
      const b = bucketOf(name);
      refill(b);
      if (s.capacity !== undefined && s.capacity > 0) b.burst = s.capacity;
      if (s.ratePerSec !== undefined && s.ratePerSec > 0) b.ratePerSec = s.ratePerSec;
      if (s.available !== undefined) {
        b.tokens = Math.max(0, Math.min(b.burst, s.available));
        b.isReported = true;
      } else b.tokens = Math.min(b.tokens, b.burst);
    },
    pause(seconds) {
      const until = now() + Math.min(Math.max(seconds, 0), maxPause) * 1000;
      if (until > pausedUntil) {
        pausedUntil = until;
        pauses += 1;
      }
    },
    snapshot() {
      const out: LimiterSnapshot["buckets"] = {};
      for (const [k, b] of buckets) {
        refill(b);
        out[k] = { tokens: b.tokens, ratePerSec: b.ratePerSec, burst: b.burst, isReported: b.isReported === true };
      }
      return { pausedUntil: pausedUntil > now() ? new Date(pausedUntil) : null, waitedMs, pauses, buckets: out };
    },
  };
}

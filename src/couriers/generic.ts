import { createHash, timingSafeEqual } from "node:crypto";
import type { KyInstance } from "ky";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { CourierCode } from "../ids.js";
import type { Logger } from "../log.js";
import { UpstreamError } from "../upstream/errors.js";
import { parseJsonText, send, statusError, unexpectedShape } from "../upstream/http.js";
import type {
  CourierAdapter,
  ProviderKind,
  ProviderLimits,
  PushReply,
  PushRequest,
  PushResult,
  SubscribeOutcome,
  Tracking,
  TrackingEvent,
  TrackOutcome,
  TrackRequest,
} from "./types.js";

/** What every adapter factory receives. `http` is the shared ky instance built by app.ts. */
export interface CourierFactoryDeps {
  http: KyInstance;
  log: Logger;
  clock: Clock;
  /** Our public base URL (config http.publicUrl); push callbacks are `${publicUrl}/couriers/<kind>/push`. */
  publicUrl?: string | undefined;
}

/** The generic defaults; a provider file overrides only what differs. */
export const GENERIC_LIMITS: ProviderLimits = {
  batchSize: 1,
  ratePerSecond: 1,
  dailyCap: undefined,
  minRequeryMinutes: 60,
};

/** What a provider file may override; anything left out comes from the generic defaults. */
export interface CourierOverrides {
  kind: ProviderKind;
  limits?: Partial<ProviderLimits>;
  supports?(carrier: CourierCode): boolean;
  /** Tracks one number; the generic `track` calls it for each item and turns failures into outcomes. */
  trackOne?(item: TrackRequest, signal: AbortSignal): Promise<Tracking>;
  track?(items: TrackRequest[], signal: AbortSignal): Promise<TrackOutcome[]>;
  subscribeOne?(item: TrackRequest, signal: AbortSignal): Promise<void>;
  subscribe?(items: TrackRequest[], signal: AbortSignal): Promise<SubscribeOutcome[]>;
  detectCarrier?(trackingNo: string, signal: AbortSignal): Promise<CourierCode[]>;
  parsePush?(req: PushRequest): PushResult;
  pushRefusal?(reason: string): PushReply;
}

/** Builds an adapter from the generic defaults plus a provider's overrides. */
export function defineCourier(o: CourierOverrides): CourierAdapter {
  const limits = { ...GENERIC_LIMITS, ...o.limits };
  const trackOne = o.trackOne;
  const subscribeOne = o.subscribeOne;
  const adapter: CourierAdapter = {
    kind: o.kind,
    limits,
    supports: o.supports ?? (() => true),
    track:
      o.track ??
      (async (items, signal) => {
        if (!trackOne) throw new Error(`${o.kind}: adapter defines neither track nor trackOne`);
        const out: TrackOutcome[] = [];
        for (const item of items) {
          try {
            out.push({ trackingNo: item.trackingNo, ok: true, tracking: await trackOne(item, signal) });
          } catch (err) {
            out.push(failedOutcome(item.trackingNo, err));
          }
        }
        return out;
      }),
    pushRefusal: o.pushRefusal ?? ((reason) => jsonReply(403, { ok: false, reason })),
  };
  const subscribe =
    o.subscribe ??
    (subscribeOne
      ? async (items: TrackRequest[], signal: AbortSignal): Promise<SubscribeOutcome[]> => {
          const out: SubscribeOutcome[] = [];
          for (const item of items) {
            try {
              await subscribeOne(item, signal);
              out.push({ trackingNo: item.trackingNo, ok: true });
            } catch (err) {
              const f = failedOutcome(item.trackingNo, err);
              if (!f.ok) out.push({ trackingNo: item.trackingNo, ok: false, error: f.error, retryable: f.retryable });
            }
          }
          return out;
        }
      : undefined);
  if (subscribe) adapter.subscribe = subscribe;
  if (o.detectCarrier) adapter.detectCarrier = o.detectCarrier;
  if (o.parsePush) adapter.parsePush = o.parsePush;
  return adapter;
}

/**
 * Turns a typed failure into a failed per-item outcome. Anything that is not an AppError is our own bug and
 * is rethrown, so the caller logs it with its stack and raises an internal-error alert instead of blaming the provider.
 */
export function failedOutcome(trackingNo: string, err: unknown): TrackOutcome {
  if (err instanceof UpstreamError)
    return { trackingNo, ok: false, error: err, retryable: err.retryable, retryAfterSeconds: err.retryAfterSeconds };
  if (err instanceof AppError) return { trackingNo, ok: false, error: err, retryable: false };
  throw err;
}

/** A JSON reply in a provider's expected format. */
export const jsonReply = (status: number, body: unknown): PushReply => ({
  status,
  contentType: "application/json; charset=utf-8",
  body: JSON.stringify(body),
});

/**
 * Sends one request through the shared ky instance and returns the body text of a 2xx answer; everything
 * else is an UpstreamError from the upstream layer (kind from the status, Retry-After honoured).
 */
export async function callProvider(
  http: KyInstance,
  provider: string,
  url: string,
  init: {
    method?: "post" | "get";
    body?: string | URLSearchParams;
    headers?: Record<string, string>;
    signal: AbortSignal;
    now?: Date;
  },
): Promise<string> {
  const res = await send(http, provider, {
    method: init.method === "get" ? "GET" : "POST",
    url,
    ...(init.body !== undefined ? { body: init.body } : {}),
    ...(init.headers ? { headers: init.headers } : {}),
    signal: init.signal,
  });
  if (res.status < 200 || res.status >= 300)
    throw statusError({ provider, status: res.status, headers: res.headers, now: init.now ?? new Date() });
  return res.text;
}

/** Parses a provider body as JSON; malformed text becomes a `malformed` UpstreamError (never a crash). */
export function parseJsonBody(provider: string, text: string): unknown {
  return parseJsonText(provider, text);
}

/** The error for a response that does not match the provider's documented shape. */
export function badShape(provider: string, issues: unknown): UpstreamError {
  return unexpectedShape(provider, "answer", issues);
}

/** Upper-case hex MD5 (Kuaidi100 signs). */
export const md5Upper = (s: string): string => createHash("md5").update(s, "utf8").digest("hex").toUpperCase();
/** Lower-case hex MD5. */
export const md5Hex = (s: string): string => createHash("md5").update(s, "utf8").digest("hex");
/** Lower-case hex SHA-256. */
export const sha256Hex = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");

/** Constant-time comparison of two signature strings (case-insensitive when asked). */
export function signaturesMatch(
  expected: string,
  received: string | undefined,
  opts: { ignoreCase?: boolean } = {},
): boolean {
  if (received === undefined) return false;
  const a = Buffer.from(opts.ignoreCase ? expected.toUpperCase() : expected, "utf8");
  const b = Buffer.from(opts.ignoreCase ? received.trim().toUpperCase() : received.trim(), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** First value of a header that may repeat. */
export const header = (h: PushRequest["headers"], name: string): string | undefined => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Puts events in our order (oldest first, stable for equal times) and clamps events stamped in the future
 * (some carriers do) to `now + 10 min`, logging each one.
 */
export function orderEvents(
  events: TrackingEvent[],
  opts: { now: Date; log: Logger; provider: string; trackingNo: string },
): TrackingEvent[] {
  const limit = opts.now.getTime() + 10 * 60_000;
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.occurredAt.getTime() - b.e.occurredAt.getTime() || a.i - b.i)
    .map(({ e }) => {
      if (e.occurredAt.getTime() <= limit) return e;
      opts.log.warn(
        { provider: opts.provider, trackingNo: opts.trackingNo, occurredAt: e.occurredAt.toISOString() },
        "courier event in the future clamped",
      );
      return { ...e, occurredAt: new Date(limit) };
    });
}

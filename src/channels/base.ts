import type { z } from "zod";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { type RefArg, textRef } from "../i18n/ref.js";
import type { Sku } from "../ids.js";
import { UpstreamError } from "../upstream/errors.js";
import type { Redactor } from "../upstream/redact.js";
import { decodeOrderCursor } from "./http.js";
import type { PriceOutcome, PushOutcome, SalesChannel } from "./types.js";

/**
 * The generic channel behaviour that adapters override only where their provider differs, as
 * `src/couriers/generic.ts` does for couriers: per-item failure outcomes, delisting by publishing 0,
 * the order cursor with a default look-back, and the OAuth token cache.
 */

/** Provider names in the reader's language, for `$provider` of the channel-error messages (`{ byLocale }`). */
export const PROVIDER_NAMES = {
  pinduoduo: { byLocale: { en: "Pinduoduo", "zh-CN": "拼多多" } },
  taobao: { byLocale: { en: "Taobao", "zh-CN": "淘宝" } },
  xianyu: { byLocale: { en: "Xianyu", "zh-CN": "闲鱼" } },
} as const satisfies Record<string, RefArg>;

/** Provider text kept longer than this is cut: it is a hint after our own sentence, not the message. */
const SAID_MAX = 200;

/**
 * The provider's own words as the quoted `$detail` after our translated sentence (`ch-provider-said`), or ""
 * when it said nothing. Never the message itself: the sentence before it says what happened and what to do.
 */
export function providerSaid(provider: RefArg, text: string | null | undefined): RefArg {
  const t = text?.replace(/\s+/g, " ").trim();
  if (!t) return "";
  return { ref: textRef("ch-provider-said", { provider, text: t.length > SAID_MAX ? `${t.slice(0, SAID_MAX)}…` : t }) };
}

/**
 * One item's failed outcome from a typed error: an UpstreamError keeps its kind's retry advice, any other
 * AppError is final. Anything else is our own bug and is rethrown, so the sync engine logs it with its stack
 * and raises one internal-error alert instead of counting it against the channel.
 */
export function pushFailure(sku: Sku, err: unknown): PushOutcome {
  if (err instanceof UpstreamError) return { sku, ok: false, error: err, retryable: err.retryable };
  if (err instanceof AppError) return { sku, ok: false, error: err, retryable: false };
  throw err;
}

/** The per-item outcome of a failed price call (issue 14), as {@link pushFailure} for stock. */
export function priceFailure(sku: Sku, err: unknown): PriceOutcome {
  if (err instanceof UpstreamError) return { sku, ok: false, error: err, retryable: err.retryable };
  if (err instanceof AppError) return { sku, ok: false, error: err, retryable: false };
  throw err;
}

/**
 * The default `setListed` for providers with no per-item listing switch (Shopify variants, Amazon offers):
 * delisting publishes quantity 0 without compare-and-set; relisting is the next quantity push.
 */
export function delistAsZero(pushStock: () => SalesChannel["pushStock"]): SalesChannel["setListed"] {
  return async (item, isListed, opts) => {
    if (isListed) return;
    const [o] = await pushStock()([{ sku: item.sku, ref: item.ref, quantity: 0 }], opts);
    if (o && !o.ok) throw o.error;
  };
}

/** The order cursor to fetch from: the stored one decoded, or `lookbackDays` before now when there is none yet. */
export function orderCursor<S extends z.ZodType<{ since: string }>>(args: {
  provider: string;
  schema: S;
  cursor: string | null;
  clock: Clock;
  lookbackDays: number;
  /** Formats a timestamp as the provider wants it (ISO by default). */
  since?: (d: Date) => string;
}): z.infer<S> {
  const since = args.since ?? ((d: Date) => d.toISOString());
  if (args.cursor) return decodeOrderCursor(args.provider, args.schema, args.cursor, since);
  return { since: since(new Date(args.clock.now().getTime() - args.lookbackDays * 86_400_000)) } as z.infer<S>;
}

/** An access token and how long the provider says it lives. */
export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** Caches one OAuth access token; concurrent callers share a single refresh. */
export interface TokenCache {
  /** A token valid for at least the safety margin, refreshing when needed. */
  get(signal?: AbortSignal): Promise<string>;
  /** Drops the cached token (after a 401/403 that may mean it was revoked or expired early). */
  invalidate(): void;
  /** How many times the provider was asked for a token (for tests and `/sync status`). */
  readonly refreshes: number;
}

/**
 * Builds a token cache around `issue` (the provider's refresh-token exchange). Tokens are renewed
 * `marginSeconds` before they expire so a long batch never starts with a token about to lapse.
 *
 * @example
 * const tokens = createTokenCache({ clock, issue: (signal) => exchangeRefreshToken(signal) });
 * headers["x-amz-access-token"] = await tokens.get(signal);
 */
export function createTokenCache(opts: {
  clock: Clock;
  issue: (signal?: AbortSignal) => Promise<IssuedToken>;
  marginSeconds?: number;
  /** Where each issued token is registered as a secret (the shared redactor), before anyone uses it. */
  secrets?: Pick<Redactor, "add"> | undefined;
}): TokenCache {
  const margin = (opts.marginSeconds ?? 300) * 1000;
  let token: string | undefined;
  let expiresAt = 0;
  let inFlight: Promise<string> | undefined;
  let refreshes = 0;
  return {
    async get(signal) {
      if (token && opts.clock.now().getTime() < expiresAt - margin) return token;
      inFlight ??= (async () => {
        try {
          refreshes += 1;
          const t = await opts.issue(signal);
          opts.secrets?.add(t.accessToken);
          token = t.accessToken;
          expiresAt = opts.clock.now().getTime() + t.expiresInSeconds * 1000;
          return t.accessToken;
        } finally {
          inFlight = undefined;
        }
      })();
      return inFlight;
    },
    invalidate() {
      token = undefined;
      expiresAt = 0;
    },
    get refreshes() {
      return refreshes;
    },
  };
}

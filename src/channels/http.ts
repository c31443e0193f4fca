import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { KyInstance, Options } from "ky";
import type { z } from "zod";
import type { Clock } from "../clock.js";
import { ForbiddenError, InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import type { ChannelId } from "../ids.js";
import type { Logger } from "../log.js";
import { minorDigits } from "../money/amount.js";
import type { RateLimiter, Sleep } from "../sync/rate-limiter.js";
import type { Redactor } from "../upstream/redact.js";
import type { RetryPolicy } from "../upstream/retry.js";
import type { ChannelAlerts } from "./cn-common.js";

/** Builds a ky instance; app.ts passes `(o) => ky.create(o)`, so only app.ts calls ky.create. */
export type MakeHttp = (opts: Options) => KyInstance;

/** What every channel factory receives besides its own config section. */
export interface ChannelDeps {
  id: ChannelId;
  http: KyInstance;
  log: Logger;
  clock: Clock;
  limiter: RateLimiter;
  /** Retry policy for this channel's calls (tests shrink the delays). */
  retry?: RetryPolicy;
  /** Sleep seam shared with the retry loop. */
  sleep?: Sleep;
  /** Where an adapter raises alerts only an operator can resolve (expired seller tokens, promotion-locked SKUs): `ledger.alerts`. */
  alerts?: ChannelAlerts | undefined;
  /** Counts each call on the wire against the channel's call budget (`channels[].callBudget`); absent without one. */
  meter?: (() => void) | undefined;
  /** The process's shared redactor: an adapter adds each token it learns at run time (an OAuth access token). */
  secrets?: Pick<Redactor, "add">;
  /** Shopify per location: the last known quantity per (item, Shopify location), kept across restarts (`stores.shopifyLevels`). */
  locationLevels?: LocationLevels | undefined;
}

/** The compare values of a per-location compare-and-set (`src/channels/shopify-levels-store.ts` binds it to SQLite). */
export interface LocationLevels {
  knownLevels(channelId: string, ref: string): Map<string, number>;
  rememberLevel(channelId: string, ref: string, locationId: string, qty: number): void;
}

/** LocationLevels for this process only (an adapter built without the store: tests, one-off CLI reads). */
export function memoryLevels(): LocationLevels {
  const byRef = new Map<string, Map<string, number>>();
  return {
    knownLevels: (channelId, ref) => new Map(byRef.get(`${channelId}\u0000${ref}`)),
    rememberLevel: (channelId, ref, locationId, qty) => {
      const key = `${channelId}\u0000${ref}`;
      byRef.set(key, (byRef.get(key) ?? new Map()).set(locationId, qty));
    },
  };
}

/** Base64 HMAC-SHA256 of the raw bytes (Shopify and WooCommerce webhook signatures). */
export function hmacBase64(secret: string, raw: Buffer | string): string {
  return createHmac("sha256", secret).update(raw).digest("base64");
}

/** Reads one header from a Node-style header map (case-insensitive, first value). */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/** Constant-time check of a base64 HMAC header against the raw body; throws ForbiddenError on mismatch. */
export function verifyHmacHeader(
  provider: string,
  secret: string | undefined,
  raw: Buffer,
  signature: string | undefined,
): void {
  if (!secret)
    throw localized(ForbiddenError, "webhook_secret_missing", textRef("webhook-secret-missing", { provider }));
  if (!signature) throw localized(ForbiddenError, "webhook_unsigned", textRef("webhook-unsigned", { provider }));
  // Compare the header text with the canonical padded base64 of the digest, as @shopify/shopify-api's safeCompare
  // does: Buffer.from(sig, "base64") would accept a missing "=", junk after it, or the URL-safe alphabet.
  const expected = Buffer.from(hmacBase64(secret, raw), "utf8");
  const given = Buffer.from(signature, "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw localized(ForbiddenError, "webhook_bad_signature", textRef("webhook-bad-signature", { provider }));
  }
}

/** Parses a verified webhook body as JSON; malformed → InvalidInputError (the route answers 400). */
export function parseWebhookJson<S extends z.ZodType>(provider: string, raw: Buffer, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw localized(InvalidInputError, "webhook_malformed", textRef("webhook-not-json", { provider }));
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    throw localized(InvalidInputError, "webhook_malformed", textRef("webhook-bad-shape", { provider }), {
      issues: r.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
    });
  }
  return r.data;
}

/** A short stable digest, for idempotency keys derived from a logical key plus the exact payload. */
export function digest(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** Formats a digest as a UUID-shaped string (Shopify's `@idempotent` examples use UUIDs). */
export function uuidFrom(...parts: string[]): string {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Converts a decimal amount string ("12.50", "-3.1") to integer minor units for a currency. */
export function toMinor(amount: string | number, currency: string): number {
  const digits = minorDigits(currency);
  const s = typeof amount === "number" ? amount.toFixed(digits) : amount.trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m) throw localized(InvalidInputError, "bad_amount", textRef("wire-bad-amount", { value: s }));
  const frac = (m[3] ?? "").padEnd(digits, "0");
  const whole = Number(m[2] || "0") * 10 ** digits + Number(frac.slice(0, digits) || "0");
  return m[1] === "-" ? -whole : whole;
}

/** Converts integer minor units back to a decimal string for a currency. */
export function fromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(digits + 1, "0");
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** JSON.parse that answers undefined instead of throwing (error bodies that may not be JSON). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads an order cursor we stored (JSON matching `schema`), or a bare timestamp so an operator can rewind
 * to a date; anything else is InvalidInputError. `since` formats the timestamp as the provider wants it.
 */
export function decodeOrderCursor<S extends z.ZodType<{ since: string }>>(
  provider: string,
  schema: S,
  cursor: string,
  since: (d: Date) => string = (d) => d.toISOString(),
): z.infer<S> {
  try {
    return schema.parse(JSON.parse(cursor));
  } catch {
    if (!Number.isNaN(Date.parse(cursor))) return { since: since(new Date(cursor)) } as z.infer<S>;
    throw localized(
      InvalidInputError,
      "bad_cursor",
      textRef("wire-bad-cursor", { provider, cursor: cursor.slice(0, 40) }),
    );
  }
}

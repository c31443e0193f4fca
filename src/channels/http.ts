import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { KyInstance, Options } from "ky";
import type { z } from "zod";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { ChannelId } from "../ids.js";
import { ForbiddenError, InvalidInputError, UpstreamError } from "../errors.js";
import type { RateLimiter, Sleep } from "../sync/rate-limiter.js";
import { withRetry, type RetryPolicy } from "../sync/retry.js";
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
}

/** A response as read off the wire, before any provider-specific parsing. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body bytes (for gzip report documents). */
  bytes: Buffer;
}

/** One HTTP request to a provider. */
export interface SendRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

/**
 * Sends one request with ky and returns status, headers and body text whatever the status. Retries are
 * ours, not ky's: they must pass through the channel's limiter and see throttles hidden inside 200s.
 * Network failures and timeouts become retryable UpstreamErrors; the caller's own abort is rethrown.
 */
export async function send(http: KyInstance, provider: string, req: SendRequest): Promise<RawResponse> {
  const opts: Options = {
    method: req.method,
    retry: 0,
    throwHttpErrors: false,
    timeout: req.timeoutMs ?? 30_000,
    ...(req.headers ? { headers: req.headers } : {}),
    ...(req.json !== undefined ? { json: req.json } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  };
  try {
    const res = await http(req.url, opts);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, text: bytes.toString("utf8"), bytes };
  } catch (err) {
    if (req.signal?.aborted) throw err;
    const isTimeout = (err as Error)?.name === "TimeoutError";
    // ky's messages quote the full URL, and WooCommerce's query-string auth puts keys there.
    const reason = stripQueries(String((err as Error)?.message ?? err));
    const causeCode = (err as { cause?: { code?: string } })?.cause?.code;
    throw new UpstreamError({
      provider,
      code: isTimeout ? "upstream_timeout" : "upstream_unreachable",
      message: isTimeout ? `${provider} did not answer in time; the call will be retried.` : `${provider} could not be reached; the call will be retried.`,
      retryable: true,
      details: { method: req.method, url: redactUrl(req.url), reason, ...(causeCode ? { causeCode } : {}) },
    });
  }
}

/** Removes the query string of every URL inside a message. */
export function stripQueries(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#]*)\?[^\s#]*/g, "$1?…");
}

/** Strips query strings (which may carry keys) from a URL before it is logged. */
export function redactUrl(url: string): string {
  const i = url.indexOf("?");
  return i < 0 ? url : `${url.slice(0, i)}?…`;
}

/** Parses `Retry-After` (seconds or an HTTP date) into seconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, (t - now.getTime()) / 1000);
}

/** Reads a JSON body, insisting on a JSON content type; HTML error pages and truncated bodies are retryable. */
export function readJson(provider: string, res: RawResponse): unknown {
  const type = res.headers.get("content-type") ?? "";
  if (!/json/i.test(type)) {
    throw new UpstreamError({
      provider,
      code: "upstream_malformed",
      message: `${provider} answered with ${type || "no content type"} instead of JSON; the call will be retried.`,
      status: res.status,
      retryable: true,
      details: { contentType: type, bodyStart: res.text.slice(0, 120) },
    });
  }
  try {
    return JSON.parse(res.text) as unknown;
  } catch (err) {
    throw new UpstreamError({
      provider,
      code: "upstream_malformed",
      message: `${provider} sent a body that is not valid JSON; the call will be retried.`,
      status: res.status,
      retryable: true,
      details: { bodyStart: res.text.slice(0, 120) },
      cause: err,
    });
  }
}

/** Validates a provider body against a zod schema of the provider's own format. */
export function parseAs<S extends z.ZodType>(provider: string, schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UpstreamError({
    provider,
    code: "upstream_unexpected_shape",
    message: `${provider} sent a ${what} we do not understand; check the pinned API version.`,
    retryable: false,
    details: { what, issues: r.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) },
  });
}

/** Maps an HTTP status to a typed error: 429, 408 and 5xx are retryable; other 4xx are not. */
export function statusError(args: {
  provider: string;
  status: number;
  headers: Headers;
  now: Date;
  providerCode?: string | number | undefined;
  providerMessage?: string | undefined;
}): UpstreamError {
  const { provider, status } = args;
  const retryAfterSeconds = parseRetryAfter(args.headers.get("retry-after"), args.now);
  const retryable = status === 429 || status === 408 || status >= 500;
  const code =
    status === 429 ? "upstream_throttled"
    : status === 401 || status === 403 ? "upstream_auth"
    : status === 404 ? "upstream_not_found"
    : status >= 500 ? "upstream_unavailable"
    : "upstream_rejected";
  const tail = args.providerCode === undefined ? "" : ` (${args.providerCode})`;
  const message =
    code === "upstream_throttled" ? `${provider} is rate-limiting us${tail}; the sync will slow down and retry.`
    : code === "upstream_auth" ? `${provider} refused our credentials${tail}. Check the channel's keys and scopes in stockradar.yaml.`
    : code === "upstream_not_found" ? `${provider} does not know that item${tail}. Check the listing link.`
    : code === "upstream_unavailable" ? `${provider} had a server error (${status})${tail}; the call will be retried.`
    : `${provider} rejected the request (${status})${tail}.`;
  return new UpstreamError({
    provider,
    code,
    message,
    status,
    retryable,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(args.providerCode !== undefined ? { providerCode: args.providerCode } : {}),
    details: { providerMessage: args.providerMessage },
  });
}

/** Options for {@link callWithPolicy}. */
export interface CallOptions {
  op: string;
  isIdempotent: boolean;
  bucket?: string;
  cost?: number;
  signal?: AbortSignal | undefined;
}

/**
 * Runs one logical provider call under the channel's limiter and retry policy. A 429 pauses every call
 * on the channel for the provider's Retry-After (or one second when it does not say).
 */
export function callWithPolicy<T>(deps: ChannelDeps, opts: CallOptions, attempt: () => Promise<T>): Promise<T> {
  return withRetry(
    async () => {
      await deps.limiter.acquire({ cost: opts.cost ?? 1, bucket: opts.bucket ?? "default", ...(opts.signal ? { signal: opts.signal } : {}) });
      try {
        return await attempt();
      } catch (err) {
        if (err instanceof UpstreamError && err.status === 429) deps.limiter.pause(err.retryAfterSeconds ?? 1);
        throw err;
      }
    },
    {
      isIdempotent: opts.isIdempotent,
      op: opts.op,
      log: deps.log,
      ...(deps.retry ? { policy: deps.retry } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
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
export function verifyHmacHeader(provider: string, secret: string | undefined, raw: Buffer, signature: string | undefined): void {
  if (!secret) throw new ForbiddenError("webhook_secret_missing", `No webhook secret is configured for this ${provider} channel; set webhookSecret.`);
  if (!signature) throw new ForbiddenError("webhook_unsigned", `The ${provider} webhook carried no signature.`);
  const expected = Buffer.from(hmacBase64(secret, raw), "base64");
  const given = Buffer.from(signature, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ForbiddenError("webhook_bad_signature", `The ${provider} webhook signature does not match.`);
  }
}

/** Parses a verified webhook body as JSON; malformed → InvalidInputError (the route answers 400). */
export function parseWebhookJson<S extends z.ZodType>(provider: string, raw: Buffer, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new InvalidInputError("webhook_malformed", `The ${provider} webhook body is not JSON.`);
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new InvalidInputError("webhook_malformed", `The ${provider} webhook body is not a shape we know.`, {
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
  let digits = 2;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    digits = 2;
  }
  const s = typeof amount === "number" ? amount.toFixed(digits) : amount.trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new InvalidInputError("bad_amount", `Not an amount: ${s}`);
  const frac = (m[3] ?? "").padEnd(digits, "0");
  const whole = Number(m[2] || "0") * 10 ** digits + Number(frac.slice(0, digits) || "0");
  return m[1] === "-" ? -whole : whole;
}

/** Converts integer minor units back to a decimal string for a currency. */
export function fromMinor(minor: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    digits = 2;
  }
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
    throw new InvalidInputError("bad_cursor", `Not a ${provider} order cursor: ${cursor.slice(0, 40)}`);
  }
}

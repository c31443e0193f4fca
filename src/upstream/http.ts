import type { KyInstance, Options } from "ky";
import type { z } from "zod";
import { textRef } from "../i18n/ref.js";
import type { Logger } from "../log.js";
import type { RateLimiter, Sleep } from "../sync/rate-limiter.js";
import { kindOfStatus, type UpstreamCode, UpstreamError } from "./errors.js";
import { type RetryPolicy, withRetry } from "./retry.js";
import { parseRetryAfter } from "./retry-after.js";

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
  url: string | URL;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer | URLSearchParams;
  /** Per-request timeout; 30 s when not given. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Sends one request with ky and returns status, headers and body text whatever the status. Retries are
 * ours, not ky's: they must pass through the caller's limiter and see throttles hidden inside 200s.
 * A timeout becomes a `timeout` UpstreamError and any other transport failure a `network` one; the
 * caller's own abort is rethrown as it is.
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
  const url = String(req.url);
  try {
    const res = await http(url, opts);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, text: bytes.toString("utf8"), bytes };
  } catch (err) {
    if (req.signal?.aborted) throw err;
    const isTimeout = (err as Error)?.name === "TimeoutError";
    // ky's messages quote the full URL, and query-string auth (WooCommerce, WeCom, TOP) puts keys there.
    const reason = stripQueries(String((err as Error)?.message ?? err));
    const causeCode = (err as { cause?: { code?: string } })?.cause?.code;
    throw new UpstreamError({
      provider,
      kind: isTimeout ? "timeout" : "network",
      i18n: textRef(isTimeout ? "up-timeout" : "up-unreachable", { provider }),
      details: { method: req.method, url: redactUrl(url), reason, ...(causeCode ? { causeCode } : {}) },
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

/** Parses a body as JSON; text that is not JSON is a `malformed` UpstreamError (retried when idempotent). */
export function parseJsonText(provider: string, text: string, status?: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UpstreamError({
      provider,
      kind: "malformed",
      i18n: textRef("up-not-json", { provider }),
      status,
      details: { bodyStart: text.slice(0, 120) },
      cause: err,
    });
  }
}

/** Reads a JSON body, insisting on a JSON content type; HTML error pages and truncated bodies are `malformed`. */
export function readJson(provider: string, res: RawResponse): unknown {
  const type = res.headers.get("content-type") ?? "";
  if (!/json/i.test(type)) {
    throw new UpstreamError({
      provider,
      kind: "malformed",
      i18n: textRef("up-not-json-type", { provider, type: type || { ref: textRef("up-no-content-type") } }),
      status: res.status,
      details: { contentType: type, bodyStart: res.text.slice(0, 120) },
    });
  }
  return parseJsonText(provider, res.text, res.status);
}

/** The `malformed` error for a body that is JSON but not the provider's documented shape. */
export function unexpectedShape(provider: string, what: string, issues: unknown): UpstreamError {
  return new UpstreamError({
    provider,
    kind: "malformed",
    code: "upstream_unexpected_shape",
    i18n: textRef("up-unexpected-shape", { provider, what }),
    details: { what, issues },
  });
}

/** Validates a provider body against a zod schema of the provider's own format. */
export function parseAs<S extends z.ZodType>(provider: string, schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw unexpectedShape(
    provider,
    what,
    r.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
  );
}

/** Maps an HTTP status to a typed error ({@link kindOfStatus}); Retry-After is read in seconds or as an HTTP date. */
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
  const kind = kindOfStatus(status);
  const code: UpstreamCode | undefined =
    status === 404 ? "upstream_not_found" : status >= 500 && kind === "network" ? "upstream_unavailable" : undefined;
  const tail = args.providerCode === undefined ? "" : ` (${args.providerCode})`;
  const s = String(status);
  const i18n =
    kind === "throttled"
      ? textRef("up-throttled", { provider, tail })
      : kind === "auth"
        ? textRef("up-auth", { provider, tail })
        : code === "upstream_not_found"
          ? textRef("up-not-found", { provider, tail })
          : status >= 500
            ? textRef("up-server-error", { provider, status: s, tail })
            : kind === "timeout"
              ? textRef("up-status-timeout", { provider, status: s, tail })
              : textRef("up-status-rejected", { provider, status: s, tail });
  return new UpstreamError({
    provider,
    kind,
    ...(code ? { code } : {}),
    i18n,
    status,
    retryAfterSeconds,
    providerCode: args.providerCode,
    details: { providerMessage: args.providerMessage },
  });
}

/** What {@link callWithPolicy} needs: a limiter, a logger and the retry seams. */
export interface PolicyDeps {
  log: Logger;
  limiter: RateLimiter;
  /** Retry policy for these calls (tests shrink the delays). */
  retry?: RetryPolicy | undefined;
  /** Sleep seam shared with the retry loop. */
  sleep?: Sleep | undefined;
  /** Counts each call that goes on the wire, retries included (the channel's call budget, src/budget/). */
  meter?: (() => void) | undefined;
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
 * Runs one logical provider call under a limiter and the retry rule. A throttle pauses every call on the
 * limiter for the provider's Retry-After (or one second when it does not say).
 */
export function callWithPolicy<T>(deps: PolicyDeps, opts: CallOptions, attempt: () => Promise<T>): Promise<T> {
  return withRetry(
    async () => {
      await deps.limiter.acquire({
        cost: opts.cost ?? 1,
        bucket: opts.bucket ?? "default",
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      deps.meter?.();
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

import { AppError } from "../errors.js";
import { english } from "../i18n/errors.js";
import type { TextRef } from "../i18n/ref.js";

/**
 * What went wrong with a remote call, in the only terms the retry rule needs:
 * - `rejected`: the provider understood and refused (4xx, a business error code). Never retried.
 * - `auth`: our credentials or token were refused. Never retried; an operator must act.
 * - `throttled`: the provider asked us to slow down (429, flow control, "busy"). It did nothing, so always retried.
 * - `timeout`: no answer in time (ours or the provider's 408/504). Retried when the call is idempotent.
 * - `network`: unreachable, reset, a 5xx, or "not applied, try again". Retried when the call is idempotent.
 * - `malformed`: an answer we cannot read (not JSON, HTML error page, a shape we do not know). Retried when idempotent.
 */
export type UpstreamKind = "rejected" | "throttled" | "timeout" | "network" | "malformed" | "auth";

/** Every kind, in the order docs/upstream.md lists them. */
export const UPSTREAM_KINDS: readonly UpstreamKind[] = [
  "rejected",
  "auth",
  "throttled",
  "timeout",
  "network",
  "malformed",
];

/**
 * The one vocabulary of upstream error codes. The first six name a kind; the rest refine one
 * (`upstream_not_found` is `rejected`, `upstream_unavailable` is `network`, `upstream_token_expired` is `auth`, …).
 */
export type UpstreamCode =
  | "upstream_rejected"
  | "upstream_auth"
  | "upstream_throttled"
  | "upstream_timeout"
  | "upstream_unreachable"
  | "upstream_malformed"
  | "upstream_not_found"
  | "upstream_unavailable"
  | "upstream_unexpected_shape"
  | "upstream_incomplete"
  | "upstream_not_applied"
  | "upstream_token_expired"
  | "upstream_quota_exhausted"
  | "upstream_not_registered"
  | "promotion_stock_locked";

/** The code an error of each kind carries when the adapter names nothing more specific. */
export const KIND_CODES: Record<UpstreamKind, UpstreamCode> = {
  rejected: "upstream_rejected",
  auth: "upstream_auth",
  throttled: "upstream_throttled",
  timeout: "upstream_timeout",
  network: "upstream_unreachable",
  malformed: "upstream_malformed",
};

/** Whether a failure of this kind may succeed when the same call is repeated. */
export function isTransientKind(kind: UpstreamKind): boolean {
  return kind === "throttled" || kind === "timeout" || kind === "network" || kind === "malformed";
}

/** The kind an HTTP status means: 401/403 auth, 429 throttled, 408/504 timeout, other 5xx network, other 4xx rejected. */
export function kindOfStatus(status: number): UpstreamKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "throttled";
  if (status === 408 || status === 504) return "timeout";
  if (status >= 500) return "network";
  return "rejected";
}

/** What every upstream error is built from. */
export interface UpstreamErrorArgs {
  provider: string;
  kind: UpstreamKind;
  /** Defaults to the kind's own code ({@link KIND_CODES}). */
  code?: UpstreamCode;
  /** The English text; defaults to the English rendering of `i18n`. */
  message?: string;
  /** The same text as a catalog message, rendered in the reader's language (docs/i18n.md). */
  i18n?: TextRef;
  status?: number | undefined;
  retryAfterSeconds?: number | undefined;
  providerCode?: string | number | undefined;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type for every remote API (channels, couriers, WeCom, Telegram). `retryable` follows from
 * `kind` alone ({@link isTransientKind}); whether a retry is safe also depends on idempotency (`shouldRetry`).
 */
export class UpstreamError extends AppError {
  /** What went wrong, for the retry rule. */
  readonly kind: UpstreamKind;
  /** The provider's name ("Shopify", "wecom", "kuaidi100"). */
  readonly provider: string;
  /** HTTP status, when the provider answered at all. */
  readonly status: number | undefined;
  /** Whether the same call may succeed later (derived from `kind`). */
  readonly retryable: boolean;
  /** Seconds the provider asked us to wait (Retry-After, retry_after, …), when it said so. */
  readonly retryAfterSeconds: number | undefined;
  /** The provider's own error code (e.g. "THROTTLED", "isv.item-not-exist", 45009). */
  readonly providerCode: string | undefined;

  constructor(args: UpstreamErrorArgs) {
    const code = args.code ?? KIND_CODES[args.kind];
    super(
      code,
      args.message ?? (args.i18n ? english(args.i18n) : code),
      {
        ...args.details,
        provider: args.provider,
        kind: args.kind,
        status: args.status,
        providerCode: args.providerCode,
      },
      { cause: args.cause, ...(args.i18n ? { i18n: args.i18n } : {}) },
    );
    this.kind = args.kind;
    this.provider = args.provider;
    this.status = args.status;
    this.retryable = isTransientKind(args.kind);
    this.retryAfterSeconds = args.retryAfterSeconds;
    this.providerCode = args.providerCode === undefined ? undefined : String(args.providerCode);
  }
}

/**
 * The one retry rule. Rejected and auth failures never retry; a throttle always may (the provider refused
 * before doing anything); a timeout, network failure or unreadable answer retries only an idempotent call,
 * since the first attempt may have gone through. Anything that is not an UpstreamError is not retried here:
 * a typed app error will fail the same way, and any other error is our own bug.
 */
export function shouldRetry(err: unknown, isIdempotent: boolean): err is UpstreamError {
  if (!(err instanceof UpstreamError) || !err.retryable) return false;
  return isIdempotent || err.kind === "throttled";
}

/** True when `err` is our own bug (not a typed AppError): log it with its stack, alert once, never blame the provider. */
export function isInternalError(err: unknown): boolean {
  return !(err instanceof AppError);
}

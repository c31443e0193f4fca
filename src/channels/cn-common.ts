import { createHash, createHmac } from "node:crypto";
import type { KyInstance } from "ky";
import { z } from "zod";
import { type RefArg, type TextRef, textRef } from "../i18n/ref.js";
import type { AlertInput } from "../ledger/alerts.js";
import { UpstreamError } from "../upstream/errors.js";
import { send, statusError } from "../upstream/http.js";

/** The three sign methods the Taobao Open Platform (TOP) accepts in `sign_method`. */
export type TopSignMethod = "md5" | "hmac" | "hmac-sha256";

/**
 * The sorted `name + value` concatenation both TOP and Pinduoduo sign: every parameter except `sign`
 * and empty values, ordered by name in byte order, no separators, values not URL-encoded.
 */
export function signBaseString(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .filter((k) => k !== "sign" && params[k] !== undefined && params[k] !== "")
    .sort()
    .map((k) => k + params[k])
    .join("");
}

/**
 * TOP request signature: md5 = MD5(secret + base + secret); hmac = HMAC-MD5(secret, base);
 * hmac-sha256 = HMAC-SHA256(secret, base). Upper-case hex.
 *
 * @example
 * topSign({ method: "taobao.item.seller.get", app_key: "12345678", … }, "helloworld", "md5") // "66987CB1…"
 */
export function topSign(
  params: Readonly<Record<string, string | undefined>>,
  secret: string,
  method: TopSignMethod,
): string {
  const base = signBaseString(params);
  const hex =
    method === "md5"
      ? createHash("md5")
          .update(secret + base + secret, "utf8")
          .digest("hex")
      : createHmac(method === "hmac" ? "md5" : "sha256", secret)
          .update(base, "utf8")
          .digest("hex");
  return hex.toUpperCase();
}

/** Pinduoduo request signature: MD5(client_secret + base + client_secret), upper-case hex. */
export function pddSign(params: Readonly<Record<string, string | undefined>>, clientSecret: string): string {
  return createHash("md5")
    .update(clientSecret + signBaseString(params) + clientSecret, "utf8")
    .digest("hex")
    .toUpperCase();
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Formats an instant as Beijing time (GMT+8, no DST since 1991) in TOP's `yyyy-MM-dd HH:mm:ss`. */
export function formatBeijing(d: Date): string {
  return new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** Parses a provider time without offset (`yyyy-MM-dd HH:mm:ss`, Beijing time); undefined when malformed. */
export function parseBeijing(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se) - BEIJING_OFFSET_MS;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** A Beijing-time timestamp string from a provider, parsed to a Date (zod). */
export const BeijingTime = z.string().transform((s, ctx) => {
  const d = parseBeijing(s);
  if (!d) {
    ctx.addIssue({ code: "custom", message: `expected yyyy-MM-dd HH:mm:ss, got ${s}` });
    return z.NEVER;
  }
  return d;
});

/** A provider id that may arrive as a JSON number or string; always kept as a decimal string (zod). */
export const IdString = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);

/**
 * JSON.parse that never lets a long integer through a JS number: every integer literal of 16 or more
 * digits outside strings is turned into a string first. Taobao tids/oids (up to 19 digits) exceed
 * Number.MAX_SAFE_INTEGER, and Node 20's JSON.parse has no source text in revivers.
 */
export function parseJsonKeepingBigInts(text: string): unknown {
  let out = "";
  let copied = 0;
  let i = 0;
  const n = text.length;
  const isDigit = (c: number): boolean => c >= 48 && c <= 57;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else {
          i += 1;
          if (d === 34) break;
        }
      }
      continue;
    }
    if (c === 45 || isDigit(c)) {
      let j = c === 45 ? i + 1 : i;
      const digitsStart = j;
      while (j < n && isDigit(text.charCodeAt(j))) j += 1;
      const isInteger = !/[.eE]/.test(text.charAt(j));
      if (isInteger && j - digitsStart > 15) {
        out += `${text.slice(copied, i)}"${text.slice(i, j)}"`;
        copied = j;
      }
      while (j < n && /[0-9.eE+-]/.test(text.charAt(j))) j += 1;
      i = j;
      continue;
    }
    i += 1;
  }
  return JSON.parse(out + text.slice(copied)) as unknown;
}

/** Converts a decimal amount string such as "12.50" (yuan) to integer minor units (fen) without floats. */
export function yuanToFen(amount: string | number): number | undefined {
  const s = typeof amount === "number" ? amount.toFixed(2) : amount.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec(s);
  if (!m) return undefined;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] === "-" ? -fen : fen;
}

/** How an order-polling API limits its time windows. */
export interface WindowRules {
  /** Longest window the API accepts (TOP 1 day, recommends 30 min; Pinduoduo 30 min). */
  maxSpanMs: number;
  /** How far behind "now" a window must end (late-indexed orders; Pinduoduo asks 3 min). */
  lagMs: number;
  /** How much each window re-reads of the previous one; duplicates are harmless (idempotent intake). */
  overlapMs: number;
  /** Look-back when there is no cursor yet. */
  defaultLookbackMs: number;
  /** The oldest data the API still serves (both: 3 months). */
  maxLookbackMs: number;
}

/** One polling window and whether it reaches the present. */
export interface PollWindow {
  start: Date;
  end: Date;
  isCaughtUp: boolean;
  /** The cursor was older than the API serves; the gap before `start` cannot be read any more. */
  isClipped: boolean;
}

/**
 * The next window to poll after `cursor` (the end of the last completed window, ISO-8601): starts a
 * little before the cursor, spans at most `maxSpanMs`, and never ends later than now − lag.
 */
export function nextWindow(cursor: string | null, now: Date, rules: WindowRules): PollWindow {
  const horizon = now.getTime() - rules.lagMs;
  const parsed = cursor === null ? Number.NaN : Date.parse(cursor);
  let start = Number.isNaN(parsed) ? horizon - rules.defaultLookbackMs : parsed - rules.overlapMs;
  const oldest = now.getTime() - rules.maxLookbackMs + 60_000;
  const isClipped = start < oldest;
  if (isClipped) start = oldest;
  if (start > horizon - rules.overlapMs) start = horizon - rules.overlapMs;
  const end = Math.min(start + rules.maxSpanMs, horizon);
  return { start: new Date(start), end: new Date(end), isCaughtUp: end >= horizon, isClipped };
}

/**
 * Reads every page of a result sorted newest-first, walking from the last page back to the first, as
 * both TOP and Pinduoduo advise: an order modified while we page moves out of the window (to a later
 * one), which shifts older rows towards pages we have not read yet instead of past us.
 */
export async function readPagesBackwards<T>(
  pageSize: number,
  fetchPage: (pageNo: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const first = await fetchPage(1);
  const pages = Math.ceil(first.total / pageSize);
  if (pages <= 1) return first.items;
  const out: T[] = [];
  for (let p = pages; p >= 2; p -= 1) out.push(...(await fetchPage(p)).items);
  out.push(...(await fetchPage(1)).items);
  return out;
}

/** The slice of `ledger.alerts` an adapter may use to tell operators what only they can fix (expired tokens, locked SKUs). */
export interface ChannelAlerts {
  raiseAlert(a: AlertInput): unknown;
  resolveAlert(kind: string, subject: string): unknown;
}

/** Alert kind for a seller authorisation (TOP session, Pinduoduo access token) that no longer works. */
export const TOKEN_ALERT_KIND = "channel_token_expired";

/**
 * Raises the token alert at most once per failure streak and resolves it after the next success
 * (including the first success after a restart with a renewed token).
 */
export function createTokenAlert(alerts: ChannelAlerts | undefined, channelId: string) {
  let mayBeOpen = true;
  return {
    raise(message: TextRef): void {
      mayBeOpen = true;
      alerts?.raiseAlert({ kind: TOKEN_ALERT_KIND, subject: channelId, severity: "critical", message });
    },
    clear(): void {
      if (!mayBeOpen) return;
      mayBeOpen = false;
      alerts?.resolveAlert(TOKEN_ALERT_KIND, channelId);
    },
  };
}

/**
 * Posts a signed parameter set as a form to a Chinese marketplace gateway (Taobao TOP, Pinduoduo) and returns
 * the parsed answer's root object (large ids kept as strings). A non-200 answer throws the status error and an
 * unreadable body a retryable `malformed` UpstreamError naming `providerName` and the channel.
 */
export async function postGatewayForm(
  http: KyInstance,
  req: {
    provider: string;
    /** The provider's name in the reader's language (`PROVIDER_NAMES` in base.ts). */
    providerName: RefArg;
    channelId: string;
    gateway: string;
    params: Record<string, string>;
    timeoutMs: number;
    signal: AbortSignal | undefined;
    now: () => Date;
    details: Record<string, unknown>;
  },
): Promise<Record<string, unknown>> {
  // Everything goes in the form body: secrets and sessions never land in a URL or access log.
  const res = await send(http, req.provider, {
    method: "POST",
    url: req.gateway,
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", accept: "application/json" },
    body: new URLSearchParams(req.params).toString(),
    timeoutMs: req.timeoutMs,
    signal: req.signal,
  });
  if (res.status !== 200)
    throw statusError({ provider: req.provider, status: res.status, headers: res.headers, now: req.now() });
  let json: unknown;
  try {
    json = parseJsonKeepingBigInts(res.text);
  } catch (err) {
    throw new UpstreamError({
      provider: req.provider,
      kind: "malformed",
      i18n: textRef("ch-unreadable-answer", { provider: req.providerName, channel: req.channelId }),
      cause: err,
      details: req.details,
    });
  }
  return (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
}

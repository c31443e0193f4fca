import type { Money } from "../ids.js";
import { minorDigits } from "../money/amount.js";
import type { Locale } from "./locales.js";

/**
 * Zone names we write ourselves because Intl's are not what people say: zh-CN Intl calls Asia/Shanghai
 * "中国标准时间" (and puts it before the time); people in China say 北京时间. Other zones use Intl's
 * short name in English ("EST", "GMT+1") and its generic name in Chinese ("纽约时间").
 */
const ZONE_LABELS: Record<string, Record<Locale, string>> = {
  UTC: { en: "UTC", "zh-CN": "UTC" },
  "Etc/UTC": { en: "UTC", "zh-CN": "UTC" },
  "Etc/GMT": { en: "UTC", "zh-CN": "UTC" },
  GMT: { en: "UTC", "zh-CN": "UTC" },
  "Asia/Shanghai": { en: "Beijing time", "zh-CN": "北京时间" },
  "Asia/Chongqing": { en: "Beijing time", "zh-CN": "北京时间" },
  "Asia/Harbin": { en: "Beijing time", "zh-CN": "北京时间" },
  PRC: { en: "Beijing time", "zh-CN": "北京时间" },
};

/** The name shown after every time in `timeZone`, e.g. "UTC", "北京时间", "EST", "纽约时间". */
export function zoneLabel(locale: Locale, timeZone: string, at: Date = new Date(0)): string {
  const fixed = ZONE_LABELS[timeZone]?.[locale];
  if (fixed) return fixed;
  const style = locale === "en" ? "short" : "shortGeneric";
  const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: Locale, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(opts)}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone });
    fmtCache.set(key, f);
  }
  return f;
}

const HM: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

/** "19:04 UTC", "03:06 北京时间": 24-hour clock time in the zone, the zone always named. */
export function formatTime(locale: Locale, d: Date, timeZone: string): string {
  return `${dtf(locale, timeZone, HM).format(d)} ${zoneLabel(locale, timeZone, d)}`;
}

/** "Dec 1, 2026", "2026年12月2日": the calendar day in the zone. */
export function formatDate(locale: Locale, d: Date, timeZone: string): string {
  return dtf(locale, timeZone, { year: "numeric", month: locale === "en" ? "short" : "long", day: "numeric" }).format(
    d,
  );
}

/** "Dec 1, 19:04 UTC", "12月2日 03:06 北京时间" (with the year when `withYear`): day and time in the zone, the zone named. */
export function formatDateTime(locale: Locale, d: Date, timeZone: string, opts: { withYear?: boolean } = {}): string {
  const day = dtf(locale, timeZone, {
    ...(opts.withYear ? { year: "numeric" } : {}),
    month: locale === "en" ? "short" : "long",
    day: "numeric",
  }).format(d);
  return `${day}${locale === "en" ? "," : ""} ${formatTime(locale, d, timeZone)}`;
}

/** "12,345", "12.5": grouped digits in the locale (what Fluent does for a number argument). */
export function formatNumber(locale: Locale, n: number, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, opts).format(n);
}

/**
 * Money from integer minor units: "CN¥1,234.50" / "¥1,234.50" for CNY, "$12.00" / "US$12.00" for USD,
 * "¥1,200" for JPY 1200. The decimal string is built exactly from the integer, never through a float.
 */
export function formatMoney(locale: Locale, m: Money): string {
  const digits = minorDigits(m.currency);
  const neg = m.amountMinor < 0;
  const abs = String(Math.abs(Math.trunc(m.amountMinor))).padStart(digits + 1, "0");
  const decimal = digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs;
  const nf = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: m.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl.NumberFormat v3 formats decimal strings exactly; the cast is for lib typings that only list number | bigint.
  return nf.format(`${neg ? "-" : ""}${decimal}` as unknown as number);
}

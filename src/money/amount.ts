import { z } from "zod";
import type { Money } from "../ids.js";
import { must } from "../internal-error.js";

const digitsByCurrency = new Map<string, number>();

/**
 * Digits after the decimal point for a currency (USD 2, JPY 0, KWD 3), from ICU's ISO 4217 data; 2 for a code ICU
 * does not know. Memoised: an Intl.NumberFormat costs about half a millisecond, paid for every amount of every order.
 */
export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits !== undefined) return digits;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    digits = 2;
  }
  digitsByCurrency.set(currency, digits);
  return digits;
}

/** True when ICU knows the currency code (rejects typos such as "USS"). */
export function isKnownCurrency(code: string): boolean {
  const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("currency");
  return list ? list.includes(code) : /^[A-Z]{3}$/.test(code);
}

/** Converts a major-unit amount from config (200, 19.99) to integer minor units of `currency`. */
export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** minorDigits(currency));
}

/** "USD 1,234.50", "JPY 1,200": the currency code first, grouped digits, the currency's own decimals. */
export function formatMoney(m: Money): string {
  const digits = minorDigits(m.currency);
  const sign = m.amountMinor < 0 ? "-" : "";
  const abs = Math.abs(m.amountMinor);
  const whole = Math.floor(abs / 10 ** digits).toLocaleString("en");
  const frac = digits ? `.${String(abs % 10 ** digits).padStart(digits, "0")}` : "";
  return `${m.currency} ${sign}${whole}${frac}`;
}

/** An amount as typed in chat, before the currency is known: "25", "25.50", "25.50USD", "usd25.50". */
export interface TypedAmount {
  /** The digits as typed, e.g. "25.50". */
  value: string;
  /** The currency named in the token, upper-case, if any. */
  currency?: string;
}

const AMOUNT = /^(?:([A-Za-z]{3}))?(\d{1,12}(?:\.\d{1,4})?)(?:([A-Za-z]{3}))?$/;

/** Chat argument: an amount with an optional ISO currency before or after it (no space), e.g. 25.50 or 25.50USD. */
export const amountArg = () =>
  z
    .string()
    .regex(AMOUNT, { message: "must be an amount such as 25.50 or 25.50USD" })
    .transform((s, ctx): TypedAmount => {
      const m = must(AMOUNT.exec(s), "the regex check ran first");
      if (m[1] && m[3]) {
        ctx.addIssue({ code: "custom", message: "name the currency once, e.g. 25.50USD" });
        return z.NEVER;
      }
      const cur = (m[1] ?? m[3])?.toUpperCase();
      if (cur && !isKnownCurrency(cur)) {
        ctx.addIssue({ code: "custom", message: `${cur} is not a currency code; use one such as USD, EUR or CNY` });
        return z.NEVER;
      }
      const value = must(m[2], "AMOUNT has a value group");
      return cur ? { value, currency: cur } : { value };
    })
    .describe("AMOUNT");

/**
 * Resolves a typed amount to Money in `currency`; refuses more decimals than the currency has
 * (0.005 USD, 12.5 JPY) instead of rounding someone's money.
 */
export function resolveAmount(typed: TypedAmount, currency: string): Money | { error: string } {
  const digits = minorDigits(currency);
  const [whole, frac = ""] = typed.value.split(".");
  if (frac.length > digits) {
    return {
      error:
        digits === 0
          ? `${currency} has no decimals; use a whole amount such as ${whole}.`
          : `${currency} has ${digits} decimals at most, e.g. ${whole}.${frac.slice(0, digits)}.`,
    };
  }
  const amountMinor = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(amountMinor)) return { error: "That amount is too large." };
  return { amountMinor, currency };
}

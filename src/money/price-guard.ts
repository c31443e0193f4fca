import type { Deps } from "../deps.js";
import { ConflictError, InvalidInputError } from "../errors.js";
import { english, localized } from "../i18n/errors.js";
import { type TextRef, textRef } from "../i18n/ref.js";
import type { Money } from "../ids.js";
import type { MoneyActor } from "./breaker-store.js";
import { type CurrencyLimits, limitsFor } from "./limits.js";
import type { SkuPriceLimits } from "./price-limits-store.js";
import type { PriceChange } from "./price-store.js";

/** The guard's answer for one proposed price; a refusal names the limit (`message`, rendered in the reader's language). */
export type PriceVerdict = { isAllowed: true } | { isAllowed: false; code: string; message: TextRef; reason: string };

/** What the guard knows besides the limits: the breaker, the day's opening price and the SKU's catalog limits. */
export interface GuardContext {
  isBreakerOpen: boolean;
  /** The price 24 hours ago (before the first change since then), for `maxDailyMovePct`. */
  opening?: Money | undefined;
  /** The SKU's cost, minimum margin and ceiling in the new price's currency. */
  sku?: SkuPriceLimits | undefined;
}

/** The lowest price cost and minimum margin allow (margin on the price: floor = cost / (1 − margin)), rounded up. */
export function costFloorMinor(l: Pick<SkuPriceLimits, "costMinor" | "minMarginPct">): number | undefined {
  if (l.costMinor === null) return undefined;
  return Math.ceil(l.costMinor / (1 - (l.minMarginPct ?? 0) / 100) - 1e-9);
}

const refuse = (code: string, message: TextRef): PriceVerdict => ({
  isAllowed: false,
  code,
  message,
  reason: english(message),
});

const pctOf = (from: Money, to: Money): number =>
  (Math.abs(to.amountMinor - from.amountMinor) / from.amountMinor) * 100;

/**
 * Checks a proposed price against the guard: never while the breaker is open, never below the global or per-currency
 * floor or the SKU's cost floor, never above a ceiling, never a move of more than `maxChangePct` from the current
 * price nor more than `maxDailyMovePct` from the price 24 hours ago.
 */
export function checkPrice(
  limits: CurrencyLimits,
  current: Money | undefined,
  next: Money,
  opts: GuardContext,
): PriceVerdict {
  const money = (amountMinor: number) => ({ money: { amountMinor, currency: next.currency } });
  if (opts.isBreakerOpen) return refuse("breaker_open", textRef("pl-breaker-open"));
  if (current && current.currency !== next.currency)
    return refuse("currency_change", textRef("pl-currency-change", { currency: current.currency }));
  if (limits.floorMinor !== undefined && next.amountMinor < limits.floorMinor)
    return refuse(
      "below_floor",
      textRef("pl-below-floor", { price: { money: next }, floor: money(limits.floorMinor) }),
    );
  if (limits.ceilingMinor !== undefined && next.amountMinor > limits.ceilingMinor)
    return refuse(
      "above_ceiling",
      textRef("pl-above-ceiling", { price: { money: next }, ceiling: money(limits.ceilingMinor) }),
    );
  const sku = opts.sku?.currency === next.currency ? opts.sku : undefined;
  const costFloor = sku ? costFloorMinor(sku) : undefined;
  if (sku && costFloor !== undefined && next.amountMinor < costFloor)
    return refuse(
      "below_cost_floor",
      textRef("pl-below-cost-floor", {
        price: { money: next },
        floor: money(costFloor),
        cost: money(sku.costMinor ?? 0),
        margin: sku.minMarginPct ?? 0,
      }),
    );
  if (sku?.ceilingMinor != null && next.amountMinor > sku.ceilingMinor)
    return refuse(
      "above_sku_ceiling",
      textRef("pl-above-sku-ceiling", { price: { money: next }, ceiling: money(sku.ceilingMinor) }),
    );
  if (current && current.amountMinor > 0) {
    const pct = pctOf(current, next);
    if (pct > limits.maxChangePct)
      return refuse(
        "change_too_large",
        textRef("pl-change-too-large", {
          old: { money: current },
          new: { money: next },
          pct: pct.toFixed(1),
          limit: limits.maxChangePct,
        }),
      );
  }
  const opening = opts.opening;
  if (opening && opening.amountMinor > 0 && opening.currency === next.currency) {
    const pct = pctOf(opening, next);
    if (pct > limits.maxDailyMovePct)
      return refuse(
        "daily_move_too_large",
        textRef("pl-daily-move-too-large", {
          opening: { money: opening },
          new: { money: next },
          pct: pct.toFixed(1),
          limit: limits.maxDailyMovePct,
        }),
      );
  }
  return { isAllowed: true };
}

/** Checks `next` for `sku` on `channelId` against every limit, reading the breaker, the day's opening price and the catalog limits. */
export function guardPrice(
  deps: Pick<Deps, "config" | "breaker" | "prices" | "priceLimits" | "clock">,
  sku: string,
  channelId: string,
  current: Money | undefined,
  next: Money,
): PriceVerdict {
  const since = new Date(deps.clock.now().getTime() - 24 * 3600_000).toISOString();
  return checkPrice(limitsFor(deps.config.money, next.currency), current, next, {
    isBreakerOpen: deps.breaker.breakerState().isOpen,
    opening: deps.prices.openingPriceSince(sku, channelId, since),
    sku: deps.priceLimits.skuPriceLimits(sku, next.currency),
  });
}

/** The typed error of a refusal, in the asker's language: a ConflictError while the breaker is open, else InvalidInputError. */
export function refusalError(
  sku: string,
  channelId: string,
  verdict: Extract<PriceVerdict, { isAllowed: false }>,
): Error {
  const where = channelId ? { byLocale: { en: ` on ${channelId}`, "zh-CN": `（${channelId}）` } } : "";
  const args = { sku, where, reason: { ref: verdict.message } };
  if (verdict.code === "breaker_open")
    return localized(ConflictError, "breaker_open", textRef("pl-refused-breaker", args), { sku });
  return localized(InvalidInputError, verdict.code, textRef("pl-refused-hint", args), { sku });
}

/** A price change request from a command or a repricing job. */
export interface PriceChangeInput {
  sku: string;
  /** "" for the base price on every channel. */
  channelId: string;
  price: Money;
  idempotencyKey: string;
}

/**
 * The one way to change a price: checks the guard, records the change (applied or refused) with an
 * audit entry, and throws a typed error for a refusal. Every repricing path goes through here.
 */
export function changePrice(
  deps: Deps,
  input: PriceChangeInput,
  by: MoneyActor,
): { change: PriceChange; old: Money | undefined; isDuplicate: boolean } {
  const current = deps.prices.currentPrice(input.sku, input.channelId);
  const old = current?.price;
  const verdict = guardPrice(deps, input.sku, input.channelId, old, input.price);
  const { change, isDuplicate } = deps.prices.recordPriceChange(
    {
      sku: input.sku,
      channelId: input.channelId,
      oldMinor: old?.amountMinor ?? null,
      price: input.price,
      outcome: verdict.isAllowed ? "applied" : "refused",
      reason: verdict.isAllowed ? null : verdict.reason,
      idempotencyKey: input.idempotencyKey,
    },
    by,
  );
  if (change.outcome === "refused") {
    if (!verdict.isAllowed) throw refusalError(input.sku, input.channelId, verdict);
    // A redelivery of a change refused earlier: the stored reason is all there is.
    throw new InvalidInputError(
      "price_refused",
      `Price of ${input.sku}${input.channelId ? ` on ${input.channelId}` : ""} not changed: ${change.reason}.`,
    );
  }
  return { change, old, isDuplicate };
}

import type { Deps } from "../deps.js";
import { ConflictError, InvalidInputError } from "../errors.js";
import type { Money } from "../ids.js";
import { formatMoney } from "./amount.js";
import type { MoneyActor } from "./breaker-store.js";
import { type CurrencyLimits, limitsFor } from "./limits.js";
import type { PriceChange } from "./price-store.js";

/** The guard's answer for one proposed price. */
export type PriceVerdict = { isAllowed: true } | { isAllowed: false; code: string; reason: string };

/**
 * Checks a proposed price against the guard: never while the breaker is open, never below the floor
 * or above the ceiling, never a move of more than `maxChangePct` from the current price.
 */
export function checkPrice(
  limits: CurrencyLimits,
  current: Money | undefined,
  next: Money,
  opts: { isBreakerOpen: boolean },
): PriceVerdict {
  if (opts.isBreakerOpen)
    return {
      isAllowed: false,
      code: "breaker_open",
      reason: "the refund breaker is open; price changes wait until an admin resets it",
    };
  if (current && current.currency !== next.currency) {
    return {
      isAllowed: false,
      code: "currency_change",
      reason: `the price is in ${current.currency}; give the new one in ${current.currency} too`,
    };
  }
  if (limits.floorMinor !== undefined && next.amountMinor < limits.floorMinor) {
    return {
      isAllowed: false,
      code: "below_floor",
      reason: `${formatMoney(next)} is below the floor of ${formatMoney({ amountMinor: limits.floorMinor, currency: next.currency })}`,
    };
  }
  if (limits.ceilingMinor !== undefined && next.amountMinor > limits.ceilingMinor) {
    return {
      isAllowed: false,
      code: "above_ceiling",
      reason: `${formatMoney(next)} is above the ceiling of ${formatMoney({ amountMinor: limits.ceilingMinor, currency: next.currency })}`,
    };
  }
  if (current && current.amountMinor > 0) {
    const pct = (Math.abs(next.amountMinor - current.amountMinor) / current.amountMinor) * 100;
    if (pct > limits.maxChangePct) {
      return {
        isAllowed: false,
        code: "change_too_large",
        reason: `${formatMoney(current)} → ${formatMoney(next)} moves ${pct.toFixed(1)}%, more than the ${limits.maxChangePct}% allowed in one step`,
      };
    }
  }
  return { isAllowed: true };
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
  const verdict = checkPrice(limitsFor(deps.config.money, input.price.currency), old, input.price, {
    isBreakerOpen: deps.breaker.breakerState().isOpen,
  });
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
    const msg = `Price of ${input.sku}${input.channelId ? ` on ${input.channelId}` : ""} not changed: ${change.reason}.`;
    if (!verdict.isAllowed && verdict.code === "breaker_open")
      throw new ConflictError("breaker_open", `${msg} /breaker shows why.`);
    throw new InvalidInputError(
      verdict.isAllowed ? "price_refused" : verdict.code,
      `${msg} Pick a price inside the limits (money.priceGuard in stockradar.yaml).`,
    );
  }
  return { change, old, isDuplicate };
}

import type { Config } from "../config.js";
import { toMinor } from "./amount.js";

/** Every money limit for one currency, in its minor units. */
export interface CurrencyLimits {
  currency: string;
  /** Refunds above this need an approver. */
  approvalAboveMinor: number;
  /** The breaker opens before the refund that would bring the window total past this. */
  maxRefundTotalMinor: number;
  windowMinutes: number;
  maxChangePct: number;
  maxDailyMovePct: number;
  floorMinor: number | undefined;
  ceilingMinor: number | undefined;
}

/**
 * The limits for `currency`: the `money.currencies` entry where it sets one, else the global value.
 * Config amounts are major units, so 2000 means USD 2,000.00 and JPY 2,000.
 */
export function limitsFor(money: Config["money"], currency: string): CurrencyLimits {
  const o = money.currencies[currency] ?? {};
  const floor = o.floor ?? money.priceGuard.floor;
  const ceiling = o.ceiling ?? money.priceGuard.ceiling;
  return {
    currency,
    approvalAboveMinor: toMinor(o.refundApprovalAbove ?? money.refundApprovalAbove, currency),
    maxRefundTotalMinor: toMinor(o.maxRefundTotal ?? money.breaker.maxRefundTotal, currency),
    windowMinutes: money.breaker.windowMinutes,
    maxChangePct: money.priceGuard.maxChangePct,
    maxDailyMovePct: money.priceGuard.maxDailyMovePct,
    floorMinor: floor === undefined ? undefined : toMinor(floor, currency),
    ceilingMinor: ceiling === undefined ? undefined : toMinor(ceiling, currency),
  };
}

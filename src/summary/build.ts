import type { Deps } from "../deps.js";
import type { Money } from "../ids.js";

/** Orders and units one channel took in the day. */
export interface ChannelSales {
  channelId: string;
  orders: number;
  units: number;
}

/** A SKU running out: what is left and how long it lasts at the recent sales rate. */
export interface LowStockLine {
  sku: string;
  available: number;
  /** Units sold per day over the rate window. */
  perDay: number;
  /** available / perDay; undefined when nothing sold in the window. */
  daysOfCover: number | undefined;
}

/** One applied price change: SKU (and channel, when channel-specific), old → new, who asked. */
export interface PriceChangeLine {
  sku: string;
  channelId: string;
  old: Money | undefined;
  new: Money;
  actor: string;
}

/** Push health of one channel in the day. */
export interface ChannelSync {
  channelId: string;
  pushes: number;
  /** Pushes still failing now (outbox rows with an error). */
  failing: number;
  /** 95th percentile of enqueue → confirm, the window in which the channel could oversell. */
  p95Ms: number | undefined;
}

/** Everything the daily summary says about one local day. */
export interface DailySummary {
  day: string;
  timezone: string;
  from: string;
  to: string;
  sales: ChannelSales[];
  totals: { orders: number; units: number };
  /** Undefined when the ledger has no order totals (order intake not installed). */
  revenue: (Money & { orders: number })[] | undefined;
  topSkus: { sku: string; units: number }[];
  oversells: { count: number; shortfall: number; unresolved: number };
  lowStock: LowStockLine[];
  /** Every bundle now: the sets its components make and the component that binds it (issue 13). */
  bundles?: { sku: string; available: number; binding: string }[];
  /** Undefined when the ledger has no push log yet. */
  sync: ChannelSync[] | undefined;
  /** Undefined when the ledger has no shipments yet. */
  parcels: { shipped: number; delivered: number; late: number; exceptions: number } | undefined;
  refunds: { requested: number; executed: number; rejected: number; pending: number; refunded: Money[] };
  breaker: { isOpen: boolean; openedAt: string | null; tripsInDay: number };
  /** Price changes applied in the day (issue 14): the first few, oldest first, and how many in all. */
  prices: { count: number; changes: PriceChangeLine[] };
  /** Order lines the promotion guard holds now; undefined when that feature's table is not installed. */
  heldOrders: number | undefined;
  /** Units per channel per day over the chart window, oldest day first. */
  salesSeries: { days: string[]; channels: { channelId: string; units: number[] }[] };
  /** On hand per location and what read-only locations (FBA) hold; undefined while everything is in `main` (issue 13). */
  locations?: { location: string; onHand: number; isReadOnly: boolean }[] | undefined;
}

/** The p-th percentile (nearest rank) of sorted numbers. */
export function percentile(sorted: number[], p: number): number | undefined {
  if (!sorted.length) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Builds the summary of `day` (YYYY-MM-DD in `config.timezone`) from the ledger. Read-only. Sections
 * whose tables belong to features not installed yet (push log, order totals, shipments) are left out.
 */
export function buildSummary(deps: Deps, day: string, opts: { chartDays?: number } = {}): DailySummary {
  const summary = deps.summaries.readSummary(
    { config: deps.config, breakerState: () => deps.breaker.breakerState() },
    day,
    opts,
  );
  const own = deps.ledger.locations.locationTotals();
  const held = deps.ledger.locations.readOnlyTotals();
  const isOnlyMain = held.length === 0 && own.every((l) => l.location === "main");
  const withLocations = isOnlyMain
    ? summary
    : {
        ...summary,
        locations: [
          ...own.map((l) => ({ location: l.location, onHand: l.onHand, isReadOnly: false })),
          ...held.map((h) => ({ location: h.location, onHand: h.quantity, isReadOnly: true })),
        ],
      };
  const bundles = deps.ledger.bundles.allBundles().flatMap((b) => {
    const a = deps.ledger.bundles.bundleAvailability(b.sku);
    return a ? [{ sku: b.sku, available: a.available, binding: a.binding }] : [];
  });
  return bundles.length ? { ...withLocations, bundles } : withLocations;
}

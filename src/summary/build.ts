import type { Deps } from "../deps.js";
import type { Money } from "../ids.js";
import { addDays, dayRange, localDay } from "./day.js";
import { columnsOf, hasTable } from "./schema.js";

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
  /** Undefined when the ledger has no push log yet. */
  sync: ChannelSync[] | undefined;
  /** Undefined when the ledger has no shipments yet. */
  parcels: { shipped: number; delivered: number; late: number; exceptions: number } | undefined;
  refunds: { requested: number; executed: number; rejected: number; pending: number; refunded: Money[] };
  breaker: { isOpen: boolean; openedAt: string | null; tripsInDay: number };
  /** Units per channel per day over the chart window, oldest day first. */
  salesSeries: { days: string[]; channels: { channelId: string; units: number[] }[] };
}

const EXCEPTION_STATUSES = ["EXCEPTION", "DELIVERY_FAILED", "REJECTED", "RETURNING", "RETURNED", "EXPIRED"];

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
  const db = deps.ledger.db;
  const tz = deps.config.timezone;
  const cfg = deps.config.summary;
  const { from, to } = dayRange(day, tz);

  const sales = db
    .prepare<[string, string], { channel_id: string; orders: number; units: number }>(
      `SELECT COALESCE(channel_id, '?') AS channel_id, COUNT(DISTINCT order_id) AS orders, SUM(requested) AS units FROM reservations
       WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY units DESC, channel_id`,
    )
    .all(from, to)
    .map((r) => ({ channelId: r.channel_id, orders: r.orders, units: r.units }));
  const totals = sales.reduce((t, s) => ({ orders: t.orders + s.orders, units: t.units + s.units }), { orders: 0, units: 0 });

  const revenue = hasTable(db, "channel_orders")
    ? db
        .prepare<[string, string], { currency: string; total: number; n: number }>(
          `SELECT currency, SUM(total_minor) AS total, COUNT(*) AS n FROM channel_orders
           WHERE total_minor IS NOT NULL AND currency IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY currency ORDER BY total DESC`,
        )
        .all(from, to)
        .map((r) => ({ amountMinor: r.total, currency: r.currency, orders: r.n }))
    : undefined;

  const topSkus = db
    .prepare<[string, string, number], { sku: string; units: number }>(
      `SELECT sku, SUM(requested) AS units FROM reservations WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? AND created_at < ?
       GROUP BY sku ORDER BY units DESC, sku LIMIT ?`,
    )
    .all(from, to, cfg.topSkus);

  const os = db.prepare<[string, string], { n: number; short: number | null }>("SELECT COUNT(*) AS n, SUM(shortfall) AS short FROM oversells WHERE at >= ? AND at < ?").get(from, to)!;
  const unresolved = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM oversells WHERE resolved_at IS NULL").get()!.n;

  const rateFrom = dayRange(addDays(day, 1 - cfg.rateDays), tz).from;
  const threshold = deps.ledger.ctx.settings.lowStockThreshold;
  const lowStock = db
    .prepare<[string, string], { sku: string; available: number; low_threshold: number | null; sold: number }>(
      `SELECT s.sku, s.on_hand - s.reserved AS available, s.low_threshold,
         COALESCE((SELECT SUM(r.requested) FROM reservations r WHERE r.sku = s.sku AND r.kind = 'order' AND r.status != 'cancelled'
                   AND r.created_at >= ? AND r.created_at < ?), 0) AS sold
       FROM skus s`,
    )
    .all(rateFrom, to)
    .map((r) => {
      const perDay = r.sold / cfg.rateDays;
      return { sku: r.sku, available: r.available, perDay, daysOfCover: perDay > 0 ? r.available / perDay : undefined, isLow: r.available <= (r.low_threshold ?? threshold) };
    })
    .filter((r) => r.isLow || (r.daysOfCover !== undefined && r.daysOfCover < cfg.coverDays))
    .sort((a, b) => (a.daysOfCover ?? (a.available === 0 ? 0 : Infinity)) - (b.daysOfCover ?? (b.available === 0 ? 0 : Infinity)) || a.available - b.available || a.sku.localeCompare(b.sku))
    .slice(0, cfg.maxLowStock)
    .map(({ sku, available, perDay, daysOfCover }) => ({ sku, available, perDay, daysOfCover }));

  const sync = hasTable(db, "push_log") ? syncHealth(deps, from, to) : undefined;
  const parcels = hasTable(db, "shipments") ? parcelCounts(deps, from, to) : undefined;

  const count = (sql: string, ...a: string[]): number => (db.prepare(sql).get(...a) as { n: number }).n;
  const refunded = db
    .prepare<[string, string], { currency: string; total: number }>(
      "SELECT currency, SUM(amount_minor) AS total FROM refunds WHERE state = 'executed' AND executed_at >= ? AND executed_at < ? GROUP BY currency ORDER BY currency",
    )
    .all(from, to)
    .map((r) => ({ amountMinor: r.total, currency: r.currency }));
  const refunds = {
    requested: count("SELECT COUNT(*) AS n FROM refunds WHERE source = 'chat' AND requested_at >= ? AND requested_at < ?", from, to),
    executed: count("SELECT COUNT(*) AS n FROM refunds WHERE state = 'executed' AND executed_at >= ? AND executed_at < ?", from, to),
    rejected: count("SELECT COUNT(*) AS n FROM refunds WHERE state = 'rejected' AND decided_at >= ? AND decided_at < ?", from, to),
    pending: count("SELECT COUNT(*) AS n FROM refunds WHERE state = 'pending'"),
    refunded,
  };
  const b = deps.ledger.breaker.breakerState();
  const breaker = { isOpen: b.isOpen, openedAt: b.openedAt, tripsInDay: count("SELECT COUNT(*) AS n FROM breaker_events WHERE kind = 'trip' AND at >= ? AND at < ?", from, to) };

  return { day, timezone: tz, from, to, sales, totals, revenue, topSkus, oversells: { count: os.n, shortfall: os.short ?? 0, unresolved }, lowStock, sync, parcels, refunds, breaker, salesSeries: salesSeries(deps, day, opts.chartDays ?? 14) };
}

function syncHealth(deps: Deps, from: string, to: string): ChannelSync[] {
  const db = deps.ledger.db;
  const byChannel = new Map<string, number[]>();
  for (const r of db.prepare<[string, string], { channel_id: string; latency_ms: number }>("SELECT channel_id, latency_ms FROM push_log WHERE confirmed_at >= ? AND confirmed_at < ?").all(from, to)) {
    const l = byChannel.get(r.channel_id) ?? [];
    l.push(r.latency_ms);
    byChannel.set(r.channel_id, l);
  }
  const failing = new Map(
    db.prepare<[], { channel_id: string; n: number }>("SELECT channel_id, COUNT(*) AS n FROM outbox WHERE last_error IS NOT NULL GROUP BY channel_id").all().map((r) => [r.channel_id, r.n]),
  );
  const ids = [...new Set([...deps.config.channels.map((c) => c.id), ...byChannel.keys(), ...failing.keys()])].sort();
  return ids.map((channelId) => {
    const lat = (byChannel.get(channelId) ?? []).sort((a, b) => a - b);
    return { channelId, pushes: lat.length, failing: failing.get(channelId) ?? 0, p95Ms: percentile(lat, 95) };
  });
}

function parcelCounts(deps: Deps, from: string, to: string): DailySummary["parcels"] {
  const db = deps.ledger.db;
  const cols = columnsOf(db, "shipments");
  if (!["shipped_at", "delivered_at", "status", "status_since", "ended_at"].every((c) => cols.has(c))) return undefined;
  const n = (sql: string, ...a: string[]): number => (db.prepare(sql).get(...a) as { n: number }).n;
  const promiseMs = deps.config.radar.promiseHours * 3_600_000;
  const lateBefore = new Date(new Date(to).getTime() - promiseMs).toISOString();
  const exc = EXCEPTION_STATUSES.map((s) => `'${s}'`).join(", ");
  return {
    shipped: n("SELECT COUNT(*) AS n FROM shipments WHERE shipped_at >= ? AND shipped_at < ?", from, to),
    delivered: n("SELECT COUNT(*) AS n FROM shipments WHERE delivered_at >= ? AND delivered_at < ?", from, to),
    // Late: still on the way at the end of the day, past the promised transit time.
    late: n(`SELECT COUNT(*) AS n FROM shipments WHERE delivered_at IS NULL AND ended_at IS NULL AND status NOT IN (${exc}, 'CANCELLED') AND shipped_at < ?`, lateBefore),
    exceptions: n(`SELECT COUNT(*) AS n FROM shipments WHERE status IN (${exc}) AND status_since >= ? AND status_since < ?`, from, to),
  };
}

function salesSeries(deps: Deps, day: string, n: number): DailySummary["salesSeries"] {
  const tz = deps.config.timezone;
  const days = Array.from({ length: n }, (_, i) => addDays(day, i - n + 1));
  const from = dayRange(days[0]!, tz).from;
  const to = dayRange(day, tz).to;
  const index = new Map(days.map((d, i) => [d, i]));
  const channels = new Map<string, number[]>();
  for (const r of deps.ledger.db
    .prepare<[string, string], { channel_id: string; created_at: string; requested: number }>(
      "SELECT COALESCE(channel_id, '?') AS channel_id, created_at, requested FROM reservations WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? AND created_at < ?",
    )
    .all(from, to)) {
    const i = index.get(localDay(new Date(r.created_at), tz));
    if (i === undefined) continue;
    const units = channels.get(r.channel_id) ?? new Array<number>(n).fill(0);
    units[i]! += r.requested;
    channels.set(r.channel_id, units);
  }
  return { days, channels: [...channels.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([channelId, units]) => ({ channelId, units })) };
}

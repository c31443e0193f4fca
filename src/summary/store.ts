import type { Config } from "../config.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import { type ChannelSync, type DailySummary, percentile } from "./build.js";
import { addDays, dayRange, localDay } from "./day.js";

// The summary's own table (summary_sends) and the read-only queries the daily summary runs over the ledger.

/** What the summary queries need besides the connection. */
export interface SummaryInput {
  config: Pick<Config, "timezone" | "summary" | "channels" | "radar">;
  breakerState(): { isOpen: boolean; openedAt: string | null };
}

const EXCEPTION_STATUSES = ["EXCEPTION", "DELIVERY_FAILED", "REJECTED", "RETURNING", "RETURNED", "EXPIRED"];

/** True when the ledger has `table` (other features' tables exist only once their migration ran). */
export function hasTable(ctx: LedgerCtx, table: string): boolean {
  return ctx.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** The column names of `table` (empty when it does not exist). */
export function columnsOf(ctx: LedgerCtx, table: string): Set<string> {
  return new Set(
    ctx
      .stmt<[], { name: string }>(`SELECT name FROM pragma_table_info('${table.replace(/'/g, "")}')`)
      .all()
      .map((c) => c.name),
  );
}

/**
 * Claims the daily summary of `day` (YYYY-MM-DD) for sending: true for exactly one caller across
 * restarts and processes. A claim left `sending` by a crash is never re-sent (at most once).
 */
export function claimSummaryDay(ctx: LedgerCtx, day: string): boolean {
  const { changes } = ctx
    .stmt("INSERT INTO summary_sends (day, status, claimed_at) VALUES (?, 'sending', ?) ON CONFLICT DO NOTHING")
    .run(day, nowIso(ctx));
  return changes === 1;
}

/** Marks a claimed day as sent. */
export function markSummarySent(ctx: LedgerCtx, day: string): void {
  ctx.stmt("UPDATE summary_sends SET status = 'sent', sent_at = ? WHERE day = ?").run(nowIso(ctx), day);
}

/** Gives a claim back after the send failed on every transport, so the next run may try again. */
export function releaseSummaryDay(ctx: LedgerCtx, day: string): void {
  write(ctx, () => ctx.stmt("DELETE FROM summary_sends WHERE day = ? AND status = 'sending'").run(day));
}

/** When `day`'s summary went out, if it did. */
export function summarySentAt(ctx: LedgerCtx, day: string): string | undefined {
  return (
    ctx
      .stmt<[string], { sent_at: string | null }>("SELECT sent_at FROM summary_sends WHERE day = ? AND status = 'sent'")
      .get(day)?.sent_at ?? undefined
  );
}

/** The daily summary figures of `day` (YYYY-MM-DD in `config.timezone`), read in one pass; `buildSummary` is the entry point. */
export function readSummary(
  ctx: LedgerCtx,
  deps: SummaryInput,
  day: string,
  opts: { chartDays?: number } = {},
): DailySummary {
  const db = ctx;
  const tz = deps.config.timezone;
  const cfg = deps.config.summary;
  const { from, to } = dayRange(day, tz);

  const sales = db
    .stmt<[string, string], { channel_id: string; orders: number; units: number }>(
      `SELECT COALESCE(channel_id, '?') AS channel_id, COUNT(DISTINCT order_id) AS orders, SUM(requested) AS units FROM reservations
       WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY units DESC, channel_id`,
    )
    .all(from, to)
    .map((r) => ({ channelId: r.channel_id, orders: r.orders, units: r.units }));
  const totals = sales.reduce((t, s) => ({ orders: t.orders + s.orders, units: t.units + s.units }), {
    orders: 0,
    units: 0,
  });

  const revenue = hasTable(ctx, "channel_orders")
    ? db
        .stmt<[string, string], { currency: string; total: number; n: number }>(
          `SELECT currency, SUM(total_minor) AS total, COUNT(*) AS n FROM channel_orders
           WHERE total_minor IS NOT NULL AND currency IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY currency ORDER BY total DESC`,
        )
        .all(from, to)
        .map((r) => ({ amountMinor: r.total, currency: r.currency, orders: r.n }))
    : undefined;

  const topSkus = db
    .stmt<[string, string, number], { sku: string; units: number }>(
      `SELECT sku, SUM(requested) AS units FROM reservations WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? AND created_at < ?
       GROUP BY sku ORDER BY units DESC, sku LIMIT ?`,
    )
    .all(from, to, cfg.topSkus);

  const os = db
    .stmt<[string, string], { n: number; short: number | null }>(
      "SELECT COUNT(*) AS n, SUM(shortfall) AS short FROM oversells WHERE at >= ? AND at < ?",
    )
    .get(from, to) ?? { n: 0, short: null };
  const unresolved =
    db.stmt<[], { n: number }>("SELECT COUNT(*) AS n FROM oversells WHERE resolved_at IS NULL").get()?.n ?? 0;

  const rateFrom = dayRange(addDays(day, 1 - cfg.rateDays), tz).from;
  const threshold = ctx.settings.lowStockThreshold;
  const lowStock = db
    .stmt<[string, string], { sku: string; available: number; low_threshold: number | null; sold: number }>(
      `SELECT s.sku, s.on_hand - s.reserved AS available, s.low_threshold,
         COALESCE((SELECT SUM(r.requested) FROM reservations r WHERE r.sku = s.sku AND r.kind = 'order' AND r.status != 'cancelled'
                   AND r.created_at >= ? AND r.created_at < ?), 0) AS sold
       FROM skus s`,
    )
    .all(rateFrom, to)
    .map((r) => {
      const perDay = r.sold / cfg.rateDays;
      return {
        sku: r.sku,
        available: r.available,
        perDay,
        daysOfCover: perDay > 0 ? r.available / perDay : undefined,
        isLow: r.available <= (r.low_threshold ?? threshold),
      };
    })
    .filter((r) => r.isLow || (r.daysOfCover !== undefined && r.daysOfCover < cfg.coverDays))
    .sort(
      (a, b) =>
        (a.daysOfCover ?? (a.available === 0 ? 0 : Infinity)) - (b.daysOfCover ?? (b.available === 0 ? 0 : Infinity)) ||
        a.available - b.available ||
        a.sku.localeCompare(b.sku),
    )
    .slice(0, cfg.maxLowStock)
    .map(({ sku, available, perDay, daysOfCover }) => ({ sku, available, perDay, daysOfCover }));

  const sync = hasTable(ctx, "push_log") ? syncHealth(ctx, deps, from, to) : undefined;
  const parcels = hasTable(ctx, "shipments") ? parcelCounts(ctx, deps, from, to) : undefined;

  const count = (sql: string, ...a: string[]): number => (db.stmt(sql).get(...a) as { n: number }).n;
  const refunded = db
    .stmt<[string, string], { currency: string; total: number }>(
      "SELECT currency, SUM(amount_minor) AS total FROM refunds WHERE state = 'executed' AND executed_at >= ? AND executed_at < ? GROUP BY currency ORDER BY currency",
    )
    .all(from, to)
    .map((r) => ({ amountMinor: r.total, currency: r.currency }));
  const refunds = {
    requested: count(
      "SELECT COUNT(*) AS n FROM refunds WHERE source = 'chat' AND requested_at >= ? AND requested_at < ?",
      from,
      to,
    ),
    executed: count(
      "SELECT COUNT(*) AS n FROM refunds WHERE state = 'executed' AND executed_at >= ? AND executed_at < ?",
      from,
      to,
    ),
    rejected: count(
      "SELECT COUNT(*) AS n FROM refunds WHERE state = 'rejected' AND decided_at >= ? AND decided_at < ?",
      from,
      to,
    ),
    pending: count("SELECT COUNT(*) AS n FROM refunds WHERE state = 'pending'"),
    refunded,
  };
  const b = deps.breakerState();
  const breaker = {
    isOpen: b.isOpen,
    openedAt: b.openedAt,
    tripsInDay: count("SELECT COUNT(*) AS n FROM breaker_events WHERE kind = 'trip' AND at >= ? AND at < ?", from, to),
  };

  return {
    day,
    timezone: tz,
    from,
    to,
    sales,
    totals,
    revenue,
    topSkus,
    oversells: { count: os.n, shortfall: os.short ?? 0, unresolved },
    lowStock,
    sync,
    parcels,
    refunds,
    breaker,
    prices: priceChanges(ctx, from, to),
    heldOrders: hasTable(ctx, "held_order_lines")
      ? count("SELECT COUNT(*) AS n FROM held_order_lines WHERE state = 'held'")
      : undefined,
    salesSeries: salesSeries(ctx, deps, day, opts.chartDays ?? 14),
  };
}

/** How many summary lines list price changes one by one; the rest are counted. */
const PRICE_LINES = 10;

function priceChanges(ctx: LedgerCtx, from: string, to: string): DailySummary["prices"] {
  if (!hasTable(ctx, "price_changes")) return { count: 0, changes: [] };
  const rows = ctx
    .stmt<
      [string, string],
      {
        sku: string;
        channel_id: string;
        old_minor: number | null;
        new_minor: number;
        currency: string;
        actor: string;
      }
    >(
      `SELECT sku, channel_id, old_minor, new_minor, currency, actor FROM price_changes
       WHERE outcome = 'applied' AND at >= ? AND at < ? ORDER BY id`,
    )
    .all(from, to);
  return {
    count: rows.length,
    changes: rows.slice(0, PRICE_LINES).map((r) => ({
      sku: r.sku,
      channelId: r.channel_id,
      old: r.old_minor === null ? undefined : { amountMinor: r.old_minor, currency: r.currency },
      new: { amountMinor: r.new_minor, currency: r.currency },
      actor: r.actor,
    })),
  };
}

function syncHealth(ctx: LedgerCtx, deps: SummaryInput, from: string, to: string): ChannelSync[] {
  const db = ctx;
  const byChannel = new Map<string, number[]>();
  for (const r of db
    .stmt<[string, string], { channel_id: string; latency_ms: number }>(
      "SELECT channel_id, latency_ms FROM push_log WHERE confirmed_at >= ? AND confirmed_at < ?",
    )
    .all(from, to)) {
    const l = byChannel.get(r.channel_id) ?? [];
    l.push(r.latency_ms);
    byChannel.set(r.channel_id, l);
  }
  const failing = new Map(
    db
      .stmt<[], { channel_id: string; n: number }>(
        "SELECT channel_id, COUNT(*) AS n FROM outbox WHERE last_error IS NOT NULL GROUP BY channel_id",
      )
      .all()
      .map((r) => [r.channel_id, r.n]),
  );
  const ids = [...new Set([...deps.config.channels.map((c) => c.id), ...byChannel.keys(), ...failing.keys()])].sort();
  return ids.map((channelId) => {
    const lat = (byChannel.get(channelId) ?? []).sort((a, b) => a - b);
    return { channelId, pushes: lat.length, failing: failing.get(channelId) ?? 0, p95Ms: percentile(lat, 95) };
  });
}

function parcelCounts(ctx: LedgerCtx, deps: SummaryInput, from: string, to: string): DailySummary["parcels"] {
  const db = ctx;
  const cols = columnsOf(ctx, "shipments");
  if (!["shipped_at", "delivered_at", "status", "status_since", "ended_at"].every((c) => cols.has(c))) return undefined;
  const n = (sql: string, ...a: string[]): number => (db.stmt(sql).get(...a) as { n: number }).n;
  const promiseMs = deps.config.radar.promiseHours * 3_600_000;
  const lateBefore = new Date(new Date(to).getTime() - promiseMs).toISOString();
  const exc = EXCEPTION_STATUSES.map((s) => `'${s}'`).join(", ");
  return {
    shipped: n("SELECT COUNT(*) AS n FROM shipments WHERE shipped_at >= ? AND shipped_at < ?", from, to),
    delivered: n("SELECT COUNT(*) AS n FROM shipments WHERE delivered_at >= ? AND delivered_at < ?", from, to),
    // Late: still on the way at the end of the day, past the promised transit time.
    late: n(
      `SELECT COUNT(*) AS n FROM shipments WHERE delivered_at IS NULL AND ended_at IS NULL AND status NOT IN (${exc}, 'CANCELLED') AND shipped_at < ?`,
      lateBefore,
    ),
    exceptions: n(
      `SELECT COUNT(*) AS n FROM shipments WHERE status IN (${exc}) AND status_since >= ? AND status_since < ?`,
      from,
      to,
    ),
  };
}

function salesSeries(ctx: LedgerCtx, deps: SummaryInput, day: string, n: number): DailySummary["salesSeries"] {
  const tz = deps.config.timezone;
  const days = Array.from({ length: n }, (_, i) => addDays(day, i - n + 1));
  const from = dayRange(days[0] ?? day, tz).from;
  const to = dayRange(day, tz).to;
  const index = new Map(days.map((d, i) => [d, i]));
  const channels = new Map<string, number[]>();
  for (const r of ctx
    .stmt<[string, string], { channel_id: string; created_at: string; requested: number }>(
      "SELECT COALESCE(channel_id, '?') AS channel_id, created_at, requested FROM reservations WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? AND created_at < ?",
    )
    .all(from, to)) {
    const i = index.get(localDay(new Date(r.created_at), tz));
    if (i === undefined) continue;
    const units = channels.get(r.channel_id) ?? new Array<number>(n).fill(0);
    units[i] = (units[i] ?? 0) + r.requested;
    channels.set(r.channel_id, units);
  }
  return {
    days,
    channels: [...channels.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channelId, units]) => ({ channelId, units })),
  };
}

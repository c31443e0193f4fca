import { asChannelId, asSku, type ChannelId, type Sku } from "../ids.js";
import type { OutboxRow } from "./rows.js";
import { nowIso, write, type LedgerCtx } from "./context.js";
import { confirmPush, enqueueForSku } from "./outbox.js";
import { readLevel } from "./movements.js";
import { isSplitLow } from "./split-guard.js";

// Sync-engine state (migration 002). Rows are mapped to camelCase here; snake_case stays in SQL.

/** A channel's sync health as the drainer records it. */
export interface ChannelHealth {
  channelId: ChannelId;
  isPaused: boolean;
  pausedBy: string | null;
  pausedAt: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** When the current run of consecutive failures began (null while healthy). */
  failingSince: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  /** The channel asked us to wait until then (Retry-After, THROTTLED). */
  throttledUntil: string | null;
}

interface HealthRow {
  channel_id: string;
  is_paused: number;
  paused_by: string | null;
  paused_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  failing_since: string | null;
  consecutive_failures: number;
  last_error: string | null;
  throttled_until: string | null;
}

const toHealth = (r: HealthRow): ChannelHealth => ({
  channelId: asChannelId(r.channel_id),
  isPaused: r.is_paused === 1,
  pausedBy: r.paused_by,
  pausedAt: r.paused_at,
  lastSuccessAt: r.last_success_at,
  lastFailureAt: r.last_failure_at,
  failingSince: r.failing_since,
  consecutiveFailures: r.consecutive_failures,
  lastError: r.last_error,
  throttledUntil: r.throttled_until,
});

function ensureHealthRow(ctx: LedgerCtx, channelId: string): void {
  ctx.db.prepare("INSERT INTO channel_health (channel_id) VALUES (?) ON CONFLICT DO NOTHING").run(channelId);
}

/** One channel's health; a channel never seen yet reads as healthy and unpaused. */
export function channelHealth(ctx: LedgerCtx, channelId: string): ChannelHealth {
  const r = ctx.db.prepare<[string], HealthRow>("SELECT * FROM channel_health WHERE channel_id = ?").get(channelId);
  return r
    ? toHealth(r)
    : toHealth({
        channel_id: channelId, is_paused: 0, paused_by: null, paused_at: null, last_success_at: null, last_failure_at: null,
        failing_since: null, consecutive_failures: 0, last_error: null, throttled_until: null,
      });
}

/** Pauses or resumes automated pushes to a channel. Returns false when it already was in that state. */
export function setPaused(ctx: LedgerCtx, channelId: string, isPaused: boolean, actor: string): boolean {
  return write(ctx, () => {
    ensureHealthRow(ctx, channelId);
    const { changes } = ctx.db
      .prepare("UPDATE channel_health SET is_paused = ?, paused_by = ?, paused_at = ? WHERE channel_id = ? AND is_paused != ?")
      .run(isPaused ? 1 : 0, isPaused ? actor : null, isPaused ? nowIso(ctx) : null, channelId, isPaused ? 1 : 0);
    return changes > 0;
  });
}

/** Records a successful call; returns how many consecutive failures it ended (0 when it was healthy). */
export function recordChannelSuccess(ctx: LedgerCtx, channelId: string): number {
  return write(ctx, () => {
    ensureHealthRow(ctx, channelId);
    const before = channelHealth(ctx, channelId).consecutiveFailures;
    ctx.db
      .prepare(
        "UPDATE channel_health SET last_success_at = ?, consecutive_failures = 0, failing_since = NULL, last_error = NULL WHERE channel_id = ?",
      )
      .run(nowIso(ctx), channelId);
    return before;
  });
}

/** Records a failed call; returns the new count of consecutive failures. */
export function recordChannelFailure(ctx: LedgerCtx, channelId: string, error: string, throttledUntil?: Date): number {
  return write(ctx, () => {
    ensureHealthRow(ctx, channelId);
    const at = nowIso(ctx);
    ctx.db
      .prepare(
        `UPDATE channel_health SET last_failure_at = ?, consecutive_failures = consecutive_failures + 1,
           failing_since = COALESCE(failing_since, ?), last_error = ?, throttled_until = COALESCE(?, throttled_until)
         WHERE channel_id = ?`,
      )
      .run(at, at, error.slice(0, 500), throttledUntil?.toISOString() ?? null, channelId);
    return channelHealth(ctx, channelId).consecutiveFailures;
  });
}

/**
 * Confirms a push and logs its latency in one transaction. The outbox row leaves only if it still holds
 * the pushed version; the latency (this target's enqueue → now) is logged only then. Returns whether it left.
 */
export function confirmAndLog(ctx: LedgerCtx, row: OutboxRow, qty: number, isListed: boolean): boolean {
  return write(ctx, () => {
    const left = confirmPush(ctx, row, qty, isListed);
    if (left) {
      const now = ctx.clock.now();
      ctx.db
        .prepare(
          `INSERT INTO push_log (channel_id, sku, version, target_qty, is_listed, enqueued_at, first_enqueued_at, confirmed_at, latency_ms, attempts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(row.channelId, row.sku, row.version, qty, isListed ? 1 : 0, row.enqueuedAt, row.firstEnqueuedAt, now.toISOString(),
          Math.max(0, now.getTime() - Date.parse(row.enqueuedAt)), row.attempts + 1);
    }
    return left;
  });
}

/**
 * Records what a channel actually shows (read back, or reported by a failed compare-and-set) without
 * touching the outbox, so the next push compares against reality.
 */
export function noteChannelQuantity(ctx: LedgerCtx, channelId: string, sku: string, qty: number, isListed: boolean): void {
  write(ctx, () => {
    ctx.db
      .prepare("UPDATE listings SET confirmed_qty = ?, confirmed_listed = ?, confirmed_at = ? WHERE channel_id = ? AND sku = ?")
      .run(qty, isListed ? 1 : 0, nowIso(ctx), channelId, sku);
    // Under split, a pending target above the count just read would now be an unguarded raise: recompute.
    const level = readLevel(ctx, sku);
    if (level && isSplitLow(ctx.settings, level)) enqueueForSku(ctx, sku, {}, level);
  });
}

/**
 * Every marketplace lowers its own quantity when it sells: expect the selling channel to show `qty` fewer than
 * it last confirmed, so the push that follows the order compares against what the channel holds now.
 * (A channel that did not decrement fails the compare-and-set once and is corrected.)
 */
export function expectChannelSale(ctx: LedgerCtx, channelId: string, sku: string, qty: number, soldAt?: Date): void {
  // A count read back after the sale (a failed compare-and-set reports what the channel holds) already reflects
  // it; lowering it again would under-count what the channel shows, and the split guard would then publish
  // units that do not exist. Only sales newer than the confirmed count lower it.
  const at = soldAt && !Number.isNaN(soldAt.getTime()) ? soldAt.toISOString() : null;
  write(ctx, () => {
    ctx.db
      .prepare(
        `UPDATE listings SET confirmed_qty = MAX(0, confirmed_qty - ?)
         WHERE channel_id = ? AND sku = ? AND confirmed_qty IS NOT NULL AND (? IS NULL OR confirmed_at IS NULL OR confirmed_at <= ?)`,
      )
      .run(qty, channelId, sku, at, at);
    // Under split, a target computed before this sale was known may now be a raise: recompute (split-guard.ts).
    const level = readLevel(ctx, sku);
    if (level && isSplitLow(ctx.settings, level)) enqueueForSku(ctx, sku, {}, level);
  });
}

/** Pending pushes per channel: how many, the oldest, and when the next deferred one is due. */
export interface Backlog {
  channelId: ChannelId;
  pending: number;
  deferred: number;
  oldestEnqueuedAt: string;
  nextAttemptAt: string | null;
  lastError: string | null;
}

/** Backlog of every channel that has pending pushes. */
export function backlogs(ctx: LedgerCtx): Backlog[] {
  return ctx.db
    .prepare<[string], { channel_id: string; pending: number; deferred: number; oldest: string; next_at: string | null; last_error: string | null }>(
      `SELECT channel_id, COUNT(*) AS pending, SUM(next_attempt_at > ?) AS deferred, MIN(first_enqueued_at) AS oldest,
              MIN(next_attempt_at) AS next_at, MAX(last_error) AS last_error
       FROM outbox GROUP BY channel_id ORDER BY channel_id`,
    )
    .all(nowIso(ctx))
    .map((r) => ({
      channelId: asChannelId(r.channel_id),
      pending: r.pending,
      deferred: r.deferred ?? 0,
      oldestEnqueuedAt: r.oldest,
      nextAttemptAt: r.next_at,
      lastError: r.last_error,
    }));
}

/** When the earliest deferred push of a channel is due, or undefined when nothing is deferred. */
export function nextDeferredAt(ctx: LedgerCtx, channelId: string): Date | undefined {
  const r = ctx.db
    .prepare<[string], { at: string | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE channel_id = ? AND next_attempt_at IS NOT NULL")
    .get(channelId);
  return r?.at ? new Date(r.at) : undefined;
}

/** Push latency percentiles (enqueue → confirm, ms) over the newest `limit` confirmed pushes. */
export interface LatencyStats {
  count: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

/** Latency percentiles of confirmed pushes, for one channel or all. */
export function pushLatency(ctx: LedgerCtx, opts: { channelId?: string; since?: string; limit?: number } = {}): LatencyStats {
  const ms = ctx.db
    .prepare<[string | null, string | null, string | null, string | null, number], { latency_ms: number }>(
      `SELECT latency_ms FROM push_log WHERE (? IS NULL OR channel_id = ?) AND (? IS NULL OR confirmed_at >= ?)
       ORDER BY id DESC LIMIT ?`,
    )
    .all(opts.channelId ?? null, opts.channelId ?? null, opts.since ?? null, opts.since ?? null, opts.limit ?? 1000)
    .map((r) => r.latency_ms)
    .sort((a, b) => a - b);
  const pick = (p: number): number | null => (ms.length ? ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)]! : null);
  return { count: ms.length, p50: pick(50), p95: pick(95), max: ms.length ? ms[ms.length - 1]! : null };
}

/** One confirmed push as logged. */
export interface PushLogEntry {
  channelId: ChannelId;
  sku: Sku;
  version: number;
  targetQty: number;
  isListed: boolean;
  enqueuedAt: string;
  confirmedAt: string;
  latencyMs: number;
  attempts: number;
}

/** Confirmed pushes, oldest first (for tests, the bench and `/sync SKU`). */
export function pushLog(ctx: LedgerCtx, opts: { channelId?: string; sku?: string; limit?: number } = {}): PushLogEntry[] {
  return ctx.db
    .prepare<[string | null, string | null, string | null, string | null, number], {
      channel_id: string; sku: string; version: number; target_qty: number; is_listed: number; enqueued_at: string;
      confirmed_at: string; latency_ms: number; attempts: number;
    }>(
      `SELECT * FROM (SELECT * FROM push_log WHERE (? IS NULL OR channel_id = ?) AND (? IS NULL OR sku = ?) ORDER BY id DESC LIMIT ?)
       ORDER BY id`,
    )
    .all(opts.channelId ?? null, opts.channelId ?? null, opts.sku ?? null, opts.sku ?? null, opts.limit ?? 10_000)
    .map((r) => ({
      channelId: asChannelId(r.channel_id),
      sku: asSku(r.sku),
      version: r.version,
      targetQty: r.target_qty,
      isListed: r.is_listed === 1,
      enqueuedAt: r.enqueued_at,
      confirmedAt: r.confirmed_at,
      latencyMs: r.latency_ms,
      attempts: r.attempts,
    }));
}

/** The stored order-import cursor of a channel, or null before the first import. */
export function orderCursor(ctx: LedgerCtx, channelId: string): { cursor: string; updatedAt: string } | null {
  const r = ctx.db.prepare<[string], { cursor: string; updated_at: string }>("SELECT cursor, updated_at FROM order_cursors WHERE channel_id = ?").get(channelId);
  return r ? { cursor: r.cursor, updatedAt: r.updated_at } : null;
}

/** Stores a channel's order-import cursor (call in the same transaction that recorded the orders). */
export function setOrderCursor(ctx: LedgerCtx, channelId: string, cursor: string): void {
  write(ctx, () => {
    ctx.db
      .prepare("INSERT INTO order_cursors (channel_id, cursor, updated_at) VALUES (?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at")
      .run(channelId, cursor, nowIso(ctx));
  });
}

/** Claims a webhook delivery id; false when it was already processed (a redelivery). */
export function claimDelivery(ctx: LedgerCtx, channelId: string, deliveryId: string, kind: string): boolean {
  return write(ctx, () => {
    const { changes } = ctx.db
      .prepare("INSERT INTO webhook_deliveries (channel_id, delivery_id, kind, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .run(channelId, deliveryId, kind, nowIso(ctx));
    return changes === 1;
  });
}

/** Forgets webhook delivery ids older than `before` (channels stop redelivering after hours). Returns how many. */
export function pruneDeliveries(ctx: LedgerCtx, before: Date): number {
  return write(ctx, () => ctx.db.prepare("DELETE FROM webhook_deliveries WHERE received_at < ?").run(before.toISOString()).changes);
}

/** Lifecycle of a channel order line as we applied it; only moves forward (cancelled and shipped are final). */
export type LineState = "pending" | "paid" | "shipped" | "cancelled" | "unmapped";

/** What we last applied for one order line. */
export interface OrderLineRecord {
  channelId: ChannelId;
  orderId: string;
  lineId: string;
  sku: Sku | null;
  qty: number;
  status: LineState;
  reservationId: string | null;
  updatedAt: string;
}

/** The state we last applied for one channel order line, if any. */
export function orderLineState(ctx: LedgerCtx, channelId: string, orderId: string, lineId: string): OrderLineRecord | undefined {
  const r = ctx.db
    .prepare<[string, string, string], { channel_id: string; order_id: string; line_id: string; sku: string | null; qty: number; status: LineState; reservation_id: string | null; updated_at: string }>(
      "SELECT * FROM channel_order_lines WHERE channel_id = ? AND order_id = ? AND line_id = ?",
    )
    .get(channelId, orderId, lineId);
  return r
    ? { channelId: asChannelId(r.channel_id), orderId: r.order_id, lineId: r.line_id, sku: r.sku === null ? null : asSku(r.sku), qty: r.qty, status: r.status, reservationId: r.reservation_id, updatedAt: r.updated_at }
    : undefined;
}

/** Stores the state applied for one order line. */
export function setOrderLineState(
  ctx: LedgerCtx,
  l: { channelId: string; orderId: string; lineId: string; sku: string | null; qty: number; status: LineState; reservationId: string | null },
): void {
  write(ctx, () => {
    ctx.db
      .prepare(
        `INSERT INTO channel_order_lines (channel_id, order_id, line_id, sku, qty, status, reservation_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, order_id, line_id) DO UPDATE SET sku = excluded.sku, qty = excluded.qty, status = excluded.status,
           reservation_id = COALESCE(excluded.reservation_id, channel_order_lines.reservation_id), updated_at = excluded.updated_at`,
      )
      .run(l.channelId, l.orderId, l.lineId, l.sku, l.qty, l.status, l.reservationId, nowIso(ctx));
  });
}

/** Records (or refreshes) an order header as the channel reported it. */
export function upsertChannelOrder(
  ctx: LedgerCtx,
  o: { channelId: string; orderId: string; createdAt: Date; updatedAt: Date; totalMinor?: number | undefined; currency?: string | undefined; source: "webhook" | "poll" },
): void {
  write(ctx, () => {
    const at = nowIso(ctx);
    ctx.db
      .prepare(
        `INSERT INTO channel_orders (channel_id, order_id, created_at, updated_at, total_minor, currency, first_seen_at, last_seen_at, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, order_id) DO UPDATE SET updated_at = MAX(channel_orders.updated_at, excluded.updated_at),
           total_minor = COALESCE(excluded.total_minor, channel_orders.total_minor), currency = COALESCE(excluded.currency, channel_orders.currency),
           last_seen_at = excluded.last_seen_at`,
      )
      .run(o.channelId, o.orderId, o.createdAt.toISOString(), o.updatedAt.toISOString(), o.totalMinor ?? null, o.currency ?? null, at, at, o.source);
  });
}

/** A channel order with its lines, as `/orders` shows it. */
export interface ChannelOrderSummary {
  channelId: ChannelId;
  orderId: string;
  createdAt: string;
  totalMinor: number | null;
  currency: string | null;
  source: "webhook" | "poll";
  lines: { lineId: string; sku: Sku | null; qty: number; status: LineState }[];
}

/** The newest orders, optionally of one channel, newest first. */
export function recentOrders(ctx: LedgerCtx, opts: { channelId?: string; limit?: number } = {}): ChannelOrderSummary[] {
  const orders = ctx.db
    .prepare<[string | null, string | null, number], { channel_id: string; order_id: string; created_at: string; total_minor: number | null; currency: string | null; source: "webhook" | "poll" }>(
      "SELECT * FROM channel_orders WHERE (? IS NULL OR channel_id = ?) ORDER BY created_at DESC, order_id DESC LIMIT ?",
    )
    .all(opts.channelId ?? null, opts.channelId ?? null, opts.limit ?? 10);
  const lines = ctx.db.prepare<[string, string], { line_id: string; sku: string | null; qty: number; status: LineState }>(
    "SELECT line_id, sku, qty, status FROM channel_order_lines WHERE channel_id = ? AND order_id = ? ORDER BY line_id",
  );
  return orders.map((o) => ({
    channelId: asChannelId(o.channel_id),
    orderId: o.order_id,
    createdAt: o.created_at,
    totalMinor: o.total_minor,
    currency: o.currency,
    source: o.source,
    lines: lines.all(o.channel_id, o.order_id).map((l) => ({ lineId: l.line_id, sku: l.sku === null ? null : asSku(l.sku), qty: l.qty, status: l.status })),
  }));
}

/** Counts of lines per state for one channel since `since` (for `/orders` headers). */
export function orderLineCounts(ctx: LedgerCtx, channelId: string, since: string): Record<LineState, number> {
  const out: Record<LineState, number> = { pending: 0, paid: 0, shipped: 0, cancelled: 0, unmapped: 0 };
  for (const r of ctx.db
    .prepare<[string, string], { status: LineState; n: number }>("SELECT status, COUNT(*) AS n FROM channel_order_lines WHERE channel_id = ? AND updated_at >= ? GROUP BY status")
    .all(channelId, since)) {
    out[r.status] = r.n;
  }
  return out;
}

/** A shipped line's tracking details, for the logistics radar. */
export interface OrderShipment {
  channelId: ChannelId;
  orderId: string;
  lineId: string;
  sku: Sku | null;
  carrier: string;
  trackingNo: string;
  shippedAt: string | null;
  recordedAt: string;
}

/** Records the tracking number of a shipped line; returns false when it was already recorded unchanged. */
export function recordShipment(
  ctx: LedgerCtx,
  s: { channelId: string; orderId: string; lineId: string; sku: string | null; carrier: string; trackingNo: string; shippedAt?: Date | undefined },
): boolean {
  return write(ctx, () => {
    const { changes } = ctx.db
      .prepare(
        `INSERT INTO order_shipments (channel_id, order_id, line_id, sku, carrier, tracking_no, shipped_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, order_id, line_id) DO UPDATE SET carrier = excluded.carrier, tracking_no = excluded.tracking_no,
           shipped_at = excluded.shipped_at, recorded_at = excluded.recorded_at
         WHERE order_shipments.tracking_no != excluded.tracking_no OR order_shipments.carrier != excluded.carrier`,
      )
      .run(s.channelId, s.orderId, s.lineId, s.sku, s.carrier, s.trackingNo, s.shippedAt?.toISOString() ?? null, nowIso(ctx));
    return changes > 0;
  });
}

/** Shipments recorded since `since` (what the logistics radar picks up), oldest first. */
export function shipmentsSince(ctx: LedgerCtx, since: string, limit = 500): OrderShipment[] {
  return ctx.db
    .prepare<[string, number], { channel_id: string; order_id: string; line_id: string; sku: string | null; carrier: string; tracking_no: string; shipped_at: string | null; recorded_at: string }>(
      "SELECT * FROM order_shipments WHERE recorded_at >= ? ORDER BY recorded_at LIMIT ?",
    )
    .all(since, limit)
    .map((r) => ({
      channelId: asChannelId(r.channel_id), orderId: r.order_id, lineId: r.line_id, sku: r.sku === null ? null : asSku(r.sku),
      carrier: r.carrier, trackingNo: r.tracking_no, shippedAt: r.shipped_at, recordedAt: r.recorded_at,
    }));
}

/** The SKU linked to a channel's own item id, if any (order lines that carry only the channel's ref). */
export function skuForRef(ctx: LedgerCtx, channelId: string, ref: string): Sku | undefined {
  const r = ctx.db.prepare<[string, string], { sku: string }>("SELECT sku FROM listings WHERE channel_id = ? AND ref = ?").get(channelId, ref);
  return r ? asSku(r.sku) : undefined;
}

import { asChannelId, asSku, type ChannelId, type Sku } from "../ids.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import { readLevel } from "../ledger/levels.js";
import { confirmPush, enqueueForSku } from "../ledger/outbox.js";
import type { OutboxRow } from "../ledger/rows.js";
import { isSplitLow } from "../ledger/split-guard.js";

// Sync-engine channel state (migration 002): channel health, push log, channel quantities, order cursors,
// webhook deliveries. Rows are mapped to camelCase here; snake_case stays in SQL.

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
  ctx.stmt("INSERT INTO channel_health (channel_id) VALUES (?) ON CONFLICT DO NOTHING").run(channelId);
}

/** One channel's health; a channel never seen yet reads as healthy and unpaused. */
export function channelHealth(ctx: LedgerCtx, channelId: string): ChannelHealth {
  const r = ctx.stmt<[string], HealthRow>("SELECT * FROM channel_health WHERE channel_id = ?").get(channelId);
  return r
    ? toHealth(r)
    : toHealth({
        channel_id: channelId,
        is_paused: 0,
        paused_by: null,
        paused_at: null,
        last_success_at: null,
        last_failure_at: null,
        failing_since: null,
        consecutive_failures: 0,
        last_error: null,
        throttled_until: null,
      });
}

/** Pauses or resumes automated pushes to a channel. Returns false when it already was in that state. */
export function setPaused(ctx: LedgerCtx, channelId: string, isPaused: boolean, actor: string): boolean {
  return write(ctx, () => {
    ensureHealthRow(ctx, channelId);
    const { changes } = ctx
      .stmt(
        "UPDATE channel_health SET is_paused = ?, paused_by = ?, paused_at = ? WHERE channel_id = ? AND is_paused != ?",
      )
      .run(isPaused ? 1 : 0, isPaused ? actor : null, isPaused ? nowIso(ctx) : null, channelId, isPaused ? 1 : 0);
    return changes > 0;
  });
}

/** Records a successful call; returns how many consecutive failures it ended (0 when it was healthy). */
export function recordChannelSuccess(ctx: LedgerCtx, channelId: string): number {
  return write(ctx, () => {
    ensureHealthRow(ctx, channelId);
    const before = channelHealth(ctx, channelId).consecutiveFailures;
    ctx
      .stmt(
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
    ctx
      .stmt(
        `UPDATE channel_health SET last_failure_at = ?, consecutive_failures = consecutive_failures + 1,
           failing_since = COALESCE(failing_since, ?), last_error = ?, throttled_until = COALESCE(?, throttled_until)
         WHERE channel_id = ?`,
      )
      .run(at, at, ctx.redact(error).slice(0, 500), throttledUntil?.toISOString() ?? null, channelId);
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
      ctx
        .stmt(
          `INSERT INTO push_log (channel_id, sku, version, target_qty, is_listed, enqueued_at, first_enqueued_at, confirmed_at, latency_ms, attempts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          row.channelId,
          row.sku,
          row.version,
          qty,
          isListed ? 1 : 0,
          row.enqueuedAt,
          row.firstEnqueuedAt,
          now.toISOString(),
          Math.max(0, now.getTime() - Date.parse(row.enqueuedAt)),
          row.attempts + 1,
        );
    }
    return left;
  });
}

/**
 * Records what a channel actually shows (read back, or reported by a failed compare-and-set) without
 * touching the outbox, so the next push compares against reality.
 */
export function noteChannelQuantity(
  ctx: LedgerCtx,
  channelId: string,
  sku: string,
  qty: number,
  isListed: boolean,
): void {
  write(ctx, () => {
    ctx
      .stmt(
        "UPDATE listings SET confirmed_qty = ?, confirmed_listed = ?, confirmed_at = ? WHERE channel_id = ? AND sku = ?",
      )
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
    ctx
      .stmt(
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
  return ctx
    .stmt<
      [string],
      {
        channel_id: string;
        pending: number;
        deferred: number;
        oldest: string;
        next_at: string | null;
        last_error: string | null;
      }
    >(
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
  const r = ctx
    .stmt<[string], { at: string | null }>(
      "SELECT MIN(next_attempt_at) AS at FROM outbox WHERE channel_id = ? AND next_attempt_at IS NOT NULL AND is_held = 0",
    )
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
export function pushLatency(
  ctx: LedgerCtx,
  opts: { channelId?: string; since?: string; limit?: number } = {},
): LatencyStats {
  const ms = ctx
    .stmt<[string | null, string | null, string | null, string | null, number], { latency_ms: number }>(
      `SELECT latency_ms FROM push_log WHERE (? IS NULL OR channel_id = ?) AND (? IS NULL OR confirmed_at >= ?)
       ORDER BY id DESC LIMIT ?`,
    )
    .all(opts.channelId ?? null, opts.channelId ?? null, opts.since ?? null, opts.since ?? null, opts.limit ?? 1000)
    .map((r) => r.latency_ms)
    .sort((a, b) => a - b);
  const pick = (p: number): number | null =>
    ms.length ? (ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] ?? null) : null;
  return { count: ms.length, p50: pick(50), p95: pick(95), max: ms[ms.length - 1] ?? null };
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
export function pushLog(
  ctx: LedgerCtx,
  opts: { channelId?: string; sku?: string; limit?: number } = {},
): PushLogEntry[] {
  return ctx
    .stmt<
      [string | null, string | null, string | null, string | null, number],
      {
        channel_id: string;
        sku: string;
        version: number;
        target_qty: number;
        is_listed: number;
        enqueued_at: string;
        confirmed_at: string;
        latency_ms: number;
        attempts: number;
      }
    >(
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
  const r = ctx
    .stmt<[string], { cursor: string; updated_at: string }>(
      "SELECT cursor, updated_at FROM order_cursors WHERE channel_id = ?",
    )
    .get(channelId);
  return r ? { cursor: r.cursor, updatedAt: r.updated_at } : null;
}

/** Stores a channel's order-import cursor (call in the same transaction that recorded the orders). */
export function setOrderCursor(ctx: LedgerCtx, channelId: string, cursor: string): void {
  write(ctx, () => {
    ctx
      .stmt(
        "INSERT INTO order_cursors (channel_id, cursor, updated_at) VALUES (?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
      )
      .run(channelId, cursor, nowIso(ctx));
  });
}

/** Claims a webhook delivery id; false when it was already processed (a redelivery). */
export function claimDelivery(ctx: LedgerCtx, channelId: string, deliveryId: string, kind: string): boolean {
  return write(ctx, () => {
    const { changes } = ctx
      .stmt(
        "INSERT INTO webhook_deliveries (channel_id, delivery_id, kind, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      )
      .run(channelId, deliveryId, kind, nowIso(ctx));
    return changes === 1;
  });
}

/** Forgets webhook delivery ids older than `before` (channels stop redelivering after hours). Returns how many. */
export function pruneDeliveries(ctx: LedgerCtx, before: Date): number {
  return write(
    ctx,
    () => ctx.stmt("DELETE FROM webhook_deliveries WHERE received_at < ?").run(before.toISOString()).changes,
  );
}

/**
 * Retention: deletes push-log rows confirmed before `before`, but keeps each channel's newest `keepPerChannel`
 * (the latency sample `/sync status` and the risk buffers read). Returns how many rows left.
 */
export function prunePushLog(ctx: LedgerCtx, before: Date, keepPerChannel: number): number {
  return write(
    ctx,
    () =>
      ctx
        .stmt(
          `DELETE FROM push_log WHERE confirmed_at < ? AND id NOT IN (
             SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY channel_id ORDER BY id DESC) AS n FROM push_log)
             WHERE n <= ?)`,
        )
        .run(before.toISOString(), keepPerChannel).changes,
  );
}

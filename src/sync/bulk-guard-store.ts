import { must } from "../internal-error.js";
import { type LedgerCtx, nowIso } from "../ledger/context.js";

/** One pending push the bulk guard looks at: what the channel shows now (`from`, null when never confirmed) and the target. */
export interface PendingChange {
  channelId: string;
  sku: string;
  from: number | null;
  to: number;
}

/** A bulk hold: pushes held behind one approval. */
export interface BulkHold {
  id: string;
  status: "held" | "released" | "discarded";
  cause: string;
  skus: number;
  zeroed: number;
  unitsMoved: number;
  unitsPublished: number;
  /** The actor whose change tripped the guard (may not release it), or null when no movement caused it. */
  causedBy: string | null;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

interface HoldRow {
  id: string;
  status: BulkHold["status"];
  cause: string;
  skus: number;
  zeroed: number;
  units_moved: number;
  units_published: number;
  caused_by: string | null;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

const toHold = (r: HoldRow): BulkHold => ({
  id: r.id,
  status: r.status,
  cause: r.cause,
  skus: r.skus,
  zeroed: r.zeroed,
  unitsMoved: r.units_moved,
  unitsPublished: r.units_published,
  causedBy: r.caused_by,
  createdAt: r.created_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/** How many pending pushes no hold has checked yet (the guard's cheap first look). */
export function uncheckedCount(ctx: LedgerCtx): number {
  return (
    ctx.stmt<[], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE hold_id IS NULL AND is_held = 0").get()?.n ?? 0
  );
}

/**
 * Pending pushes no hold has checked yet, with what the channel shows now: the confirmed quantity, or 0 when
 * the channel confirmed the listing as unlisted; a listing state change counts as a move to 0.
 */
export function uncheckedChanges(ctx: LedgerCtx): PendingChange[] {
  return ctx
    .stmt<
      [],
      {
        channel_id: string;
        sku: string;
        target_qty: number;
        is_listed: number;
        confirmed_qty: number | null;
        confirmed_listed: number | null;
      }
    >(
      `SELECT o.channel_id, o.sku, o.target_qty, o.is_listed, l.confirmed_qty, l.confirmed_listed
       FROM outbox o JOIN listings l ON l.id = o.listing_id WHERE o.hold_id IS NULL AND o.is_held = 0`,
    )
    .all()
    .map((r) => ({
      channelId: r.channel_id,
      sku: r.sku,
      from: r.confirmed_qty === null ? null : r.confirmed_listed === 0 ? 0 : r.confirmed_qty,
      to: r.is_listed === 1 ? r.target_qty : 0,
    }));
}

/** Units the channels show now: the sum of every listed listing's confirmed quantity. */
export function publishedUnits(ctx: LedgerCtx): number {
  return (
    ctx
      .stmt<[], { n: number | null }>(
        "SELECT SUM(confirmed_qty) AS n FROM listings WHERE is_delisted = 0 AND COALESCE(confirmed_listed, 1) = 1",
      )
      .get()?.n ?? 0
  );
}

/** The most common reason and actor of the newest movement of these SKUs ("import by console:local"), if any moved. */
export function latestCause(ctx: LedgerCtx, skus: readonly string[]): { reason: string; actor: string } | undefined {
  const counts = new Map<string, { reason: string; actor: string; n: number }>();
  const newest = ctx.stmt<[string], { reason: string; actor: string }>(
    "SELECT reason, actor FROM movements WHERE sku = ? ORDER BY id DESC LIMIT 1",
  );
  for (const sku of skus) {
    const m = newest.get(sku);
    if (!m) continue;
    const k = `${m.reason}\u0000${m.actor}`;
    const c = counts.get(k) ?? { ...m, n: 0 };
    c.n += 1;
    counts.set(k, c);
  }
  let best: { reason: string; actor: string; n: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best ? { reason: best.reason, actor: best.actor } : undefined;
}

/** Inside the caller's transaction: records a hold over `changes` and marks their outbox rows held. */
export function createHold(
  ctx: LedgerCtx,
  h: { cause: string; causedBy: string | null; zeroed: number; unitsMoved: number; unitsPublished: number },
  changes: readonly PendingChange[],
): BulkHold {
  const at = nowIso(ctx);
  const id = ctx.newId("B");
  const skus = new Set(changes.map((c) => c.sku)).size;
  ctx
    .stmt(
      `INSERT INTO bulk_holds (id, status, cause, caused_by, skus, zeroed, units_moved, units_published, created_at)
       VALUES (?, 'held', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, h.cause, h.causedBy, skus, h.zeroed, h.unitsMoved, h.unitsPublished, at);
  const item = ctx.stmt(
    "INSERT INTO bulk_hold_items (hold_id, channel_id, sku, from_qty, to_qty) VALUES (?, ?, ?, ?, ?)",
  );
  // A held row waits for the decision, not for a retry time (the engine's wake timer ignores it either way).
  const mark = ctx.stmt(
    "UPDATE outbox SET hold_id = ?, is_held = 1, next_attempt_at = NULL WHERE channel_id = ? AND sku = ?",
  );
  for (const c of changes) {
    item.run(id, c.channelId, c.sku, c.from, c.to);
    mark.run(id, c.channelId, c.sku);
  }
  return must(getHoldRow(ctx, id), "the hold was just inserted");
}

function getHoldRow(ctx: LedgerCtx, id: string): BulkHold | undefined {
  const r = ctx.stmt<[string], HoldRow>("SELECT * FROM bulk_holds WHERE id = ?").get(id);
  return r ? toHold(r) : undefined;
}

/** One hold by id (case-insensitive), or undefined. */
export function findHold(ctx: LedgerCtx, id: string): BulkHold | undefined {
  return getHoldRow(ctx, id.toUpperCase());
}

/** Holds waiting for a decision, oldest first. */
export function openHolds(ctx: LedgerCtx): BulkHold[] {
  return ctx
    .stmt<[], HoldRow>("SELECT * FROM bulk_holds WHERE status = 'held' ORDER BY created_at, id")
    .all()
    .map(toHold);
}

/** The largest moves of a hold (by |to − from|, unknown `from` last), at most `limit`. */
export function largestMoves(ctx: LedgerCtx, id: string, limit: number): PendingChange[] {
  return ctx
    .stmt<[string, number], { channel_id: string; sku: string; from_qty: number | null; to_qty: number }>(
      `SELECT channel_id, sku, from_qty, to_qty FROM bulk_hold_items WHERE hold_id = ?
       ORDER BY from_qty IS NULL, ABS(to_qty - COALESCE(from_qty, 0)) DESC, sku, channel_id LIMIT ?`,
    )
    .all(id, limit)
    .map((r) => ({ channelId: r.channel_id, sku: r.sku, from: r.from_qty, to: r.to_qty }));
}

/**
 * Decides a held hold: `released` frees its rows to be pushed (they keep the hold id, so they are not held again),
 * `discarded` drops its pushes (the channels keep what they show). Returns the pushes freed or dropped, or
 * undefined when the hold was not waiting (already decided: a second press changes nothing).
 */
export function decideHold(
  ctx: LedgerCtx,
  id: string,
  decision: "released" | "discarded",
  actor: string,
): { rows: number; channels: string[] } | undefined {
  const { changes } = ctx
    .stmt("UPDATE bulk_holds SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'held'")
    .run(decision, actor, nowIso(ctx), id);
  if (!changes) return undefined;
  const channels = ctx
    .stmt<[string], { channel_id: string }>(
      "SELECT DISTINCT channel_id FROM outbox WHERE hold_id = ? AND is_held = 1 ORDER BY channel_id",
    )
    .all(id)
    .map((r) => r.channel_id);
  const rows =
    decision === "released"
      ? ctx.stmt("UPDATE outbox SET is_held = 0 WHERE hold_id = ? AND is_held = 1").run(id).changes
      : ctx.stmt("DELETE FROM outbox WHERE hold_id = ? AND is_held = 1").run(id).changes;
  if (rows) ctx.pending.outbox = true;
  return { rows, channels };
}

/** How many pushes a hold still holds. */
export function heldRows(ctx: LedgerCtx, id: string): number {
  return (
    ctx.stmt<[string], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE hold_id = ? AND is_held = 1").get(id)
      ?.n ?? 0
  );
}

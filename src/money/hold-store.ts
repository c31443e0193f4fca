import { must } from "../internal-error.js";
import { recordAudit } from "../ledger/audit.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import type { MoneyActor } from "./breaker-store.js";

/** Held order line lifecycle: held → approved (let through) / cancelled (stock released). */
export type HoldState = "held" | "approved" | "cancelled";

/** An order line the promotion guard held: quantity far above what its SKU normally sells per order. */
export interface HeldLine {
  id: number;
  channelId: string;
  orderId: string;
  lineId: string;
  sku: string;
  qty: number;
  /** The SKU's usual (percentile) quantity per order line when it was held. */
  usualQty: number;
  /** How many order lines of the SKU that figure came from. */
  historyLines: number;
  reservationId: string | null;
  state: HoldState;
  heldAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

interface HeldRow {
  id: number;
  channel_id: string;
  order_id: string;
  line_id: string;
  sku: string;
  qty: number;
  usual_p99: number;
  history_lines: number;
  reservation_id: string | null;
  state: HoldState;
  held_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

const toHeld = (r: HeldRow): HeldLine => ({
  id: r.id,
  channelId: r.channel_id,
  orderId: r.order_id,
  lineId: r.line_id,
  sku: r.sku,
  qty: r.qty,
  usualQty: r.usual_p99,
  historyLines: r.history_lines,
  reservationId: r.reservation_id,
  state: r.state,
  heldAt: r.held_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/**
 * Quantities of the order lines of `sku` in orders created at or after `since` (paid or shipped; held and cancelled
 * lines are not "normal" sales), leaving out the order `except` (the one being judged).
 */
export function lineQuantitiesSince(
  ctx: LedgerCtx,
  sku: string,
  since: string,
  except: { channelId: string; orderId: string },
): number[] {
  return ctx
    .stmt<[string, string, string, string], { qty: number }>(
      `SELECT l.qty FROM channel_order_lines l
       JOIN channel_orders o ON o.channel_id = l.channel_id AND o.order_id = l.order_id
       WHERE l.sku = ? AND l.status IN ('paid', 'shipped') AND l.qty > 0 AND o.created_at >= ?
         AND NOT (l.channel_id = ? AND l.order_id = ?)
         AND NOT EXISTS (SELECT 1 FROM held_order_lines h WHERE h.channel_id = l.channel_id AND h.order_id = l.order_id
           AND h.line_id = l.line_id AND h.state != 'approved')`,
    )
    .all(sku, since, except.channelId, except.orderId)
    .map((r) => r.qty);
}

/** Records a held line once per (channel, order, line), audited; a second call returns the first hold. */
export function holdLine(
  ctx: LedgerCtx,
  h: Pick<HeldLine, "channelId" | "orderId" | "lineId" | "sku" | "qty" | "usualQty" | "historyLines" | "reservationId">,
): { held: HeldLine; isNew: boolean } {
  return write(ctx, () => {
    const prior = heldLineFor(ctx, h.channelId, h.orderId, h.lineId);
    if (prior) return { held: prior, isNew: false };
    const info = ctx
      .stmt(
        `INSERT INTO held_order_lines (channel_id, order_id, line_id, sku, qty, usual_p99, history_lines, reservation_id, state, held_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'held', ?)`,
      )
      .run(h.channelId, h.orderId, h.lineId, h.sku, h.qty, h.usualQty, h.historyLines, h.reservationId, nowIso(ctx));
    const held = must(findHeldLine(ctx, Number(info.lastInsertRowid)), "the hold just inserted reads back");
    recordAudit(ctx, {
      actor: "promotion-guard",
      transport: "sync",
      action: "order.line.hold",
      args: `${h.channelId}:${h.orderId} ${h.sku} ${h.qty}`,
      outcome: "ok",
      requestId: `hold:${held.id}`,
      detail: { holdId: held.id, ...h },
    });
    return { held, isNew: true };
  });
}

/** One held line by id. */
export function findHeldLine(ctx: LedgerCtx, id: number): HeldLine | undefined {
  const r = ctx.stmt<[number], HeldRow>("SELECT * FROM held_order_lines WHERE id = ?").get(id);
  return r ? toHeld(r) : undefined;
}

/** The hold of one order line, if it was ever held. */
export function heldLineFor(ctx: LedgerCtx, channelId: string, orderId: string, lineId: string): HeldLine | undefined {
  const r = ctx
    .stmt<[string, string, string], HeldRow>(
      "SELECT * FROM held_order_lines WHERE channel_id = ? AND order_id = ? AND line_id = ?",
    )
    .get(channelId, orderId, lineId);
  return r ? toHeld(r) : undefined;
}

/** Lines still held, oldest first (for /held and the daily summary). */
export function heldLines(ctx: LedgerCtx, limit = 50): HeldLine[] {
  return ctx
    .stmt<[number], HeldRow>("SELECT * FROM held_order_lines WHERE state = 'held' ORDER BY id LIMIT ?")
    .all(limit)
    .map(toHeld);
}

/** Lines of order `orderId` (any channel, or `channelId`) still held. */
export function heldLinesOfOrder(ctx: LedgerCtx, orderId: string, channelId?: string): HeldLine[] {
  return ctx
    .stmt<[string, string | null, string | null], HeldRow>(
      "SELECT * FROM held_order_lines WHERE state = 'held' AND order_id = ? AND (? IS NULL OR channel_id = ?) ORDER BY id",
    )
    .all(orderId, channelId ?? null, channelId ?? null)
    .map(toHeld);
}

/** Marks a held line approved or cancelled, audited; false when it was no longer held. */
export function decideHeldLine(ctx: LedgerCtx, id: number, state: "approved" | "cancelled", by: MoneyActor): boolean {
  return write(ctx, () => {
    const { changes } = ctx
      .stmt("UPDATE held_order_lines SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = 'held'")
      .run(state, by.actor, nowIso(ctx), id);
    if (changes === 0) return false;
    const h = must(findHeldLine(ctx, id), "the hold just decided reads back");
    recordAudit(ctx, {
      actor: by.actor,
      transport: by.transport,
      action: state === "approved" ? "order.line.hold.approve" : "order.line.hold.cancel",
      args: `${id} ${h.channelId}:${h.orderId} ${h.sku} ${h.qty}`,
      outcome: "ok",
      requestId: by.requestId,
      detail: {
        holdId: id,
        channelId: h.channelId,
        orderId: h.orderId,
        sku: h.sku,
        qty: h.qty,
        reservationId: h.reservationId,
      },
    });
    return true;
  });
}

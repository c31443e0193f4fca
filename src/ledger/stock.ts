import { InvalidInputError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import type { Sku } from "../ids.js";
import { must } from "../internal-error.js";
import { type LedgerCtx, nowIso, write } from "./context.js";
import { applyChange, type ChangeResult, readLevel, toLevel } from "./movements.js";
import { coverShortfalls } from "./reservations.js";
import type { StockLevel } from "./rows.js";

/** Who made a change and why; the idempotency key makes a retried call a no-op. */
export interface ChangeMeta {
  actor: string;
  reason?: string;
  reference?: string | null;
  idempotencyKey: string;
  note?: string | null;
  /** The location whose on hand changes; undefined is the primary (removals follow the shipment rule). */
  location?: string | null | undefined;
}

/** Creates a SKU (with a starting quantity, recorded as a movement) or updates its title / threshold. */
export function upsertSku(
  ctx: LedgerCtx,
  s: { sku: Sku; title?: string; onHand?: number; lowThreshold?: number | null },
  meta: ChangeMeta,
): StockLevel {
  return write(ctx, () => {
    const at = nowIso(ctx);
    const existing = readLevel(ctx, s.sku);
    if (!existing) {
      ctx
        .stmt(
          "INSERT INTO skus (sku, title, on_hand, reserved, low_threshold, created_at, updated_at) VALUES (?, ?, 0, 0, ?, ?, ?)",
        )
        .run(s.sku, s.title ?? "", s.lowThreshold ?? null, at, at);
    } else {
      ctx
        .stmt(
          "UPDATE skus SET title = COALESCE(?, title), low_threshold = CASE WHEN ? THEN ? ELSE low_threshold END WHERE sku = ?",
        )
        .run(s.title ?? null, s.lowThreshold !== undefined ? 1 : 0, s.lowThreshold ?? null, s.sku);
    }
    if (s.onHand !== undefined && (!existing || existing.onHand !== s.onHand)) {
      withCover(ctx, applyChange(ctx, { sku: s.sku, setOnHand: s.onHand, reason: meta.reason ?? "import", ...meta }));
    }
    return must(readLevel(ctx, s.sku), "the SKU was just upserted");
  });
}

/** Sets on-hand to an absolute count (a stock take). */
export function setOnHand(ctx: LedgerCtx, sku: Sku, qty: number, meta: ChangeMeta): ChangeResult {
  if (!Number.isSafeInteger(qty) || qty < 0)
    throw localized(InvalidInputError, "bad_quantity", textRef("err-bad-set-qty", { qty: String(qty) }));
  return write(ctx, () =>
    withCover(ctx, applyChange(ctx, { sku, setOnHand: qty, reason: meta.reason ?? "set", ...meta })),
  );
}

/** Adds or removes on-hand units (receiving, damage, …). Removing more than is available is refused. */
export function adjustOnHand(ctx: LedgerCtx, sku: Sku, delta: number, meta: ChangeMeta): ChangeResult {
  if (!Number.isSafeInteger(delta) || delta === 0)
    throw localized(InvalidInputError, "bad_quantity", textRef("err-bad-adjust-qty", { qty: String(delta) }));
  return write(ctx, () =>
    withCover(ctx, applyChange(ctx, { sku, onHandDelta: delta, reason: meta.reason ?? "adjust", ...meta })),
  );
}

/**
 * Moves `qty` on-hand units of a SKU from one location to another in one transaction: a movement pair
 * (out of `from`, into `to`, keys `key` and `key:in`); SKU totals and reservations stay as they are.
 */
export function moveStock(
  ctx: LedgerCtx,
  sku: Sku,
  qty: number,
  from: string,
  to: string,
  meta: ChangeMeta,
): ChangeResult {
  if (!Number.isSafeInteger(qty) || qty <= 0)
    throw localized(InvalidInputError, "bad_quantity", textRef("err-bad-move-qty", { qty: String(qty) }));
  return write(ctx, () =>
    applyChange(ctx, { sku, transfer: { from, to, qty }, reason: meta.reason ?? "move", ...meta, location: undefined }),
  );
}

/** After a change that added stock, gives it to oversold lines first; returns the change with the final levels. */
function withCover(ctx: LedgerCtx, r: ChangeResult): ChangeResult {
  if (r.isDuplicate || r.movement.onHandAfter <= r.movement.onHandBefore) return r;
  return coverShortfalls(ctx, r.movement.sku)
    ? { ...r, level: must(readLevel(ctx, r.movement.sku), "the SKU just moved") }
    : r;
}

/** One SKU's levels, or undefined when it is not in the ledger. */
export function findLevel(ctx: LedgerCtx, sku: string): StockLevel | undefined {
  return readLevel(ctx, sku);
}

/** One SKU's levels; NotFoundError with a hint otherwise. */
export function getLevel(ctx: LedgerCtx, sku: string): StockLevel {
  const l = readLevel(ctx, sku);
  if (!l) throw localized(NotFoundError, "unknown_sku", textRef("err-unknown-sku", { sku }), { sku });
  return l;
}

/** SKUs at or below their low-stock threshold, emptiest first. */
export function lowStock(ctx: LedgerCtx, limit = 50): StockLevel[] {
  return ctx
    .stmt<[number, number], Parameters<typeof toLevel>[0]>(
      `SELECT * FROM skus WHERE on_hand - reserved <= COALESCE(low_threshold, ?) ORDER BY on_hand - reserved, sku LIMIT ?`,
    )
    .all(ctx.settings.lowStockThreshold, limit)
    .map(toLevel);
}

/** SKUs whose id starts with `prefix` (for suggestions and listing), alphabetical. */
export function findSkus(ctx: LedgerCtx, prefix: string, limit = 20): StockLevel[] {
  return ctx
    .stmt<[string, number], Parameters<typeof toLevel>[0]>(
      "SELECT * FROM skus WHERE sku LIKE ? ESCAPE '\\' ORDER BY sku LIMIT ?",
    )
    .all(`${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`, limit)
    .map(toLevel);
}

/** Counts for the overview: SKUs, units on hand, units reserved. */
export function stockTotals(ctx: LedgerCtx): { skus: number; onHand: number; reserved: number } {
  const r = ctx
    .stmt<[], { skus: number; on_hand: number | null; reserved: number | null }>(
      "SELECT COUNT(*) AS skus, SUM(on_hand) AS on_hand, SUM(reserved) AS reserved FROM skus",
    )
    .get() ?? { skus: 0, on_hand: null, reserved: null };
  return { skus: r.skus, onHand: r.on_hand ?? 0, reserved: r.reserved ?? 0 };
}

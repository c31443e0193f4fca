import { ConflictError, NotFoundError } from "../errors.js";
import { asSku, type Sku } from "../ids.js";
import { checkLowStock } from "./alerts.js";
import { type LedgerCtx, nowIso } from "./context.js";
import { readLevel } from "./levels.js";
import { enqueueForSku } from "./outbox.js";
import type { Movement, StockLevel } from "./rows.js";

/** One requested change of levels. Exactly one of onHandDelta / setOnHand may be given. */
export interface LevelChange {
  sku: Sku;
  onHandDelta?: number;
  setOnHand?: number;
  /** Only reservations.ts passes this: it is the one writer of `reserved`. */
  reservedDelta?: number;
  reason: string;
  actor: string;
  reference?: string | null;
  idempotencyKey: string;
  note?: string | null;
  /** The caller already checked the idempotency key inside this transaction. */
  isKeyChecked?: boolean;
}

export { readLevel, toLevel } from "./levels.js";

/** The result of a change; `isDuplicate` means the idempotency key was seen before and nothing changed. */
export interface ChangeResult {
  movement: Movement;
  level: StockLevel;
  isDuplicate: boolean;
}

interface MovementRow {
  id: number;
  at: string;
  sku: string;
  reason: string;
  actor: string;
  reference: string | null;
  on_hand_before: number;
  on_hand_after: number;
  reserved_before: number;
  reserved_after: number;
  idempotency_key: string;
  note: string | null;
}

/** Maps a movements row to a Movement. */
export const toMovement = (r: MovementRow): Movement => ({
  id: r.id,
  at: r.at,
  sku: asSku(r.sku),
  reason: r.reason,
  actor: r.actor,
  reference: r.reference,
  onHandBefore: r.on_hand_before,
  onHandAfter: r.on_hand_after,
  reservedBefore: r.reserved_before,
  reservedAfter: r.reserved_after,
  idempotencyKey: r.idempotency_key,
  note: r.note,
});

/** Reads a movement by idempotency key, or undefined. */
export function movementByKey(ctx: LedgerCtx, key: string): Movement | undefined {
  const r = ctx.stmt<[string], MovementRow>("SELECT * FROM movements WHERE idempotency_key = ?").get(key);
  return r ? toMovement(r) : undefined;
}

/** The newest `limit` movements of a SKU, newest first. */
export function movementsFor(ctx: LedgerCtx, sku: string, limit: number): Movement[] {
  return ctx
    .stmt<[string, number], MovementRow>("SELECT * FROM movements WHERE sku = ? ORDER BY id DESC LIMIT ?")
    .all(sku, limit)
    .map(toMovement);
}

/**
 * Applies one change inside the caller's transaction: checks the invariants with a clear message,
 * updates the levels, appends the movement, enqueues the outbox rows and raises / resolves the
 * low-stock alert. A repeated idempotency key returns the first result and changes nothing.
 */
export function applyChange(ctx: LedgerCtx, c: LevelChange): ChangeResult {
  const seen = c.isKeyChecked ? undefined : movementByKey(ctx, c.idempotencyKey);
  if (seen) {
    const level = readLevel(ctx, seen.sku);
    return { movement: seen, level: level!, isDuplicate: true };
  }
  const before = readLevel(ctx, c.sku);
  if (!before)
    throw new NotFoundError(
      "unknown_sku",
      `SKU ${c.sku} is not in the ledger. Check the spelling or import it first.`,
      { sku: c.sku },
    );
  const onHand = c.setOnHand ?? before.onHand + (c.onHandDelta ?? 0);
  const reserved = before.reserved + (c.reservedDelta ?? 0);
  if (onHand < 0 || onHand < reserved) {
    // A reservation asks for reserved units; an adjustment for on-hand units.
    const wanted = c.reservedDelta && c.reservedDelta > 0 ? c.reservedDelta : before.onHand - onHand;
    throw new ConflictError(
      "insufficient_stock",
      c.setOnHand !== undefined
        ? `SKU ${c.sku}: ${before.reserved} units are reserved, so on hand cannot go below ${before.reserved}. Release or ship reservations first.`
        : `SKU ${c.sku}: ${before.available} available, ${wanted} requested. Lower the quantity or restock.`,
      { sku: c.sku, available: before.available, requested: wanted },
    );
  }
  if (reserved < 0)
    throw new ConflictError("reservation_mismatch", `SKU ${c.sku}: cannot release more than is reserved.`, {
      sku: c.sku,
    });
  const at = nowIso(ctx);
  ctx
    .stmt("UPDATE skus SET on_hand = ?, reserved = ?, updated_at = ? WHERE sku = ? AND on_hand = ? AND reserved = ?")
    .run(onHand, reserved, at, c.sku, before.onHand, before.reserved);
  const info = ctx
    .stmt(
      `INSERT INTO movements (at, sku, reason, actor, reference, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      at,
      c.sku,
      c.reason,
      c.actor,
      c.reference ?? null,
      before.onHand,
      onHand,
      before.reserved,
      reserved,
      c.idempotencyKey,
      c.note ?? null,
    );
  const level: StockLevel = { ...before, onHand, reserved, available: onHand - reserved, updatedAt: at };
  ctx.pending.skus.add(c.sku);
  enqueueForSku(ctx, c.sku, {}, level);
  checkLowStock(ctx, before, level);
  const movement: Movement = {
    id: Number(info.lastInsertRowid),
    at,
    sku: c.sku,
    reason: c.reason,
    actor: c.actor,
    reference: c.reference ?? null,
    onHandBefore: before.onHand,
    onHandAfter: onHand,
    reservedBefore: before.reserved,
    reservedAfter: reserved,
    idempotencyKey: c.idempotencyKey,
    note: c.note ?? null,
  };
  return { movement, level, isDuplicate: false };
}

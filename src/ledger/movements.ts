import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asSku, type Sku } from "../ids.js";
import { must } from "../internal-error.js";
import { checkBundleLowStock, checkLowStock } from "./alerts.js";
import { type BundleAvailability, bundleAvailability, componentsOf } from "./bundle-levels.js";
import { formatComponents } from "./bundle-spec.js";
import { type LedgerCtx, nowIso } from "./context.js";
import { readLevel, readSkuState, type SkuState } from "./levels.js";
import { resolveLocation, shipmentDraws } from "./locations.js";
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
  /** What the caller already read of `sku` with this idempotency key inside this transaction (readSkuState). */
  known?: SkuState | undefined;
  /** A bundle the caller re-publishes once after all its components moved (republishBundle), skipped here. */
  deferBundle?: string;
  /**
   * Where on-hand units change (undefined: the primary; a removal without a location follows the shipment
   * rule, primary first, then the largest). `setOnHand` sets this location's count.
   */
  location?: string | null | undefined;
  /** A transfer between two locations: SKU totals stay, two movements (out, then `:in`) record it. */
  transfer?: { from: string; to: string; qty: number } | undefined;
}

export { readLevel, readSkuState, type SkuState, toLevel } from "./levels.js";

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
  location: string | null;
  location_before: number | null;
  location_after: number | null;
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
  location: r.location,
  locationBefore: r.location_before,
  locationAfter: r.location_after,
});

function movementById(ctx: LedgerCtx, id: number): Movement | undefined {
  const r = ctx.stmt<[number], MovementRow>("SELECT * FROM movements WHERE id = ?").get(id);
  return r ? toMovement(r) : undefined;
}

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
  const state = c.known ?? readSkuState(ctx, c.sku, c.idempotencyKey);
  // An unknown SKU may still have a key seen before (a retried change of another SKU under the same key).
  const seen = state
    ? state.seenMovementId === null
      ? undefined
      : movementById(ctx, state.seenMovementId)
    : movementByKey(ctx, c.idempotencyKey);
  if (seen) {
    const level = readLevel(ctx, seen.sku);
    return { movement: seen, level: must(level, "a recorded movement has its SKU"), isDuplicate: true };
  }
  if (!state) throw localized(NotFoundError, "unknown_sku", textRef("err-unknown-sku", { sku: c.sku }), { sku: c.sku });
  if (state.isBundle)
    throw localized(
      ConflictError,
      "bundle_stock",
      textRef("err-bundle-stock-change", { sku: c.sku, components: formatComponents(componentsOf(ctx, c.sku)) }),
      { sku: c.sku },
    );
  const before = state.level;
  const draws = locationDraws(ctx, c, before.onHand);
  const onHand = before.onHand + draws.reduce((n, d) => n + d.delta, 0);
  const reserved = before.reserved + (c.reservedDelta ?? 0);
  if (onHand < 0 || onHand < reserved) {
    // A reservation asks for reserved units; an adjustment for on-hand units.
    const wanted = c.reservedDelta && c.reservedDelta > 0 ? c.reservedDelta : before.onHand - onHand;
    throw localized(
      ConflictError,
      "insufficient_stock",
      c.setOnHand !== undefined
        ? textRef("err-reserved-floor", { sku: c.sku, reserved: before.reserved })
        : textRef("err-insufficient", { sku: c.sku, available: before.available, requested: wanted }),
      { sku: c.sku, available: before.available, requested: wanted },
    );
  }
  if (reserved < 0)
    throw localized(ConflictError, "reservation_mismatch", textRef("err-release-too-much", { sku: c.sku }), {
      sku: c.sku,
    });
  const at = nowIso(ctx);
  ctx
    .stmt("UPDATE skus SET on_hand = ?, reserved = ?, updated_at = ? WHERE sku = ? AND on_hand = ? AND reserved = ?")
    .run(onHand, reserved, at, c.sku, before.onHand, before.reserved);
  const steps = draws.length ? draws : [undefined];
  let runningOnHand = before.onHand;
  let first: Movement | undefined;
  steps.forEach((d, i) => {
    const onHandBefore = runningOnHand;
    const onHandAfter = runningOnHand + (d?.delta ?? 0);
    runningOnHand = onHandAfter;
    if (d)
      ctx
        .stmt(
          `INSERT INTO stock_levels (sku, location, on_hand, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (sku, location) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at`,
        )
        .run(c.sku, d.location, d.before + d.delta, at);
    const m: Omit<Movement, "id"> = {
      at,
      sku: c.sku,
      reason: c.reason,
      actor: c.actor,
      reference: c.reference ?? null,
      onHandBefore,
      onHandAfter,
      reservedBefore: i === 0 ? before.reserved : reserved,
      reservedAfter: reserved,
      idempotencyKey: i === 0 ? c.idempotencyKey : `${c.idempotencyKey}${d?.keySuffix ?? `@${i}`}`,
      note: c.note ?? null,
      location: d?.location ?? null,
      locationBefore: d ? d.before : null,
      locationAfter: d ? d.before + d.delta : null,
    };
    const info = ctx
      .stmt(
        `INSERT INTO movements (at, sku, reason, actor, reference, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key, note, location, location_before, location_after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.at,
        m.sku,
        m.reason,
        m.actor,
        m.reference,
        m.onHandBefore,
        m.onHandAfter,
        m.reservedBefore,
        m.reservedAfter,
        m.idempotencyKey,
        m.note,
        m.location,
        m.locationBefore,
        m.locationAfter,
      );
    if (i === 0) first = { id: Number(info.lastInsertRowid), ...m };
  });
  const level: StockLevel = { ...before, onHand, reserved, available: onHand - reserved, updatedAt: at };
  ctx.pending.skus.add(c.sku);
  // A SKU whose stock moves is never a bundle (refused above), so its publications skip the bundle read.
  enqueueForSku(ctx, c.sku, { bundle: null }, level);
  // Every bundle made of this SKU shows a new number too: re-published in the same transaction, and its own
  // low-stock line checked when this component's available moved (one read of its sets serves both).
  for (const bundle of state.bundles) {
    if (bundle === c.deferBundle) continue;
    const sets = bundleAvailability(ctx, bundle);
    enqueueForSku(ctx, bundle, { bundle: sets ?? null });
    if (sets && before.available !== level.available) checkBundleLine(ctx, sets, setsBefore(sets, c.sku, before));
  }
  checkLowStock(ctx, before, level);
  return { movement: must(first, "a stock change writes at least one movement"), level, isDuplicate: false };
}

/** A bundle's available before `component` moved from `componentBefore` (`a`: its sets now). */
function setsBefore(a: BundleAvailability, component: string, componentBefore: StockLevel): number {
  let before = Number.POSITIVE_INFINITY;
  for (const p of a.components)
    before = Math.min(
      before,
      p.component === component ? Math.floor(Math.max(0, componentBefore.available) / p.qty) : p.sets,
    );
  return before;
}

/** Checks a bundle's low-stock line (`a`: its sets now) against what it had `before`. */
function checkBundleLine(ctx: LedgerCtx, a: BundleAvailability, before: number): void {
  if (before === a.available) return;
  const binding = must(
    a.components.find((p) => p.component === a.binding),
    "the binding component is one of the bundle's components",
  );
  checkBundleLowStock(ctx, {
    bundle: a.sku,
    lowThreshold: a.lowThreshold,
    before,
    after: a.available,
    binding: { component: binding.component, available: binding.available, qty: binding.qty },
  });
}

/**
 * Re-publishes a bundle once after several of its components moved with `deferBundle` (a bundle order line), and
 * checks its low-stock line against the `before` available it had.
 */
export function republishBundle(ctx: LedgerCtx, bundle: string, before: number): void {
  const sets = bundleAvailability(ctx, bundle);
  enqueueForSku(ctx, bundle, { bundle: sets ?? null });
  if (sets) checkBundleLine(ctx, sets, before);
}

interface Draw {
  location: string;
  before: number;
  delta: number;
  keySuffix?: string;
}

/** The per-location changes one LevelChange makes (none for a reservation-only change); refuses a location going below 0. */
function locationDraws(ctx: LedgerCtx, c: LevelChange, totalBefore: number): Draw[] {
  // A reservation moves no location (the common case: return before building anything).
  if (!c.transfer && c.setOnHand === undefined && !c.onHandDelta) return [];
  const at = (loc: string): number =>
    ctx
      .stmt<[string, string], { on_hand: number }>("SELECT on_hand FROM stock_levels WHERE sku = ? AND location = ?")
      .get(c.sku, loc)?.on_hand ?? 0;
  let draws: Draw[];
  if (c.transfer) {
    const from = resolveLocation(ctx, c.transfer.from);
    const to = resolveLocation(ctx, c.transfer.to);
    if (from === to)
      throw localized(InvalidInputError, "same_location", textRef("err-same-location", { location: from }));
    draws = [
      { location: from, before: at(from), delta: -c.transfer.qty },
      { location: to, before: at(to), delta: c.transfer.qty, keySuffix: ":in" },
    ];
  } else if (c.setOnHand !== undefined) {
    const loc = resolveLocation(ctx, c.location);
    const before = at(loc);
    draws = before === c.setOnHand ? [] : [{ location: loc, before, delta: c.setOnHand - before }];
  } else if (!c.onHandDelta) {
    draws = [];
  } else if (c.onHandDelta > 0 || c.location) {
    const loc = resolveLocation(ctx, c.location);
    draws = [{ location: loc, before: at(loc), delta: c.onHandDelta }];
  } else {
    const total = -c.onHandDelta;
    // More than the SKU holds: no location draw, so the SKU-total check below answers with its message.
    if (total > totalBefore)
      return [{ location: resolveLocation(ctx, null), before: totalBefore, delta: c.onHandDelta }];
    draws = shipmentDraws(ctx, c.sku, total).map((d) => ({
      location: d.location,
      before: at(d.location),
      delta: -d.qty,
    }));
    draws.forEach((d, i) => {
      if (i > 0) d.keySuffix = `@${d.location}`;
    });
  }
  for (const d of draws)
    if (d.before + d.delta < 0)
      throw localized(
        ConflictError,
        "insufficient_stock",
        textRef("err-insufficient-at", { sku: c.sku, onHand: d.before, location: d.location, requested: -d.delta }),
        { sku: c.sku, location: d.location, available: d.before, requested: -d.delta },
      );
  return draws;
}

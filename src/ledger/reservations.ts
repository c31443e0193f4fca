import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asChannelId, asSku, type Sku } from "../ids.js";
import { must } from "../internal-error.js";
import { raiseAlert, resolveAlert } from "./alerts.js";
import { type BundleComponent, bundleAvailability, componentsOf } from "./bundle-levels.js";
import { type LedgerCtx, nowIso, write } from "./context.js";
import { applyChange, movementByKey, readLevel, readSkuState, republishBundle } from "./movements.js";
import type { Reservation, ReservationStatus } from "./rows.js";

// This module is the only writer of skus.reserved (through applyChange's reservedDelta).

interface ReservationRow {
  id: string;
  kind: "hold" | "order";
  sku: string;
  qty: number;
  requested: number;
  status: ReservationStatus;
  ref: string | null;
  channel_id: string | null;
  order_id: string | null;
  line_id: string | null;
  created_at: string;
  expires_at: string | null;
  closed_at: string | null;
  parent_id?: string | null;
}

const toReservation = (r: ReservationRow): Reservation => ({
  id: r.id,
  kind: r.kind,
  sku: asSku(r.sku),
  qty: r.qty,
  requested: r.requested,
  status: r.status,
  ref: r.ref,
  channelId: r.channel_id === null ? null : asChannelId(r.channel_id),
  orderId: r.order_id,
  lineId: r.line_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  closedAt: r.closed_at,
  parentId: r.parent_id ?? null,
});

/** The component reservations of a bundle line or hold (empty for a plain reservation), in component order. */
function childrenOf(ctx: LedgerCtx, id: string): Reservation[] {
  return ctx
    .stmt<[string], ReservationRow>("SELECT * FROM reservations WHERE parent_id = ? ORDER BY sku")
    .all(id)
    .map(toReservation);
}

/** Units of each component one bundle takes, as recorded on a bundle line's children (requested ÷ requested). */
const perBundle = (parent: Pick<Reservation, "requested">, child: Pick<Reservation, "requested">): number =>
  Math.max(1, Math.round(child.requested / parent.requested));

/** Sets a bundle line's held units to the whole bundles its component reservations hold. */
function syncParent(ctx: LedgerCtx, parentId: string): void {
  const parent = getReservation(ctx, parentId);
  const kids = childrenOf(ctx, parentId);
  if (!kids.length) return;
  const held = Math.min(parent.requested, ...kids.map((k) => Math.floor(k.qty / perBundle(parent, k))));
  ctx.stmt("UPDATE reservations SET qty = ? WHERE id = ?").run(held, parentId);
}

/** One reservation by id; NotFoundError otherwise. */
export function getReservation(ctx: LedgerCtx, id: string): Reservation {
  const r = ctx.stmt<[string], ReservationRow>("SELECT * FROM reservations WHERE id = ?").get(id);
  if (!r) throw localized(NotFoundError, "unknown_reservation", textRef("res-unknown", { id }), { id });
  return toReservation(r);
}

/** The reservation of one channel order line, if that line was ever recorded. */
export function findOrderLine(
  ctx: LedgerCtx,
  channelId: string,
  orderId: string,
  lineId: string,
): Reservation | undefined {
  const r = ctx
    .stmt<[string, string, string], ReservationRow>(
      "SELECT * FROM reservations WHERE channel_id = ? AND order_id = ? AND line_id = ?",
    )
    .get(channelId, orderId, lineId);
  return r ? toReservation(r) : undefined;
}

/** All reservations of one order (any channel when channelId is omitted), oldest first. */
export function reservationsForOrder(ctx: LedgerCtx, orderId: string, channelId?: string): Reservation[] {
  return ctx
    .stmt<[string, string | null, string | null], ReservationRow>(
      "SELECT * FROM reservations WHERE order_id = ? AND (? IS NULL OR channel_id = ?) ORDER BY created_at, id",
    )
    .all(orderId, channelId ?? null, channelId ?? null)
    .map(toReservation);
}

/**
 * Places a checkout hold that expires after `ttlSeconds`. Refused with ConflictError("insufficient_stock",
 * details.available) when too little is available. A repeated idempotency key returns the first hold.
 */
export function reserveHold(
  ctx: LedgerCtx,
  h: { sku: Sku; qty: number; ttlSeconds: number; ref?: string | null; actor: string; idempotencyKey: string },
): { reservation: Reservation; isDuplicate: boolean } {
  if (!Number.isSafeInteger(h.qty) || h.qty <= 0)
    throw localized(InvalidInputError, "bad_quantity", textRef("res-bad-hold-qty", { qty: String(h.qty) }));
  return write(ctx, () => {
    const key = `hold:${h.idempotencyKey}`;
    // One read answers all of: does the SKU exist, is it a bundle, was this hold placed before.
    const state = readSkuState(ctx, h.sku, key);
    if (state?.isBundle) return reserveBundleHold(ctx, h, key, componentsOf(ctx, h.sku));
    const seen = !state || state.seenMovementId !== null ? movementByKey(ctx, key) : undefined;
    if (seen)
      return {
        reservation: getReservation(ctx, must(seen.reference, "a hold's movement names its reservation")),
        isDuplicate: true,
      };
    if (!state)
      throw localized(NotFoundError, "unknown_sku", textRef("err-unknown-sku", { sku: h.sku }), { sku: h.sku });
    const id = ctx.newId("H");
    const now = ctx.clock.now();
    const createdAt = now.toISOString();
    const expiresAt = new Date(now.getTime() + h.ttlSeconds * 1000).toISOString();
    // applyChange first: it refuses an unknown SKU or too little stock before the reservation row exists.
    applyChange(ctx, {
      sku: h.sku,
      reservedDelta: h.qty,
      reason: "hold",
      actor: h.actor,
      reference: id,
      idempotencyKey: key,
      note: h.ref ?? null,
      known: state,
    });
    ctx
      .stmt(
        `INSERT INTO reservations (id, kind, sku, qty, requested, status, ref, created_at, expires_at)
         VALUES (?, 'hold', ?, ?, ?, 'active', ?, ?, ?)`,
      )
      .run(id, h.sku, h.qty, h.qty, h.ref ?? null, createdAt, expiresAt);
    const reservation: Reservation = {
      id,
      kind: "hold",
      sku: h.sku,
      qty: h.qty,
      requested: h.qty,
      status: "active",
      ref: h.ref ?? null,
      channelId: null,
      orderId: null,
      lineId: null,
      createdAt,
      expiresAt,
      closedAt: null,
    };
    return { reservation, isDuplicate: false };
  });
}

/**
 * A hold on a bundle: all or nothing. One parent row on the bundle (keyed by `hold_key`, holding no units itself)
 * and one child hold per component, each reserving qty × its quantity, in the caller's transaction.
 */
function reserveBundleHold(
  ctx: LedgerCtx,
  h: { sku: Sku; qty: number; ttlSeconds: number; ref?: string | null; actor: string },
  key: string,
  parts: readonly BundleComponent[],
): { reservation: Reservation; isDuplicate: boolean } {
  const seen = ctx.stmt<[string], { id: string }>("SELECT id FROM reservations WHERE hold_key = ?").get(key);
  if (seen) return { reservation: getReservation(ctx, seen.id), isDuplicate: true };
  const avail = bundleAvailability(ctx, h.sku);
  if (!avail || avail.available < h.qty)
    throw localized(
      ConflictError,
      "insufficient_stock",
      textRef("err-bundle-insufficient", {
        sku: h.sku,
        available: avail?.available ?? 0,
        component: avail?.binding ?? "?",
        requested: h.qty,
      }),
      { sku: h.sku, available: avail?.available ?? 0, requested: h.qty, binding: avail?.binding },
    );
  const now = ctx.clock.now();
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + h.ttlSeconds * 1000).toISOString();
  const id = ctx.newId("H");
  ctx
    .stmt(
      `INSERT INTO reservations (id, kind, sku, qty, requested, status, ref, created_at, expires_at, hold_key)
       VALUES (?, 'hold', ?, ?, ?, 'active', ?, ?, ?, ?)`,
    )
    .run(id, h.sku, h.qty, h.qty, h.ref ?? null, createdAt, expiresAt, key);
  for (const p of parts) {
    const childId = ctx.newId("H");
    const units = h.qty * p.qty;
    applyChange(ctx, {
      sku: p.component,
      reservedDelta: units,
      reason: "hold",
      actor: h.actor,
      reference: childId,
      idempotencyKey: `${key}|${p.component}`,
      note: h.ref ?? `bundle ${h.sku}`,
    });
    ctx
      .stmt(
        `INSERT INTO reservations (id, kind, sku, qty, requested, status, ref, created_at, expires_at, parent_id)
         VALUES (?, 'hold', ?, ?, ?, 'active', ?, ?, ?, ?)`,
      )
      .run(childId, p.component, units, units, h.ref ?? null, createdAt, expiresAt, id);
  }
  return { reservation: getReservation(ctx, id), isDuplicate: false };
}

/** Turns an active hold into an order reservation (checkout completed); it no longer expires. Idempotent. */
export function commitHold(ctx: LedgerCtx, id: string): Reservation {
  return write(ctx, () => {
    const r = getReservation(ctx, id);
    if (r.kind === "order" && r.status === "active") return r;
    if (r.kind !== "hold" || r.status !== "active") {
      throw localized(
        ConflictError,
        "reservation_closed",
        textRef("res-cannot-commit", { id, status: { ref: textRef("res-status", { status: r.status }) } }),
        {
          id,
          status: r.status,
        },
      );
    }
    if (r.expiresAt && r.expiresAt <= nowIso(ctx)) {
      // Expired but not yet swept by the job: treat as expired, never resurrect.
      closeReservation(ctx, r, "expired", "expire");
      throw localized(
        ConflictError,
        "reservation_closed",
        textRef("res-expired-at", { id, at: { dateTime: r.expiresAt } }),
        {
          id,
        },
      );
    }
    ctx
      .stmt(
        "UPDATE reservations SET kind = 'order', expires_at = NULL WHERE (id = ? OR parent_id = ?) AND status = 'active'",
      )
      .run(id, id);
    return getReservation(ctx, id);
  });
}

/**
 * Records one channel order line: reserves what is available and, when that is less than ordered,
 * records an oversell with its shortfall and raises a critical alert. (channel, order, line) is the
 * idempotency key: webhook + poll + duplicates count once. `bundleLine` is for a bundle line's component lines only:
 * the line belongs to that parent, and the bundle is re-published once by its line, not by each component.
 */
export function recordOrderLine(
  ctx: LedgerCtx,
  o: { channelId: string; orderId: string; lineId: string; sku: Sku; qty: number; actor: string },
  bundleLine?: { bundle: string; parentId: string },
): { reservation: Reservation; isDuplicate: boolean; shortfall: number } {
  if (!Number.isSafeInteger(o.qty) || o.qty <= 0)
    throw localized(InvalidInputError, "bad_quantity", textRef("res-bad-line-qty", { qty: String(o.qty) }));
  return write(ctx, () => {
    const seen = findOrderLine(ctx, o.channelId, o.orderId, o.lineId);
    if (seen) return { reservation: seen, isDuplicate: true, shortfall: seen.requested - seen.qty };
    const key = `order:${o.channelId}:${o.orderId}:${o.lineId}`;
    const state = readSkuState(ctx, o.sku, key);
    if (!state)
      throw localized(NotFoundError, "unknown_sku", textRef("err-unknown-sku", { sku: o.sku }), { sku: o.sku });
    if (state.isBundle) return recordBundleLine(ctx, o, componentsOf(ctx, o.sku));
    const held = Math.max(0, Math.min(o.qty, state.level.available));
    const id = ctx.newId("O");
    const at = nowIso(ctx);
    const parentId = bundleLine?.parentId ?? null;
    ctx
      .stmt(
        `INSERT INTO reservations (id, kind, sku, qty, requested, status, channel_id, order_id, line_id, created_at, parent_id)
         VALUES (?, 'order', ?, ?, ?, 'active', ?, ?, ?, ?, ?)`,
      )
      .run(id, o.sku, held, o.qty, o.channelId, o.orderId, o.lineId, at, parentId);
    if (held > 0) {
      applyChange(ctx, {
        sku: o.sku,
        reservedDelta: held,
        reason: "order",
        actor: o.actor,
        reference: `${o.channelId}:${o.orderId}:${o.lineId}`,
        idempotencyKey: key,
        known: state,
        ...(bundleLine ? { deferBundle: bundleLine.bundle } : {}),
      });
    }
    const shortfall = o.qty - held;
    if (shortfall > 0) {
      ctx
        .stmt(
          "INSERT INTO oversells (at, sku, reservation_id, channel_id, order_id, requested, shortfall) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .run(at, o.sku, id, o.channelId, o.orderId, o.qty, shortfall);
      raiseAlert(ctx, {
        kind: "oversell",
        subject: `${o.channelId}:${o.orderId}:${o.lineId}`,
        severity: "critical",
        message: textRef("alert-oversell", {
          order: o.orderId,
          channel: o.channelId,
          qty: o.qty,
          sku: o.sku,
          held,
          short: shortfall,
        }),
        buttons: [{ label: "Stock", labelId: "button-stock", action: `/stock ${o.sku}` }],
      });
    }
    return { reservation: orderLine(o, id, held, at, parentId), isDuplicate: false, shortfall };
  });
}

/** The reservation row an order line just inserted, as getReservation would read it back. */
const orderLine = (
  o: { channelId: string; orderId: string; lineId: string; sku: Sku; qty: number },
  id: string,
  held: number,
  createdAt: string,
  parentId: string | null,
): Reservation => ({
  id,
  kind: "order",
  sku: o.sku,
  qty: held,
  requested: o.qty,
  status: "active",
  ref: null,
  channelId: asChannelId(o.channelId),
  orderId: o.orderId,
  lineId: o.lineId,
  createdAt,
  expiresAt: null,
  closedAt: null,
  parentId,
});

/**
 * A bundle order line: a parent reservation on the bundle (the line's idempotency key) and one child order line per
 * component (`<line>|<component>`, qty × its quantity), each reserving what its component has and recording its own
 * shortfall (oversell row and alert per component). The parent holds the whole bundles the children cover.
 */
function recordBundleLine(
  ctx: LedgerCtx,
  o: { channelId: string; orderId: string; lineId: string; sku: Sku; qty: number; actor: string },
  parts: readonly BundleComponent[],
): { reservation: Reservation; isDuplicate: boolean; shortfall: number } {
  const id = ctx.newId("O");
  const at = nowIso(ctx);
  ctx
    .stmt(
      `INSERT INTO reservations (id, kind, sku, qty, requested, status, channel_id, order_id, line_id, created_at)
       VALUES (?, 'order', ?, 0, ?, 'active', ?, ?, ?, ?)`,
    )
    .run(id, o.sku, o.qty, o.channelId, o.orderId, o.lineId, at);
  // The bundle is re-published once after all its components moved, not once per component.
  const before = bundleAvailability(ctx, o.sku)?.available ?? 0;
  let held = o.qty;
  for (const p of parts) {
    const child = recordOrderLine(
      ctx,
      { ...o, lineId: `${o.lineId}|${p.component}`, sku: p.component, qty: o.qty * p.qty },
      { bundle: o.sku, parentId: id },
    );
    // A component line recorded before on its own (same line id) joins this bundle line as it is.
    if (child.isDuplicate) ctx.stmt("UPDATE reservations SET parent_id = ? WHERE id = ?").run(id, child.reservation.id);
    held = Math.min(held, Math.floor(child.reservation.qty / perBundle({ requested: o.qty }, child.reservation)));
  }
  republishBundle(ctx, o.sku, before);
  if (held > 0) ctx.stmt("UPDATE reservations SET qty = ? WHERE id = ?").run(held, id);
  return { reservation: orderLine(o, id, held, at, null), isDuplicate: false, shortfall: o.qty - held };
}

/** What resizing an order line did: units held before and after, and the shortfall left. */
export interface OrderLineResize {
  reservation: Reservation;
  /** Change of reserved units (negative: released). */
  reservedDelta: number;
  shortfall: number;
  isDuplicate: boolean;
}

/**
 * Moves an active order reservation to `qty` units after the channel edited the line (0: the line was removed):
 * a decrease releases the difference, an increase reserves more (recording an oversell when short). One
 * movement `order_edit` per edit, keyed `order:<channel>:<order>:<line>:edit:<n>:qty:<qty>`; asking for the
 * quantity already requested changes nothing.
 */
export function resizeOrderLine(ctx: LedgerCtx, id: string, qty: number, actor: string): OrderLineResize {
  if (!Number.isSafeInteger(qty) || qty < 0)
    throw localized(InvalidInputError, "bad_quantity", textRef("res-bad-resize-qty", { qty: String(qty) }));
  return write(ctx, () => {
    const r = getReservation(ctx, id);
    if (r.kind !== "order" || r.status !== "active")
      throw localized(
        ConflictError,
        "reservation_closed",
        textRef("res-cannot-resize", { id, status: { ref: textRef("res-status", { status: r.status }) } }),
        { id },
      );
    if (qty === r.requested)
      return { reservation: r, reservedDelta: 0, shortfall: r.requested - r.qty, isDuplicate: true };
    const kids = childrenOf(ctx, id);
    if (kids.length) return resizeBundleLine(ctx, r, kids, qty, actor);
    const prefix = `order:${r.channelId}:${r.orderId}:${r.lineId}:edit:`;
    const edits = must(
      ctx
        .stmt<[string, string], { n: number }>(
          "SELECT COUNT(*) AS n FROM movements WHERE idempotency_key >= ? AND idempotency_key < ?",
        )
        .get(prefix, `${prefix}\uffff`),
      "COUNT(*) returns a row",
    ).n;
    const available = readLevel(ctx, r.sku)?.available ?? 0;
    const held = qty < r.qty ? qty : r.qty + Math.max(0, Math.min(qty - r.qty, available));
    const delta = held - r.qty;
    applyChange(ctx, {
      sku: r.sku,
      reservedDelta: delta,
      reason: "order_edit",
      actor,
      reference: r.id,
      idempotencyKey: `${prefix}${edits + 1}:qty:${qty}`,
      note: `${r.requested} → ${qty}`,
    });
    const at = nowIso(ctx);
    if (qty === 0)
      // A removed line closes as cancelled; `requested` keeps what was once asked for (it must stay ≥ 1).
      ctx.stmt("UPDATE reservations SET qty = 0, status = 'cancelled', closed_at = ? WHERE id = ?").run(at, id);
    else ctx.stmt("UPDATE reservations SET qty = ?, requested = ? WHERE id = ?").run(held, qty, id);
    const shortfall = qty - held;
    if (shortfall === 0) settleOversell(ctx, r);
    else {
      const open = ctx
        .stmt<[string], { id: number }>("SELECT id FROM oversells WHERE reservation_id = ? AND resolved_at IS NULL")
        .get(id);
      if (open) ctx.stmt("UPDATE oversells SET requested = ?, shortfall = ? WHERE id = ?").run(qty, shortfall, open.id);
      else
        ctx
          .stmt(
            "INSERT INTO oversells (at, sku, reservation_id, channel_id, order_id, requested, shortfall) VALUES (?, ?, ?, ?, ?, ?, ?)",
          )
          .run(at, r.sku, id, r.channelId, r.orderId, qty, shortfall);
      raiseAlert(ctx, {
        kind: "oversell",
        subject: `${r.channelId}:${r.orderId}:${r.lineId}`,
        severity: "critical",
        message: textRef("order-edit-oversold", {
          order: r.orderId ?? "?",
          channel: r.channelId ?? "?",
          qty,
          sku: r.sku,
          held,
          short: shortfall,
        }),
        buttons: [{ label: "Stock", action: `/stock ${r.sku}` }],
      });
    }
    if (delta < 0) coverShortfalls(ctx, r.sku);
    return { reservation: getReservation(ctx, id), reservedDelta: delta, shortfall, isDuplicate: false };
  });
}

/** Resizes a bundle line: every component line to qty × its quantity, then the parent to what they now cover. */
function resizeBundleLine(
  ctx: LedgerCtx,
  r: Reservation,
  kids: readonly Reservation[],
  qty: number,
  actor: string,
): OrderLineResize {
  for (const k of kids) if (k.status === "active") resizeOrderLine(ctx, k.id, qty * perBundle(r, k), actor);
  if (qty === 0)
    ctx
      .stmt("UPDATE reservations SET qty = 0, status = 'cancelled', closed_at = ? WHERE id = ?")
      .run(nowIso(ctx), r.id);
  else {
    ctx.stmt("UPDATE reservations SET requested = ? WHERE id = ?").run(qty, r.id);
    syncParent(ctx, r.id);
  }
  const reservation = getReservation(ctx, r.id);
  return {
    reservation,
    reservedDelta: reservation.qty - r.qty,
    shortfall: qty - reservation.qty,
    isDuplicate: false,
  };
}

/** Grows an oversold order reservation by up to `max` units taken from what is available now; returns the units added. */
function coverOne(
  ctx: LedgerCtx,
  r: Pick<Reservation, "id" | "sku" | "qty" | "requested" | "channelId" | "orderId" | "lineId" | "parentId">,
  max = Infinity,
): number {
  const available = readLevel(ctx, r.sku)?.available ?? 0;
  const add = Math.min(r.requested - r.qty, available, max);
  if (add <= 0) return 0;
  applyChange(ctx, {
    sku: r.sku,
    reservedDelta: add,
    reason: "oversell_cover",
    actor: "system",
    reference: r.id,
    idempotencyKey: `cover:${r.id}:${r.qty + add}`,
  });
  ctx.stmt("UPDATE reservations SET qty = qty + ? WHERE id = ? AND status = 'active'").run(add, r.id);
  if (r.qty + add === r.requested) settleOversell(ctx, r);
  if (r.parentId) syncParent(ctx, r.parentId);
  return add;
}

/** Marks an order line's oversell as settled (covered, shipped or cancelled) and resolves its alert. */
function settleOversell(ctx: LedgerCtx, r: Pick<Reservation, "id" | "channelId" | "orderId" | "lineId">): void {
  const { changes } = ctx
    .stmt("UPDATE oversells SET resolved_at = ? WHERE reservation_id = ? AND resolved_at IS NULL")
    .run(nowIso(ctx), r.id);
  if (changes) resolveAlert(ctx, "oversell", `${r.channelId}:${r.orderId}:${r.lineId}`);
}

/**
 * Gives units that became available (a restock, a cancelled order, an expired hold) to the SKU's oversold
 * order lines, oldest first, before any channel may publish them: those units are already sold. Inside the
 * caller's transaction; returns how many units it reserved.
 */
export function coverShortfalls(ctx: LedgerCtx, sku: string): number {
  const open = ctx
    .stmt<[string], ReservationRow>(
      `SELECT r.* FROM oversells o JOIN reservations r ON r.id = o.reservation_id
       WHERE o.sku = ? AND o.resolved_at IS NULL AND r.status = 'active' AND r.qty < r.requested ORDER BY o.id`,
    )
    .all(sku)
    .map(toReservation);
  let covered = 0;
  for (const r of open) {
    const add = coverOne(ctx, r);
    if (add === 0) break;
    covered += add;
  }
  return covered;
}

function closeReservation(
  ctx: LedgerCtx,
  r: Reservation,
  status: ReservationStatus,
  reason: string,
  actor = "system",
): void {
  const at = nowIso(ctx);
  const kids = childrenOf(ctx, r.id);
  if (kids.length) {
    // A bundle line or hold: its components' reservations close the same way; the parent holds no units itself.
    if (getReservation(ctx, r.id).status !== "active") return;
    for (const k of kids)
      if (k.status === "active") {
        if (status === "shipped") shipOne(ctx, k, actor);
        else closeReservation(ctx, k, status, reason, actor);
      }
    ctx
      .stmt("UPDATE reservations SET status = ?, closed_at = ? WHERE id = ? AND status = 'active'")
      .run(status, at, r.id);
    return;
  }
  const { changes } = ctx
    .stmt("UPDATE reservations SET status = ?, closed_at = ? WHERE id = ? AND status = 'active'")
    .run(status, at, r.id);
  if (changes === 0) return;
  // Shipped or cancelled, the line no longer waits for stock; what it never got stays on record in oversells.
  if (r.requested > r.qty) settleOversell(ctx, r);
  if (r.qty === 0) return;
  applyChange(ctx, {
    sku: r.sku,
    reservedDelta: -r.qty,
    onHandDelta: status === "shipped" ? -r.qty : 0,
    reason,
    actor,
    reference: r.id,
    idempotencyKey: `${reason}:${r.id}`,
  });
  if (status !== "shipped") coverShortfalls(ctx, r.sku);
}

/** Releases a hold or cancels an order reservation; its units become available again. Idempotent. */
export function releaseReservation(ctx: LedgerCtx, id: string, actor: string): Reservation {
  return write(ctx, () => {
    const r = getReservation(ctx, id);
    if (r.status === "active")
      closeReservation(
        ctx,
        r,
        r.kind === "hold" ? "released" : "cancelled",
        r.kind === "hold" ? "release" : "cancel",
        actor,
      );
    return getReservation(ctx, id);
  });
}

/** Ships an order reservation: on hand and reserved both drop by the held units. Idempotent. */
export function shipReservation(ctx: LedgerCtx, id: string, actor: string): Reservation {
  return write(ctx, () => {
    const r = getReservation(ctx, id);
    if (r.status === "shipped") return r;
    if (r.status !== "active")
      throw localized(
        ConflictError,
        "reservation_closed",
        textRef("res-cannot-ship", { id, status: { ref: textRef("res-status", { status: r.status }) } }),
        { id },
      );
    shipOne(ctx, r, actor);
    return getReservation(ctx, id);
  });
}

/** Ships one active reservation (a bundle line: each component's), inside the caller's transaction. */
function shipOne(ctx: LedgerCtx, r: Reservation, actor: string): void {
  // An oversold line that ships takes what stock has come in since, so on hand drops by what left the warehouse.
  const added = r.requested > r.qty && !childrenOf(ctx, r.id).length ? coverOne(ctx, r) : 0;
  closeReservation(ctx, { ...r, qty: r.qty + added }, "shipped", "ship", actor);
}

/** Expires every active hold whose time is up; safe to run repeatedly and from several processes. */
export function expireHolds(ctx: LedgerCtx): Reservation[] {
  return write(ctx, () => {
    const due = ctx
      .stmt<[string], ReservationRow>(
        "SELECT * FROM reservations WHERE kind = 'hold' AND status = 'active' AND expires_at <= ? AND parent_id IS NULL ORDER BY expires_at",
      )
      .all(nowIso(ctx))
      .map(toReservation);
    for (const r of due) closeReservation(ctx, r, "expired", "expire");
    return due;
  });
}

/** Active reservations of a SKU, oldest first. */
export function activeReservations(ctx: LedgerCtx, sku: string): Reservation[] {
  return ctx
    .stmt<[string], ReservationRow>(
      "SELECT * FROM reservations WHERE sku = ? AND status = 'active' ORDER BY created_at",
    )
    .all(sku)
    .map(toReservation);
}

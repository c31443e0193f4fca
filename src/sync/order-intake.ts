import type { ChannelOrder, ChannelOrderLine, OrderPage, SalesChannel } from "../channels/types.js";
import type { Clock } from "../clock.js";
import { InvalidInputError, isDiskFull, NotFoundError } from "../errors.js";
import { english } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asChannelId, asSku, type Sku } from "../ids.js";
import type { Logger } from "../log.js";
import type { SyncLedger } from "../stores.js";
import { describeError } from "./errors.js";
import { noteCallFailure } from "./health.js";
import type { LineState, OrderLineRecord, OrderShipment } from "./order-store.js";

/** What recording orders did, line by line. */
export interface IntakeReport {
  orders: number;
  /** Lines that changed the ledger (reserved, shipped or released). */
  applied: number;
  reserved: number;
  shipped: number;
  released: number;
  /** Lines whose quantity the channel changed after we recorded them (order edits, removed lines). */
  edited: number;
  /** Lines already applied in this or a later state (webhook + poll overlap, redeliveries). */
  duplicates: number;
  /** Lines that found too little stock (recorded with their shortfall; an alert is raised). */
  oversold: number;
  /** Lines whose SKU is neither in the ledger nor linked by the channel's item id. */
  unmapped: number;
  /** Tracking numbers newly recorded for shipped lines. */
  shipments: OrderShipment[];
  problems: string[];
}

/** An empty report to add to. */
export function emptyIntakeReport(): IntakeReport {
  return {
    orders: 0,
    applied: 0,
    reserved: 0,
    shipped: 0,
    released: 0,
    edited: 0,
    duplicates: 0,
    oversold: 0,
    unmapped: 0,
    shipments: [],
    problems: [],
  };
}

/** Adds `b` into `a`. */
export function mergeIntake(a: IntakeReport, b: IntakeReport): IntakeReport {
  a.orders += b.orders;
  a.applied += b.applied;
  a.reserved += b.reserved;
  a.shipped += b.shipped;
  a.released += b.released;
  a.edited += b.edited;
  a.duplicates += b.duplicates;
  a.oversold += b.oversold;
  a.unmapped += b.unmapped;
  a.shipments.push(...b.shipments);
  a.problems.push(...b.problems);
  return a;
}

/** Looks at each paid line just reserved, inside the intake's transaction (the promotion guard holds some). */
export interface OrderLineGuard {
  reserved(line: {
    channelId: string;
    orderId: string;
    lineId: string;
    sku: Sku;
    qty: number;
    reservationId: string;
    createdAt: Date;
  }): void;
}

// Lines only move forward: a stale redelivery ("paid" after "cancelled") changes nothing.
const RANK: Record<LineState, number> = { unmapped: -1, pending: 0, paid: 1, shipped: 2, cancelled: 2 };

function knownSku(ledger: SyncLedger, s: string): boolean {
  try {
    ledger.stock.getLevel(s);
    return true;
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
}

function resolveSku(ledger: SyncLedger, channelId: string, line: ChannelOrderLine): Sku | undefined {
  if (line.ref) {
    const linked = ledger.orders.skuForRef(channelId, line.ref);
    if (linked) return linked;
  }
  if (line.sku && knownSku(ledger, line.sku)) return asSku(line.sku);
  return undefined;
}

/** Starts the logistics radar on a shipped line's parcel; a carrier it does not know is reported, never fatal. */
function handToRadar(
  ledger: SyncLedger,
  log: Logger,
  channelId: string,
  order: ChannelOrder,
  shipment: NonNullable<ChannelOrderLine["shipment"]>,
  report: IntakeReport,
): void {
  try {
    ledger.shipments.recordShipment({
      orderRef: order.orderId,
      channelId,
      carrier: shipment.carrier,
      trackingNo: shipment.trackingNo,
      shippedAt: shipment.shippedAt,
      destination: order.destination,
    });
  } catch (err) {
    // recordShipment validates before it writes, so a refusal leaves nothing half-done in this transaction.
    if (!(err instanceof InvalidInputError)) throw err;
    log.warn({ channelId, orderId: order.orderId, code: err.code }, "shipment not tracked");
    report.problems.push(
      `${channelId} order ${order.orderId}: parcel ${shipment.trackingNo} not tracked (${err.userMessage})`,
    );
  }
}

/**
 * Records one channel order in the ledger, in one transaction: a paid line reserves, a shipped line ships
 * (reserving first if we never saw it paid) and records its tracking number, a cancelled line releases, and a
 * line whose quantity changed since we stored it is resized first (see editLine; an older copy of the order is
 * not applied). (channel, order, line) is the idempotency key, so webhook + poll + duplicates count once.
 */
export function ingestOrder(
  ledger: SyncLedger,
  log: Logger,
  channelId: string,
  order: ChannelOrder,
  source: "webhook" | "poll",
  guard?: OrderLineGuard,
): IntakeReport {
  const report = emptyIntakeReport();
  report.orders = 1;
  const actor = `channel:${channelId}`;
  ledger.transaction(() => {
    // An older copy of the order (a late redelivery) must not undo an edit we already applied.
    const storedAt = ledger.orders.orderUpdatedAt(channelId, order.orderId);
    const isStale = storedAt !== undefined && order.updatedAt.toISOString() < storedAt;
    ledger.orders.upsertChannelOrder({
      channelId,
      orderId: order.orderId,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      totalMinor: order.total?.amountMinor,
      currency: order.total?.currency,
      source,
    });
    for (const line of order.lines) {
      const key = { channelId, orderId: order.orderId, lineId: line.lineId };
      let prev = ledger.orders.orderLineState(channelId, order.orderId, line.lineId);
      const hasUnits = Number.isSafeInteger(line.qty) && line.qty > 0;
      // A cancelled line releases everything below, whatever quantity it reports (Shopify reports the original).
      if (prev && !isStale && line.status !== "cancelled" && prev.qty !== (hasUnits ? line.qty : 0)) {
        prev = editLine(ledger, log, channelId, order, prev, hasUnits ? line.qty : 0, report);
      }
      if (!hasUnits) {
        // Channels send 0-quantity lines for removed items; there is nothing (more) to reserve.
        log.info({ ...key, qty: line.qty }, "order line without units ignored");
        continue;
      }
      if (prev && RANK[prev.status] >= RANK[line.status]) {
        report.duplicates += 1;
        if (prev.status === "shipped" && line.status === "cancelled") {
          // A shipped line cannot come back by cancellation; that is a return, handled with refunds.
          log.info({ ...key }, "cancellation of a shipped line ignored");
        }
        continue;
      }
      const sku = resolveSku(ledger, channelId, line);
      if (!sku) {
        report.unmapped += 1;
        ledger.orders.setOrderLineState({
          ...key,
          sku: line.sku,
          qty: line.qty,
          status: "unmapped",
          reservationId: null,
        });
        ledger.alerts.raiseAlert({
          kind: "order_unmapped",
          subject: `${channelId}:${order.orderId}`,
          severity: "warning",
          message: textRef("alert-order-unmapped", {
            order: order.orderId,
            channel: channelId,
            what: line.sku ?? { ref: textRef("alert-order-item", { ref: line.ref ?? "?" }) },
          }),
        });
        report.problems.push(
          `${channelId} order ${order.orderId} line ${line.lineId}: unknown SKU ${line.sku ?? line.ref ?? "?"}`,
        );
        continue;
      }
      let reservationId =
        prev?.reservationId ?? ledger.reservations.findOrderLine(channelId, order.orderId, line.lineId)?.id ?? null;
      const reserve = (): string => {
        const r = ledger.reservations.recordOrderLine({ ...key, sku, qty: line.qty, actor });
        if (!r.isDuplicate) {
          ledger.channelState.expectChannelSale(channelId, sku, line.qty, order.createdAt);
          report.reserved += 1;
          if (r.shortfall > 0) report.oversold += 1;
        }
        return r.reservation.id;
      };
      const isNewReservation = reservationId === null;
      switch (line.status) {
        case "pending":
          break;
        case "paid":
          reservationId = reserve();
          report.applied += 1;
          if (isNewReservation)
            guard?.reserved({ ...key, sku, qty: line.qty, reservationId, createdAt: order.createdAt });
          break;
        case "shipped": {
          reservationId ??= reserve();
          const r = ledger.reservations.shipReservation(reservationId, actor);
          if (r.status === "shipped") report.shipped += 1;
          report.applied += 1;
          if (line.shipment) {
            const s = {
              ...key,
              sku,
              carrier: line.shipment.carrier,
              trackingNo: line.shipment.trackingNo,
              shippedAt: line.shipment.shippedAt,
            };
            if (ledger.orders.recordShipment(s)) {
              report.shipments.push({
                ...s,
                channelId: asChannelId(channelId),
                shippedAt: s.shippedAt?.toISOString() ?? null,
                recordedAt: ledger.now().toISOString(),
              });
              handToRadar(ledger, log, channelId, order, line.shipment, report);
            }
          }
          break;
        }
        case "cancelled":
          if (reservationId) {
            ledger.reservations.releaseReservation(reservationId, actor);
            report.released += 1;
            report.applied += 1;
          }
          break;
      }
      ledger.orders.setOrderLineState({ ...key, sku, qty: line.qty, status: line.status, reservationId });
    }
    if (order.hasAllLines && !isStale) {
      const listed = new Set(order.lines.map((l) => l.lineId));
      for (const prev of ledger.orders.orderLineStates(channelId, order.orderId))
        if (!listed.has(prev.lineId) && prev.qty > 0) editLine(ledger, log, channelId, order, prev, 0, report);
    }
  });
  return report;
}

/**
 * Applies a channel's change of a recorded line's quantity, once (the stored quantity then matches, so a replay
 * does nothing): a reserved line is resized (0 releases it), an unreserved one just takes the new quantity, and a
 * shipped one keeps its stock and raises an alert, since units that left are a return. Returns the new state.
 */
function editLine(
  ledger: SyncLedger,
  log: Logger,
  channelId: string,
  order: ChannelOrder,
  prev: OrderLineRecord,
  qty: number,
  report: IntakeReport,
): OrderLineRecord {
  const key = { channelId, orderId: order.orderId, lineId: prev.lineId };
  const edit = { ...key, from: prev.qty, to: qty };
  if (prev.status === "cancelled") return prev;
  let status: LineState = qty === 0 && prev.status !== "shipped" ? "cancelled" : prev.status;
  if (prev.status === "shipped") {
    log.warn(edit, "order line changed after shipment; stock unchanged");
    const message = textRef("order-edit-after-ship", {
      order: order.orderId,
      channel: channelId,
      line: prev.lineId,
      sku: prev.sku ?? "?",
      from: prev.qty,
      to: qty,
    });
    ledger.alerts.raiseAlert({
      kind: "order_edit_after_ship",
      subject: `${channelId}:${order.orderId}:${prev.lineId}`,
      severity: "warning",
      message,
    });
    report.problems.push(english(message));
  } else if (prev.status === "paid" && prev.reservationId && prev.sku) {
    const r = ledger.reservations.getReservation(prev.reservationId);
    if (r.status === "active") {
      const resized = ledger.reservations.resizeOrderLine(r.id, qty, `channel:${channelId}`);
      ledger.channelState.expectChannelSale(channelId, prev.sku, qty - prev.qty, order.updatedAt);
      if (qty === 0) report.released += 1;
      if (resized.shortfall > r.requested - r.qty) report.oversold += 1;
      report.applied += 1;
    } else status = prev.status;
  }
  log.info(edit, "order line quantity changed");
  report.edited += 1;
  ledger.orders.setOrderLineState({ ...key, sku: prev.sku, qty, status, reservationId: prev.reservationId });
  return { ...prev, qty, status };
}

/** What one channel's order import did. */
export interface ImportReport extends IntakeReport {
  channelId: string;
  pages: number;
  /** Whether the channel could be read at all. */
  isOk: boolean;
}

/**
 * Polls a channel for orders changed since its stored cursor, page by page. Each page and its new cursor
 * are stored in one transaction, so a crash re-reads at most one page (and re-reading is harmless).
 */
export async function importChannelOrders(
  ledger: SyncLedger,
  log: Logger,
  channel: SalesChannel,
  opts: { signal: AbortSignal; clock: Clock; failureAlertAfter: number; maxPages?: number; guard?: OrderLineGuard },
): Promise<ImportReport> {
  const report: ImportReport = { ...emptyIntakeReport(), channelId: channel.id, pages: 0, isOk: true };
  let cursor = ledger.channelState.orderCursor(channel.id)?.cursor ?? null;
  for (let n = 0; n < (opts.maxPages ?? 100) && !opts.signal.aborted; n++) {
    let page: OrderPage;
    try {
      page = await channel.fetchOrders(cursor, opts.signal);
    } catch (err) {
      if (opts.signal.aborted) break;
      log.warn({ err, channelId: channel.id }, "order import failed");
      noteCallFailure(ledger, opts.clock, channel.id, err, opts.failureAlertAfter);
      report.isOk = false;
      report.problems.push(`${channel.id}: order import failed (${describeError(err)})`);
      break;
    }
    report.pages += 1;
    const pageCursor = page.nextCursor;
    ledger.transaction(() => {
      for (const order of page.orders) {
        try {
          // A nested better-sqlite3 transaction is a savepoint: one order the ledger refuses rolls back alone and
          // is reported, instead of blocking this channel's import (and its cursor) for good.
          mergeIntake(
            report,
            ledger.savepoint(() => ingestOrder(ledger, log, channel.id, order, "poll", opts.guard)),
          );
        } catch (err) {
          // A full disk is not this order's fault: the page stays unread and the engine reports the disk once.
          if (isDiskFull(err)) throw err;
          log.error({ err, channelId: channel.id, orderId: order.orderId }, "order could not be applied");
          report.problems.push(`${channel.id} order ${order.orderId}: not applied (${describeError(err)})`);
          ledger.alerts.raiseAlert({
            kind: "order_rejected",
            subject: `${channel.id}:${order.orderId}`,
            severity: "critical",
            message: textRef("alert-order-rejected", {
              order: order.orderId,
              channel: channel.id,
              error: describeError(err),
            }),
          });
        }
      }
      ledger.channelState.setOrderCursor(channel.id, pageCursor);
    });
    cursor = pageCursor;
    if (!page.hasMore) break;
  }
  return report;
}

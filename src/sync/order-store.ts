import { asChannelId, asSku, type ChannelId, type Money, type Sku } from "../ids.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";

// Channel orders and their lines as order intake applied them (migration 002). Rows are mapped to camelCase here.

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
export function orderLineState(
  ctx: LedgerCtx,
  channelId: string,
  orderId: string,
  lineId: string,
): OrderLineRecord | undefined {
  const r = ctx
    .stmt<
      [string, string, string],
      {
        channel_id: string;
        order_id: string;
        line_id: string;
        sku: string | null;
        qty: number;
        status: LineState;
        reservation_id: string | null;
        updated_at: string;
      }
    >("SELECT * FROM channel_order_lines WHERE channel_id = ? AND order_id = ? AND line_id = ?")
    .get(channelId, orderId, lineId);
  return r
    ? {
        channelId: asChannelId(r.channel_id),
        orderId: r.order_id,
        lineId: r.line_id,
        sku: r.sku === null ? null : asSku(r.sku),
        qty: r.qty,
        status: r.status,
        reservationId: r.reservation_id,
        updatedAt: r.updated_at,
      }
    : undefined;
}

/** Every line we applied for one channel order, by line id. */
export function orderLineStates(ctx: LedgerCtx, channelId: string, orderId: string): OrderLineRecord[] {
  return ctx
    .stmt<[string, string], { line_id: string }>(
      "SELECT line_id FROM channel_order_lines WHERE channel_id = ? AND order_id = ? ORDER BY line_id",
    )
    .all(channelId, orderId)
    .flatMap((r) => {
      const l = orderLineState(ctx, channelId, orderId, r.line_id);
      return l ? [l] : [];
    });
}

/** The newest `updated_at` the channel reported for an order we imported (ISO), if we have it. */
export function orderUpdatedAt(ctx: LedgerCtx, channelId: string, orderId: string): string | undefined {
  return ctx
    .stmt<[string, string], { updated_at: string }>(
      "SELECT updated_at FROM channel_orders WHERE channel_id = ? AND order_id = ?",
    )
    .get(channelId, orderId)?.updated_at;
}

/** Stores the state applied for one order line. */
export function setOrderLineState(
  ctx: LedgerCtx,
  l: {
    channelId: string;
    orderId: string;
    lineId: string;
    sku: string | null;
    qty: number;
    status: LineState;
    reservationId: string | null;
  },
): void {
  write(ctx, () => {
    ctx
      .stmt(
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
  o: {
    channelId: string;
    orderId: string;
    createdAt: Date;
    updatedAt: Date;
    totalMinor?: number | undefined;
    currency?: string | undefined;
    source: "webhook" | "poll";
  },
): void {
  write(ctx, () => {
    const at = nowIso(ctx);
    ctx
      .stmt(
        `INSERT INTO channel_orders (channel_id, order_id, created_at, updated_at, total_minor, currency, first_seen_at, last_seen_at, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, order_id) DO UPDATE SET updated_at = MAX(channel_orders.updated_at, excluded.updated_at),
           total_minor = COALESCE(excluded.total_minor, channel_orders.total_minor), currency = COALESCE(excluded.currency, channel_orders.currency),
           last_seen_at = excluded.last_seen_at`,
      )
      .run(
        o.channelId,
        o.orderId,
        o.createdAt.toISOString(),
        o.updatedAt.toISOString(),
        o.totalMinor ?? null,
        o.currency ?? null,
        at,
        at,
        o.source,
      );
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
  const orders = ctx
    .stmt<
      [string | null, string | null, number],
      {
        channel_id: string;
        order_id: string;
        created_at: string;
        total_minor: number | null;
        currency: string | null;
        source: "webhook" | "poll";
      }
    >(
      "SELECT * FROM channel_orders WHERE (? IS NULL OR channel_id = ?) ORDER BY created_at DESC, order_id DESC LIMIT ?",
    )
    .all(opts.channelId ?? null, opts.channelId ?? null, opts.limit ?? 10);
  const lines = ctx.stmt<[string, string], { line_id: string; sku: string | null; qty: number; status: LineState }>(
    "SELECT line_id, sku, qty, status FROM channel_order_lines WHERE channel_id = ? AND order_id = ? ORDER BY line_id",
  );
  return orders.map((o) => ({
    channelId: asChannelId(o.channel_id),
    orderId: o.order_id,
    createdAt: o.created_at,
    totalMinor: o.total_minor,
    currency: o.currency,
    source: o.source,
    lines: lines
      .all(o.channel_id, o.order_id)
      .map((l) => ({ lineId: l.line_id, sku: l.sku === null ? null : asSku(l.sku), qty: l.qty, status: l.status })),
  }));
}

/** Counts of lines per state for one channel since `since` (for `/orders` headers). */
export function orderLineCounts(ctx: LedgerCtx, channelId: string, since: string): Record<LineState, number> {
  const out: Record<LineState, number> = { pending: 0, paid: 0, shipped: 0, cancelled: 0, unmapped: 0 };
  for (const r of ctx
    .stmt<[string, string], { status: LineState; n: number }>(
      "SELECT status, COUNT(*) AS n FROM channel_order_lines WHERE channel_id = ? AND updated_at >= ? GROUP BY status",
    )
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
  s: {
    channelId: string;
    orderId: string;
    lineId: string;
    sku: string | null;
    carrier: string;
    trackingNo: string;
    shippedAt?: Date | undefined;
  },
): boolean {
  return write(ctx, () => {
    const { changes } = ctx
      .stmt(
        `INSERT INTO order_shipments (channel_id, order_id, line_id, sku, carrier, tracking_no, shipped_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, order_id, line_id) DO UPDATE SET carrier = excluded.carrier, tracking_no = excluded.tracking_no,
           shipped_at = excluded.shipped_at, recorded_at = excluded.recorded_at
         WHERE order_shipments.tracking_no != excluded.tracking_no OR order_shipments.carrier != excluded.carrier`,
      )
      .run(
        s.channelId,
        s.orderId,
        s.lineId,
        s.sku,
        s.carrier,
        s.trackingNo,
        s.shippedAt?.toISOString() ?? null,
        nowIso(ctx),
      );
    return changes > 0;
  });
}

/** Shipments recorded since `since` (what the logistics radar picks up), oldest first. */
export function shipmentsSince(ctx: LedgerCtx, since: string, limit = 500): OrderShipment[] {
  return ctx
    .stmt<
      [string, number],
      {
        channel_id: string;
        order_id: string;
        line_id: string;
        sku: string | null;
        carrier: string;
        tracking_no: string;
        shipped_at: string | null;
        recorded_at: string;
      }
    >("SELECT * FROM order_shipments WHERE recorded_at >= ? ORDER BY recorded_at LIMIT ?")
    .all(since, limit)
    .map((r) => ({
      channelId: asChannelId(r.channel_id),
      orderId: r.order_id,
      lineId: r.line_id,
      sku: r.sku === null ? null : asSku(r.sku),
      carrier: r.carrier,
      trackingNo: r.tracking_no,
      shippedAt: r.shipped_at,
      recordedAt: r.recorded_at,
    }));
}

/** The SKU linked to a channel's own item id, if any (order lines that carry only the channel's ref). */
export function skuForRef(ctx: LedgerCtx, channelId: string, ref: string): Sku | undefined {
  const r = ctx
    .stmt<[string, string], { sku: string }>("SELECT sku FROM listings WHERE channel_id = ? AND ref = ?")
    .get(channelId, ref);
  return r ? asSku(r.sku) : undefined;
}

const hasChannelOrders = (ctx: LedgerCtx): boolean =>
  ctx.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'channel_orders'").get() !== undefined;

/** The channels that have an order `orderId` (its order reservations and the channel orders we imported). */
export function channelsOfOrder(ctx: LedgerCtx, orderId: string): string[] {
  const seen = new Set(
    ctx
      .stmt<[string], { channel_id: string }>(
        "SELECT DISTINCT channel_id FROM reservations WHERE kind = 'order' AND order_id = ? AND channel_id IS NOT NULL",
      )
      .all(orderId)
      .map((r) => r.channel_id),
  );
  if (hasChannelOrders(ctx)) {
    for (const r of ctx
      .stmt<[string], { channel_id: string }>("SELECT channel_id FROM channel_orders WHERE order_id = ?")
      .all(orderId))
      seen.add(r.channel_id);
  }
  return [...seen];
}

/** An imported order's total, when the channel told us one. */
export function orderTotal(ctx: LedgerCtx, channelId: string, orderId: string): Money | undefined {
  if (!hasChannelOrders(ctx)) return undefined;
  const r = ctx
    .stmt<[string, string], { total_minor: number | null; currency: string | null }>(
      "SELECT total_minor, currency FROM channel_orders WHERE channel_id = ? AND order_id = ?",
    )
    .get(channelId, orderId);
  return r && r.total_minor !== null && r.currency ? { amountMinor: r.total_minor, currency: r.currency } : undefined;
}

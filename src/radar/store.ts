import { normalizeCarrier } from "../couriers/carrier-codes.js";
import { eventDedupeKey, isTrackingNo, normalizeTrackingNo } from "../couriers/numbers.js";
import { asCanonicalStatus, type CanonicalStatus, impliesScan, isProblem, isTerminal } from "../couriers/status.js";
import type { Tracking } from "../couriers/types.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asCourierCode, type CourierCode } from "../ids.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";

/** Where a parcel goes: used for carrier × region analytics (from our order, not provider text). */
export interface Destination {
  country?: string | undefined;
  /** Province / state. */
  region?: string | undefined;
  city?: string | undefined;
}

/** One shipped parcel as the radar sees it. */
export interface Shipment {
  id: number;
  orderRef: string;
  channelId: string | null;
  /** Every order this parcel carries (the first is `orderRef`). */
  orderRefs: string[];
  carrier: CourierCode;
  trackingNo: string;
  provider: string | null;
  phoneLast4: string | null;
  shippedAt: string;
  destination: Destination;
  status: CanonicalStatus;
  subStatus: string | null;
  providerStatus: string | null;
  /** When the parcel entered its current status. */
  statusSince: string;
  /** First physical carrier scan. */
  firstScanAt: string | null;
  /** Newest carrier scan (never a poll or push time). */
  lastEventAt: string | null;
  deliveredAt: string | null;
  hadProblem: boolean;
  isLost: boolean;
  /** Last time a poll or verified push for this parcel succeeded. */
  lastSyncOkAt: string | null;
  lastSyncError: string | null;
  syncFailures: number;
  /** When the provider started pushing updates for it (subscription / registration). */
  subscribedAt: string | null;
  lastPolledAt: string | null;
  nextCheckAt: string | null;
  /** When tracking stopped (terminal status, provider stop, or too old); null while active. */
  endedAt: string | null;
  createdAt: string;
}

/** One stored carrier scan. */
export interface StoredEvent {
  id: number;
  occurredAt: string;
  status: CanonicalStatus;
  subStatus: string | null;
  providerCode: string;
  description: string;
  location: string | null;
  source: string;
}

/** What `recordShipment` needs; the channel-sync import and `/ship` both call it. */
export interface ShipmentInput {
  orderRef: string;
  channelId?: string | null | undefined;
  /** Our code or anything an operator or a channel writes ("SF", "顺丰", "SF Express", "zto"). */
  carrier: CourierCode | string;
  trackingNo: string;
  /** When we marked it shipped (default: now). */
  shippedAt?: Date | string | undefined;
  destination?: Destination | undefined;
  /** Recipient phone or its last 4 digits (SF / ZTO need it); only the last 4 are stored. */
  phone?: string | undefined;
  /** Provider kind that should track it (default: decided by the radar). */
  provider?: string | undefined;
}

interface ShipmentRow {
  id: number;
  order_ref: string;
  channel_id: string | null;
  carrier: string;
  tracking_no: string;
  provider: string | null;
  phone_last4: string | null;
  shipped_at: string;
  dest_country: string | null;
  dest_region: string | null;
  dest_city: string | null;
  status: string;
  sub_status: string | null;
  provider_status: string | null;
  status_since: string;
  first_scan_at: string | null;
  last_event_at: string | null;
  delivered_at: string | null;
  had_problem: number;
  is_lost: number;
  last_sync_ok_at: string | null;
  last_sync_error: string | null;
  sync_failures: number;
  subscribed_at: string | null;
  last_polled_at: string | null;
  next_check_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

function orderRefsOf(ctx: LedgerCtx, id: number, primary: string): string[] {
  const refs = ctx
    .stmt<[number], { order_ref: string }>(
      "SELECT DISTINCT order_ref FROM shipment_orders WHERE shipment_id = ? ORDER BY rowid",
    )
    .all(id)
    .map((r) => r.order_ref);
  return [primary, ...refs.filter((r) => r !== primary)];
}

function toShipment(ctx: LedgerCtx, r: ShipmentRow, withRefs = true): Shipment {
  return {
    id: r.id,
    orderRef: r.order_ref,
    channelId: r.channel_id,
    orderRefs: withRefs ? orderRefsOf(ctx, r.id, r.order_ref) : [r.order_ref],
    carrier: asCourierCode(r.carrier),
    trackingNo: r.tracking_no,
    provider: r.provider,
    phoneLast4: r.phone_last4,
    shippedAt: r.shipped_at,
    destination: {
      country: r.dest_country ?? undefined,
      region: r.dest_region ?? undefined,
      city: r.dest_city ?? undefined,
    },
    status: asCanonicalStatus(r.status),
    subStatus: r.sub_status,
    providerStatus: r.provider_status,
    statusSince: r.status_since,
    firstScanAt: r.first_scan_at,
    lastEventAt: r.last_event_at,
    deliveredAt: r.delivered_at,
    hadProblem: r.had_problem === 1,
    isLost: r.is_lost === 1,
    lastSyncOkAt: r.last_sync_ok_at,
    lastSyncError: r.last_sync_error,
    syncFailures: r.sync_failures,
    subscribedAt: r.subscribed_at,
    lastPolledAt: r.last_polled_at,
    nextCheckAt: r.next_check_at,
    endedAt: r.ended_at,
    createdAt: r.created_at,
  };
}

const iso = (d: Date | string): string => (typeof d === "string" ? new Date(d).toISOString() : d.toISOString());

/**
 * Records a shipped parcel. Idempotent on (carrier, tracking number): recording it again (a re-imported
 * order, a second order in the same box) returns the existing parcel, adds the order to it and fills in
 * a destination that was missing. Returns the parcel and whether it is new.
 */
export function recordShipment(ctx: LedgerCtx, input: ShipmentInput): { shipment: Shipment; isNew: boolean } {
  const trackingNo = normalizeTrackingNo(input.trackingNo);
  if (!isTrackingNo(trackingNo)) {
    throw localized(
      InvalidInputError,
      "bad_tracking_no",
      textRef("err-bad-tracking-no", { no: input.trackingNo.slice(0, 40) }),
    );
  }
  const carrier = normalizeCarrier(input.carrier);
  if (!carrier)
    throw localized(
      InvalidInputError,
      "bad_carrier",
      textRef("err-bad-carrier", { carrier: input.carrier.slice(0, 40) }),
    );
  const orderRef = input.orderRef.trim();
  if (!orderRef) throw localized(InvalidInputError, "bad_order_ref", textRef("err-bad-order-ref"));
  const now = nowIso(ctx);
  const shippedAt = input.shippedAt ? iso(input.shippedAt) : now;
  const d = input.destination ?? {};
  const phone = input.phone ? input.phone.replace(/\D/g, "").slice(-4) || null : null;
  return write(ctx, () => {
    const info = ctx
      .stmt(
        `INSERT INTO shipments (order_ref, channel_id, carrier, tracking_no, provider, phone_last4, shipped_at, dest_country, dest_region,
           dest_city, status, status_since, next_check_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NO_INFO', ?, ?, ?, ?)
         ON CONFLICT (carrier, tracking_no) DO NOTHING`,
      )
      .run(
        orderRef,
        input.channelId ?? null,
        carrier,
        trackingNo,
        input.provider ?? null,
        phone,
        shippedAt,
        d.country ?? null,
        d.region ?? null,
        d.city ?? null,
        shippedAt,
        now,
        now,
        now,
      );
    const row = ctx
      .stmt<[string, string], ShipmentRow>("SELECT * FROM shipments WHERE carrier = ? AND tracking_no = ?")
      .get(carrier, trackingNo);
    if (!row) throw new Error("internal invariant broken: the shipment was just upserted");
    ctx
      .stmt("INSERT OR IGNORE INTO shipment_orders (shipment_id, order_ref, channel_id) VALUES (?, ?, ?)")
      .run(row.id, orderRef, input.channelId ?? "");
    const isNew = info.changes === 1;
    if (!isNew) {
      ctx
        .stmt(
          `UPDATE shipments SET dest_country = COALESCE(dest_country, ?), dest_region = COALESCE(dest_region, ?),
             dest_city = COALESCE(dest_city, ?), phone_last4 = COALESCE(phone_last4, ?), updated_at = ? WHERE id = ?`,
        )
        .run(d.country ?? null, d.region ?? null, d.city ?? null, phone, now, row.id);
    }
    return { shipment: getShipment(ctx, row.id), isNew };
  });
}

/** One parcel by id; NotFoundError otherwise. */
export function getShipment(ctx: LedgerCtx, id: number): Shipment {
  const r = ctx.stmt<[number], ShipmentRow>("SELECT * FROM shipments WHERE id = ?").get(id);
  if (!r)
    throw localized(NotFoundError, "unknown_shipment", textRef("err-unknown-shipment", { id: String(id) }), { id });
  return toShipment(ctx, r);
}

/** Parcels matching a tracking number (any carrier) or an order reference, newest first. */
export function findShipments(ctx: LedgerCtx, ref: string): Shipment[] {
  const t = normalizeTrackingNo(ref);
  return ctx
    .stmt<[string, string], ShipmentRow>(
      `SELECT * FROM shipments WHERE tracking_no = ?
         OR id IN (SELECT shipment_id FROM shipment_orders WHERE order_ref = ?)
       ORDER BY shipped_at DESC, id DESC LIMIT 20`,
    )
    .all(t, ref.trim())
    .map((r) => toShipment(ctx, r));
}

/** The parcel a push talks about: by carrier and number, or by number alone when the carrier is unknown or differs. */
export function findByTracking(ctx: LedgerCtx, trackingNo: string, carrier?: string): Shipment | undefined {
  const t = normalizeTrackingNo(trackingNo);
  const exact = carrier
    ? ctx
        .stmt<[string, string], ShipmentRow>("SELECT * FROM shipments WHERE carrier = ? AND tracking_no = ?")
        .get(carrier, t)
    : undefined;
  const r =
    exact ??
    ctx
      .stmt<[string], ShipmentRow>(
        "SELECT * FROM shipments WHERE tracking_no = ? ORDER BY ended_at IS NOT NULL, id DESC LIMIT 1",
      )
      .get(t);
  return r ? toShipment(ctx, r) : undefined;
}

/** Events of a parcel, newest first. */
export function eventsFor(ctx: LedgerCtx, shipmentId: number, limit = 50): StoredEvent[] {
  return ctx
    .stmt<
      [number, number],
      {
        id: number;
        occurred_at: string;
        status: string;
        sub_status: string | null;
        provider_code: string;
        description: string;
        location: string | null;
        source: string;
      }
    >("SELECT * FROM tracking_events WHERE shipment_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?")
    .all(shipmentId, limit)
    .map((e) => ({
      id: e.id,
      occurredAt: e.occurred_at,
      status: asCanonicalStatus(e.status),
      subStatus: e.sub_status,
      providerCode: e.provider_code,
      description: e.description,
      location: e.location,
      source: e.source,
    }));
}

/** What applying a tracking result changed. */
export interface ApplyResult {
  before: Shipment;
  after: Shipment;
  newEvents: number;
  statusChanged: boolean;
}

/**
 * Applies what a provider knows (poll or verified push) in one transaction: stores new events once,
 * recomputes first scan / newest scan / delivered-at from all stored events, moves the status (an older
 * answer never overwrites a newer one), marks the sync fresh, and ends tracking at a terminal status.
 */
export function applyTracking(
  ctx: LedgerCtx,
  shipmentId: number,
  tracking: Tracking,
  opts: { source: string; nextCheckAt?: Date | null | undefined; isPoll?: boolean },
): ApplyResult {
  const now = nowIso(ctx);
  return write(ctx, () => {
    const before = getShipment(ctx, shipmentId);
    const insert = ctx.stmt(
      `INSERT INTO tracking_events (shipment_id, occurred_at, status, sub_status, provider_code, description, location, source, dedupe_key, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shipment_id, dedupe_key) DO NOTHING`,
    );
    let newEvents = 0;
    for (const e of tracking.events) {
      newEvents += insert.run(
        shipmentId,
        e.occurredAt.toISOString(),
        e.status,
        e.subStatus ?? null,
        e.providerCode,
        e.description,
        e.location ?? null,
        opts.source,
        eventDedupeKey(e.occurredAt, e.description),
        now,
      ).changes;
    }
    const agg = ctx
      .stmt<
        [number],
        { first_scan: string | null; last_event: string | null; delivered: string | null; problems: number }
      >(
        `SELECT MIN(CASE WHEN status NOT IN ('NO_INFO', 'INFO_RECEIVED', 'CANCELLED', 'EXPIRED') THEN occurred_at END) AS first_scan,
                MAX(occurred_at) AS last_event,
                MIN(CASE WHEN status = 'DELIVERED' THEN occurred_at END) AS delivered,
                SUM(status IN ('DELIVERY_FAILED', 'EXCEPTION', 'REJECTED', 'RETURNING', 'RETURNED')) AS problems
         FROM tracking_events WHERE shipment_id = ?`,
      )
      .get(shipmentId);
    if (!agg) throw new Error("internal invariant broken: an aggregate query returns one row");
    const newestIncoming = tracking.events.reduce<string | null>((m, e) => {
      const t = e.occurredAt.toISOString();
      return m === null || t > m ? t : m;
    }, null);
    // An answer whose newest scan is older than what we already hold is stale (a late push): keep our status.
    const isStale =
      before.lastEventAt !== null &&
      (newestIncoming === null ? tracking.status === "NO_INFO" : newestIncoming < before.lastEventAt);
    const status: CanonicalStatus = isStale ? before.status : tracking.status;
    const subStatus = isStale ? before.subStatus : (tracking.subStatus ?? null);
    const statusChanged = status !== before.status || subStatus !== before.subStatus;
    const firstScan = agg.first_scan ?? (impliesScan(status) && status !== "NO_INFO" ? (agg.last_event ?? null) : null);
    const deliveredAt = status === "DELIVERED" ? (agg.delivered ?? agg.last_event ?? now) : null;
    const ended = isTerminal(status) || (tracking.isStopped === true && status !== "NO_INFO");
    const carrier =
      tracking.correctedCarrier &&
      tracking.correctedCarrier !== before.carrier &&
      !findByTracking(ctx, before.trackingNo, tracking.correctedCarrier)?.id
        ? tracking.correctedCarrier
        : before.carrier;
    ctx
      .stmt(
        `UPDATE shipments SET carrier = ?, status = ?, sub_status = ?, provider_status = ?, status_since = ?, first_scan_at = ?,
           last_event_at = ?, delivered_at = ?, had_problem = MAX(had_problem, ?), is_lost = MAX(is_lost, ?), last_sync_ok_at = ?,
           last_sync_error = NULL, sync_failures = 0, last_polled_at = COALESCE(?, last_polled_at), next_check_at = ?,
           ended_at = COALESCE(ended_at, ?), updated_at = ? WHERE id = ?`,
      )
      .run(
        carrier,
        status,
        subStatus,
        isStale ? before.providerStatus : tracking.providerStatus,
        statusChanged
          ? newestIncoming && newestIncoming > (before.lastEventAt ?? "")
            ? newestIncoming
            : now
          : before.statusSince,
        firstScan ?? before.firstScanAt,
        agg.last_event,
        deliveredAt,
        (agg.problems ?? 0) > 0 || isProblem(status) ? 1 : 0,
        subStatus === "LOST" ? 1 : 0,
        now,
        opts.isPoll ? now : null,
        ended
          ? null
          : opts.nextCheckAt === undefined
            ? before.nextCheckAt
            : opts.nextCheckAt
              ? opts.nextCheckAt.toISOString()
              : null,
        ended ? now : null,
        now,
        shipmentId,
      );
    return { before, after: getShipment(ctx, shipmentId), newEvents, statusChanged };
  });
}

/** Records a failed poll: counts the failure and schedules the next attempt (the caller computes the backoff). */
export function recordSyncFailure(
  ctx: LedgerCtx,
  shipmentId: number,
  error: string,
  nextCheckAt: Date,
  opts: { isPoll?: boolean } = {},
): Shipment {
  const now = nowIso(ctx);
  write(ctx, () =>
    ctx
      .stmt(
        `UPDATE shipments SET sync_failures = sync_failures + 1, last_sync_error = ?, next_check_at = ?,
           last_polled_at = COALESCE(?, last_polled_at), updated_at = ? WHERE id = ? AND ended_at IS NULL`,
      )
      .run(error.slice(0, 300), nextCheckAt.toISOString(), opts.isPoll ? now : null, now, shipmentId),
  );
  return getShipment(ctx, shipmentId);
}

/** Marks a parcel as subscribed with a provider (pushes will arrive); also pins the provider. */
export function markSubscribed(ctx: LedgerCtx, shipmentId: number, provider: string, nextCheckAt: Date): void {
  const now = nowIso(ctx);
  write(ctx, () =>
    ctx
      .stmt(
        "UPDATE shipments SET subscribed_at = COALESCE(subscribed_at, ?), provider = ?, next_check_at = ?, updated_at = ? WHERE id = ?",
      )
      .run(now, provider, nextCheckAt.toISOString(), now, shipmentId),
  );
}

/** Pins the provider that tracks a parcel and when to look at it next. */
export function scheduleCheck(
  ctx: LedgerCtx,
  shipmentId: number,
  provider: string | null,
  nextCheckAt: Date | null,
): void {
  write(ctx, () =>
    ctx
      .stmt(
        "UPDATE shipments SET provider = COALESCE(?, provider), next_check_at = ?, updated_at = ? WHERE id = ? AND ended_at IS NULL",
      )
      .run(provider, nextCheckAt ? nextCheckAt.toISOString() : null, nowIso(ctx), shipmentId),
  );
}

/** Stops watching a parcel (provider stopped, too old, cancelled by an operator); optionally sets its final status. */
export function endTracking(ctx: LedgerCtx, shipmentId: number, status?: CanonicalStatus): Shipment {
  const now = nowIso(ctx);
  write(ctx, () =>
    ctx
      .stmt(
        `UPDATE shipments SET ended_at = COALESCE(ended_at, ?), next_check_at = NULL,
           status = COALESCE(?, status), status_since = CASE WHEN ? IS NOT NULL AND ? != status THEN ? ELSE status_since END,
           updated_at = ? WHERE id = ?`,
      )
      .run(now, status ?? null, status ?? null, status ?? null, now, now, shipmentId),
  );
  return getShipment(ctx, shipmentId);
}

/** Active parcels whose next check is due, oldest due first. */
export function dueShipments(ctx: LedgerCtx, limit = 10_000): Shipment[] {
  return ctx
    .stmt<[string, number], ShipmentRow>(
      "SELECT * FROM shipments WHERE ended_at IS NULL AND next_check_at IS NOT NULL AND next_check_at <= ? ORDER BY next_check_at, id LIMIT ?",
    )
    .all(nowIso(ctx), limit)
    .map((r) => toShipment(ctx, r, false));
}

/** Every parcel still being watched. */
export function activeShipments(ctx: LedgerCtx): Shipment[] {
  return ctx
    .stmt<[], ShipmentRow>("SELECT * FROM shipments WHERE ended_at IS NULL ORDER BY shipped_at, id")
    .all()
    .map((r) => toShipment(ctx, r, false));
}

/** Parcels shipped at or after `since` (analytics window), with or without an outcome yet. */
export function shipmentsShippedSince(ctx: LedgerCtx, since: Date): Shipment[] {
  return ctx
    .stmt<[string], ShipmentRow>("SELECT * FROM shipments WHERE shipped_at >= ? ORDER BY shipped_at, id")
    .all(since.toISOString())
    .map((r) => toShipment(ctx, r, false));
}

/** Adds `n` calls to a provider's counter for a day ("2026-11-20") and returns the day's total. */
export function countCourierCalls(ctx: LedgerCtx, provider: string, day: string, n = 1): number {
  return write(ctx, () => {
    ctx
      .stmt(
        "INSERT INTO courier_calls (provider, day, calls) VALUES (?, ?, ?) ON CONFLICT (provider, day) DO UPDATE SET calls = calls + excluded.calls",
      )
      .run(provider, day, n);
    return courierCallsOn(ctx, provider, day);
  });
}

/** Calls made to a provider on a day. */
export function courierCallsOn(ctx: LedgerCtx, provider: string, day: string): number {
  return (
    ctx
      .stmt<[string, string], { calls: number }>("SELECT calls FROM courier_calls WHERE provider = ? AND day = ?")
      .get(provider, day)?.calls ?? 0
  );
}

/** Forgets a provider subscription (the provider says the number is not registered): the next check subscribes again. */
export function clearSubscription(ctx: LedgerCtx, shipmentId: number): void {
  write(ctx, () =>
    ctx.stmt("UPDATE shipments SET subscribed_at = NULL, updated_at = ? WHERE id = ?").run(nowIso(ctx), shipmentId),
  );
}

/**
 * Retention: deletes the scan events of parcels delivered before `before` (the parcel row keeps its status, first
 * scan, delivered-at and orders). Returns how many events left.
 */
export function pruneDeliveredEvents(ctx: LedgerCtx, before: Date): number {
  return write(
    ctx,
    () =>
      ctx
        .stmt(
          `DELETE FROM tracking_events WHERE shipment_id IN
             (SELECT id FROM shipments WHERE status = 'DELIVERED' AND delivered_at IS NOT NULL AND delivered_at < ?)`,
        )
        .run(before.toISOString()).changes,
  );
}

import type { LedgerCtx } from "../ledger/context.js";

/** One scan of a delivered parcel, for learning its lane's usual gaps (oldest first per parcel). */
export interface DeliveredScan {
  shipmentId: number;
  destCountry: string | null;
  destRegion: string | null;
  occurredAt: string;
  /** The scan's location, or its description when the provider gave none ("【杭州市】已揽收" names the place). */
  place: string;
}

/** Every scan of a carrier's parcels delivered since `sinceIso`, grouped by parcel, oldest first. */
export function deliveredScans(ctx: LedgerCtx, carrier: string, sinceIso: string): DeliveredScan[] {
  return ctx
    .stmt<
      [string, string],
      {
        shipment_id: number;
        dest_country: string | null;
        dest_region: string | null;
        occurred_at: string;
        place: string;
      }
    >(
      `SELECT e.shipment_id, s.dest_country, s.dest_region, e.occurred_at,
              COALESCE(NULLIF(e.location, ''), e.description) AS place
       FROM shipments s JOIN tracking_events e ON e.shipment_id = s.id
       WHERE s.carrier = ? AND s.status = 'DELIVERED' AND s.delivered_at >= ?
       ORDER BY e.shipment_id, e.occurred_at, e.id`,
    )
    .all(carrier, sinceIso)
    .map((r) => ({
      shipmentId: r.shipment_id,
      destCountry: r.dest_country,
      destRegion: r.dest_region,
      occurredAt: r.occurred_at,
      place: r.place,
    }));
}

/** The places of a parcel's oldest scans (location, else description), oldest first: where it set off. */
export function firstPlaces(ctx: LedgerCtx, shipmentId: number, limit = 5): string[] {
  return ctx
    .stmt<[number, number], { place: string }>(
      `SELECT COALESCE(NULLIF(location, ''), description) AS place FROM tracking_events WHERE shipment_id = ?
       ORDER BY occurred_at, id LIMIT ?`,
    )
    .all(shipmentId, limit)
    .map((r) => r.place);
}

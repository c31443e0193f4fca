import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { checkInvariants } from "../src/ledger/invariants.js";
import { runSlot } from "../src/scheduler.js";
import { testApp } from "./support/app.js";
import { seed } from "./support/ledger.js";

const retention = jobs.find((j) => j.name === "retention")!;
const DAY = 86_400_000;

describe("retention job", () => {
  it("removes only aged push-log rows (each channel's newest 200 stay) and aged delivered parcels' scans; movements stay and the invariants hold", async () => {
    const t = await testApp(
      { retention: { pushLogDays: 90, deliveredTrackingDays: 180 } },
      { start: "2026-01-01T08:00:00Z" },
    );
    try {
      const { ledger, channelState, shipments } = t.app.deps;
      const a = seed(ledger, "A-1", 1000);
      ledger.listings.linkListing({ channelId: "shop1", sku: a, ref: "s-1" });
      ledger.listings.linkListing({ channelId: "woo", sku: a, ref: "11" });
      /** One confirmed push per channel, through the ledger's own change and the engine's confirmation. */
      const pushBoth = (i: number): void => {
        ledger.stock.adjustOnHand(a, -1, { actor: "test", idempotencyKey: `sale:${i}` });
        for (const row of ledger.outbox.allOutbox()) channelState.confirmAndLog(row, row.targetQty, true);
      };
      // 300 old pushes per channel, then 400 days later 10 fresh ones.
      for (let i = 0; i < 300; i++) pushBoth(i);
      const parcel = (no: string, deliveredAt: Date) => {
        const { shipment } = shipments.recordShipment({
          orderRef: no,
          carrier: "sf",
          trackingNo: no,
          shippedAt: new Date(deliveredAt.getTime() - 2 * DAY),
        });
        shipments.applyTracking(
          shipment.id,
          {
            carrier: shipment.carrier,
            trackingNo: shipment.trackingNo,
            status: "DELIVERED",
            providerStatus: "3",
            events: [
              {
                occurredAt: new Date(deliveredAt.getTime() - DAY),
                status: "IN_TRANSIT",
                providerCode: "0",
                description: "运输中",
              },
              { occurredAt: deliveredAt, status: "DELIVERED", providerCode: "3", description: "已签收" },
            ],
          },
          { source: "test" },
        );
        return shipment.id;
      };
      const oldParcel = parcel("SF1000000000001", new Date(t.clock.now().getTime() - DAY));
      t.clock.advance(400 * DAY);
      for (let i = 300; i < 310; i++) pushBoth(i);
      const recentParcel = parcel("SF1000000000002", new Date(t.clock.now().getTime() - 10 * DAY));
      const movementsBefore = ledger.movements(a, 10_000).length;
      expect(channelState.pushLog({ channelId: "woo", limit: 10_000 })).toHaveLength(310);

      const report = await runSlot(retention, t.app.deps, t.clock.now());
      // 110 pushes on each channel and the old parcel's 2 scans.
      expect(report).toMatchObject({ changed: 222, problems: [] });
      // Per channel: 310 rows, 300 aged; the newest 200 stay whatever their age → 110 removed per channel.
      for (const c of ["shop1", "woo"]) expect(channelState.pushLog({ channelId: c, limit: 10_000 })).toHaveLength(200);
      expect(shipments.eventsFor(oldParcel)).toEqual([]);
      expect(shipments.getShipment(oldParcel)).toMatchObject({ status: "DELIVERED" });
      expect(shipments.eventsFor(recentParcel)).toHaveLength(2);
      expect(ledger.movements(a, 10_000)).toHaveLength(movementsBefore);
      const db = new Database(t.config.database, { readonly: true });
      try {
        expect(checkInvariants(db).mismatches).toEqual([]);
      } finally {
        db.close();
      }
      // A second run finds nothing left to age out.
      t.clock.advance(DAY);
      const again = await runSlot(retention, t.app.deps, t.clock.now());
      expect(again).toMatchObject({ changed: 0, problems: [] });
    } finally {
      await t.close();
    }
  });
});

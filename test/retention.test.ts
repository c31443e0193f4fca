import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { checkInvariants } from "../src/ledger/invariants.js";
import { createLaneModel, learnedWindowStart, learnLanes } from "../src/radar/lanes.js";
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

  it("keeps the scans learned stall thresholds read: a lane's learned threshold is the same after retention", async () => {
    // Scans of delivered parcels are kept 30 days, the learner reads 90: the parcels delivered 40–62 days ago
    // must keep their scans (without them this lane drops below 10 parcels and falls back to 36 h).
    const t = await testApp(
      {
        retention: { pushLogDays: 90, deliveredTrackingDays: 30 },
        radar: { learnedStall: { windowDays: 90, minParcels: 10, floorHours: 12 } },
      },
      { start: "2026-06-01T08:00:00Z" },
    );
    try {
      const { shipments, radarLanes, config } = t.app.deps;
      const H = 3_600_000;
      const now = () => t.clock.now().getTime();
      let serial = 0;
      /** A parcel 浙江→辽宁 with gaps 6, 12, 20, 30 h, delivered `daysAgo` days ago (or still on its way). */
      const parcel = (daysAgo: number, delivered = true) => {
        const end = now() - daysAgo * DAY;
        const gaps = [6, 12, 20, 30];
        let at = end - gaps.reduce((a, b) => a + b, 0) * H;
        const no = `7300000${String(++serial).padStart(5, "0")}`;
        const { shipment } = shipments.recordShipment({
          orderRef: `O-${serial}`,
          carrier: "zhongtong",
          trackingNo: no,
          shippedAt: new Date(at - H),
          destination: { region: "辽宁" },
        });
        const events = [
          {
            occurredAt: new Date(at),
            status: "PICKED_UP" as const,
            providerCode: "0",
            description: "【杭州市】已揽收",
          },
        ];
        for (const [i, g] of gaps.entries()) {
          at += g * H;
          const last = i === gaps.length - 1;
          events.push({
            occurredAt: new Date(at),
            status: (last && delivered ? "DELIVERED" : "IN_TRANSIT") as "PICKED_UP",
            providerCode: String(i + 1),
            description: last ? "【沈阳市】已签收" : "【杭州转运中心】已发出",
          });
        }
        shipments.applyTracking(
          shipment.id,
          {
            carrier: shipment.carrier,
            trackingNo: no,
            status: delivered ? "DELIVERED" : "IN_TRANSIT",
            providerStatus: "test",
            events: delivered ? events : events.slice(0, 3),
          },
          { source: "test" },
        );
        return shipment.id;
      };
      const learning = Array.from({ length: 12 }, (_, i) => parcel(40 + 2 * i));
      const ancient = [parcel(200), parcel(300)];
      const recent = parcel(5);
      const active = parcel(0, false);
      const settings = { ...config.radar.learnedStall, stalledHours: config.alerts.stalledHours };
      const since = learnedWindowStart(t.clock.now(), settings.windowDays).toISOString();
      const learned = () => learnLanes("zhongtong", radarLanes.deliveredScans("zhongtong", since));
      const activeShipment = shipments.getShipment(active)!;
      const before = {
        lanes: learned(),
        threshold: createLaneModel(radarLanes, settings, t.clock.now()).thresholdFor(activeShipment),
      };
      expect(before.threshold).toMatchObject({ hours: 30, learned: { parcels: 13, p90Hours: 30 } });

      const report = await runSlot(retention, t.app.deps, t.clock.now());
      // Only the two parcels delivered before both windows lose their 5 scans each.
      expect(report).toMatchObject({ changed: 10, problems: [] });
      for (const id of ancient) expect(shipments.eventsFor(id)).toEqual([]);
      for (const id of [...learning, recent]) expect(shipments.eventsFor(id)).toHaveLength(5);
      expect(shipments.eventsFor(active)).toHaveLength(3);

      // Same lanes, same threshold: learned afresh (past the model's one-hour reuse) from what retention left.
      t.clock.advance(2 * H);
      expect(learned()).toEqual(before.lanes);
      expect(createLaneModel(radarLanes, settings, t.clock.now()).thresholdFor(activeShipment)).toEqual(
        before.threshold,
      );
    } finally {
      await t.close();
    }
  });
});

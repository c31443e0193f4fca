import type { CanonicalStatus } from "../couriers/status.js";
import type { Deps } from "../deps.js";
import { runCourierCheck } from "../radar/check.js";
import { startKuaidi100Sim } from "./kuaidi100.js";
import { startSeventeenTrackSim } from "./seventeentrack.js";

const H = 3_600_000;

/** The logistics part of `stockradar demo`: local Kuaidi100 and 17TRACK simulators and a month of parcels. */
export interface RadarDemo {
  /** Raw `couriers` config entries pointing at the simulators (put them in the demo config). */
  couriers: Record<string, unknown>[];
  /** Seeds a month of delivered parcels plus a few live problem parcels, then runs one courier check. */
  seed(deps: Deps): Promise<void>;
  close(): Promise<void>;
}

/** Starts the simulators; call `seed` once the app is built with `couriers` in its config. */
export async function startRadarDemo(): Promise<RadarDemo> {
  const k100 = { customer: "DEMO-CUSTOMER", key: "demo-kuaidi100-key", salt: "demo-kuaidi100-salt" };
  const kuaidi100 = await startKuaidi100Sim({ customer: k100.customer, key: k100.key });
  const track17 = await startSeventeenTrackSim({ apiKey: "demo-17track-key", ratePerSecond: 3 });
  return {
    couriers: [
      {
        kind: "kuaidi100",
        ...k100,
        apiBase: kuaidi100.url,
        push: false,
        carriers: ["yuantong", "shunfeng", "zhongtong", "yunda"],
      },
      { kind: "17track", apiKey: "demo-17track-key", apiBase: track17.apiBase },
    ],
    async seed(deps) {
      const { ledger, shipments } = deps;
      const now = deps.clock.now().getTime();
      // History: who delivers how fast where (the /carriers chart).
      const lanes: [string, string, number][] = [
        ["shunfeng", "广东", 26],
        ["yuantong", "广东", 62],
        ["zhongtong", "浙江", 40],
        ["yuantong", "浙江", 44],
        ["shunfeng", "北京", 30],
        ["yunda", "北京", 70],
      ];
      let n = 0;
      ledger.transaction(() => {
        for (const [carrier, region, hours] of lanes) {
          for (let i = 0; i < 36; i++, n++) {
            const transit = hours * (0.75 + ((i * 7) % 10) / 16);
            const shippedAt = now - (3 + (i % 25)) * 24 * H;
            const { shipment } = shipments.recordShipment({
              orderRef: `DEMO-H${n}`,
              carrier,
              trackingNo: `HIST${String(100000000 + n)}`,
              shippedAt: new Date(shippedAt),
              destination: { country: "CN", region },
            });
            const status: CanonicalStatus = i === 5 && carrier === "yunda" ? "RETURNED" : "DELIVERED";
            shipments.applyTracking(
              shipment.id,
              {
                carrier: shipment.carrier,
                trackingNo: shipment.trackingNo,
                status,
                providerStatus: "demo",
                events: [
                  {
                    occurredAt: new Date(shippedAt + 4 * H),
                    status: "PICKED_UP",
                    providerCode: "103",
                    description: "已揽收",
                  },
                  {
                    occurredAt: new Date(shippedAt + 4 * H + transit * H),
                    status,
                    providerCode: "301",
                    description: status === "DELIVERED" ? "已签收" : "已退回",
                  },
                ],
              },
              { source: "demo" },
            );
          }
        }
      });
      // Live parcels: one stalled, one never picked up (Kuaidi100), one failed delivery (17TRACK).
      shipments.recordShipment({
        orderRef: "DEMO-1001",
        carrier: "yuantong",
        trackingNo: "YT9100000000001",
        shippedAt: new Date(now - 60 * H),
        destination: { country: "CN", region: "广东" },
      });
      kuaidi100.addScan("yuantong", "YT9100000000001", {
        at: new Date(now - 58 * H),
        context: "【广州市】已揽收",
        statusCode: "103",
      });
      kuaidi100.addScan("yuantong", "YT9100000000001", {
        at: new Date(now - 40 * H),
        context: "【广州转运中心】已发出，下一站【长沙转运中心】",
        statusCode: "1002",
      });
      shipments.recordShipment({
        orderRef: "DEMO-1002",
        carrier: "yuantong",
        trackingNo: "YT9100000000002",
        shippedAt: new Date(now - 50 * H),
        destination: { country: "CN", region: "浙江" },
      });
      shipments.recordShipment({
        orderRef: "DEMO-1003",
        carrier: "ems",
        trackingNo: "EA910000003CN",
        shippedAt: new Date(now - 80 * H),
        destination: { country: "DE", region: "Berlin" },
      });
      track17.addEvent("EA910000003CN", {
        at: new Date(now - 70 * H),
        description: "Posting/Collection",
        subStatus: "InTransit_PickedUp",
      });
      track17.addEvent("EA910000003CN", {
        at: new Date(now - 5 * H),
        description: "Delivery attempt failed: addressee absent",
        subStatus: "DeliveryFailure_NoBody",
      });
      await runCourierCheck(deps, { signal: AbortSignal.timeout(60_000) });
    },
    async close() {
      await kuaidi100.close();
      await track17.close();
    },
  };
}

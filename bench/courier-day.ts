import ky from "ky";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { createCourierRegistry } from "../src/couriers/registry.js";
import { asCourierCode } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { runCourierCheck } from "../src/radar/check.js";
import { startSeventeenTrackSim } from "../src/sandbox/seventeentrack.js";
import { openBenchLedger, storesOf } from "./open.js";
import type { BenchSection } from "./types.js";

/**
 * Courier calls per parcel-day: N parcels in transit watched for one simulated day, the courier-check job
 * running hourly (as scheduled) on a manual clock against the 17TRACK simulator. Baseline: one query per parcel
 * per poll interval, what a tracker without batching would spend.
 */
export const courierDayBench: BenchSection = async ({ full, log }) => {
  const n = full ? 2_000 : 400;
  // Not a rate-limit test (the radar section is): let the simulator answer as fast as it can.
  const sim = await startSeventeenTrackSim({ apiKey: "bench-key-000", ratePerSecond: 1_000, quota: n });
  try {
    const clock = manualClock("2026-11-20T00:00:00Z");
    const config = parseConfig(
      { database: ":memory:", couriers: [{ kind: "17track", apiKey: "bench-key-000", apiBase: sim.apiBase }] },
      {},
    );
    const ledger = openBenchLedger(openDatabase(":memory:"), { clock, settings: config.stock });
    const quiet = silentLogger();
    const couriers = createCourierRegistry(config.couriers, {
      http: ky.create({ retry: 0, timeout: 30_000 }),
      log: quiet,
      clock,
    });
    const deps = {
      ...storesOf(ledger),
      config,
      ledger,
      clock,
      log: quiet,
      couriers,
      channels: new Map(),
      notify: async () => {},
    };
    const numbers: string[] = [];
    const t0 = clock.now().getTime();
    ledger.transaction(() => {
      for (let i = 0; i < n; i++) {
        const no = `YT${String(2_000_000_000_000 + i)}`;
        numbers.push(no);
        const { shipment } = ledger.shipments.recordShipment({
          orderRef: `D-${i}`,
          carrier: asCourierCode("yuantong"),
          trackingNo: no,
          shippedAt: new Date(t0 - 20 * 3_600_000),
        });
        ledger.shipments.markSubscribed(shipment.id, "17track", new Date(t0 - 60_000));
        sim.addEvent(no, {
          at: new Date(t0 - 18 * 3_600_000),
          description: "Picked up",
          subStatus: "InTransit_PickedUp",
        });
      }
    });
    sim.preRegister(numbers);
    let calls = 0;
    for (let hour = 0; hour < 24; hour++) {
      const r = await runCourierCheck(deps, { signal: AbortSignal.timeout(600_000) });
      calls += r.calls["17track"] ?? 0;
      clock.advance(3_600_000);
    }
    ledger.close();
    const perParcelDay = calls / n;
    const naive = 24 / config.radar.pollEveryHours;
    log(
      `courier day: ${calls} calls for ${n} parcels over 24 hourly checks (poll every ${config.radar.pollEveryHours} h)`,
    );
    return [
      {
        figure: `courier calls per parcel-day (${n} parcels in transit, hourly checks, 17TRACK, poll every ${config.radar.pollEveryHours} h)`,
        value: perParcelDay.toFixed(3),
        baseline: `${naive.toFixed(0)} (one query per parcel per poll)`,
        ratio: (perParcelDay / naive).toFixed(3),
        target: `≤ ${((Math.ceil(n / 40) * naive) / n).toFixed(3)} (40 per call)`,
        isMet: calls <= Math.ceil(n / 40) * naive,
      },
    ];
  } finally {
    await sim.close();
  }
};

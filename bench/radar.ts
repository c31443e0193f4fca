import ky from "ky";
import { systemClock } from "../src/clock.js";
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
 * One full refresh of N active 17TRACK parcels at the real limit (3 req/s, 40 numbers per call): calls used
 * against the minimum ceil(N/40), the busiest second against the limit, and wall time against the
 * fastest the limit allows.
 */
export const radarBench: BenchSection = async ({ full, log }) => {
  const n = full ? 2000 : 400;
  const rate = 3;
  const sim = await startSeventeenTrackSim({ apiKey: "bench-key-000", ratePerSecond: rate, quota: n });
  try {
    const config = parseConfig(
      { database: ":memory:", couriers: [{ kind: "17track", apiKey: "bench-key-000", apiBase: sim.apiBase }] },
      {},
    );
    const ledger = openBenchLedger(openDatabase(":memory:"), { settings: config.stock });
    const log0 = silentLogger();
    const couriers = createCourierRegistry(config.couriers, {
      http: ky.create({ retry: 0, timeout: 30_000 }),
      log: log0,
      clock: systemClock,
    });
    const deps = {
      ...storesOf(ledger),
      config,
      ledger,
      clock: systemClock,
      log: log0,
      couriers,
      channels: new Map(),
      notify: async () => {},
    };
    const now = Date.now();
    const numbers: string[] = [];
    ledger.transaction(() => {
      for (let i = 0; i < n; i++) {
        const no = `YT${String(1_000_000_000_000 + i)}`;
        numbers.push(no);
        const { shipment } = ledger.shipments.recordShipment({
          orderRef: `B-${i}`,
          carrier: asCourierCode("yuantong"),
          trackingNo: no,
          shippedAt: new Date(now - 20 * 3_600_000),
        });
        // Registered in an earlier run; no data fetched yet, so every parcel needs this refresh.
        ledger.shipments.markSubscribed(shipment.id, "17track", new Date(now - 60_000));
        sim.addEvent(no, {
          at: new Date(now - 18 * 3_600_000),
          description: "Picked up",
          subStatus: "InTransit_PickedUp",
        });
      }
    });
    sim.preRegister(numbers);
    log(`refreshing ${n} parcels at ${rate} req/s…`);
    const started = performance.now();
    const report = await runCourierCheck(deps, { signal: AbortSignal.timeout(600_000) });
    const seconds = (performance.now() - started) / 1000;
    const calls = report.calls["17track"] ?? 0;
    const minimum = Math.ceil(n / 40);
    const fastest = (minimum - 1) / rate;
    log(`throttled ${sim.throttled}, problems ${report.problems.length}`);
    ledger.close();
    return [
      {
        figure: `17TRACK calls to refresh ${n} parcels`,
        value: String(calls),
        baseline: `${minimum} (ceil(N/40))`,
        ratio: (calls / minimum).toFixed(2),
        target: "= minimum",
        isMet: calls === minimum,
      },
      {
        figure: "17TRACK busiest second (requests)",
        value: String(sim.maxPerSecond),
        baseline: `${rate} (limit)`,
        ratio: (sim.maxPerSecond / rate).toFixed(2),
        target: "≤ limit, no 429",
        isMet: sim.maxPerSecond <= rate && sim.throttled === 0,
      },
      {
        figure: `refresh wall time, ${n} parcels`,
        value: `${seconds.toFixed(1)} s`,
        baseline: `${fastest.toFixed(1)} s (limit-bound)`,
        ratio: (seconds / Math.max(fastest, 0.1)).toFixed(2),
        target: "",
      },
    ];
  } finally {
    await sim.close();
  }
};

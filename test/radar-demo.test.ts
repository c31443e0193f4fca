import { describe, expect, it } from "vitest";
import { startRadarDemo } from "../src/sandbox/radar-demo.js";
import { testApp } from "./support/app.js";

describe("radar demo", () => {
  it("seeds parcels the demo can show with /late and /carriers", async () => {
    const demo = await startRadarDemo();
    const t = await testApp({ couriers: demo.couriers, radar: { minSample: 20 } });
    try {
      await demo.seed(t.app.deps);
      const late = (await t.run("/late")).reply.text;
      expect(late.split("\n")[0]).toBe("Late parcels (3), oldest problem first:");
      expect(late).toContain("YT9100000000001");
      expect(late).toContain("YT9100000000002");
      expect(late).toContain("EA910000003CN");
      const carriers = await t.run("/carriers");
      expect(carriers.reply.text).toContain("广东: shunfeng is faster than yuantong");
      expect(carriers.reply.image?.png.length).toBeGreaterThan(10_000);
      const failed = t.app.deps.ledger.alerts.liveAlerts().find((a) => a.kind === "parcel_delivery_failed");
      expect(failed?.text).toContain("We are sorry");
    } finally {
      await t.close();
      await demo.close();
    }
  });
});

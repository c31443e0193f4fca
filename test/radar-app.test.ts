import { describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { startKuaidi100Sim } from "../src/sandbox/kuaidi100.js";
import { runSlot } from "../src/scheduler.js";
import { testApp } from "./support/app.js";

describe("logistics radar wired into the app", () => {
  it("serves the push route, runs the courier-check job and lists the radar commands", async () => {
    const sim = await startKuaidi100Sim({ customer: "CUST-0001", key: "KEY-0001-abcdef" });
    const t = await testApp({
      http: { enabled: true, host: "127.0.0.1", port: 0, publicUrl: "http://127.0.0.1:9" },
      couriers: [
        {
          kind: "kuaidi100",
          customer: "CUST-0001",
          key: "KEY-0001-abcdef",
          salt: "SALT-0001-abcdef",
          apiBase: sim.url,
        },
      ],
    });
    try {
      await t.app.start({ http: true, scheduler: false });
      const help = (await t.run("/help")).reply.text;
      for (const c of ["/ship", "/track", "/late", "/carriers"]) expect(help).toContain(c);
      expect((await t.run("/ship 7001 yto YT7000000000001 上海")).outcome).toBe("ok");
      sim.addScan("yuantong", "YT7000000000001", {
        at: new Date("2026-11-20T06:00:00Z"),
        context: "已揽收",
        statusCode: "103",
      });

      const job = jobs.find((j) => j.name === "courier-check")!;
      const report = await runSlot(job, t.app.deps, new Date("2026-11-20T08:00:00Z"));
      expect(report).toEqual({ changed: 1, skipped: 0, problems: [] });
      expect(sim.subscriptions.get("yuantong:YT7000000000001")?.callbackurl).toBe(
        "http://127.0.0.1:9/couriers/kuaidi100/push",
      );

      const addr = t.app.http!.server.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      const pushed = await fetch(`http://127.0.0.1:${port}/couriers/kuaidi100/push`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: sim.pushBody("yuantong", "YT7000000000001"),
      });
      expect(pushed.status).toBe(200);
      const unknownKind = await fetch(`http://127.0.0.1:${port}/couriers/aftership/push`, {
        method: "POST",
        body: "x",
      });
      expect(unknownKind.status).toBe(404);
      expect((await t.run("/track YT7000000000001")).reply.text).toContain("已揽收");
    } finally {
      await t.close();
      await sim.close();
    }
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { parseConfig } from "../src/config.js";
import { runDoctor } from "../src/doctor.js";
import { opsFindings } from "../src/doctor-ops.js";
import { SkuSchema } from "../src/ids.js";
import { defineJob, runSlot } from "../src/scheduler.js";
import { tempDir, testApp } from "./support/app.js";

describe("doctor", () => {
  it("explains each problem in one line: root, open reservation API, missing backup, failed job", async () => {
    const t = await testApp({ http: { enabled: true, host: "0.0.0.0", port: 0 } });
    try {
      t.app.deps.ledger.stock.upsertSku(
        { sku: SkuSchema.parse("A-1"), onHand: 1 },
        { actor: "test", idempotencyKey: "s" },
      );
      const broken = defineJob({
        name: "reservation-expiry",
        schedule: "* * * * *",
        summary: "x",
        run: async () => {
          throw new Error("disk I/O error\nat line 2");
        },
      });
      await runSlot(broken, t.app.deps, t.clock.now());
      const lines = opsFindings(t.config, { uid: 0, now: t.clock.now() })
        .filter((f) => !f.ok)
        .map((f) => f.line);
      expect(lines).toEqual([
        "process: running as root; run as a dedicated user such as stockradar (see deploy/stockradar.service)",
        expect.stringMatching(/^backup: no backup in .+ yet; run "stockradar job backup" now/),
        expect.stringMatching(
          /^job reservation-expiry: its last run \(.+\) failed \(disk I\/O error\nat line 2\); run "stockradar job reservation-expiry"/,
        ),
        expect.stringMatching(/^http: listening on 0\.0\.0\.0 without http\.apiToken/),
      ]);
      const all = await runDoctor(t.config, "test");
      expect(all.every((f) => !f.line.includes("\n"))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it("is quiet about backups once a fresh one exists, and flags a stale one", async () => {
    const t = await testApp();
    try {
      t.app.deps.ledger.stock.upsertSku(
        { sku: SkuSchema.parse("A-1"), onHand: 1 },
        { actor: "test", idempotencyKey: "s" },
      );
      await runSlot(jobs.find((j) => j.name === "backup")!, t.app.deps, t.clock.now());
      const fresh = opsFindings(t.config, { uid: 1000, now: t.clock.now() });
      expect(fresh.filter((f) => !f.ok)).toEqual([]);
      expect(fresh.find((f) => f.line.startsWith("backup:"))?.line).toMatch(
        /^backup: newest .+stockradar-\d{8}T\d{6}\d{3}Z\.db/,
      );
      const stale = opsFindings(t.config, { uid: 1000, now: new Date(t.clock.now().getTime() + 72 * 3_600_000) });
      expect(stale.filter((f) => !f.ok).map((f) => f.line)).toEqual([
        expect.stringMatching(/^backup: the newest backup \(.+\) is 72 hours old/),
      ]);
    } finally {
      await t.close();
    }
  });

  it("names an unwritable data directory and a ledger it cannot open", async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, "file"), "x");
      const config = parseConfig({ database: join(dir, "file", "ledger.db"), http: { enabled: false } }, {});
      const lines = (await runDoctor(config, "test")).filter((f) => !f.ok).map((f) => f.line);
      expect(lines.some((l) => l.startsWith("ledger: cannot open"))).toBe(true);
      expect(lines.every((l) => !l.includes("\n"))).toBe(true);
    } finally {
      cleanup();
    }
  });
});

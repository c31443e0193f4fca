import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { runDemo } from "../src/sandbox/demo.js";
import { tempDir } from "./support/app.js";

describe("stockradar demo", () => {
  it("plays the whole flow against the simulators and exits 0", { timeout: 120_000 }, async () => {
    const { dir, cleanup } = tempDir();
    const out = new PassThrough();
    let text = "";
    out.on("data", (d: Buffer) => (text += d.toString()));
    try {
      const code = await runDemo(parseConfig({}, {}), { isInteractive: false, out, database: join(dir, "demo.db") });
      expect(code).toBe(0);
      expect(text).toContain("webhook → 200");
      expect(text).toContain("a forged signature → 401");
      expect(text).toMatch(/→ 201 H-\w+ until .*; one more → 409/);
      expect(text).toContain("tracking SF1234567890 (SF Express) recorded");
      expect(text).toContain("Reconcile repaired 1 listing on shop1");
      expect(text).toContain("Late parcels (3)");
      expect(text).toMatch(/The war-room page[^\n]*\n {2}http:\/\/127\.0\.0\.1:\d+\/dashboard\/login\?t=[\w-]{43}\n/);
      expect(text).toContain("Recommendations:");
      // Issue 12: a refund requested by one person and approved by another, the breaker trips and is reset,
      // and the daily summary comes with its chart.
      expect(text).toMatch(
        /R-\w{8} refunded: €10\.00 on shop1 order \d+ \(channel refund \d+\)\. Approved by tg:2002\./,
      );
      expect(text).toMatch(/R-\w{8} blocked: .*The breaker is now open/);
      expect(text).toContain("🟢 Breaker reset by console:local: checked with the customer");
      expect(text).toMatch(/\[chart: \d+-byte PNG saved to .*summary-\d{4}-\d{2}-\d{2}\.png\]/);
      // Every low-stock alert agrees with what the channels show.
      expect(text).not.toMatch(/has 0 available[^\n]*at most/);
    } finally {
      cleanup();
    }
  });
});

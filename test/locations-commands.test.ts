import { afterEach, describe, expect, it } from "vitest";
import { testApp } from "./support/app.js";
import { sku } from "./support/ledger.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("/move, /stock and location arguments", () => {
  it("moves stock between locations, adjusts one location and shows each location in /stock", async () => {
    const t = await testApp({
      stock: { locations: ["home", "3pl"], primaryLocation: "home" },
      access: { admins: ["console:local"] },
    });
    close = t.close;
    const { ledger } = t.app.deps;
    ledger.stock.upsertSku({ sku: sku("A-1"), onHand: 5 }, { actor: "t", idempotencyKey: "seed" });
    const adj = await t.run("/adjust A-1 +7 @3pl delivery", "console:local", "m1");
    expect(adj.reply.text).toBe("A-1: on hand 5 → 12 (+7) at 3pl; 12 available.");
    expect(ledger.movements("A-1", 1)[0]).toMatchObject({ location: "3pl", note: "delivery" });
    const mv = await t.run("/move A-1 3 home 3pl", "console:local", "m2");
    expect(mv.reply.text).toBe("A-1: moved 3 from home (5 → 2) to 3pl (7 → 10); 12 on hand in total.");
    const again = await t.run("/move A-1 3 home 3pl", "console:local", "m2");
    expect(again.reply.text).toMatch(/^Already applied/);
    const bad = await t.run("/move A-1 1 home attic", "console:local", "m3");
    expect(bad.reply.text).toBe("Unknown location attic. Known: 3pl, home. Add it to stock.locations in the config.");
    const hist = await t.run("/history A-1 3");
    expect(hist.reply.text).toContain("move by console:local: on hand +3 → 12, 3pl +3 → 10");
    expect(hist.reply.text).toContain("move by console:local: on hand -3 → 9, home -3 → 2");
    const st = await t.run("/stock A-1");
    expect(st.reply.text).toContain("By location:\n  home: 2 on hand\n  3pl: 10 on hand");
    expect(ledger.locations.locationLevels("A-1")).toEqual([
      { location: "home", onHand: 2 },
      { location: "3pl", onHand: 10 },
    ]);
  });

  it("shows on hand by location in /why and the quantity of a channel that sells from one location, in both languages", async () => {
    for (const [language, rooms, step] of [
      [
        "en",
        "On hand by location: home 5, 3pl 7.",
        "xy → 7\n  · available 12 = on hand 12 − reserved 0\n  · sells from 3pl: 7 on hand → 7",
      ],
      ["zh-CN", "分仓现货：home 5，3pl 7。", "xy → 7"],
    ] as const) {
      const t = await testApp({
        language,
        stock: { locations: ["home", "3pl"], primaryLocation: "home", lowStockThreshold: 0 },
        channels: [{ id: "xy", kind: "xianyu", locations: ["3pl"] }],
      });
      const { ledger } = t.app.deps;
      ledger.stock.upsertSku({ sku: sku("A-1") }, { actor: "t", idempotencyKey: "new" });
      ledger.stock.adjustOnHand(sku("A-1"), 5, { actor: "t", idempotencyKey: "in:home", location: "home" });
      ledger.stock.adjustOnHand(sku("A-1"), 7, { actor: "t", idempotencyKey: "in:3pl", location: "3pl" });
      ledger.listings.linkListing({ channelId: "xy", sku: sku("A-1"), ref: "x1" });
      const why = (await t.run("/why A-1")).reply.text;
      await t.close();
      expect(why).toContain(rooms);
      expect(why).toContain(step);
    }
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { testApp } from "./support/app.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("/add and /count (issue 12)", () => {
  it("/add creates a SKU with on hand at the primary location and refuses an existing one with what to do", async () => {
    const t = await testApp({ access: { operators: ["tg:1"], viewers: ["tg:2"] } });
    close = t.close;
    const { ledger } = t.app.deps;
    const added = await t.run("/add A-1 12 Red tee, size M", "tg:1", "m1");
    expect(added.outcome).toBe("ok");
    expect(added.reply.text).toBe("A-1 (Red tee, size M) added: 12 on hand at main.");
    expect(ledger.stock.getLevel("A-1")).toMatchObject({ title: "Red tee, size M", onHand: 12, available: 12 });
    expect(ledger.locations.locationLevels("A-1")).toEqual([{ location: "main", onHand: 12 }]);
    expect(ledger.movements("A-1", 5)).toMatchObject([{ reason: "add", actor: "tg:1", onHandAfter: 12 }]);

    const redelivered = await t.run("/add A-1 12 Red tee, size M", "tg:1", "m1");
    expect(redelivered.reply.text).toBe("Already applied: A-1 was added; 12 on hand.");
    expect(ledger.movements("A-1", 5)).toHaveLength(1);

    const again = await t.run("/add A-1 5 Other", "tg:1", "m2");
    expect(again.outcome).toBe("refused");
    expect(again.reply.text).toBe(
      "A-1 already exists (12 on hand). Use /count A-1 QTY for a count or /adjust A-1 +N for a delivery.",
    );
    expect(ledger.stock.getLevel("A-1").onHand).toBe(12);

    const noTitle = await t.run("/add B-2 3", "tg:1", "m3");
    expect(noTitle.outcome).toBe("usage");
    expect(noTitle.reply.text).toContain("Usage: /add SKU QTY TITLE");
    expect((await t.run("/add B-2 3 Mug", "tg:2", "m4")).outcome).toBe("refused");
    expect(ledger.stock.findLevel("B-2")).toBeUndefined();
  });

  it("/count records a count adjustment (reason count), per location; /set on an unknown SKU says to /add it", async () => {
    const t = await testApp({
      stock: { locations: ["home", "3pl"], primaryLocation: "home" },
      access: { operators: ["tg:1"] },
    });
    close = t.close;
    const { ledger } = t.app.deps;
    await t.run("/add A-1 10 Red tee", "tg:1", "m1");
    const c = await t.run("/count A-1 7", "tg:1", "m2");
    expect(c.reply.text).toBe("A-1: counted 7 at home (was 10, −3); 7 on hand, 7 available.");
    const at3pl = await t.run("/count A-1 4 @3pl", "tg:1", "m3");
    expect(at3pl.reply.text).toBe("A-1: counted 4 at 3pl (was 0, +4); 11 on hand, 11 available.");
    expect(ledger.movements("A-1", 5).map((m) => [m.reason, m.location, m.onHandAfter])).toEqual([
      ["count", "3pl", 11],
      ["count", "home", 7],
      ["add", "home", 10],
    ]);
    expect((await t.run("/count A-1 4 @3pl", "tg:1", "m3")).reply.text).toBe("Already applied: A-1 on hand is 11.");

    const unknown = await t.run("/count Z-9 1", "tg:1", "m4");
    expect(unknown.outcome).toBe("refused");
    expect(unknown.reply.text).toBe(
      "SKU Z-9 is not in the ledger; add it with /add Z-9 QTY TITLE or import skus FILE.csv.",
    );
    const set = await t.run("/set Z-9 1", "tg:1", "m5");
    expect(set.outcome).toBe("refused");
    expect(set.reply.text).toBe(unknown.reply.text);
  });
});

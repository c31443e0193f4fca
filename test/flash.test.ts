import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { catalog } from "../src/i18n/catalog.js";
import { openDatabase } from "../src/ledger/db.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { runSlot } from "../src/scheduler.js";
import { tempDir, testApp } from "./support/app.js";
import { shopifyEntry } from "./support/channels.js";
import { clockFollower, manualTimers, steppingSleep } from "./support/clock.js";
import { sku } from "./support/ledger.js";

// Flash-sale mode (issue 18 item 3): `/flash SKU… DURATION` stores a window; while it runs the SKU's listings share
// what is available (split) under the `stock.flash.capPct` cap; the `flash` job ends it on time, also when the end
// passed while the bot was down, re-publishes with the normal policy and announces it. Real app, real SQLite file
// shared by two app lifetimes, two Shopify simulators on port 0, a manual clock.
const OPERATOR = "tg:7";
const START = "2026-11-20T08:00:00.000Z";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  bucket = clockFollower(START);
});

const shopConfig = (id: string, sim: ShopifySim) => shopifyEntry(id, sim, { timeoutMs: 5_000 });

/** The cost bucket every simulator of a test refills by: the clock of the app running at the time (appOn follows it). */
let bucket = clockFollower(START);
const shop = () => startShopifySim({ bucketNow: bucket.now });

async function appOn(dbPath: string, sims: ShopifySim[], start: string) {
  const t = await testApp(
    {
      access: { operators: [OPERATOR] },
      stock: { flash: { capPct: 40 } },
      channels: sims.map((s, i) => shopConfig(`shop${i + 1}`, s)),
    },
    {
      start,
      withConsole: true,
      db: () => openDatabase(dbPath),
      seams: (clock) => {
        bucket.follow(clock);
        return { sleep: steppingSleep(clock) };
      },
    },
  );
  await t.app.start({ http: false, scheduler: false });
  return t;
}

const tokenOf = (text: string): string => {
  const m = /\/confirm (\w+)/.exec(text);
  if (!m?.[1]) throw new Error(`no confirmation token in: ${text}`);
  return m[1];
};

const flashJob = jobs.find((j) => j.name === "flash");

describe("flash-sale mode (issue 18)", { timeout: 60_000 }, () => {
  it("splits a flash SKU across channels under the cap, and reverts on time across a restart with an announcement", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const dbPath = join(dir, "ledger.db");
    const sims = [await shop(), await shop()];
    for (const s of sims) cleanups.push(() => s.close());
    const items = sims.map((s) => s.seedItems(1, { available: 0 })[0]!);
    const qty = () => items.map((item, i) => sims[i]!.state.items.get(item.id)?.available);

    // Day one: 10 on hand, linked on both shops, published in full on each (no split: the level is not low).
    const t1 = await appOn(dbPath, sims, START);
    const d1 = t1.app.deps;
    d1.ledger.stock.upsertSku({ sku: sku("MUG-1"), onHand: 10 }, { actor: "import", idempotencyKey: "import:MUG-1" });
    for (const [i, item] of items.entries())
      d1.ledger.listings.linkListing({ channelId: `shop${i + 1}`, sku: sku("MUG-1"), ref: item.id });
    await d1.sync.idle();
    expect(qty()).toEqual([10, 10]);

    // /flash previews, /confirm starts it.
    const preview = await t1.run("/flash MUG-1 2h", OPERATOR, "m1");
    expect(preview.reply.text).toContain("split allocation");
    expect(d1.flash.activeWindows()).toEqual([]);
    const started = await t1.run(`/confirm ${tokenOf(preview.reply.text)}`, OPERATOR, "m2");
    const [window] = d1.flash.activeWindows();
    expect(window).toMatchObject({ skus: ["MUG-1"], createdBy: OPERATOR, endsAt: "2026-11-20T10:00:00.000Z" });
    expect(started.reply.text).toContain(window!.id);
    await d1.sync.idle();

    // During the window: each listing ≤ 40% of 10, and the two together never exceed what is available.
    const during = qty() as number[];
    expect(during).toEqual([4, 4]);
    expect(during.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(d1.ledger.stock.getLevel(sku("MUG-1")).available);
    // A sale during the flash re-splits what is left: 7 available → 40% cap 2 each.
    d1.ledger.stock.adjustOnHand(sku("MUG-1"), -3, { actor: "tg:7", idempotencyKey: "sale-1" });
    await d1.sync.idle();
    expect(qty()).toEqual([2, 2]);
    expect((await t1.run("/flash", OPERATOR, "m3")).reply.text).toContain(window!.id);
    await t1.app.stop();

    // The bot was down when the window ended (10:00); it comes back at 10:30 on the same ledger file.
    const t2 = await appOn(dbPath, sims, "2026-11-20T10:30:00.000Z");
    cleanups.push(() => t2.close());
    const d2 = t2.app.deps;
    expect(d2.flash.activeWindows()).toEqual([]);
    expect(d2.flash.getWindow(window!.id)?.endedAt).toBeNull();
    await runSlot(flashJob!, d2, t2.clock.now(), { slotKey: "flash-1" });
    await d2.sync.idle();

    expect(d2.flash.getWindow(window!.id)).toMatchObject({ endedBy: "job:flash", endedAt: "2026-11-20T10:30:00.000Z" });
    // Normal policy again: each shop publishes the full 7.
    expect(qty()).toEqual([7, 7]);
    expect(t2.printed()).toContain(`Flash sale ${window!.id} on MUG-1 ended (its time is up)`);
    // A second run finds nothing left to end and announces nothing more.
    const before = t2.printed();
    await runSlot(flashJob!, d2, t2.clock.now(), { slotKey: "flash-2" });
    expect(t2.printed()).toBe(before);
  });

  it("pushes a flash SKU's changes at once while sync.debounceMs batches everything else", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const sim = await shop();
    cleanups.push(() => sim.close());
    const [item] = sim.seedItems(1, { available: 0 });
    let timers: ReturnType<typeof manualTimers> | undefined;
    const t = await testApp(
      { access: { operators: [OPERATOR] }, sync: { debounceMs: 60_000 }, channels: [shopConfig("shop1", sim)] },
      {
        start: START,
        db: () => openDatabase(join(dir, "ledger.db")),
        seams: (clock) => {
          bucket.follow(clock);
          timers = manualTimers(clock);
          return { sleep: steppingSleep(clock), timers };
        },
      },
    );
    cleanups.push(() => t.close());
    await t.app.start({ http: false, scheduler: false });
    const d = t.app.deps;
    const shown = () => sim.state.items.get(item!.id)?.available;
    d.ledger.stock.upsertSku({ sku: sku("MUG-1"), onHand: 10 }, { actor: "import", idempotencyKey: "import:MUG-1" });
    d.ledger.listings.linkListing({ channelId: "shop1", sku: sku("MUG-1"), ref: item!.id });
    // A normal change waits for the debounce timer.
    expect(timers?.pending()).toBe(1);
    await timers?.advance(60_000);
    await d.sync.idle();
    expect(shown()).toBe(10);

    const preview = await t.run("/flash MUG-1 1h", OPERATOR, "m1");
    await t.run(`/confirm ${tokenOf(preview.reply.text)}`, OPERATOR, "m2");
    d.ledger.stock.adjustOnHand(sku("MUG-1"), -4, { actor: "tg:7", idempotencyKey: "sale-1" });
    // No timer armed for the flash SKU: the sale's new quantity is on the shop without advancing the clock.
    expect(timers?.pending()).toBe(0);
    await d.sync.idle();
    expect(shown()).toBe(6);
  });

  it("answers bad input with one clear line and has every text in both languages", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const sim = await shop();
    cleanups.push(() => sim.close());
    const t = await appOn(join(dir, "ledger.db"), [sim], START);
    cleanups.push(() => t.close());
    expect((await t.run("/flash", OPERATOR, "a")).reply.text).toBe("No flash sale is running.");
    const bad = await t.run("/flash NOPE-1 2h", OPERATOR, "b");
    expect(bad.reply.text).toContain("Unknown SKU NOPE-1");
    t.app.deps.ledger.stock.upsertSku(
      { sku: sku("A-1"), onHand: 3 },
      { actor: "import", idempotencyKey: "import:A-1" },
    );
    expect((await t.run("/flash A-1 soon", OPERATOR, "c")).reply.text).toContain("is not a duration");
    expect((await t.run("/flash end F-NOTTHERE", OPERATOR, "d")).reply.text).toContain("No flash sale F-NOTTHERE");
    for (const [id, text] of Object.entries(catalog).filter(([k]) => k.startsWith("flash-")))
      expect(text["zh-CN"], id).toMatch(/[\u4e00-\u9fff]/);
  });
});

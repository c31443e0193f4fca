import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n } from "../src/i18n/translator.js";
import { importSkus } from "../src/import.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { testApp } from "./support/app.js";
import { shopifyEntry } from "./support/channels.js";
import { clockFollower, steppingSleep } from "./support/clock.js";
import { sku } from "./support/ledger.js";

// The bulk-change breaker (issue 18 item 5): a bad CSV that would zero 300 SKUs on every channel is held in the
// outbox behind one alert; nothing reaches the channel until an approver releases it, and a discard leaves the
// channel as it was. Real app, real SQLite file, the Shopify simulator on port 0.
const CATALOG = 300;
const APPROVER = "tg:201";
const OPERATOR = "tg:101";
const SECOND_APPROVER = "tg:202";
const en = createI18n({ timeZone: "UTC" }).translator("en");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function shopWithCatalog(extra: Record<string, unknown> = {}) {
  // The bucket refills by the app's manual clock, which the adapter's stepped sleeps move.
  const bucket = clockFollower();
  const sim: ShopifySim = await startShopifySim({
    bucket: { maximumAvailable: 20_000, restoreRate: 20_000 },
    bucketNow: bucket.now,
  });
  cleanups.push(() => sim.close());
  const items = sim.seedItems(CATALOG, { available: 0 });
  const t = await testApp(
    {
      access: { approvers: [APPROVER, SECOND_APPROVER], operators: [OPERATOR] },
      channels: [shopifyEntry("shop1", sim, { timeoutMs: 5_000 })],
      ...extra,
    },
    {
      seams: (clock) => {
        bucket.follow(clock);
        return { sleep: steppingSleep(clock) };
      },
    },
  );
  cleanups.push(() => t.close());
  const { deps } = t.app;
  await t.app.start({ http: false, scheduler: false });
  // The shop's first day: 300 SKUs with 8 each, linked and pushed (a first push is never a bulk change: the
  // channel's quantity was unknown).
  const csv = ["sku,title,on_hand", ...items.map((i) => `${i.sku},Item,8`)].join("\n");
  writeFileSync(join(t.dir, "day1.csv"), csv);
  importSkus(deps, join(t.dir, "day1.csv"), "console:local", en);
  for (const i of items) deps.ledger.listings.linkListing({ channelId: "shop1", sku: sku(i.sku), ref: i.id });
  await deps.sync.idle();
  expect(deps.ledger.outbox.allOutbox()).toEqual([]);
  expect([...sim.state.items.values()].every((i) => i.available === 8)).toBe(true);
  expect(deps.bulkHolds.openHolds()).toEqual([]);
  // The bad file: every on_hand column empty-turned-zero.
  writeFileSync(join(t.dir, "bad.csv"), ["sku,title,on_hand", ...items.map((i) => `${i.sku},Item,0`)].join("\n"));
  const pushCalls = () => sim.calls("inventorySetQuantities").length;
  return { sim, t, deps, items, pushCalls, callsBefore: pushCalls() };
}

const holdIdIn = (text: string): string => {
  const m = /B-[2-9A-HJ-NP-Z]{8}/.exec(text);
  if (!m) throw new Error(`no hold id in: ${text}`);
  return m[0];
};

describe("bulk-change breaker (issue 18)", { timeout: 60_000 }, () => {
  it("a bulk import that would zero 300 SKUs pushes nothing until approved; release pushes with the minimum calls", async () => {
    const { sim, t, deps, pushCalls, callsBefore } = await shopWithCatalog();
    const report = importSkus(deps, join(t.dir, "bad.csv"), "console:local", en, { set: true, yes: true });
    expect(report.applied).toBe(CATALOG);
    await deps.sync.idle();

    // Held: the ledger took the file, the channel saw nothing, and every row waits in the outbox.
    expect(deps.ledger.stock.getLevel(sku("SKU-0001")).onHand).toBe(0);
    expect(pushCalls()).toBe(callsBefore);
    expect([...sim.state.items.values()].every((i) => i.available === 8)).toBe(true);
    const [hold] = deps.bulkHolds.openHolds();
    expect(hold).toMatchObject({ status: "held", skus: CATALOG, zeroed: CATALOG, unitsMoved: 8 * CATALOG });
    expect(hold?.cause).toBe("import (console:local)");
    expect(deps.bulkHolds.heldRows(hold!.id)).toBe(CATALOG);

    // One alert with the summary, the largest moves and the two buttons.
    const alerts = deps.ledger.alerts.liveAlerts().filter((a) => a.kind === "bulk_hold");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain(`Bulk change ${hold!.id} held: 300 SKUs would change at once (300 to 0`);
    expect(alerts[0]?.text).toContain("SKU-0001 shop1 8→0");
    expect(alerts[0]?.text).toContain("Cause: import (console:local)");
    expect(alerts[0]?.buttons.map((b) => b.action)).toEqual([`/bulk release ${hold!.id}`, `/bulk discard ${hold!.id}`]);

    // A later pass (a sync run, a restart's first push) still pushes nothing for the held SKUs.
    await deps.sync.syncStock({ signal: new AbortController().signal });
    expect(pushCalls()).toBe(callsBefore);

    // /bulk lists it; an operator may not decide; the approver releases.
    expect((await t.run("/bulk", OPERATOR)).reply.text).toContain(`${hold!.id} ·`);
    const refused = await t.run(`/bulk release ${hold!.id}`, OPERATOR);
    expect(refused.outcome).not.toBe("ok");
    expect(refused.reply.text).toContain("Only an approver");
    const released = await t.run(`/bulk release ${hold!.id}`, APPROVER);
    expect(released.reply.text).toContain(`Bulk hold ${hold!.id} released by ${APPROVER}: 300 pushes go to shop1`);
    await deps.sync.idle();

    // Minimum calls: 300 items in batches of the channel's maximum (250) is 2 calls.
    const maxBatch = deps.sync.channel("shop1").maxBatch;
    expect(pushCalls() - callsBefore).toBe(Math.ceil(CATALOG / maxBatch));
    expect([...sim.state.items.values()].every((i) => i.available === 0)).toBe(true);
    expect(deps.ledger.outbox.allOutbox()).toEqual([]);
    expect(deps.ledger.alerts.liveAlerts().filter((a) => a.kind === "bulk_hold" && a.status !== "resolved")).toEqual(
      [],
    );
    // A second press changes nothing.
    expect((await t.run(`/bulk release ${hold!.id}`, APPROVER)).reply.text).toContain("was already released");
  });

  it("discard leaves the channel untouched and drops the held pushes", async () => {
    const { sim, t, deps, pushCalls, callsBefore } = await shopWithCatalog();
    importSkus(deps, join(t.dir, "bad.csv"), "console:local", en, { set: true, yes: true });
    await deps.sync.idle();
    const id = holdIdIn(deps.ledger.alerts.liveAlerts().find((a) => a.kind === "bulk_hold")?.text ?? "");
    const discarded = await t.run(`/bulk discard ${id}`, APPROVER);
    expect(discarded.reply.text).toContain(`Bulk hold ${id} discarded by ${APPROVER}: 300 pushes dropped`);
    await deps.sync.idle();
    expect(pushCalls()).toBe(callsBefore);
    expect([...sim.state.items.values()].every((i) => i.available === 8)).toBe(true);
    expect(deps.ledger.outbox.allOutbox()).toEqual([]);
    expect(deps.bulkHolds.findHold(id)).toMatchObject({ status: "discarded", decidedBy: APPROVER });
  });

  it("a small change passes, and a change above maxShare of the published units is held", async () => {
    const { sim, deps, pushCalls, callsBefore } = await shopWithCatalog();
    // Ten SKUs from 8 to 7: 10 of 2,400 units, nothing to 0. Pushed at once.
    deps.ledger.transaction(() => {
      for (let n = 1; n <= 10; n++)
        deps.ledger.stock.adjustOnHand(sku(`SKU-${String(n).padStart(4, "0")}`), -1, {
          actor: "tg:101",
          reason: "damage",
          idempotencyKey: `dmg-${n}`,
        });
    });
    await deps.sync.idle();
    expect(pushCalls() - callsBefore).toBe(1);
    expect(deps.bulkHolds.openHolds()).toEqual([]);
    // 200 SKUs halved (8 → 4): 800 of 2,390 published units (33 %) at once, above the 30 % default: held.
    deps.ledger.transaction(() => {
      for (let n = 101; n <= 300; n++)
        deps.ledger.stock.adjustOnHand(sku(`SKU-${String(n).padStart(4, "0")}`), -4, {
          actor: "tg:101",
          reason: "count",
          idempotencyKey: `half-${n}`,
        });
    });
    await deps.sync.idle();
    expect(pushCalls() - callsBefore).toBe(1);
    expect(deps.bulkHolds.openHolds()).toMatchObject([
      { skus: 200, zeroed: 0, unitsMoved: 800, cause: "count (tg:101)" },
    ]);
    expect(sim.state.items.get(sim.state.items.keys().next().value!)?.available).toBe(7);
  });

  it("maker-checker: the approver whose import caused the hold may not release it; another approver may", async () => {
    const { sim, t, deps, pushCalls, callsBefore } = await shopWithCatalog();
    importSkus(deps, join(t.dir, "bad.csv"), APPROVER, en, { set: true, yes: true });
    await deps.sync.idle();
    const [hold] = deps.bulkHolds.openHolds();
    expect(hold).toMatchObject({ status: "held", causedBy: APPROVER, cause: `import (${APPROVER})` });

    // The requester's own release (and its dry run) is refused with one line; nothing moves.
    const own = await t.run(`/bulk release ${hold!.id}`, APPROVER);
    expect(own.outcome).not.toBe("ok");
    expect(own.reply.text).toBe(
      `You caused bulk hold ${hold!.id} (${APPROVER}), so another approver must release it; you may still discard it.`,
    );
    await t.run("/lang zh-CN", APPROVER);
    const ownZh = await t.run(`/bulk release ${hold!.id}`, APPROVER);
    expect(ownZh.reply.text).toBe(
      `批量拦截 ${hold!.id} 由你（${APPROVER}）的操作引起，需由另一位审批人放行；你仍可以丢弃它。`,
    );
    await deps.sync.idle();
    expect(pushCalls()).toBe(callsBefore);
    expect(deps.bulkHolds.findHold(hold!.id)).toMatchObject({ status: "held", decidedBy: null });
    expect(deps.bulkHolds.heldRows(hold!.id)).toBe(CATALOG);

    // Another approver releases it.
    const released = await t.run(`/bulk release ${hold!.id}`, SECOND_APPROVER);
    expect(released.reply.text).toContain(`Bulk hold ${hold!.id} released by ${SECOND_APPROVER}: 300 pushes`);
    await deps.sync.idle();
    expect([...sim.state.items.values()].every((i) => i.available === 0)).toBe(true);
    expect(deps.bulkHolds.findHold(hold!.id)).toMatchObject({ status: "released", decidedBy: SECOND_APPROVER });
  });

  it("maker-checker: the requester may still discard their own hold", async () => {
    const { sim, t, deps, pushCalls, callsBefore } = await shopWithCatalog();
    importSkus(deps, join(t.dir, "bad.csv"), APPROVER, en, { set: true, yes: true });
    await deps.sync.idle();
    const [hold] = deps.bulkHolds.openHolds();
    const discarded = await t.run(`/bulk discard ${hold!.id}`, APPROVER);
    expect(discarded.reply.text).toContain(`Bulk hold ${hold!.id} discarded by ${APPROVER}`);
    await deps.sync.idle();
    expect(pushCalls()).toBe(callsBefore);
    expect([...sim.state.items.values()].every((i) => i.available === 8)).toBe(true);
  });
});

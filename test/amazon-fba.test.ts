// Amazon FBA as a read-only location (issue 13 item 3): with `fba: true`, reconcile reads FBA Inventory v1
// getInventorySummaries (/fba/inventory/v1/summaries, sellerSkus ≤ 50, nextToken paging) into the read-only location
// `fba`: shown in /stock, never pushed, never picked for a shipment, not counted into what any channel sells.
import { afterEach, describe, expect, it } from "vitest";
import { createAmazonChannel } from "../src/channels/amazon.js";
import { systemClock } from "../src/clock.js";
import { createI18n } from "../src/i18n/translator.js";
import { silentLogger } from "../src/log.js";
import { type AmazonSim, startAmazonSim } from "../src/sandbox/amazon.js";
import { buildSummary } from "../src/summary/build.js";
import { renderSummaryText } from "../src/summary/render.js";
import { reconcileChannel } from "../src/sync/reconcile.js";
import { testApp } from "./support/app.js";
import { amazonConfig, channelDeps, never } from "./support/channels.js";
import { sku } from "./support/ledger.js";

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(count: number, simOpts: { fbaPageSize?: number } = {}) {
  const sim: AmazonSim = await startAmazonSim(simOpts);
  open.push(sim);
  const config = amazonConfig(sim, { fba: true });
  const amz = createAmazonChannel({ ...channelDeps("amz"), config });
  const t = await testApp({ access: { admins: ["console:local"] } });
  open.push({ close: t.close });
  const d = t.app.deps;
  const ledger = {
    ...d.ledger,
    channelState: d.channelState,
    bulkHolds: d.bulkHolds,
    orders: d.orders,
    shipments: d.shipments,
  };
  const listings = sim.seedListings(count, { quantity: 4 });
  ledger.transaction(() => {
    for (const l of listings) {
      ledger.stock.upsertSku({ sku: sku(l.sku), onHand: 4 }, { actor: "test", idempotencyKey: `seed:${l.sku}` });
      ledger.listings.linkListing({ channelId: "amz", sku: sku(l.sku), ref: l.sku });
      ledger.listings.linkListing({ channelId: "woo", sku: sku(l.sku), ref: `w-${l.sku}` });
    }
  });
  for (const r of ledger.outbox.allOutbox()) ledger.outbox.confirmPush(r, 4, true);
  const run = () =>
    reconcileChannel(ledger, silentLogger(), amz, { signal: never, clock: systemClock, failureAlertAfter: 5 });
  return { sim, amz, t, ledger, listings, run };
}

describe("amazon FBA read-only location", () => {
  it("reads FBA in chunks of 50 SKUs into fba, shown in /stock, never pushed nor sold elsewhere nor picked", async () => {
    const { sim, t, ledger, listings, run } = await setup(55);
    const [a, b] = [listings[0]!.sku, listings[52]!.sku];
    sim.setFba(a, { fulfillable: 12, inbound: 5, reserved: 3 });
    sim.setFba(b, { fulfillable: 2 });
    const levelsBefore = ledger.stock.getLevel(sku(a));

    const r = await run();

    const calls = sim.calls("getInventorySummaries");
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.query.sellerSkus!.split(",").length)).toEqual([50, 5]);
    expect(calls[0]!.query).toMatchObject({
      details: "true",
      granularityType: "Marketplace",
      granularityId: "A1PA6795UKMFR9",
      marketplaceIds: "A1PA6795UKMFR9",
    });
    expect(r.problems).toEqual([]);
    expect(r.heldChanged).toBe(55);
    expect(ledger.locations.readOnlyLevels(a)).toMatchObject([
      { location: "fba", channelId: "amz", quantity: 12, total: 20 },
    ]);
    expect(ledger.locations.readOnlyLevels(b)).toMatchObject([{ location: "fba", quantity: 2, total: 2 }]);
    expect(ledger.locations.readOnlyLevels(listings[1]!.sku)).toMatchObject([{ location: "fba", quantity: 0 }]);
    // Nothing about our own stock changed: on hand, what channels are sent, where shipments draw from.
    expect(ledger.stock.getLevel(sku(a))).toEqual(levelsBefore);
    expect(ledger.outbox.allOutbox()).toEqual([]);
    expect(ledger.outbox.publicationsFor(a).map((p) => p.publication.quantity)).toEqual([4, 4]);
    expect(ledger.locations.locationLevels(a)).toEqual([{ location: "main", onHand: 4 }]);
    expect(ledger.locations.shipmentDraws(a, 4)).toEqual([{ location: "main", qty: 4 }]);
    expect(ledger.locations.primaryLocation()).toBe("main");
    expect(ledger.locations.knownLocations()).toEqual(["main"]);

    const st = await t.run(`/stock ${a}`);
    expect(st.reply.text).toContain("main: 4 on hand");
    expect(st.reply.text).toContain("fba (read-only, amz): 12 can ship, 20 in total; not sold by other channels");
    const adj = await t.run(`/adjust ${a} +3 @fba`, "console:local", "m1");
    expect(adj.reply.text).toBe(
      "Location fba is read-only: the marketplace holds that stock and reports it; change it there.",
    );
    expect(ledger.stock.getLevel(sku(a))?.onHand).toBe(4);

    // A second read with nothing changed writes nothing; a change moves only that row.
    expect((await run()).heldChanged).toBe(0);
    sim.setFba(a, { fulfillable: 9, inbound: 5, reserved: 3 });
    expect((await run()).heldChanged).toBe(1);
    expect(ledger.locations.readOnlyLevels(a)).toMatchObject([{ quantity: 9, total: 17 }]);
  });

  it("follows nextToken across pages", async () => {
    const { sim, ledger, listings, run } = await setup(5, { fbaPageSize: 2 });
    for (const l of listings) sim.setFba(l.sku, { fulfillable: 1 });
    await run();
    const calls = sim.calls("getInventorySummaries");
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => c.query.nextToken ?? null)).toEqual([
      null,
      Buffer.from("2").toString("base64"),
      Buffer.from("4").toString("base64"),
    ]);
    expect(listings.map((l) => ledger.locations.readOnlyLevels(l.sku)[0]?.quantity)).toEqual([1, 1, 1, 1, 1]);
  });

  it("an account without FBA answers InvalidInput: zero rows, no problem, no push", async () => {
    const { sim, ledger, listings, run } = await setup(2);
    const r = await run();
    expect(sim.calls("getInventorySummaries")).toHaveLength(1);
    expect(r.problems).toEqual([]);
    expect(ledger.locations.readOnlyLevels(listings[0]!.sku)).toMatchObject([{ quantity: 0, total: 0 }]);
    expect(ledger.outbox.allOutbox()).toEqual([]);
  });
});

describe("daily summary per location", () => {
  it("lists on hand per location, then what read-only locations can ship, in English and Chinese", async () => {
    const t = await testApp({ stock: { locations: ["home", "3pl"], primaryLocation: "home" } });
    open.push({ close: t.close });
    const { ledger } = t.app.deps;
    const a = sku("A-1");
    ledger.stock.upsertSku({ sku: a, title: "Mug" }, { actor: "t", idempotencyKey: "new" });
    ledger.stock.adjustOnHand(a, 5, { actor: "t", idempotencyKey: "in:home", location: "home" });
    ledger.stock.adjustOnHand(a, 7, { actor: "t", idempotencyKey: "in:3pl", location: "3pl" });
    ledger.locations.recordReadOnlyLevels("amz", "fba", [{ sku: a, quantity: 12, total: 20 }], [a]);
    const s = buildSummary(t.app.deps, "2026-12-01");
    expect(s.locations).toEqual([
      { location: "home", onHand: 5, isReadOnly: false },
      { location: "3pl", onHand: 7, isReadOnly: false },
      { location: "fba", onHand: 12, isReadOnly: true },
    ]);
    expect(renderSummaryText(s)).toContain("🏬 By location: home 5 · 3pl 7 · fba 12 can ship (read-only)");
    const zh = createI18n({ timeZone: s.timezone }).translator("zh-CN");
    expect(renderSummaryText(s, zh)).toContain("🏬 分仓现货：home 5 · 3pl 7 · fba 可发 12（只读）");
  });

  it("says nothing about locations while everything is in main", async () => {
    const t = await testApp({});
    open.push({ close: t.close });
    t.app.deps.ledger.stock.upsertSku({ sku: sku("A-1"), onHand: 3 }, { actor: "t", idempotencyKey: "new" });
    const s = buildSummary(t.app.deps, "2026-12-01");
    expect(s.locations).toBeUndefined();
    expect(renderSummaryText(s)).not.toContain("By location");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../commands/index.js";
import { jobs } from "../jobs/index.js";
import { createDispatcher } from "../src/chat/dispatch.js";
import type { Deps } from "../src/deps.js";
import { runSlot } from "../src/scheduler.js";
import { sku } from "./support/ledger.js";
import { depsFor, engineFor, liveLedger, shopifyChannel, thinRetry } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(opts: { items?: number; retry?: boolean } = {}) {
  const a = await shopifyChannel("shop1", {}, opts.retry === false ? { retry: thinRetry } : {});
  const b = await shopifyChannel("shop2");
  cleanup.push(
    () => a.sim.close(),
    () => b.sim.close(),
  );
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const itemsA = a.sim.seedItems(opts.items ?? 2, { available: 0 });
  const itemsB = b.sim.seedItems(opts.items ?? 2, { available: 0 });
  itemsA.forEach((it, i) => {
    ledger.stock.upsertSku({ sku: sku(it.sku), onHand: 10 }, { actor: "test", idempotencyKey: `seed:${it.sku}` });
    ledger.listings.linkListing({ channelId: "shop1", sku: sku(it.sku), ref: it.id });
    ledger.listings.linkListing({ channelId: "shop2", sku: sku(it.sku), ref: itemsB[i]!.id });
  });
  const engine = engineFor(ledger, [a.channel, b.channel]);
  cleanup.push(() => engine.stop());
  const deps = depsFor(ledger, engine, [a.channel, b.channel], {
    channels: [a.config, b.config],
    access: { operators: ["tg:7"], viewers: ["tg:9"] },
  });
  const dispatcher = createDispatcher({ commands, deps });
  const say = async (text: string, userId = "tg:7") =>
    (await dispatcher.handle({ transport: "telegram", chatId: "-100", userId, text })).reply.text;
  return { a, b, ledger, engine, deps, say, itemsA, itemsB };
}

const job = (name: string) => jobs.find((j) => j.name === name)!;
let slotN = 0;
const runJob = (name: string, deps: Deps) => runSlot(job(name), deps, new Date(), { slotKey: `test-${slotN++}` });

describe("channel commands and sync jobs", () => {
  it("/pause stops automated pushes to one channel; /resume pushes what queued meanwhile", async () => {
    const { a, b, ledger, engine, say, itemsA, itemsB } = await setup();
    await engine.syncStock({ full: true, signal: AbortSignal.timeout(10_000) });
    engine.start();
    expect(await say("/pause shop2")).toMatch(/Paused automated pushes to shop2/);
    ledger.stock.adjustOnHand(sku(itemsA[0]!.sku), -4, { actor: "test", idempotencyKey: "sold-4" });
    await engine.idle();
    expect(a.sim.state.items.get(itemsA[0]!.id)!.available).toBe(6);
    expect(b.sim.state.items.get(itemsB[0]!.id)!.available).toBe(10);
    expect(await say("/sync status")).toMatch(/shop2 \(shopify\): PAUSED by tg:7 .* backlog 1/);
    expect(await say("/resume shop2")).toMatch(/Resumed pushes to shop2; 1 queued change will go out now/);
    await engine.idle();
    expect(b.sim.state.items.get(itemsB[0]!.id)!.available).toBe(6);
    expect(await say("/pause shop2", "tg:9")).toMatch(/operator/i);
  });

  it("/sync CHANNEL runs a full sync and /sync SKU re-pushes one SKU everywhere", async () => {
    const { a, b, say, itemsA, itemsB } = await setup({ items: 3 });
    expect(await say("/sync shop1")).toMatch(/Full sync of shop1: 3 listings\.\nshop1: 3 confirmed in 1 call\./);
    expect([...a.sim.state.items.values()].map((i) => i.available)).toEqual([10, 10, 10]);
    b.sim.setAvailable(itemsB[1]!.id, 99);
    expect(await say(`/sync ${itemsA[1]!.sku}`)).toMatch(/Re-pushed SKU-0002/);
    expect(b.sim.state.items.get(itemsB[1]!.id)!.available).toBe(10);
    expect(await say("/sync no_such thing")).toMatch(/Usage|usage|expected/i);
    expect(await say("/sync ???")).toMatch(/neither a channel/);
  });

  it("/link auto maps the catalog by SKU and reports unmatched, duplicate and SKU-less items", async () => {
    const { a, ledger, say } = await setup({ items: 0 });
    const items = a.sim.seedItems(4, { available: 3 });
    ledger.stock.upsertSku({ sku: sku(items[0]!.sku), onHand: 5 }, { actor: "t", idempotencyKey: "s0" });
    ledger.stock.upsertSku({ sku: sku(items[1]!.sku), onHand: 5 }, { actor: "t", idempotencyKey: "s1" });
    a.sim.state.items.get(items[2]!.id)!.sku = items[1]!.sku;
    a.sim.state.items.get(items[3]!.id)!.sku = "";
    const extra = a.sim.seedItems(1, { prefix: "GHOST-" });
    const text = await say("/link auto shop1");
    expect(text).toMatch(/shop1: 5 catalog items\. Linked 1 \(first pushes queued\)/);
    expect(text).toMatch(new RegExp(`Not in the ledger \\(1\\): ${extra[0]!.sku}`));
    expect(text).toMatch(new RegExp(`Same SKU on several items, not linked \\(1\\): ${items[1]!.sku}`));
    expect(text).toMatch(/Items without a SKU: 1/);
    expect(ledger.listings.channelListings("shop1").map((l) => [l.sku, l.ref])).toEqual([
      [items[0]!.sku, items[0]!.id],
    ]);
    expect(await say("/link auto shop1")).toMatch(/Linked 0; already linked 1/);
  });

  it("the reconcile job repairs drift on a channel and raises one alert with the count", async () => {
    const { a, ledger, deps, itemsA } = await setup({ items: 3 });
    await deps.sync.syncStock({ full: true, signal: AbortSignal.timeout(10_000) });
    a.sim.setAvailable(itemsA[0]!.id, 25);
    a.sim.setAvailable(itemsA[2]!.id, 0);
    const report = await runJob("reconcile", deps);
    expect(report).toMatchObject({ changed: 2 });
    const alert = ledger.alerts.liveAlerts().find((x) => x.kind === "drift_repaired")!;
    expect(alert.text).toMatch(/repaired 2 listings on shop1/);
    await runJob("stock-sync", deps);
    expect([...a.sim.state.items.values()].map((i) => i.available)).toEqual([10, 10, 10]);
    expect(await runJob("reconcile", deps)).toMatchObject({ changed: 0 });
  });

  it("the order-import job records paid, shipped (with tracking) and cancelled lines once", async () => {
    const { a, ledger, deps, say, itemsA } = await setup();
    const s0 = itemsA[0]!.sku;
    const o1 = a.sim.createOrder([{ sku: s0, qty: 2 }]);
    const o2 = a.sim.createOrder([{ sku: s0, qty: 1 }]);
    const o3 = a.sim.createOrder([{ sku: itemsA[1]!.sku, qty: 3 }]);
    expect(await runJob("order-import", deps)).toMatchObject({ changed: 3 });
    expect(ledger.stock.getLevel(s0)).toMatchObject({ onHand: 10, reserved: 3 });
    a.sim.fulfillOrder(o1.id, { number: "SF1234567890", company: "SF Express" });
    a.sim.cancelOrder(o2.id);
    await runJob("order-import", deps);
    expect(ledger.stock.getLevel(s0)).toMatchObject({ onHand: 8, reserved: 0 });
    expect(ledger.orders.shipmentsSince("1970-01-01")).toMatchObject([
      { channelId: "shop1", orderId: String(o1.id), trackingNo: "SF1234567890", carrier: "SF Express" },
    ]);
    // Handed to the logistics radar, which now tracks the parcel.
    expect(ledger.shipments.findShipments("SF1234567890")).toMatchObject([
      { orderRef: String(o1.id), channelId: "shop1" },
    ]);
    expect(await runJob("order-import", deps)).toMatchObject({ changed: 0 });
    expect(ledger.stock.getLevel(itemsA[1]!.sku)).toMatchObject({ reserved: 3 });
    const text = await say("/orders shop1", "tg:9");
    expect(text).toMatch(new RegExp(`shop1 #${o3.id} .* paid 3×${itemsA[1]!.sku}`));
    expect(text).toMatch(/shipped 2×SKU-0001/);
    expect(text).toMatch(/cancelled 1×SKU-0001/);
  });

  it("raises a critical alert after 5 failed calls in a row and resolves it when the channel answers again", async () => {
    const { a, ledger, deps, engine, itemsA } = await setup({ retry: false });
    a.sim.faults.failNext("500", 5);
    for (let i = 0; i < 5; i++) {
      ledger.stock.adjustOnHand(sku(itemsA[0]!.sku), -1, { actor: "t", idempotencyKey: `f${i}` });
      await engine.drain({ channelId: "shop1", signal: AbortSignal.timeout(10_000), manual: true });
      ledger.transaction(() => ledger.db.prepare("UPDATE outbox SET next_attempt_at = NULL").run());
    }
    expect(ledger.alerts.liveAlerts().filter((x) => x.kind === "channel_failing")).toMatchObject([
      { subject: "shop1", severity: "critical" },
    ]);
    expect(ledger.channelState.channelHealth("shop1").consecutiveFailures).toBe(5);
    await runJob("stock-sync", deps);
    expect(ledger.alerts.liveAlerts().filter((x) => x.kind === "channel_failing")).toEqual([]);
    expect(a.sim.state.items.get(itemsA[0]!.id)!.available).toBe(5);
  });
});

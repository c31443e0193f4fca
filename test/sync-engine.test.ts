import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createHttpServer } from "../src/http/server.js";
import { routeModules } from "../src/http/routes.js";
import type { Ledger } from "../src/ledger/index.js";
import type { SyncEngine } from "../src/sync/engine.js";
import type { ShopifySim } from "../src/sandbox/shopify.js";
import { sku } from "./support/ledger.js";
import { WEBHOOK_SECRET, depsFor, engineFor, liveLedger, shopifyChannel, thinRetry } from "./support/sync.js";
import type { RetryPolicy } from "../src/sync/retry.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const signal = new AbortController().signal;
const writes = (sim: ShopifySim) => sim.calls("inventorySetQuantities").filter((r) => r.status === 200 && !r.fault);

async function twoShops(opts: { items?: number; onHand?: number; retry?: RetryPolicy } = {}) {
  const a = await shopifyChannel("shop1", {}, opts.retry ? { retry: opts.retry } : {});
  const b = await shopifyChannel("shop2", {}, opts.retry ? { retry: opts.retry } : {});
  cleanup.push(() => a.sim.close(), () => b.sim.close());
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const n = opts.items ?? 1;
  const itemsA = a.sim.seedItems(n, { available: 0 });
  const itemsB = b.sim.seedItems(n, { available: 0 });
  itemsA.forEach((it, i) => {
    const s = sku(it.sku);
    ledger.stock.upsertSku({ sku: s, onHand: opts.onHand ?? 10 }, { actor: "test", idempotencyKey: `seed:${it.sku}` });
    ledger.listings.linkListing({ channelId: "shop1", sku: s, ref: it.id });
    ledger.listings.linkListing({ channelId: "shop2", sku: s, ref: itemsB[i]!.id });
  });
  const engine = engineFor(ledger, [a.channel, b.channel]);
  cleanup.push(() => engine.stop());
  return { a, b, ledger, engine, itemsA, itemsB };
}

async function serve(ledger: Ledger, engine: SyncEngine, channels: Parameters<typeof depsFor>[2]): Promise<{ app: FastifyInstance; url: string }> {
  const app = await createHttpServer(depsFor(ledger, engine, channels), routeModules);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  cleanup.push(() => app.close());
  return { app, url };
}

describe("sync engine against the Shopify simulator", () => {
  it("reserves 2 on a signed orders/create webhook and pushes the new quantity to the other shop; a redelivery and a forged one change nothing", async () => {
    const { a, b, ledger, engine, itemsA, itemsB } = await twoShops();
    await engine.syncStock({ full: true, signal });
    expect(b.sim.state.items.get(itemsB[0]!.id)!.available).toBe(10);
    engine.start();
    const { url } = await serve(ledger, engine, [a.channel, b.channel]);

    const order = a.sim.createOrder([{ sku: itemsA[0]!.sku, qty: 2 }]);
    const first = await a.sim.sendWebhook({ url: `${url}/webhooks/shop1`, topic: "orders/create", payload: a.sim.restOrder(order.id), secret: WEBHOOK_SECRET });
    expect(first.status).toBe(200);
    expect(ledger.stock.getLevel(itemsA[0]!.sku)).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
    await engine.idle();
    expect(b.sim.state.items.get(itemsB[0]!.id)!.available).toBe(8);
    expect(a.sim.state.items.get(itemsA[0]!.id)!.available).toBe(8);
    const pushed = ledger.sync.pushLog({ channelId: "shop2" }).at(-1)!;
    expect(pushed).toMatchObject({ targetQty: 8, attempts: 1 });
    expect(ledger.outbox.allOutbox()).toEqual([]);

    const callsBefore = b.sim.requests.length;
    const again = await a.sim.sendWebhook({ url: `${url}/webhooks/shop1`, topic: "orders/create", payload: a.sim.restOrder(order.id), secret: WEBHOOK_SECRET, webhookId: first.webhookId });
    expect(again.status).toBe(200);
    const forged = await a.sim.sendWebhook({ url: `${url}/webhooks/shop1`, topic: "orders/create", payload: a.sim.restOrder(a.sim.createOrder([{ sku: itemsA[0]!.sku, qty: 5 }]).id), secret: "not-the-secret" });
    expect(forged.status).toBe(401);
    await engine.idle();
    expect(ledger.stock.getLevel(itemsA[0]!.sku)).toMatchObject({ onHand: 10, reserved: 2 });
    expect(b.sim.requests.length).toBe(callsBefore);
  });

  it("counts an order once whether it arrives by webhook, by poll, or both", async () => {
    const { a, ledger, engine, itemsA } = await twoShops();
    const { url } = await serve(ledger, engine, [a.channel]);
    const order = a.sim.createOrder([{ sku: itemsA[0]!.sku, qty: 3 }]);
    await a.sim.sendWebhook({ url: `${url}/webhooks/shop1`, topic: "orders/create", payload: a.sim.restOrder(order.id), secret: WEBHOOK_SECRET });
    // A second delivery id for the same event (Shopify retries after a slow answer): the (channel, order, line) key still holds.
    await a.sim.sendWebhook({ url: `${url}/webhooks/shop1`, topic: "orders/updated", payload: a.sim.restOrder(order.id), secret: WEBHOOK_SECRET });
    const [polled] = await engine.importOrders({ channelId: "shop1", signal });
    expect(polled).toMatchObject({ orders: 1, reserved: 0, duplicates: 1 });
    expect(ledger.stock.getLevel(itemsA[0]!.sku).reserved).toBe(3);
    expect(ledger.sync.recentOrders({ channelId: "shop1" })).toHaveLength(1);
  });

  it("uses ceil(1000/250) Shopify calls for a full sync of 1,000 SKUs, and no write call for an incremental run with nothing changed", async () => {
    const { a, engine } = await twoShops({ items: 1000, onHand: 7 });
    const { reports } = await engine.syncStock({ full: true, signal });
    expect(writes(a.sim)).toHaveLength(Math.ceil(1000 / 250));
    expect(reports.find((r) => r.channelId === "shop1")).toMatchObject({ calls: 4, confirmed: 1000, deferred: 0 });
    expect([...a.sim.state.items.values()].every((i) => i.available === 7)).toBe(true);
    const before = a.sim.requests.length;
    const incremental = await engine.syncStock({ signal });
    expect(incremental.enqueued).toBe(0);
    expect(a.sim.requests.length).toBe(before);
  });

  it("lands every target with 30% of calls failing (429, 500, timeouts), never pushes a superseded value after a newer one, and leaves the ledger untouched", async () => {
    const { a, b, ledger, engine, itemsA, itemsB } = await twoShops({ items: 20, onHand: 50, retry: thinRetry });
    a.sim.faults.set({ failureRate: 0.3, kinds: ["429", "500", "hang", "hang-after-apply"], retryAfterSeconds: 0, seed: 11 });
    b.sim.faults.set({ failureRate: 0.3, kinds: ["429", "500", "hang", "hang-after-apply"], retryAfterSeconds: 0, seed: 23 });
    engine.start();
    const skus = itemsA.map((i) => sku(i.sku));
    for (let round = 0; round < 10; round++) {
      skus.forEach((s, i) => ledger.stock.adjustOnHand(s, -((i + round) % 3) - 1, { actor: "test", idempotencyKey: `r${round}:${s}` }));
      await new Promise((r) => setTimeout(r, 30));
    }
    const levels = skus.map((s) => ledger.stock.getLevel(s));
    for (let i = 0; i < 200 && ledger.outbox.allOutbox().length; i++) {
      await engine.idle();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ledger.outbox.allOutbox()).toEqual([]);
    const faults = [a.sim, b.sim].map((sim) => sim.requests.filter((r) => r.fault).length);
    expect(faults.every((n) => n > 0)).toBe(true);
    // Some faults reached the engine (the adapter does not retry here), which deferred and retried the rows.
    expect(["shop1", "shop2"].some((c) => ledger.sync.channelHealth(c).lastFailureAt !== null)).toBe(true);
    skus.forEach((s, i) => {
      expect(a.sim.state.items.get(itemsA[i]!.id)!.available).toBe(levels[i]!.available);
      expect(b.sim.state.items.get(itemsB[i]!.id)!.available).toBe(levels[i]!.available);
    });
    // The ledger moved only by our adjustments: failures wrote no movements.
    expect(skus.map((s) => ledger.movements(s, 100).length)).toEqual(skus.map(() => 11));
    // Every value a shop applied for a SKU only ever went down (stock only went down): nothing stale landed after a newer value.
    for (const sim of [a.sim, b.sim]) {
      const byItem = new Map<string, number[]>();
      for (const c of sim.state.changes) byItem.set(c.itemId, [...(byItem.get(c.itemId) ?? []), c.to]);
      for (const seq of byItem.values()) expect(seq).toEqual([...seq].sort((x, y) => y - x));
    }
  });
});

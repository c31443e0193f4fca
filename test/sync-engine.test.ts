import diagnostics from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import type { SalesChannel } from "../src/channels/types.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { openDatabase } from "../src/ledger/db.js";
import type { SyncEngine } from "../src/sync/engine.js";
import type { RetryPolicy } from "../src/upstream/retry.js";
import { manualTimers, testClock } from "./support/clock.js";
import type { TestLedger } from "./support/ledger.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";
import {
  depsFor,
  engineFor,
  fastSync,
  liveLedger,
  sendShopifySale,
  shopifyChannel,
  thinRetry,
  WEBHOOK_SECRET,
  wooChannel,
  wooRef,
} from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const signal = new AbortController().signal;

/**
 * One catalog listed on Shopify (shop1) and WooCommerce (woo), every channel starting at 0. `manual` runs the
 * ledger and the engine's timers on one manual clock (nothing fires until the test advances it) and gives the
 * adapters a roomy call timeout, so a loaded machine cannot turn a slow batch into a retried one.
 */
async function shopAndWoo(
  opts: { items?: number; onHand?: number; retry?: RetryPolicy; manual?: boolean; timeoutMs?: number } = {},
) {
  const timeoutMs = opts.timeoutMs ?? (opts.manual ? 30_000 : undefined);
  const adapter = { ...(opts.retry ? { retry: opts.retry } : {}), ...(timeoutMs ? { timeoutMs } : {}) };
  const shop = await shopifyChannel("shop1", {}, adapter);
  const woo = await wooChannel("woo", {}, adapter);
  cleanup.push(
    () => shop.sim.close(),
    () => woo.sim.close(),
  );
  const { clock } = testClock("2026-03-01T09:00:00Z");
  const timers = manualTimers(clock);
  const ledger = opts.manual
    ? openTestLedger(openDatabase(":memory:"), { clock, settings: testSettings })
    : liveLedger();
  cleanup.push(() => ledger.close());
  const n = opts.items ?? 1;
  const items = shop.sim.seedItems(n, { available: 0 });
  const products = woo.sim.seedProducts(n, { stock: 0 });
  const skus = items.map((it, i) => {
    const s = sku(it.sku);
    ledger.stock.upsertSku({ sku: s, onHand: opts.onHand ?? 10 }, { actor: "test", idempotencyKey: `seed:${it.sku}` });
    ledger.listings.linkListing({ channelId: "shop1", sku: s, ref: it.id });
    ledger.listings.linkListing({ channelId: "woo", sku: s, ref: wooRef(products[i]!) });
    return s;
  });
  const engine = engineFor(ledger, [shop.channel, woo.channel], fastSync, opts.manual ? { clock, timers } : {});
  cleanup.push(() => engine.stop());
  const shopQty = (i: number) => shop.sim.state.items.get(items[i]!.id)!.available;
  const wooQty = (i: number) => woo.sim.state.products.get(products[i]!.id)!.stockQuantity;
  return { shop, woo, ledger, engine, items, products, skus, shopQty, wooQty, clock, timers };
}

async function serve(ledger: TestLedger, engine: SyncEngine, channels: SalesChannel[]): Promise<string> {
  const app = await createHttpServer(depsFor(ledger, engine, channels), routeModules);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  cleanup.push(() => app.close());
  return url;
}

describe("sync engine against the Shopify and WooCommerce simulators", () => {
  it("reserves 2 on a signed Shopify orders/create webhook and pushes the new quantity to WooCommerce; a redelivery and a forged signature change nothing", async () => {
    const { shop, woo, ledger, engine, skus, shopQty, wooQty, items } = await shopAndWoo();
    await engine.syncStock({ full: true, signal });
    expect([shopQty(0), wooQty(0)]).toEqual([10, 10]);
    engine.start();
    const url = await serve(ledger, engine, [shop.channel, woo.channel]);

    const order = shop.sim.createOrder([{ sku: items[0]!.sku, qty: 2 }]);
    const first = await shop.sim.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.sim.restOrder(order.id),
      secret: WEBHOOK_SECRET,
    });
    expect(first.status).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
    await engine.idle();
    expect(wooQty(0)).toBe(8);
    expect(shopQty(0)).toBe(8);
    expect(ledger.channelState.pushLog({ channelId: "woo" }).at(-1)).toMatchObject({ targetQty: 8, attempts: 1 });
    expect(ledger.outbox.allOutbox()).toEqual([]);

    const wooCalls = woo.sim.requests.length;
    const again = await shop.sim.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.sim.restOrder(order.id),
      secret: WEBHOOK_SECRET,
      webhookId: first.webhookId,
    });
    expect(again.status).toBe(200);
    const forgedOrder = shop.sim.createOrder([{ sku: items[0]!.sku, qty: 5 }]);
    const forged = await shop.sim.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.sim.restOrder(forgedOrder.id),
      secret: "not-the-secret",
    });
    expect(forged.status).toBe(401);
    await engine.idle();
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 10, reserved: 2 });
    expect(ledger.orders.recentOrders()).toHaveLength(1);
    expect(woo.sim.requests.length).toBe(wooCalls);
  });

  it("counts an order once whether it arrives by webhook, by poll, or both", async () => {
    const { shop, woo, ledger, engine, skus, items } = await shopAndWoo();
    const url = await serve(ledger, engine, [shop.channel, woo.channel]);
    const order = shop.sim.createOrder([{ sku: items[0]!.sku, qty: 3 }]);
    await shop.sim.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.sim.restOrder(order.id),
      secret: WEBHOOK_SECRET,
    });
    // A second delivery id for the same order (orders/updated right after create): the (channel, order, line) key still holds.
    await shop.sim.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/updated",
      payload: shop.sim.restOrder(order.id),
      secret: WEBHOOK_SECRET,
    });
    const [polled] = await engine.importOrders({ channelId: "shop1", signal });
    expect(polled).toMatchObject({ orders: 1, reserved: 0, duplicates: 1 });
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(3);
    expect(ledger.orders.recentOrders({ channelId: "shop1" })).toHaveLength(1);
  });

  it("uses ceil(1000/250) Shopify calls and ceil(1000/100) WooCommerce calls for a full sync of 1,000 SKUs, and no write call when nothing changed", async () => {
    const { shop, woo, engine } = await shopAndWoo({ items: 1000, onHand: 7, manual: true });
    const { reports } = await engine.syncStock({ full: true, signal });
    expect(shop.sim.calls("inventorySetQuantities")).toHaveLength(Math.ceil(1000 / 250));
    expect(woo.sim.calls("products/batch")).toHaveLength(Math.ceil(1000 / 100));
    expect(reports.map((r) => [r.channelId, r.calls, r.confirmed, r.deferred])).toEqual([
      ["shop1", 4, 1000, 0],
      ["woo", 10, 1000, 0],
    ]);
    expect([...shop.sim.state.items.values()].every((i) => i.available === 7)).toBe(true);
    expect([...woo.sim.state.products.values()].every((p) => p.stockQuantity === 7)).toBe(true);
    const before = [shop.sim.requests.length, woo.sim.requests.length];
    const incremental = await engine.syncStock({ signal });
    expect(incremental.enqueued).toBe(0);
    expect([shop.sim.requests.length, woo.sim.requests.length]).toEqual(before);
  });

  it("pushes the first change on an idle lane at once (no timer, no clock step) and batches a burst into the minimum calls", async () => {
    const { shop, woo, ledger, engine, skus, shopQty, wooQty, clock, timers } = await shopAndWoo({
      items: 250,
      onHand: 40,
      manual: true,
    });
    await engine.syncStock({ full: true, signal });
    const instant = engineFor(ledger, [shop.channel, woo.channel], { ...fastSync, debounceMs: 0 }, { clock, timers });
    cleanup.push(() => instant.stop());
    instant.start();
    const [wooBefore, shopBefore] = [
      woo.sim.calls("products/batch").length,
      shop.sim.calls("inventorySetQuantities").length,
    ];
    const t0 = clock.now().getTime();

    ledger.stock.adjustOnHand(skus[0]!, -1, { actor: "test", idempotencyKey: "one" });
    await instant.idle();
    expect([wooQty(0), shopQty(0)]).toEqual([39, 39]);
    expect(woo.sim.calls("products/batch").length - wooBefore).toBe(1);
    expect(shop.sim.calls("inventorySetQuantities").length - shopBefore).toBe(1);
    // Nothing waited: no timer was set and the manual clock never moved.
    expect([timers.pending(), clock.now().getTime() - t0]).toEqual([0, 0]);
    expect(ledger.channelState.pushLog({ channelId: "woo" }).at(-1)).toMatchObject({ targetQty: 39, attempts: 1 });

    // A burst of 250 separate commits: one pass, ceil(250/100) WooCommerce and ceil(250/250) Shopify calls.
    ledger.stock.adjustOnHand(skus[1]!, -1, { actor: "test", idempotencyKey: "first-of-burst" });
    for (const [i, s] of skus.entries())
      if (i !== 1) ledger.stock.adjustOnHand(s, -2, { actor: "test", idempotencyKey: `burst:${s}` });
    await instant.idle();
    expect(woo.sim.calls("products/batch").length - wooBefore).toBe(1 + Math.ceil(250 / 100));
    expect(shop.sim.calls("inventorySetQuantities").length - shopBefore).toBe(1 + 1);
    expect([wooQty(0), wooQty(1), wooQty(249), shopQty(249)]).toEqual([37, 39, 38, 38]);
    expect(ledger.outbox.allOutbox()).toEqual([]);
    expect(timers.pending()).toBe(0);
  });

  it("after a sale webhook, pushes the other channels before the channel that sold (it already took the sale off)", async () => {
    const { shop, woo, ledger, engine, items, shopQty, wooQty } = await shopAndWoo({ onHand: 10 });
    await engine.syncStock({ full: true, signal });
    // The real adapters, with the order in which the engine starts (and sees the end of) their pushes written down.
    const started: string[] = [];
    const events: string[] = [];
    const noting = (c: SalesChannel): SalesChannel => ({
      ...c,
      pushStock: async (pushed, o) => {
        started.push(c.id);
        events.push(`start:${c.id}`);
        try {
          return await c.pushStock(pushed, o);
        } finally {
          events.push(`end:${c.id}`);
        }
      },
    });
    const channels = [noting(shop.channel), noting(woo.channel)];
    const instant = engineFor(ledger, channels, { ...fastSync, debounceMs: 0 });
    cleanup.push(() => instant.stop());
    instant.start();
    const url = await serve(ledger, instant, channels);
    expect(await sendShopifySale(shop.sim, url, items[0]!.sku)).toBe(200);
    await instant.idle();
    expect(started).toEqual(["woo", "shop1"]);
    // The selling channel's push waits for the others' to finish: it never shares the event loop with them.
    expect(events).toEqual(["start:woo", "end:woo", "start:shop1", "end:shop1"]);
    expect([wooQty(0), shopQty(0)]).toEqual([9, 9]);
    // A change that came from no webhook starts the lanes in their configured order.
    started.length = 0;
    ledger.stock.adjustOnHand(sku(items[0]!.sku), -1, { actor: "test", idempotencyKey: "count" });
    await instant.idle();
    expect(started).toEqual(["shop1", "woo"]);
  });

  it("answers a sale webhook only after the other channel's push is written to the wire (issue 18, oversell window)", async () => {
    const { shop, woo, ledger, engine, items, wooQty } = await shopAndWoo({ onHand: 10 });
    await engine.syncStock({ full: true, signal });
    const instant = engineFor(ledger, [shop.channel, woo.channel], { ...fastSync, debounceMs: 0 });
    cleanup.push(() => instant.stop());
    instant.start();
    const app = await createHttpServer(depsFor(ledger, instant, [shop.channel, woo.channel]), routeModules);
    cleanup.push(() => app.close());
    // What went out, in order: the Woo push's body leaving our HTTP client (undici's own diagnostics channel), and
    // our answer to the webhook starting.
    const events: string[] = [];
    const wooOrigin = new URL(woo.sim.url).origin;
    const onBodySent = (m: unknown): void => {
      const { request } = m as { request: { origin: string | URL; path: string } };
      if (new URL(String(request.origin)).origin === wooOrigin && request.path.includes("/batch"))
        events.push("woo push written");
    };
    diagnostics.subscribe("undici:request:bodySent", onBodySent);
    cleanup.push(() => {
      diagnostics.unsubscribe("undici:request:bodySent", onBodySent);
    });
    app.addHook("onSend", async (req) => {
      if (req.url.startsWith("/webhooks/")) events.push("webhook answered");
    });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    expect(await sendShopifySale(shop.sim, url, items[0]!.sku)).toBe(200);
    await instant.idle();
    expect(events).toEqual(["woo push written", "webhook answered"]);
    expect(wooQty(0)).toBe(9);
  });

  it("with a debounce configured, waits for its timer on the manual clock and sends one batch", async () => {
    const { woo, ledger, shop, skus, wooQty, clock, timers } = await shopAndWoo({ items: 3, manual: true });
    const engine = engineFor(ledger, [shop.channel, woo.channel], { ...fastSync, debounceMs: 200 }, { clock, timers });
    cleanup.push(() => engine.stop());
    await engine.syncStock({ full: true, signal });
    engine.start();
    const before = woo.sim.calls("products/batch").length;
    for (const s of skus) ledger.stock.adjustOnHand(s, -1, { actor: "test", idempotencyKey: `d:${s}` });
    const idle = engine.idle();
    await timers.advance(199);
    expect(woo.sim.calls("products/batch").length).toBe(before);
    await timers.advance(1);
    await idle;
    expect(woo.sim.calls("products/batch").length - before).toBe(1);
    expect([0, 1, 2].map(wooQty)).toEqual([9, 9, 9]);
  });

  it("lands every target with 30% of calls failing (429, 500, timeouts), never applies a superseded value after a newer one, and leaves the ledger untouched", async () => {
    // Engine timers and the ledger on one manual clock; only a hung request waits for the adapter's real timeout.
    const { shop, woo, ledger, engine, skus, shopQty, wooQty, timers } = await shopAndWoo({
      items: 20,
      onHand: 50,
      retry: thinRetry,
      manual: true,
      timeoutMs: 300,
    });
    const kinds = ["429", "500", "hang", "hang-after-apply"] as const;
    shop.sim.faults.set({ failureRate: 0.3, kinds: [...kinds], retryAfterSeconds: 0, seed: 11 });
    woo.sim.faults.set({ failureRate: 0.3, kinds: [...kinds], retryAfterSeconds: 0, seed: 23 });
    engine.start();
    for (let round = 0; round < 10; round++) {
      for (const [i, s] of skus.entries())
        ledger.stock.adjustOnHand(s, -((i + round) % 3) - 1, { actor: "test", idempotencyKey: `r${round}:${s}` });
      // Fires the debounce: the next round's changes land while this round's pushes are in flight.
      await timers.advance(fastSync.debounceMs);
    }
    const levels = skus.map((s) => ledger.stock.getLevel(s));
    for (let i = 0; i < 300 && ledger.outbox.allOutbox().length; i++) {
      // Each step fires the due retry wakes (the backoff never exceeds retryMaxMs), then waits for those passes.
      await timers.advance(fastSync.retryMaxMs);
      await engine.idle();
    }
    expect(ledger.outbox.allOutbox()).toEqual([]);
    expect([shop.sim, woo.sim].map((sim) => sim.requests.some((r) => r.fault))).toEqual([true, true]);
    // The adapters do not retry here, so faults reached the engine, which deferred and retried the rows.
    expect(["shop1", "woo"].map((c) => ledger.channelState.channelHealth(c).lastFailureAt !== null)).toEqual([
      true,
      true,
    ]);
    skus.forEach((_s, i) => {
      expect(shopQty(i)).toBe(levels[i]!.available);
      expect(wooQty(i)).toBe(levels[i]!.available);
    });
    // The ledger moved only by our adjustments: failures wrote no movements and changed no level.
    expect(skus.map((s) => ledger.movements(s, 100).length)).toEqual(skus.map(() => 11));
    expect(skus.map((s) => ledger.stock.getLevel(s))).toEqual(levels);
    // Stock only went down, so every value a channel applied for an item must only go down: a stale value
    // landing after a newer one would show as a rise.
    const rises = (changes: { key: string; to: number }[]) => {
      const last = new Map<string, number>();
      let n = 0;
      for (const c of changes) {
        if ((last.get(c.key) ?? Infinity) < c.to) n += 1;
        last.set(c.key, c.to);
      }
      return n;
    };
    expect(rises(shop.sim.state.changes.map((c) => ({ key: c.itemId, to: c.to })))).toBe(0);
    expect(rises(woo.sim.state.changes.map((c) => ({ key: String(c.id), to: c.to })))).toBe(0);
  });

  it("delists a SKU everywhere (Shopify shows 0, WooCommerce unpublishes) and relists it with the ledger's quantity", async () => {
    const { shop, woo, ledger, engine, skus, shopQty, wooQty, products } = await shopAndWoo();
    await engine.syncStock({ full: true, signal });
    ledger.listings.setDelisted(skus[0]!, true);
    const [shopReport, wooReport] = await engine.drain({ signal });
    expect([shopReport!.deferred, wooReport!.deferred, shopReport!.hasDrift]).toEqual([0, 0, false]);
    expect(shopQty(0)).toBe(0);
    expect(woo.sim.state.products.get(products[0]!.id)!.status).toBe("private");
    expect(ledger.listings.skuListings(skus[0]!).map((l) => [l.channelId, l.confirmedQty, l.confirmedListed])).toEqual([
      ["shop1", 0, false],
      ["woo", 0, false],
    ]);
    ledger.listings.setDelisted(skus[0]!, false);
    await engine.drain({ signal });
    expect([shopQty(0), wooQty(0), woo.sim.state.products.get(products[0]!.id)!.status]).toEqual([10, 10, "publish"]);
    expect(ledger.outbox.allOutbox()).toEqual([]);
    expect(shop.sim.requests.every((r) => r.status === 200)).toBe(true);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { createAmazonChannel } from "../src/channels/amazon.js";
import { systemClock } from "../src/clock.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { parseComponents } from "../src/ledger/bundle-spec.js";
import { openDatabase } from "../src/ledger/db.js";
import { checkInvariants } from "../src/ledger/invariants.js";
import { silentLogger } from "../src/log.js";
import { startAmazonSim } from "../src/sandbox/amazon.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { amazonConfig, channelDeps } from "./support/channels.js";
import { openTestLedger, seed, sku, testLedger, testSettings } from "./support/ledger.js";
import {
  depsFor,
  engineFor,
  fastSync,
  sendShopifySale,
  shopifyChannel,
  WEBHOOK_SECRET,
  wooChannel,
  wooRef,
} from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const signal = new AbortController().signal;
const meta = { actor: "test" };

/** GIFT-1 = 2×MUG-1 + 1×CST-1 (MUG-1 10, CST-1 3) listed on Shopify, WooCommerce and Amazon simulators, all at 0. */
async function threeChannels() {
  const shop = await shopifyChannel("shop1");
  const woo = await wooChannel("woo");
  const amzSim = await startAmazonSim();
  cleanup.push(
    () => shop.sim.close(),
    () => woo.sim.close(),
    () => amzSim.close(),
  );
  const amzConfig = amazonConfig(amzSim, { timeoutMs: 5_000 });
  const amz = createAmazonChannel({ ...channelDeps("amz"), config: amzConfig });
  // No low-stock rule here: the published numbers are the bundle arithmetic alone.
  const ledger = openTestLedger(openDatabase(":memory:"), {
    clock: systemClock,
    settings: { ...testSettings, lowStockThreshold: 0 },
  });
  cleanup.push(() => ledger.close());
  const names = ["CST-1", "GIFT-1", "MUG-1"] as const;
  const items = shop.sim.seedItems(3, { available: 0 });
  const products = woo.sim.seedProducts(3, { stock: 0 });
  const listings = amzSim.seedListings(3, { quantity: 0 });
  const onHand = { "CST-1": 3, "GIFT-1": 0, "MUG-1": 10 };
  const refs = new Map<string, { shop: string; woo: number; amz: string }>();
  names.forEach((name, i) => {
    const s = seed(ledger, name, onHand[name]);
    const item = items[i]!;
    item.sku = name;
    ledger.listings.linkListing({ channelId: "shop1", sku: s, ref: item.id });
    ledger.listings.linkListing({ channelId: "woo", sku: s, ref: wooRef(products[i]!) });
    ledger.listings.linkListing({ channelId: "amz", sku: s, ref: listings[i]!.sku });
    refs.set(name, { shop: item.id, woo: products[i]!.id, amz: listings[i]!.sku });
  });
  ledger.bundles.defineBundle(sku("GIFT-1"), parseComponents("2×MUG-1 + 1×CST-1"), meta);
  const channels = [shop.channel, woo.channel, amz];
  const engine = engineFor(ledger, channels, fastSync);
  cleanup.push(() => engine.stop());
  /** What each channel shows for a SKU: [Shopify, WooCommerce, Amazon]. */
  const shows = (name: string): number[] => {
    const r = refs.get(name)!;
    return [
      shop.sim.state.items.get(r.shop)!.available,
      woo.sim.state.products.get(r.woo)!.stockQuantity ?? -1,
      amzSim.state.listings.get(r.amz)!.quantity,
    ];
  };
  return { shop, woo, amzSim, ledger, engine, channels, shows, refs, items };
}

describe("bundles published to the simulators", () => {
  it("publishes GIFT-1 = 2×MUG-1 + 1×CST-1 as 3 on every channel; two GIFT-1 orders by webhook leave MUG-1 6, CST-1 1 and GIFT-1 1 everywhere within one drain", async () => {
    const { shop, ledger, engine, channels, shows, items } = await threeChannels();
    await engine.drain({ signal });
    expect(shows("GIFT-1")).toEqual([3, 3, 3]);
    expect(shows("MUG-1")).toEqual([10, 10, 10]);
    expect(shows("CST-1")).toEqual([3, 3, 3]);

    const app = await createHttpServer(depsFor(ledger, engine, channels), routeModules);
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    cleanup.push(() => app.close());
    const gift = items.find((i) => i.sku === "GIFT-1")!;
    for (const _ of [1, 2]) {
      expect(await sendShopifySale(shop.sim, url, gift.sku)).toBe(200);
    }
    expect(ledger.stock.getLevel(sku("MUG-1"))).toMatchObject({ onHand: 10, reserved: 4, available: 6 });
    expect(ledger.stock.getLevel(sku("CST-1"))).toMatchObject({ onHand: 3, reserved: 2, available: 1 });
    // Every bundle and component listing was queued in the webhook's own transaction.
    expect(new Set(ledger.outbox.allOutbox().map((r) => `${r.channelId}:${r.sku}:${r.targetQty}`))).toEqual(
      new Set(["amz", "woo", "shop1"].flatMap((c) => [`${c}:MUG-1:6`, `${c}:CST-1:1`, `${c}:GIFT-1:1`])),
    );
    await engine.drain({ signal });
    expect(shows("MUG-1")).toEqual([6, 6, 6]);
    expect(shows("CST-1")).toEqual([1, 1, 1]);
    expect(shows("GIFT-1")).toEqual([1, 1, 1]);
    expect(ledger.outbox.allOutbox()).toEqual([]);
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });

  it("sends a bundle whose component ran out to Amazon as quantity 0, never null", async () => {
    const { amzSim, ledger, engine, shows, refs } = await threeChannels();
    await engine.drain({ signal });
    ledger.stock.setOnHand(sku("CST-1"), 0, { actor: "t", idempotencyKey: "count-cst" });
    const before = amzSim.requests.length;
    await engine.drain({ signal });
    expect(shows("GIFT-1")).toEqual([0, 0, 0]);
    const gift = refs.get("GIFT-1")!.amz;
    const sent = amzSim.requests
      .slice(before)
      .filter((r) => r.op === "patchListingsItem" && r.path.includes(encodeURIComponent(gift)));
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]!.body) as { patches: { value: { quantity: unknown }[] }[] };
    expect(body.patches[0]!.value[0]!.quantity).toBe(0);
    expect(amzSim.state.changes.filter((c) => c.sku === gift).map((c) => c.to)).toEqual([3, 0]);
  });

  it("cancels a bundle order by webhook and releases exactly its components", async () => {
    const { shop, ledger, engine, channels, shows, items } = await threeChannels();
    await engine.drain({ signal });
    const app = await createHttpServer(depsFor(ledger, engine, channels), routeModules);
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    cleanup.push(() => app.close());
    const gift = items.find((i) => i.sku === "GIFT-1")!;
    const mug = items.find((i) => i.sku === "MUG-1")!;
    const order = shop.sim.createOrder([
      { sku: gift.sku, qty: 1 },
      { sku: mug.sku, qty: 1 },
    ]);
    const send = (topic: string) =>
      shop.sim.sendWebhook({
        url: `${url}/webhooks/shop1`,
        topic,
        payload: shop.sim.restOrder(order.id),
        secret: WEBHOOK_SECRET,
      });
    expect((await send("orders/create")).status).toBe(200);
    const keep = shop.sim.createOrder([{ sku: mug.sku, qty: 2 }]);
    await shop.sim.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.sim.restOrder(keep.id),
      secret: WEBHOOK_SECRET,
    });
    expect(ledger.stock.getLevel(sku("MUG-1")).reserved).toBe(5);
    shop.sim.cancelOrder(order.id);
    expect((await send("orders/cancelled")).status).toBe(200);
    expect(ledger.stock.getLevel(sku("MUG-1"))).toMatchObject({ onHand: 10, reserved: 2 });
    expect(ledger.stock.getLevel(sku("CST-1"))).toMatchObject({ onHand: 3, reserved: 0 });
    await engine.drain({ signal });
    expect(shows("GIFT-1")).toEqual([3, 3, 3]);
    expect(shows("MUG-1")).toEqual([8, 8, 8]);
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });
});

describe("bundle holds through the reservation API", () => {
  it("never takes a component below zero with 50 concurrent holds on GIFT-1 and MUG-1 together", async () => {
    const ledger = testLedger();
    cleanup.push(() => ledger.close());
    const mug = seed(ledger, "MUG-1", 10);
    seed(ledger, "CST-1", 3);
    const gift = seed(ledger, "GIFT-1", 0);
    ledger.bundles.defineBundle(gift, parseComponents("2×MUG-1 + 1×CST-1"), meta);
    const sync = createSyncEngine({
      ledger,
      clock: ledger.clock,
      log: silentLogger(),
      channels: [],
      settings: fastSync,
    });
    const app = await createHttpServer(
      depsFor(ledger, sync, [], { http: { apiToken: "tok-123456" } }, ledger.clock),
      routeModules,
    );
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    cleanup.push(() => app.close());
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${url}/api/v1/reservations`, {
          method: "POST",
          headers: { authorization: "Bearer tok-123456", "content-type": "application/json" },
          body: JSON.stringify({ sku: i % 2 ? gift : mug, qty: 1, ref: `cart-${i}` }),
        }).then(async (r) => ({
          sku: i % 2 ? "GIFT-1" : "MUG-1",
          status: r.status,
          body: (await r.json()) as Record<string, unknown>,
        })),
      ),
    );
    const ok = (s: string) => answers.filter((a) => a.sku === s && a.status === 201).length;
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const level = ledger.stock.getLevel(mug);
    expect(level.reserved).toBe(ok("MUG-1") + 2 * ok("GIFT-1"));
    expect(level.reserved).toBeLessThanOrEqual(10);
    expect(ledger.stock.getLevel(sku("CST-1")).reserved).toBe(ok("GIFT-1"));
    expect(ok("GIFT-1")).toBeLessThanOrEqual(3);
    // Every unit was handed out: nothing is left for either SKU, and the refusals say so.
    expect(level.available === 0 || ledger.bundles.availabilityOf(gift).available === 0).toBe(true);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error === "insufficient_stock")).toBe(true);
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });
});

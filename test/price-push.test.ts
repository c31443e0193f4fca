import { afterEach, describe, expect, it } from "vitest";
import { createPinduoduoChannel, type PinduoduoConfig } from "../src/channels/pinduoduo.js";
import { createTaobaoChannel, type TaobaoConfig } from "../src/channels/taobao.js";
import { createWooChannel } from "../src/channels/woocommerce.js";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { createI18n } from "../src/i18n/translator.js";
import { silentLogger } from "../src/log.js";
import { checkPriceDrift } from "../src/money/price-flow.js";
import { startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import { startShopifySim } from "../src/sandbox/shopify.js";
import { startTaobaoSandbox } from "../src/sandbox/taobao.js";
import { startWooSim } from "../src/sandbox/woocommerce.js";
import { buildSummary } from "../src/summary/build.js";
import { renderSummaryText } from "../src/summary/render.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { channelDeps, wooConfig } from "./support/channels.js";
import { manualTimers } from "./support/clock.js";
import { cnChannelDeps } from "./support/cn.js";
import { seed, storesOf } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Shopify, WooCommerce, Taobao and Pinduoduo simulators behind one CNY money stack, MUG-1 linked on all four. */
async function fourChannels() {
  const clock = manualClock("2026-11-20T08:00:00Z");
  const shop = await startShopifySim({ currency: "CNY" });
  const woo = await startWooSim();
  const tb = await startTaobaoSandbox({
    appKey: "12345678",
    appSecret: "tb-app-secret-1",
    session: "6100session",
    clock,
    items: [
      {
        numIid: "612345678901",
        title: "Mug",
        approveStatus: "onsale",
        num: 10,
        price: "10.00",
        skus: [{ skuId: "4876543210123", outerId: "MUG-1", quantity: 10, price: "10.00" }],
      },
    ],
  });
  const pdd = await startPinduoduoSandbox({
    clientId: "4b8e2c9d1f",
    clientSecret: "pdd-client-secret-1",
    accessToken: "pdd-token",
    clock,
    goods: [
      {
        goodsId: "123456789",
        goodsName: "Mug",
        isOnsale: true,
        skus: [{ skuId: "987654321", outerId: "MUG-1", quantity: 10, multiPrice: 1000, singlePrice: 1200 }],
      },
    ],
  });
  cleanups.push(
    () => shop.close(),
    () => woo.close(),
    () => tb.close(),
    () => pdd.close(),
  );
  const cfg = parseConfig({
    channels: [
      {
        id: "tb1",
        kind: "taobao",
        appKey: "12345678",
        appSecret: "tb-app-secret-1",
        session: "6100session",
        apiBase: tb.url,
      },
      {
        id: "pdd1",
        kind: "pinduoduo",
        clientId: "4b8e2c9d1f",
        clientSecret: "pdd-client-secret-1",
        accessToken: "pdd-token",
        apiBase: pdd.url,
      },
    ],
  }).channels;
  const woo1 = createWooChannel({
    ...channelDeps("woo1"),
    config: wooConfig(woo),
  });
  const tb1 = createTaobaoChannel({ ...cnChannelDeps("tb1", clock), config: cfg[0] as TaobaoConfig });
  const pdd1 = createPinduoduoChannel({ ...cnChannelDeps("pdd1", clock), config: cfg[1] as PinduoduoConfig });
  const s = await moneyStack({ money: { currency: "CNY" }, sim: shop, clock, adapters: [woo1, tb1, pdd1] });
  cleanups.push(() => s.close());
  const [item] = shop.seedItems(1, { available: 10 });
  const [p] = woo.seedProducts(1, { stock: 10 });
  const sku = seed(s.ledger, "MUG-1", 10);
  s.ledger.listings.linkListing({ channelId: "shop1", sku, ref: item!.id });
  s.ledger.listings.linkListing({ channelId: "woo1", sku, ref: String(p!.id) });
  s.ledger.listings.linkListing({ channelId: "tb1", sku, ref: "612345678901:4876543210123" });
  s.ledger.listings.linkListing({ channelId: "pdd1", sku, ref: "123456789:987654321" });
  return { s, sku, shop, woo, tb, pdd, item: item!, product: p! };
}

describe("prices on every channel (issue 14)", () => {
  it("/price MUG-1 19.90 → preview → confirm → Shopify, WooCommerce, Taobao and Pinduoduo hold 19.90, the price outbox is empty", async () => {
    const { s, sku, shop, woo, tb, pdd, item, product } = await fourChannels();
    const preview = await s.say(USERS.op1, `/price ${sku} 19.90`);
    expect(preview.outcome).toBe("ok");
    expect(preview.reply.text).toContain("19.90");
    expect(preview.reply.text).toMatch(/shop1.*woo1.*tb1.*pdd1|pdd1.*shop1/s);
    expect(tb.requests.filter((r) => r.method.includes("price.update"))).toEqual([]);
    const done = await s.press(USERS.op1, preview.reply, "Confirm");
    expect(done.reply.text).toContain("Confirmed by");
    for (const c of ["shop1", "woo1", "tb1", "pdd1"]) expect(done.reply.text).toContain(c);
    expect(shop.state.items.get(item.id)!.price).toBe("19.90");
    expect(woo.state.products.get(product.id)!.regularPrice).toBe("19.90");
    expect(tb.items.get("612345678901")!.skus[0]!.price).toBe("19.90");
    expect(pdd.goods.get("123456789")!.skus[0]!.multiPrice).toBe(1990);
    expect(pdd.goods.get("123456789")!.skus[0]!.singlePrice).toBe(2190);
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    const confirmed = s.deps.priceOutbox.confirmedPrices(sku);
    for (const c of ["shop1", "woo1", "tb1", "pdd1"])
      expect(confirmed.get(c)).toEqual({ amountMinor: 1990, currency: "CNY" });
    // One signed call per channel: the CN gateways checked every signature.
    expect(tb.requests.filter((r) => r.method === "taobao.item.sku.price.update").map((r) => r.isSignValid)).toEqual([
      true,
    ]);
    expect(pdd.requests.filter((r) => r.type === "pdd.goods.sku.price.update").map((r) => r.isSignValid)).toEqual([
      true,
    ]);
  });

  it("the engine's price lane pushes a price target when it commits and retries a deferred one when it falls due", async () => {
    const { s, sku, shop, item } = await fourChannels();
    const timers = manualTimers(s.clock);
    const engine = createSyncEngine({
      ledger: s.ledger,
      clock: s.clock,
      timers,
      log: silentLogger(),
      channels: [s.deps.channels.get("shop1")!],
      settings: { ...s.deps.config.sync, retryBaseMs: 1_000, retryMaxMs: 1_000 },
      random: () => 0.5,
      prices: { outbox: storesOf(s.ledger).priceOutbox },
    });
    engine.start();
    cleanups.push(() => engine.stop());
    s.deps.priceOutbox.queuePriceTargets({
      sku,
      channelIds: ["shop1"],
      price: { amountMinor: 1850, currency: "CNY" },
      changeId: null,
    });
    await engine.idle();
    expect(shop.state.items.get(item.id)!.price).toBe("18.50");
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    // Shopify answers 500 to every attempt of the next pass (fastRetry: 6): the target is deferred, then the wake timer retries it.
    shop.faults.failNext("500", 6);
    s.deps.priceOutbox.queuePriceTargets({
      sku,
      channelIds: ["shop1"],
      price: { amountMinor: 1700, currency: "CNY" },
      changeId: null,
    });
    await engine.idle();
    const [deferred] = s.deps.priceOutbox.pendingPriceChanges();
    expect(deferred).toMatchObject({ channelId: "shop1", attempts: 1, price: { amountMinor: 1700 } });
    expect(shop.state.items.get(item.id)!.price).toBe("18.50");
    expect(timers.pending()).toBe(1);
    await timers.advance(1_000);
    await engine.idle();
    expect(shop.state.items.get(item.id)!.price).toBe("17.00");
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
  });

  it("the daily summary lists the day's price changes (SKU, old → new, who) in both languages", async () => {
    const { s, sku } = await fourChannels();
    for (const [who, amount] of [
      [USERS.op1, "19.90"],
      [USERS.op2, "19.00"],
    ] as const) {
      const preview = await s.say(who, `/price ${sku} ${amount}`);
      await s.press(who, preview.reply, "Confirm");
    }
    const day = buildSummary(s.deps, "2026-11-20");
    expect(day.prices).toEqual({
      count: 2,
      changes: [
        { sku, channelId: "", old: undefined, new: { amountMinor: 1990, currency: "CNY" }, actor: USERS.op1 },
        {
          sku,
          channelId: "",
          old: { amountMinor: 1990, currency: "CNY" },
          new: { amountMinor: 1900, currency: "CNY" },
          actor: USERS.op2,
        },
      ],
    });
    // The promotion guard's table exists (migration 19) and holds nothing today.
    expect(day.heldOrders).toBe(0);
    const en = renderSummaryText(day);
    expect(en).toMatch(
      /💲 Price changes \(2\): MUG-1 none → CN¥19\.90 by tg:101.*MUG-1 CN¥19\.90 → CN¥19\.00 by tg:102/,
    );
    const zh = renderSummaryText(day, createI18n({ timeZone: "Asia/Shanghai" }).translator("zh-CN"));
    expect(zh).toContain("💲 改价（2 次）：MUG-1 无 → ");
    expect(zh).not.toContain("Price changes");
  });

  it("reconcile reads prices back on every channel and reports a hand-made change as drift, without overwriting it", async () => {
    const { s, sku, shop, tb, pdd, item } = await fourChannels();
    const preview = await s.say(USERS.op1, `/price ${sku} 19.90`);
    await s.press(USERS.op1, preview.reply, "Confirm");
    const pushes = () =>
      tb.requests.filter((r) => r.method.includes("price.update")).length +
      pdd.requests.filter((r) => r.type === "pdd.goods.sku.price.update").length;
    const before = pushes();
    shop.setPrice(item.id, "21.00");
    tb.items.get("612345678901")!.skus[0]!.price = "18.80";
    pdd.goods.get("123456789")!.skus[0]!.multiPrice = 1500;
    const drift = await checkPriceDrift(s.deps, new AbortController().signal);
    expect(drift.map((d) => [d.channelId, d.actual.amountMinor, d.expected.amountMinor]).sort()).toEqual([
      ["pdd1", 1500, 1990],
      ["shop1", 2100, 1990],
      ["tb1", 1880, 1990],
    ]);
    const alerts = s.ledger.alerts.liveAlerts().filter((a) => a.kind === "price_drift");
    expect(alerts.map((a) => a.subject).sort()).toEqual([`pdd1:${sku}`, `shop1:${sku}`, `tb1:${sku}`]);
    // Reported, not overwritten: no price call went out, the channels keep the hand-made prices.
    expect(pushes()).toBe(before);
    expect(tb.items.get("612345678901")!.skus[0]!.price).toBe("18.80");
    expect(pdd.goods.get("123456789")!.skus[0]!.multiPrice).toBe(1500);
    // Once per (channel, listing): a second reconcile updates the same alerts instead of adding new ones.
    await checkPriceDrift(s.deps, new AbortController().signal);
    expect(s.ledger.alerts.liveAlerts().filter((a) => a.kind === "price_drift")).toHaveLength(3);
  });

  it("a price_drift alert resolves itself once a confirmed push, /price or a hand fix makes the channel show our price", async () => {
    const { s, sku, shop, tb, item } = await fourChannels();
    const preview = await s.say(USERS.op1, `/price ${sku} 19.90`);
    await s.press(USERS.op1, preview.reply, "Confirm");
    shop.setPrice(item.id, "21.00");
    tb.items.get("612345678901")!.skus[0]!.price = "18.80";
    await checkPriceDrift(s.deps, new AbortController().signal);
    const drifting = () =>
      s.ledger.alerts
        .liveAlerts()
        .filter((a) => a.kind === "price_drift")
        .map((a) => a.subject)
        .sort();
    expect(drifting()).toEqual([`shop1:${sku}`, `tb1:${sku}`]);
    // Taobao is put back by hand: the next reconcile sees our price there and resolves that alert only.
    tb.items.get("612345678901")!.skus[0]!.price = "19.90";
    await checkPriceDrift(s.deps, new AbortController().signal);
    expect(drifting()).toEqual([`shop1:${sku}`]);
    // The seller adopts Shopify's price with /price: the confirmed push makes it ours, and the alert goes.
    const adopt = await s.say(USERS.op1, `/price ${sku} 21.00`);
    await s.press(USERS.op1, adopt.reply, "Confirm");
    expect(shop.state.items.get(item.id)!.price).toBe("21.00");
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    expect(drifting()).toEqual([]);
    expect(s.ledger.alerts.liveAlerts().filter((a) => a.kind === "price_drift")).toEqual([]);
    // Nothing drifts now, so a later reconcile raises nothing again.
    expect(await checkPriceDrift(s.deps, new AbortController().signal)).toEqual([]);
  });
});

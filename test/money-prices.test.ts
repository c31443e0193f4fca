import { afterEach, describe, expect, it } from "vitest";
import { createWooChannel } from "../src/channels/woocommerce.js";
import { checkPriceDrift } from "../src/money/price-flow.js";
import { startWooSim } from "../src/sandbox/woocommerce.js";
import { channelDeps, wooConfig } from "./support/channels.js";
import { seed } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stack(money: Record<string, unknown> = {}) {
  const s = await moneyStack({ money });
  cleanups.push(() => s.close());
  const [item] = s.sim.seedItems(1, { available: 10 });
  const sku = seed(s.ledger, "MUG-1", 10);
  s.ledger.listings.linkListing({ channelId: "shop1", sku, ref: item!.id });
  return { s, sku, item: item! };
}

async function setPrice(s: Awaited<ReturnType<typeof moneyStack>>, who: string, text: string) {
  const preview = await s.say(who, text);
  if (preview.outcome !== "ok" || !preview.reply.buttons?.some((b) => b.label === "Confirm")) return preview;
  return s.press(who, preview.reply, "Confirm");
}

describe("prices reach the channels through the guard (issue 14)", () => {
  it("/price MUG-1 19.90 → preview → confirm → the Shopify simulator holds 19.90 and the price outbox is empty", async () => {
    const { s, sku, item } = await stack();
    const preview = await s.say(USERS.op1, `/price ${sku} 19.90`);
    expect(preview.reply.text).toContain("€19.90");
    expect(preview.reply.text).toContain("shop1");
    expect(item.price).toBe("10.00");
    expect(s.sim.requests.filter((r) => r.op === "productVariantsBulkUpdate")).toHaveLength(0);
    const done = await s.press(USERS.op1, preview.reply, "Confirm");
    expect(done.reply.text).toContain("Confirmed by shop1");
    expect(s.sim.state.items.get(item.id)!.price).toBe("19.90");
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    expect(s.deps.priceOutbox.confirmedPrices(sku).get("shop1")).toEqual({ amountMinor: 1990, currency: "EUR" });
    const calls = s.sim.requests.filter((r) => r.op === "productVariantsBulkUpdate");
    expect(calls).toHaveLength(1);
    const body = JSON.parse(calls[0]!.body) as { query: string; variables: Record<string, unknown> };
    expect(body.query).toContain("allowPartialUpdates: true");
    expect(body.variables).toEqual({ p0: item.productId, v0: [{ id: item.variantId, price: "19.90" }] });
  });

  it("pushes the same price to WooCommerce in its products batch (regular_price string, sale cleared)", async () => {
    const { s, sku, item } = await stack();
    const woo = await startWooSim();
    cleanups.push(() => woo.close());
    const [p] = woo.seedProducts(1, { stock: 10 });
    const channel = createWooChannel({
      ...channelDeps("woo1"),
      config: wooConfig(woo),
    });
    (s.deps.channels as Map<string, typeof channel>).set("woo1", channel);
    s.ledger.listings.linkListing({ channelId: "woo1", sku, ref: String(p!.id) });
    const done = await setPrice(s, USERS.op1, `/price ${sku} 19.90`);
    expect(done.reply.text).toContain("Confirmed by shop1 and woo1");
    expect(s.sim.state.items.get(item.id)!.price).toBe("19.90");
    expect(woo.state.products.get(p!.id)!.regularPrice).toBe("19.90");
    const batches = woo.requests.filter((r) => r.path.endsWith("/products/batch"));
    expect(batches).toHaveLength(1);
    expect(JSON.parse(batches[0]!.body)).toEqual({ update: [{ id: p!.id, regular_price: "19.90", sale_price: "" }] });
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
  });

  it("refuses a 40% move with the limit, and every price change while the breaker is open", async () => {
    const { s, sku, item } = await stack({ priceGuard: { maxChangePct: 30 } });
    await setPrice(s, USERS.op1, `/price ${sku} 10`);
    const big = await s.say(USERS.op1, `/price ${sku} 14`);
    expect(big.outcome).toBe("refused");
    expect(big.reply.text).toMatch(/moves 40.0%, more than the 30%/);
    s.ledger.breaker.tripBreaker(
      { reason: "test", currency: "EUR", windowTotalMinor: 1, limitMinor: 1 },
      { actor: "tg:901", transport: "telegram", requestId: "r" },
    );
    const blocked = await s.say(USERS.op1, `/price ${sku} 10.50`);
    expect(blocked.outcome).toBe("refused");
    expect(blocked.reply.text).toContain("breaker is open");
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");
  });

  it("a price changed by hand on the Shopify simulator shows up in fetchPrices, not overwritten", async () => {
    const { s, sku, item } = await stack();
    await setPrice(s, USERS.op1, `/price ${sku} 19.90`);
    s.sim.setPrice(item.id, "21.00");
    const shop = s.deps.channels.get("shop1")!;
    const back = await shop.fetchPrices!([{ sku, ref: item.id }], new AbortController().signal);
    expect(back).toEqual([{ sku, ref: item.id, price: { amountMinor: 2100, currency: "EUR" } }]);
    expect(s.sim.state.items.get(item.id)!.price).toBe("21.00");
    const drift = await checkPriceDrift(s.deps, new AbortController().signal);
    expect(drift).toEqual([
      {
        channelId: "shop1",
        sku,
        expected: { amountMinor: 1990, currency: "EUR" },
        actual: { amountMinor: 2100, currency: "EUR" },
      },
    ]);
    const alert = s.ledger.alerts.liveAlerts().find((a) => a.kind === "price_drift");
    expect(alert?.text).toContain("shop1 shows €21.00 for MUG-1, not the €19.90");
    expect(s.sim.state.items.get(item.id)!.price).toBe("21.00");
    expect(s.sim.requests.filter((r) => r.op === "productVariantsBulkUpdate")).toHaveLength(1);
  });
});

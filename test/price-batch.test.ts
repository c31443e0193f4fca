import { afterEach, describe, expect, it } from "vitest";
import { createWooChannel } from "../src/channels/woocommerce.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { importPrices } from "../src/money/price-batch.js";
import { startWooSim } from "../src/sandbox/woocommerce.js";
import { channelDeps, wooConfig } from "./support/channels.js";
import { seed } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Stack = Awaited<ReturnType<typeof moneyStack>>;

const trOf = (s: Stack) => sharedI18n(s.deps.config.timezone).translator("en");

const by = (actor: string) => ({ actor, transport: "telegram", requestId: `r-${actor}` });

/** `n` SKUs at €10.00 (recorded earlier), listed on the Shopify and WooCommerce simulators. */
async function stack(n: number, money: Record<string, unknown> = {}) {
  const s = await moneyStack({ money, simOpts: { bucket: { maximumAvailable: 1_000_000, restoreRate: 100_000 } } });
  cleanups.push(() => s.close());
  const woo = await startWooSim();
  cleanups.push(() => woo.close());
  const channel = createWooChannel({
    ...channelDeps("woo1"),
    config: wooConfig(woo, { requestsPerSecond: 100_000, timeoutMs: 5_000 }),
  });
  (s.deps.channels as Map<string, typeof channel>).set("woo1", channel);
  const items = s.sim.seedItems(n, { available: 5 });
  const products = woo.seedProducts(n, { stock: 5 });
  const skus = items.map((item, i) => {
    const sku = seed(s.ledger, item.sku, 5);
    s.ledger.listings.linkListing({ channelId: "shop1", sku, ref: item.id });
    s.ledger.listings.linkListing({ channelId: "woo1", sku, ref: String(products[i]!.id) });
    s.deps.prices.recordPriceChange(
      {
        sku,
        channelId: "",
        oldMinor: null,
        price: { amountMinor: 1000, currency: "EUR" },
        outcome: "applied",
        reason: null,
        idempotencyKey: `seed-price:${sku}`,
      },
      by("seed"),
    );
    return sku;
  });
  // A day later: the seeded prices are the day's opening prices of nobody.
  s.clock.advance(25 * 3600_000);
  return { s, woo, skus, items, products };
}

/** sku,amount rows: SKU i moves (i mod 25) % up from €10.00. */
const csvFor = (skus: readonly string[]) =>
  ["sku,amount", ...skus.map((sku, i) => `${sku},${(10 * (1 + (i % 25) / 100)).toFixed(2)}`)].join("\n");

async function confirmed(s: Stack, who: string, text: string) {
  const preview = await s.say(who, text);
  if (preview.outcome !== "ok" || !preview.reply.buttons?.some((b) => b.label === "Confirm")) return preview;
  return s.press(who, preview.reply, "Confirm");
}

describe("import prices: a bulk change is validated whole and, above the threshold, held for one approval (issue 14)", () => {
  it("a CSV of 500 prices → one approval request with a summary; approval queues 500 targets per channel and one drain per channel makes ceil(500/batch) calls", async () => {
    const { s, woo, skus, items, products } = await stack(500);
    const r = await importPrices(s.deps, trOf(s), csvFor(skus), "prices.csv", by(USERS.appr));
    expect(r.kind).toBe("requested");
    if (r.kind !== "requested") return;
    expect(s.deps.priceLimits.pendingPriceBatches()).toHaveLength(1);
    expect(r.batch.items).toHaveLength(500);
    expect(r.text).toContain(
      `Price batch ${r.batch.id} from ${USERS.appr} waits for an approver: 500 SKUs; largest moves: `,
    );
    expect(r.text).toContain("(+24.0%)");
    expect(r.text).toContain("total value at the new prices (× on hand): EUR 28,000.00");
    // Nothing changed yet: no price, no target, no call.
    expect(s.deps.prices.currentPrice(skus[24]!)?.price.amountMinor).toBe(1000);
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    expect(s.sim.requests.filter((q) => q.op === "productVariantsBulkUpdate")).toHaveLength(0);
    const alert = s.ledger.alerts.liveAlerts().find((a) => a.kind === "price_batch");
    expect(alert?.buttons.map((b) => b.action)).toEqual([
      `/approve-prices ${r.batch.id}`,
      `/reject-prices ${r.batch.id}`,
    ]);
    // The same file again opens no second request.
    const again = await importPrices(s.deps, trOf(s), csvFor(skus), "prices.csv", by(USERS.appr));
    expect(again.kind === "requested" && again.isDuplicate).toBe(true);

    const own = await s.say(USERS.appr, `/approve-prices ${r.batch.id}`);
    expect(own.outcome).toBe("refused");
    expect(own.reply.text).toBe(`You asked for price batch ${r.batch.id}; someone else must approve it.`);
    const done = await confirmed(s, USERS.appr2, `/approve-prices ${r.batch.id}`);
    expect(done.outcome, done.reply.text).toBe("ok");
    expect(done.reply.text).toContain(
      `approved by ${USERS.appr2}: 500 prices applied; queued 500 for shop1 and 500 for woo1`,
    );
    // Shopify: 20 products per aliased call; WooCommerce: 100 per products/batch.
    expect(s.sim.requests.filter((q) => q.op === "productVariantsBulkUpdate")).toHaveLength(Math.ceil(500 / 20));
    expect(woo.requests.filter((q) => q.path.endsWith("/products/batch"))).toHaveLength(Math.ceil(500 / 100));
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    expect(s.sim.state.items.get(items[24]!.id)!.price).toBe("12.40");
    expect(woo.state.products.get(products[24]!.id)!.regularPrice).toBe("12.40");
    expect(s.deps.prices.currentPrice(skus[24]!)?.price.amountMinor).toBe(1240);
    expect(s.deps.priceLimits.findPriceBatch(r.batch.id)).toMatchObject({ state: "approved", decidedBy: USERS.appr2 });
    expect(s.ledger.alerts.liveAlerts().find((a) => a.kind === "price_batch")).toBeUndefined();
  }, 60_000);

  it("refuses the whole file when one row breaks a rule; a small file applies at once; the breaker blocks both", async () => {
    const { s, skus, items } = await stack(3);
    const tr = trOf(s);
    const bad = await importPrices(
      s.deps,
      tr,
      [
        "sku,amount,currency,channel",
        `${skus[0]},11`,
        `${skus[1]},14`,
        "NOPE-1,5",
        `${skus[2]},10.5,,shopX`,
        `${skus[0]},12`,
      ].join("\n"),
      "prices.csv",
      by(USERS.op1),
    );
    expect(bad.kind).toBe("refused");
    expect(bad.text.split("\n")).toEqual([
      "Nothing changed: 4 rows of prices.csv are refused (the file applies whole or not at all):",
      `line 3: ${skus[1]}: €10.00 → €14.00 moves 40.0%, more than the 30% allowed in one step (money.priceGuard.maxChangePct)`,
      "line 4: no SKU NOPE-1",
      "line 5: no channel shopX",
      `line 6: ${skus[0]} is already on line 2`,
    ]);
    expect(s.deps.prices.currentPrice(skus[0]!)?.price.amountMinor).toBe(1000);

    const ok = await importPrices(
      s.deps,
      tr,
      ["sku,amount", `${skus[0]},11`, `${skus[1]},10.50`].join("\n"),
      "p.csv",
      by(USERS.op1),
    );
    expect(ok.text).toBe("✅ 2 prices applied; queued 2 for shop1 and 2 for woo1.");
    expect(s.sim.state.items.get(items[0]!.id)!.price).toBe("11.00");
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);

    s.ledger.breaker.tripBreaker(
      { reason: "test", currency: "EUR", windowTotalMinor: 1, limitMinor: 1 },
      by(USERS.admin),
    );
    const blocked = await importPrices(
      s.deps,
      tr,
      ["sku,amount", `${skus[2]},10.20`].join("\n"),
      "b.csv",
      by(USERS.op1),
    );
    expect(blocked.kind).toBe("refused");
    expect(blocked.text).toContain("the refund breaker is open");
    expect(s.deps.prices.currentPrice(skus[2]!)?.price.amountMinor).toBe(1000);
  });

  it("with the breaker open an approved batch is refused whole and stays pending", async () => {
    const { s, skus } = await stack(30);
    const r = await importPrices(s.deps, trOf(s), csvFor(skus), "prices.csv", by(USERS.appr));
    expect(r.kind).toBe("requested");
    if (r.kind !== "requested") return;
    s.ledger.breaker.tripBreaker(
      { reason: "test", currency: "EUR", windowTotalMinor: 1, limitMinor: 1 },
      by(USERS.admin),
    );
    const done = await confirmed(s, USERS.appr2, `/approve-prices ${r.batch.id}`);
    expect(done.outcome).toBe("refused");
    expect(done.reply.text).toContain("the refund breaker is open");
    expect(s.deps.priceLimits.findPriceBatch(r.batch.id)?.state).toBe("pending");
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    expect(s.deps.prices.currentPrice(skus[5]!)?.price.amountMinor).toBe(1000);
    const rejected = await s.say(USERS.appr2, `/reject-prices ${r.batch.id} breaker`);
    expect(rejected.reply.text).toBe(
      `Price batch ${r.batch.id} rejected by ${USERS.appr2}: breaker. No price changed.`,
    );
  });
});

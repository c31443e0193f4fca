import { afterEach, describe, expect, it } from "vitest";
import { createEbayChannel, type EbayConfig } from "../src/channels/ebay.js";
import type { StockPush } from "../src/channels/types.js";
import type { Sku } from "../src/ids.js";
import { type EbaySim, type EbaySimOptions, startEbaySim } from "../src/sandbox/ebay.js";
import type { UpstreamError } from "../src/upstream/errors.js";
import { channelDeps, ebayConfig, fixture, never } from "./support/channels.js";

let sim: EbaySim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(simOpts: EbaySimOptions = {}, cfg: Partial<EbayConfig> = {}) {
  sim = await startEbaySim(simOpts);
  const config = ebayConfig(sim, { timeoutMs: 400, ...cfg });
  const deps = channelDeps("ebay");
  return { sim, deps, ebay: createEbayChannel({ ...deps, config }) };
}

const pushes = (items: { sku: string; offers: { offerId: string }[] }[], qty: (i: number) => number): StockPush[] =>
  items.map((it, i) => ({
    sku: it.sku as Sku,
    ref: it.offers.length ? `${it.sku}@${it.offers.map((o) => o.offerId).join(",")}` : it.sku,
    quantity: qty(i),
  }));

describe("ebay adapter", () => {
  it("pushes 100 SKUs in 4 bulk_update_price_quantity calls with one token for all of them", async () => {
    const { sim, ebay } = await setup();
    const items = sim.seedItems(100, { withOffer: true, quantity: 1 });
    const outcomes = await ebay.pushStock(
      pushes(items, (i) => i % 6),
      { idempotencyKey: "full", signal: never },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.calls("bulkUpdatePriceQuantity")).toHaveLength(4);
    expect(sim.state.tokensIssued).toBe(1);
    expect(ebay.tokenRefreshes).toBe(1);
    const token = sim.calls("token")[0]!;
    expect(new URLSearchParams(token.body).get("scope")).toBe(
      "https://api.ebay.com/oauth/api_scope/sell.inventory https://api.ebay.com/oauth/api_scope/sell.fulfillment",
    );
    const body = JSON.parse(sim.calls("bulkUpdatePriceQuantity")[0]!.body) as { requests: unknown[] };
    expect(body.requests).toHaveLength(25);
    expect(body.requests[1]).toEqual({
      sku: items[1]!.sku,
      shipToLocationAvailability: { quantity: 1 },
      offers: [{ offerId: items[1]!.offers[0]!.offerId, availableQuantity: 1 }],
    });
    items.forEach((it, i) => {
      expect(sim.state.items.get(it.sku)!.quantity).toBe(i % 6);
      expect(sim.state.items.get(it.sku)!.offers[0]!.availableQuantity).toBe(i % 6);
    });
  });

  it("turns a 207 Multi-Status into per-item outcomes", async () => {
    const { sim, ebay } = await setup();
    const items = sim.seedItems(4);
    sim.state.itemErrors.set(items[1]!.sku, {
      statusCode: 400,
      errorId: 25709,
      category: "REQUEST",
      message: "Invalid value for quantity",
    });
    sim.state.itemErrors.set(items[2]!.sku, {
      statusCode: 500,
      errorId: 25001,
      category: "APPLICATION",
      message: "A system error has occurred.",
    });
    const outcomes = await ebay.pushStock(
      [...pushes(items, () => 3), { sku: "NOPE-1" as Sku, ref: "NOPE-1", quantity: 1 }],
      { idempotencyKey: "m", signal: never },
    );
    expect(outcomes.map((o) => (o.ok ? "ok" : `${(o.error as UpstreamError).providerCode}:${o.retryable}`))).toEqual([
      "ok",
      "25709:false",
      "25001:true",
      "ok",
      "25702:false",
    ]);
    expect(sim.calls("bulkUpdatePriceQuantity")).toHaveLength(1);
  });

  it("retries 429 (errorId 2001) and system errors, then lands", async () => {
    const { sim, ebay, deps } = await setup({ faults: { retryAfterSeconds: 0 } });
    const items = sim.seedItems(2);
    sim.faults.failNext("429");
    sim.faults.failNext("500");
    const outcomes = await ebay.pushStock(
      pushes(items, () => 9),
      { idempotencyKey: "r", signal: never },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.requests.filter((r) => r.path.endsWith("/bulk_update_price_quantity")).map((r) => r.status)).toEqual([
      429, 500, 200,
    ]);
    expect(deps.limiter.snapshot().pauses).toBe(1);
  });

  it("maps an expired refresh token to a non-retryable auth error", async () => {
    const { sim, ebay } = await setup({}, { refreshToken: "v^1.1#i^1#expired-refresh" });
    sim.seedItems(1);
    await expect(ebay.fetchOrders(null, never)).rejects.toMatchObject({
      code: "upstream_auth",
      retryable: false,
      providerCode: "invalid_grant",
    });
    expect(sim.calls("token")).toHaveLength(1);
    expect(sim.calls("getOrders")).toHaveLength(0);
  });

  it("pages getOrders with a lastmodifieddate filter and offset, and maps line states", async () => {
    const { sim, ebay } = await setup();
    const sample = JSON.parse(fixture("ebay/order.json")) as Record<string, unknown>;
    sim.state.orders.push(sample);
    for (let i = 0; i < 250; i++) {
      const t = new Date(Date.parse("2026-11-20T09:00:00Z") + i * 1000).toISOString();
      sim.state.orders.push({ ...sample, orderId: `12-0000-${i}`, creationDate: t, lastModifiedDate: t });
    }
    let cursor: string | null = "2026-11-20T00:00:00Z";
    const got = [];
    for (;;) {
      const p = await ebay.fetchOrders(cursor, never);
      got.push(...p.orders);
      cursor = p.nextCursor;
      if (!p.hasMore) break;
    }
    expect(got).toHaveLength(251);
    const calls = sim.calls("getOrders");
    expect(calls.map((c) => c.query.offset)).toEqual(["0", "200"]);
    expect(calls[0]!.query).toMatchObject({ filter: "lastmodifieddate:[2026-11-20T00:00:00.000Z..]", limit: "200" });
    expect(got[0]).toMatchObject({
      orderId: "12-01234-56789",
      total: { amountMinor: 2999, currency: "USD" },
      destination: { country: "US", region: "TX", city: "Austin" },
    });
    expect(got[0]!.lines.map((l) => [l.sku, l.qty, l.status])).toEqual([
      ["EB-0001", 2, "paid"],
      ["EB-0002", 1, "shipped"],
    ]);
    expect(JSON.parse(cursor)).toEqual({ since: "2026-11-20T09:04:09.000Z" });
  });

  it("reads quantities in bulk, lists the catalog, and withdraws / publishes offers", async () => {
    const { sim, ebay } = await setup();
    const items = sim.seedItems(130, { withOffer: true, quantity: 2 });
    const stock = await ebay.fetchStock(
      pushes(items.slice(0, 30), () => 0),
      never,
    );
    expect(stock).toHaveLength(30);
    expect(sim.calls("bulkGetInventoryItem")).toHaveLength(2);
    expect(await ebay.listCatalog(never)).toHaveLength(130);
    await ebay.setListed({ sku: items[0]!.sku as Sku, ref: items[0]!.sku }, false, {
      idempotencyKey: "d",
      signal: never,
    });
    expect(sim.state.items.get(items[0]!.sku)!.offers[0]!.status).toBe("UNPUBLISHED");
    await ebay.setListed({ sku: items[0]!.sku as Sku, ref: items[0]!.sku }, true, {
      idempotencyKey: "r",
      signal: never,
    });
    expect(sim.state.items.get(items[0]!.sku)!.offers[0]!.status).toBe("PUBLISHED");
  });

  it("lists a 250-item catalog by page-number offsets, following `next` (sell_inventory_v1_oas3.json getInventoryItems)", async () => {
    const { sim, ebay } = await setup();
    const items = sim.seedItems(250, { quantity: 3 });
    const listed = await ebay.listCatalog(never);
    expect(listed).toHaveLength(250);
    expect(new Set(listed.map((i) => i.sku)).size).toBe(250);
    expect(listed.map((i) => i.sku).sort()).toEqual(items.map((i) => i.sku).sort());
    const calls = sim.calls("getInventoryItems").map((c) => c.query);
    expect(calls.map((q) => [q.offset, q.limit])).toEqual([
      ["0", "200"],
      ["1", "200"],
    ]);
  });

  it("with 30% of calls failing every target lands", async () => {
    const { sim, ebay } = await setup({
      faults: {
        failureRate: 0.3,
        kinds: ["429", "500", "hang", "hang-after-apply", "malformed"],
        retryAfterSeconds: 0,
        seed: 11,
      },
    });
    const items = sim.seedItems(200, { withOffer: true });
    let pending = pushes(items, (i) => 40 + (i % 3));
    for (let round = 0; pending.length > 0 && round < 6; round++) {
      const outcomes = await ebay.pushStock(pending, { idempotencyKey: `r${round}`, signal: never });
      pending = pending.filter((_, i) => !outcomes[i]!.ok);
    }
    expect(pending).toHaveLength(0);
    for (const [i, it] of items.entries()) expect(sim.state.items.get(it.sku)!.quantity).toBe(40 + (i % 3));
    expect(sim.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
  });
});

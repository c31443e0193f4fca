import { afterEach, describe, expect, it } from "vitest";
import { hmacBase64 } from "../src/channels/http.js";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import type { StockPush } from "../src/channels/types.js";
import { ForbiddenError, InvalidInputError } from "../src/errors.js";
import { asOrderId, type Sku } from "../src/ids.js";
import { createLogger } from "../src/log.js";
import { type ShopifySim, type ShopifySimOptions, startShopifySim } from "../src/sandbox/shopify.js";
import { UpstreamError } from "../src/upstream/errors.js";
import { channelDeps, fixture, never } from "./support/channels.js";
import { testClock } from "./support/clock.js";

let sim: ShopifySim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const SECRET = "whsec_test_0123456789";

/** A simulator and adapter; with `timing`, both run on its manual clock and the adapter's waits step it. */
async function setup(
  simOpts: ShopifySimOptions = {},
  cfg: Partial<ShopifyConfig> = {},
  timing?: ReturnType<typeof testClock>,
) {
  sim = await startShopifySim({ ...simOpts, ...(timing ? { bucketNow: () => timing.clock.now().getTime() } : {}) });
  const deps = channelDeps("shop1", timing ?? {});
  const config: ShopifyConfig = {
    id: "shop1",
    kind: "shopify",
    shop: "sandbox.myshopify.com",
    accessToken: sim.accessToken,
    webhookSecret: SECRET,
    locationId: sim.locationId,
    apiBase: sim.url,
    apiVersion: sim.apiVersion,
    timeoutMs: 400,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
    ...cfg,
  };
  return { sim, deps, shop: createShopifyChannel({ ...deps, config }) };
}

const pushesFor = (
  items: { id: string; sku: string }[],
  qty: (i: number) => number,
  previous?: (i: number) => number,
): StockPush[] =>
  items.map((it, i) => ({
    sku: it.sku as Sku,
    ref: it.id,
    quantity: qty(i),
    ...(previous ? { previous: previous(i) } : {}),
  }));

describe("shopify adapter", () => {
  it("pushes 1,000 SKUs in ceil(1000/250) = 4 inventorySetQuantities calls", async () => {
    const { sim, shop } = await setup();
    const items = sim.seedItems(1000, { available: 5 });
    const outcomes = await shop.pushStock(
      pushesFor(items, (i) => i % 17),
      { idempotencyKey: "full-sync-1", signal: never },
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1000);
    expect(sim.calls("inventorySetQuantities")).toHaveLength(4);
    items.forEach((it, i) => {
      expect(sim.state.items.get(it.id)!.available).toBe(i % 17);
    });
    const sent = JSON.parse(sim.calls("inventorySetQuantities")[0]!.body) as {
      query: string;
      variables: { input: { name: string; quantities: unknown[] } };
    };
    expect(sent.variables.input.name).toBe("available");
    expect(sent.variables.input.quantities).toHaveLength(250);
    expect(sent.query).toMatch(/@idempotent\(key: "[0-9a-f-]{36}"\)/);
  });

  it("reports a compare-and-set mismatch as a conflict with the actual quantity and does not overwrite it", async () => {
    const { sim, shop } = await setup();
    const items = sim.seedItems(3, { available: 10 });
    sim.setAvailable(items[1]!.id, 7); // a merchant edited it in the Shopify admin
    const outcomes = await shop.pushStock(
      pushesFor(
        items,
        () => 4,
        () => 10,
      ),
      { idempotencyKey: "cas-1", signal: never },
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const bad = outcomes[1]!;
    expect(bad.ok === false && bad.conflict).toEqual({ actual: 7 });
    expect(bad.ok === false && bad.retryable).toBe(false);
    expect(sim.state.items.get(items[1]!.id)!.available).toBe(7);
    expect(sim.state.items.get(items[0]!.id)!.available).toBe(4);
    const sent = JSON.parse(sim.calls("inventorySetQuantities")[0]!.body) as {
      variables: { input: { quantities: { changeFromQuantity: number | null }[] } };
    };
    expect(sent.variables.input.quantities[0]!.changeFromQuantity).toBe(10);
  });

  it("sends changeFromQuantity: null when the last confirmed value is unknown", async () => {
    const { sim, shop } = await setup();
    const [item] = sim.seedItems(1, { available: 3 });
    await shop.pushStock([{ sku: item!.sku as Sku, ref: item!.id, quantity: 9 }], {
      idempotencyKey: "p",
      signal: never,
    });
    const sent = JSON.parse(sim.calls("inventorySetQuantities")[0]!.body) as {
      variables: { input: { quantities: Record<string, unknown>[] } };
    };
    expect(sent.variables.input.quantities[0]).toHaveProperty("changeFromQuantity", null);
  });

  it("uses compareQuantity on API versions before 2026-01", async () => {
    const { sim, shop } = await setup({ apiVersion: "2025-01" }, { apiVersion: "2025-01" });
    const items = sim.seedItems(2, { available: 10 });
    const outcomes = await shop.pushStock(
      [
        ...pushesFor(
          items.slice(0, 1),
          () => 2,
          () => 10,
        ),
        ...pushesFor(items.slice(1), () => 3),
      ],
      { idempotencyKey: "old", signal: never },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const bodies = sim
      .calls("inventorySetQuantities")
      .map((r) => JSON.parse(r.body) as { query: string; variables: { input: Record<string, unknown> } });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]!.query).not.toContain("@idempotent");
    expect(bodies[0]!.variables.input.quantities).toEqual([expect.objectContaining({ compareQuantity: 10 })]);
    expect(bodies[1]!.variables.input.ignoreCompareQuantity).toBe(true);
  });

  it("waits for the cost bucket instead of being throttled once it has seen throttleStatus", async () => {
    const timing = testClock();
    const { sim, shop, deps } = await setup({ bucket: { maximumAvailable: 25, restoreRate: 50 } }, {}, timing);
    const items = sim.seedItems(1000, { available: 0 });
    const outcomes = await shop.pushStock(
      pushesFor(items, () => 1),
      { idempotencyKey: "slow", signal: never },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.calls("inventorySetQuantities:throttled")).toHaveLength(0);
    expect(sim.calls("inventorySetQuantities")).toHaveLength(4);
    expect(deps.limiter.snapshot().waitedMs).toBeGreaterThan(0);
    expect(timing.sleep.calls.reduce((a, b) => a + b, 0)).toBe(deps.limiter.snapshot().waitedMs);
    expect(deps.limiter.snapshot().buckets.default!.burst).toBe(25);
  });

  it.each([false, true])(
    "retries a THROTTLED answer (HTTP 429: %s) after the time the bucket needs",
    async (isThrottle429) => {
      const timing = testClock();
      const { sim, shop } = await setup(
        { bucket: { maximumAvailable: 1000, restoreRate: 100 }, isThrottle429 },
        {},
        timing,
      );
      const items = sim.seedItems(5, { available: 0 });
      sim.state.bucket.currentlyAvailable = 0;
      sim.state.bucket.at = timing.clock.now().getTime();
      const outcomes = await shop.pushStock(
        pushesFor(items, () => 2),
        { idempotencyKey: "thr", signal: never },
      );
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(sim.calls("inventorySetQuantities:throttled")).toHaveLength(1);
      expect(sim.calls("inventorySetQuantities")).toHaveLength(1);
    },
  );

  it("maps a bad token to a non-retryable auth error per item, and throws it from reads", async () => {
    const { sim, shop } = await setup({}, { accessToken: "shpat_wrong" });
    const [item] = sim.seedItems(1);
    const [o] = await shop.pushStock([{ sku: item!.sku as Sku, ref: item!.id, quantity: 1 }], {
      idempotencyKey: "a",
      signal: never,
    });
    expect(o!.ok).toBe(false);
    if (!o!.ok) {
      expect(o!.retryable).toBe(false);
      expect(o!.error).toBeInstanceOf(UpstreamError);
      expect((o!.error as UpstreamError).status).toBe(401);
      expect(o!.error.userMessage).not.toContain("shpat");
    }
    await expect(shop.fetchOrders(null, never)).rejects.toMatchObject({ code: "upstream_auth", retryable: false });
    expect(sim.requests).toHaveLength(2);
  });

  it("gives up after the retry budget on repeated 500s and marks the items retryable", async () => {
    const { sim, shop } = await setup();
    const [item] = sim.seedItems(1);
    sim.faults.failNext("500", 10);
    const [o] = await shop.pushStock([{ sku: item!.sku as Sku, ref: item!.id, quantity: 1 }], {
      idempotencyKey: "x",
      signal: never,
    });
    expect(o).toMatchObject({ ok: false, retryable: true });
    expect(o!.ok === false && (o!.error as UpstreamError).providerCode).toBe("INTERNAL_SERVER_ERROR");
    expect(sim.requests).toHaveLength(6);
  });

  it("retries malformed JSON, HTML pages and timeouts, and lands the push", async () => {
    const { sim, shop } = await setup();
    const [item] = sim.seedItems(1);
    sim.faults.failNext("malformed");
    sim.faults.failNext("html");
    sim.faults.failNext("hang");
    const [o] = await shop.pushStock([{ sku: item!.sku as Sku, ref: item!.id, quantity: 8 }], {
      idempotencyKey: "m",
      signal: never,
    });
    expect(o).toMatchObject({ ok: true, quantity: 8 });
    expect(sim.requests.map((r) => r.fault ?? "ok")).toEqual(["malformed", "html", "hang", "ok"]);
  });

  it("applies a push once when the answer was lost after Shopify applied it (same @idempotent key)", async () => {
    const { sim, shop } = await setup();
    const [item] = sim.seedItems(1, { available: 10 });
    sim.faults.failNext("hang-after-apply");
    const [o] = await shop.pushStock([{ sku: item!.sku as Sku, ref: item!.id, quantity: 6, previous: 10 }], {
      idempotencyKey: "lost",
      signal: never,
    });
    expect(o).toMatchObject({ ok: true, quantity: 6 });
    expect(sim.state.changes.filter((c) => c.itemId === item!.id)).toHaveLength(1);
    expect(sim.calls("inventorySetQuantities:replayed")).toHaveLength(1);
  });

  it("warns once when Shopify serves a different API version than the pinned one", async () => {
    const lines: string[] = [];
    sim = await startShopifySim({ servedVersion: "2027-01" });
    const deps = {
      ...channelDeps("shop1"),
      log: createLogger({ level: "warn", destination: { write: (l: string) => void lines.push(l) } }),
    };
    const shop = createShopifyChannel({
      ...deps,
      config: {
        id: "shop1",
        kind: "shopify",
        shop: "s",
        accessToken: sim.accessToken,
        locationId: sim.locationId,
        apiBase: sim.url,
        apiVersion: sim.apiVersion,
        timeoutMs: 1000,
        bufferUnits: 0,
        failureAlertAfter: 5,
        unhealthyAfterMinutes: 15,
      },
    });
    const items = sim.seedItems(2);
    await shop.fetchStock(
      items.map((i) => ({ sku: i.sku as Sku, ref: i.id })),
      never,
    );
    await shop.fetchStock(
      items.map((i) => ({ sku: i.sku as Sku, ref: i.id })),
      never,
    );
    const warned = lines
      .map((l) => JSON.parse(l) as { msg: string; served?: string })
      .filter((l) => l.msg.includes("different api version"));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.served).toBe("2027-01");
  });

  it("rejects invalid refs per item without calling Shopify for them", async () => {
    const { sim, shop } = await setup();
    const [item] = sim.seedItems(1);
    const outcomes = await shop.pushStock(
      [
        { sku: "A-1" as Sku, ref: "12345", quantity: 1 },
        { sku: item!.sku as Sku, ref: item!.id, quantity: 2 },
        { sku: "A-2" as Sku, ref: "gid://shopify/InventoryItem/999999", quantity: 1 },
      ],
      { idempotencyKey: "v", signal: never },
    );
    expect(outcomes.map((o) => o.ok)).toEqual([false, true, false]);
    expect(outcomes[0]!.ok === false && outcomes[0]!.error).toBeInstanceOf(InvalidInputError);
    expect(outcomes[2]!.ok === false && (outcomes[2]!.error as UpstreamError).providerCode).toBe(
      "INVALID_INVENTORY_ITEM",
    );
    expect(sim.state.items.get(item!.id)!.available).toBe(2);
  });

  it("reads quantities back and lists the catalog with paging", async () => {
    const { sim, shop } = await setup({ bucket: { maximumAvailable: 2000, restoreRate: 1000 } });
    const items = sim.seedItems(260, { available: 4 });
    sim.state.items.get(items[0]!.id)!.status = "DRAFT";
    const stock = await shop.fetchStock(
      items.slice(0, 2).map((i) => ({ sku: i.sku as Sku, ref: i.id })),
      never,
    );
    expect(stock).toEqual([
      { sku: items[0]!.sku, ref: items[0]!.id, quantity: 4, isListed: false },
      { sku: items[1]!.sku, ref: items[1]!.id, quantity: 4, isListed: true },
    ]);
    const catalog = await shop.listCatalog(never);
    expect(catalog).toHaveLength(260);
    expect(catalog[259]).toMatchObject({ sku: "SKU-0260", ref: items[259]!.id });
    expect(sim.calls("inventoryLevels")).toHaveLength(2);
  });

  it("splits stock reads and catalog pages when Shopify says a query costs too much", async () => {
    // The simulator's bucket and the adapter's waits share one manual clock, so a loaded machine cannot drain it.
    const timing = testClock("2026-11-20T08:00:00Z");
    const now = () => timing.clock.now().getTime();
    const { sim, shop } = await setup({ now, bucket: { maximumAvailable: 400, restoreRate: 5000 } }, {}, timing);
    const items = sim.seedItems(200, { available: 2 });
    const stock = await shop.fetchStock(
      items.map((i) => ({ sku: i.sku as Sku, ref: i.id })),
      never,
    );
    expect(stock).toHaveLength(200);
    expect(
      sim.calls("nodes").map((r) => (JSON.parse(r.body) as { variables: { ids: string[] } }).variables.ids.length),
    ).toEqual([150, 75, 75, 50]);
    expect(await shop.listCatalog(never)).toHaveLength(200);
  });

  it("halves a too-costly stock read at every mapped location too, and gives up on a single id that still costs too much", async () => {
    // Per location (fetchStockAt): one aliased inventoryLevel per location, the same halving loop (readHalvingOnCost).
    const timing = testClock("2026-11-20T08:00:00Z");
    const TPL = "gid://shopify/Location/2";
    const { sim, shop } = await setup(
      { locations: [TPL], bucket: { maximumAvailable: 200, restoreRate: 5000 } },
      { locationId: undefined, locations: { home: "gid://shopify/Location/1", "3pl": TPL } },
      timing,
    );
    const items = sim.seedItems(120, { available: 2 });
    for (const it of items) sim.state.levels.get(TPL)!.set(it.id, 3);
    const pageSizes = () =>
      sim.calls("nodes").map((r) => (JSON.parse(r.body) as { variables: { ids: string[] } }).variables.ids.length);
    const stock = await shop.fetchStock(
      items.map((i) => ({ sku: i.sku as Sku, ref: i.id })),
      never,
    );
    expect(stock).toHaveLength(120);
    expect(stock[0]).toMatchObject({
      quantity: 5,
      byLocation: [
        { location: "home", quantity: 2 },
        { location: "3pl", quantity: 3 },
      ],
    });
    // 120 ids cost 602 of at most 200: halved to 60 (302, still too much), to 30 (152); each queued group is tried once.
    expect(pageSizes()).toEqual([120, 60, 30, 30, 60, 30, 30]);
    const queries = sim.calls("nodes").map((r) => JSON.parse(r.body) as { query: string; variables: object });
    expect(queries.every((q) => q.query.includes("l1: inventoryLevel"))).toBe(true);

    await sim.close();

    // Through fetchStock at the one push location: a single id costing 7 of at most 5 is not halved again: it throws.
    const one = await setup(
      { bucket: { maximumAvailable: 5, restoreRate: 5000 } },
      {},
      testClock("2026-11-20T08:00:00Z"),
    );
    const two = one.sim.seedItems(2, { available: 1 });
    await expect(
      one.shop.fetchStock(
        two.map((i) => ({ sku: i.sku as Sku, ref: i.id })),
        never,
      ),
    ).rejects.toMatchObject({ providerCode: "MAX_COST_EXCEEDED" });
    expect(
      one.sim.calls("nodes").map((r) => (JSON.parse(r.body) as { variables: { ids: string[] } }).variables.ids.length),
    ).toEqual([2, 1]);
  });

  it("pages orders updated since a cursor and resumes from the stored cursor", async () => {
    const timing = testClock("2026-11-20T08:00:00Z");
    const now = () => timing.clock.now().getTime();
    const { sim, shop } = await setup({ now, bucket: { maximumAvailable: 2000, restoreRate: 2000 } }, {}, timing);
    sim.seedItems(3, { available: 50 });
    for (let i = 0; i < 20; i++) {
      timing.clock.advance(60_000);
      sim.createOrder([{ sku: "SKU-0001", qty: 1 }]);
    }
    const seen: string[] = [];
    let cursor: string | null = JSON.stringify({ since: "2026-11-20T00:00:00Z" });
    let pages = 0;
    for (;;) {
      const page = await shop.fetchOrders(cursor, never);
      pages++;
      seen.push(...page.orders.map((o) => o.orderId));
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(20);
    timing.clock.advance(60_000);
    const shipped = sim.fulfillOrder(sim.state.orders[4]!.id, { number: "JD014600006281234567", company: "DHL" });
    const next = await shop.fetchOrders(cursor, never);
    const ids = next.orders.map((o) => o.orderId);
    expect(ids).toContain(String(shipped.id));
    expect(ids.length).toBeLessThanOrEqual(2);
    const line = next.orders.find((o) => o.orderId === String(shipped.id))!.lines[0]!;
    expect(line).toMatchObject({
      status: "shipped",
      sku: "SKU-0001",
      shipment: { trackingNo: "JD014600006281234567", carrier: "DHL" },
    });
    const q = JSON.parse(sim.calls("orders").at(-1)!.body) as { variables: { q: string } };
    expect(q.variables.q).toMatch(/^updated_at:>='2026-11-20T08:20:00/);
  });

  it("fetches every line of an order with more lines than fit in the first page", async () => {
    const { sim, shop } = await setup({ bucket: { maximumAvailable: 2000, restoreRate: 2000 } });
    sim.seedItems(14, { available: 5 });
    const order = sim.createOrder(
      Array.from({ length: 14 }, (_, i) => ({ sku: `SKU-${String(i + 1).padStart(4, "0")}`, qty: 1 })),
    );
    const page = await shop.fetchOrders("2020-01-01T00:00:00Z", never);
    expect(page.orders[0]!.orderId).toBe(String(order.id));
    expect(page.orders[0]!.lines.map((l) => l.sku)).toEqual(order.lines.map((l) => l.sku));
    expect(sim.calls("orderLines")).toHaveLength(1);
  });

  it("shrinks the orders page when Shopify says the query costs too much", async () => {
    const timing = testClock("2026-11-20T08:00:00Z");
    const now = () => timing.clock.now().getTime();
    const { sim, shop } = await setup({ now, bucket: { maximumAvailable: 500, restoreRate: 5000 } }, {}, timing);
    sim.seedItems(1, { available: 50 });
    for (let i = 0; i < 6; i++) sim.createOrder([{ sku: "SKU-0001", qty: 1 }]);
    const page = await shop.fetchOrders("2020-01-01T00:00:00Z", never);
    expect(page.orders).toHaveLength(4);
    expect(page.hasMore).toBe(true);
    const firsts = sim.requests.map((r) => (JSON.parse(r.body) as { variables: { first: number } }).variables.first);
    expect(firsts).toEqual([8, 4]);
  });

  it("refunds through refundCreate once even when the first answer is lost", async () => {
    const { sim, shop } = await setup();
    sim.seedItems(1, { available: 5 });
    const order = sim.createOrder([{ sku: "SKU-0001", qty: 2, price: "12.50" }]);
    sim.faults.failNext("hang-after-apply");
    const receipt = await shop.refund!(
      { orderId: asOrderId(String(order.id)), amount: { amountMinor: 500, currency: "EUR" }, reason: "damaged" },
      { idempotencyKey: "refund-R1", signal: never },
    );
    expect(receipt.amount).toEqual({ amountMinor: 500, currency: "EUR" });
    expect(sim.state.orders[0]!.refunds).toHaveLength(1);
    expect(sim.state.orders[0]!.refunds[0]!.amount).toBe("5.00");
  });

  it("never sends a null gateway to refundCreate (OrderTransaction.gateway is nullable, OrderTransactionInput.gateway String! in admin_2025-01/2026-01/2026-04)", async () => {
    const { sim, shop } = await setup();
    sim.seedItems(1, { available: 5 });
    const order = sim.createOrder([{ sku: "SKU-0001", qty: 2, price: "12.50" }]);
    for (const t of sim.state.orders[0]!.transactions) t.gateway = null;
    await expect(
      shop.refund!(
        { orderId: asOrderId(String(order.id)), amount: { amountMinor: 500, currency: "EUR" }, reason: "damaged" },
        { idempotencyKey: "refund-R2", signal: never },
      ),
    ).rejects.toMatchObject({ code: "refund_no_gateway" });
    expect(sim.state.orders[0]!.refunds).toHaveLength(0);
  });

  it("with 30% of calls failing (429, 500, timeouts, lost answers, junk) every target lands and no stale value is re-applied", async () => {
    const { sim, shop } = await setup({
      faults: {
        failureRate: 0.3,
        kinds: ["429", "500", "hang", "hang-after-apply", "malformed"],
        retryAfterSeconds: 0,
        seed: 42,
      },
    });
    const items = sim.seedItems(1000, { available: 0 });
    const land = async (target: (i: number) => number, key: string) => {
      let pending = pushesFor(items, target);
      for (let round = 0; pending.length > 0 && round < 8; round++) {
        const outcomes = await shop.pushStock(pending, { idempotencyKey: `${key}:${round}`, signal: never });
        pending = pending.filter((_, i) => !outcomes[i]!.ok);
      }
      return pending.length;
    };
    expect(await land((i) => 10 + (i % 5), "gen1")).toBe(0);
    expect(await land((i) => 20 + (i % 7), "gen2")).toBe(0);
    items.forEach((it, i) => {
      expect(sim.state.items.get(it.id)!.available).toBe(20 + (i % 7));
    });
    for (const it of items) {
      const applied = sim.state.changes.filter((c) => c.itemId === it.id).map((c) => c.to);
      expect(applied).toHaveLength(2);
    }
    expect(sim.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
  });
});

describe("shopify webhooks", () => {
  const config = (secret = SECRET): ShopifyConfig => ({
    id: "shop1",
    kind: "shopify",
    shop: "x.myshopify.com",
    accessToken: "shpat_x",
    webhookSecret: secret,
    locationId: "gid://shopify/Location/1",
    apiVersion: "2026-04",
    timeoutMs: 1000,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
  });
  const shop = () => createShopifyChannel({ ...channelDeps("shop1"), config: config() });
  const headers = (body: string, topic: string, sig = hmacBase64(SECRET, body)) => ({
    "x-shopify-hmac-sha256": sig,
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": "x.myshopify.com",
    "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
  });

  it("matches Shopify's published HMAC test vector", () => {
    expect(hmacBase64("test_secret_key", '{"foo": "bar"}')).toBe("B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=");
  });

  it("parses a signed orders/create into an order with shipped-line tracking", () => {
    const body = fixture("shopify/orders-create.json");
    const ev = shop().parseWebhook!({ headers: headers(body, "orders/create"), rawBody: Buffer.from(body) });
    expect(ev.kind).toBe("order");
    if (ev.kind !== "order") return;
    expect(ev.deliveryId).toBe("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
    expect(ev.order.orderId).toBe("5820011610221");
    expect(ev.order.total).toEqual({ amountMinor: 3980, currency: "EUR" });
    expect(ev.order.lines).toEqual([
      {
        lineId: "14331108262001",
        sku: "MUG-BLUE",
        qty: 2,
        status: "paid",
        price: { amountMinor: 1990, currency: "EUR" },
      },
      {
        lineId: "14331108262002",
        sku: "TEE-M",
        qty: 1,
        status: "shipped",
        price: { amountMinor: 1990, currency: "EUR" },
        shipment: { carrier: "DHL Express", trackingNo: "1234567890", shippedAt: new Date("2026-11-20T09:00:00Z") },
      },
    ]);
  });

  it("parses refunds/create into a refund event", () => {
    const body = fixture("shopify/refunds-create.json");
    const ev = shop().parseWebhook!({ headers: headers(body, "refunds/create"), rawBody: Buffer.from(body) });
    expect(ev).toEqual({
      kind: "refund",
      deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      refund: {
        refundId: "890088186047",
        orderId: "5820011610221",
        amount: { amountMinor: 995, currency: "EUR" },
        reason: "Damaged on arrival",
      },
    });
  });

  it("refuses a forged signature and a body altered after signing", () => {
    const body = fixture("shopify/orders-create.json");
    expect(() =>
      shop().parseWebhook!({
        headers: headers(body, "orders/create", hmacBase64("other-secret", body)),
        rawBody: Buffer.from(body),
      }),
    ).toThrow(ForbiddenError);
    expect(() =>
      shop().parseWebhook!({
        headers: headers(body, "orders/create"),
        rawBody: Buffer.from(body.replace('"quantity": 2', '"quantity": 9')),
      }),
    ).toThrow(ForbiddenError);
    expect(() =>
      shop().parseWebhook!({ headers: { "x-shopify-topic": "orders/create" }, rawBody: Buffer.from(body) }),
    ).toThrow(ForbiddenError);
  });

  it("answers a signed but malformed body with InvalidInputError, and ignores other topics", () => {
    const junk = '{"id": "not-a-number"';
    expect(() => shop().parseWebhook!({ headers: headers(junk, "orders/create"), rawBody: Buffer.from(junk) })).toThrow(
      InvalidInputError,
    );
    const other = '{"id": 1}';
    expect(
      shop().parseWebhook!({ headers: headers(other, "products/update"), rawBody: Buffer.from(other) }),
    ).toMatchObject({ kind: "ignored", topic: "products/update" });
  });

  it("accepts a webhook the simulator signs and sends over HTTP", async () => {
    const { createServer } = await import("node:http");
    const s = await startShopifySim({ shopDomain: "x.myshopify.com" });
    sim = s;
    s.seedItems(1, { available: 3 });
    const order = s.createOrder([{ sku: "SKU-0001", qty: 1 }]);
    const adapter = shop();
    const got: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        try {
          const ev = adapter.parseWebhook!({ headers: req.headers, rawBody: Buffer.concat(chunks) });
          got.push(ev.kind === "order" ? ev.order.orderId : ev.kind);
          res.writeHead(200).end();
        } catch (err) {
          res.writeHead(err instanceof ForbiddenError ? 401 : 400).end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/shop1`;
    const ok = await s.sendWebhook({ url, topic: "orders/create", payload: s.restOrder(order.id), secret: SECRET });
    const forged = await s.sendWebhook({
      url,
      topic: "orders/create",
      payload: s.restOrder(order.id),
      secret: "wrong-secret",
    });
    await new Promise((r) => server.close(r));
    expect([ok.status, forged.status]).toEqual([200, 401]);
    expect(got).toEqual([String(order.id)]);
  });
});

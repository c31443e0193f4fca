import { afterEach, describe, expect, it } from "vitest";
import { type AmazonConfig, createAmazonChannel } from "../src/channels/amazon.js";
import type { StockPush } from "../src/channels/types.js";
import { type Clock, manualClock } from "../src/clock.js";
import type { Sku } from "../src/ids.js";
import { type AmazonSim, type AmazonSimOptions, startAmazonSim } from "../src/sandbox/amazon.js";
import type { UpstreamError } from "../src/upstream/errors.js";
import { amazonConfig, channelDeps, fixture, never } from "./support/channels.js";

let sim: AmazonSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(simOpts: AmazonSimOptions = {}, cfg: Partial<AmazonConfig> = {}, clock?: Clock) {
  sim = await startAmazonSim(simOpts);
  const config = amazonConfig(sim, { timeoutMs: 400, ...cfg });
  const deps = channelDeps("amz", clock ? { clock } : {});
  return { sim, deps, amz: createAmazonChannel({ ...deps, config }) };
}

const pushes = (ls: { sku: string }[], qty: (i: number) => number): StockPush[] =>
  ls.map((l, i) => ({ sku: l.sku as Sku, ref: l.sku, quantity: qty(i) }));

describe("amazon adapter", () => {
  it("exchanges the LWA refresh token once and reuses the access token until it nears expiry", async () => {
    const clock = manualClock("2026-11-20T08:00:00Z");
    const { sim, amz } = await setup({}, {}, clock);
    const ls = sim.seedListings(3, { quantity: 4 });
    await amz.fetchStock(
      pushes(ls, () => 0),
      never,
    );
    await amz.pushStock(
      pushes(ls.slice(0, 1), () => 2),
      { idempotencyKey: "a", signal: never },
    );
    expect(sim.state.tokensIssued).toBe(1);
    expect(amz.tokenRefreshes).toBe(1);
    const lwa = new URLSearchParams(sim.calls("lwa")[0]!.body);
    expect(Object.fromEntries(lwa)).toMatchObject({
      grant_type: "refresh_token",
      client_id: sim.clientId,
      refresh_token: sim.refreshToken,
    });
    clock.advance(56 * 60_000);
    await amz.fetchStock(
      pushes(ls.slice(0, 1), () => 0),
      never,
    );
    expect(sim.state.tokensIssued).toBe(2);
    expect(sim.calls("getListingsItem").every((r) => String(r.headers["x-amz-access-token"]).startsWith("Atza|"))).toBe(
      true,
    );
  });

  it("PATCHes small pushes per SKU with a merge on fulfillment_availability and the listing's productType", async () => {
    const { sim, amz } = await setup();
    const ls = sim.seedListings(2, { productType: "LUGGAGE" });
    const outcomes = await amz.pushStock(
      pushes(ls, (i) => 7 + i),
      { idempotencyKey: "p", signal: never },
    );
    expect(outcomes).toEqual([
      { sku: ls[0]!.sku, ok: true, quantity: 7 },
      { sku: ls[1]!.sku, ok: true, quantity: 8 },
    ]);
    const patch = sim.calls("patchListingsItem")[0]!;
    expect(patch.path).toBe(`/listings/2021-08-01/items/${sim.sellerId}/${ls[0]!.sku}`);
    expect(patch.query.marketplaceIds).toBe("A1PA6795UKMFR9");
    expect(JSON.parse(patch.body)).toEqual({
      productType: "LUGGAGE",
      patches: [
        {
          op: "merge",
          path: "/attributes/fulfillment_availability",
          value: [{ fulfillment_channel_code: "DEFAULT", quantity: 7 }],
        },
      ],
    });
    expect(sim.state.listings.get(ls[1]!.sku)!.quantity).toBe(8);
  });

  it("sends large pushes as one JSON_LISTINGS_FEED and maps report issues back to SKUs", async () => {
    const { sim, amz } = await setup({ feedPollsUntilDone: 2 }, { productType: "HOME" });
    const ls = sim.seedListings(100, { quantity: 1 });
    sim.state.itemIssues.set(ls[3]!.sku, {
      code: "90220",
      message: "'fulfillment_availability' is required but not supplied.",
    });
    sim.state.itemIssues.set(ls[50]!.sku, { code: "8541", message: "Conflicting values." });
    const outcomes = await amz.pushStock(
      pushes(ls, (i) => i),
      { idempotencyKey: "feed-1", signal: never },
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(98);
    expect(outcomes[3]).toMatchObject({ ok: false, retryable: false });
    expect(outcomes[3]!.ok === false && (outcomes[3]!.error as UpstreamError).providerCode).toBe("90220");
    expect(outcomes[50]!.ok === false && (outcomes[50]!.error as UpstreamError).providerCode).toBe("8541");
    expect(sim.calls("createFeedDocument")).toHaveLength(1);
    expect(sim.calls("upload")).toHaveLength(1);
    expect(sim.calls("createFeed")).toHaveLength(1);
    expect(sim.calls("getFeed").length).toBeGreaterThanOrEqual(2);
    expect(sim.calls("patchListingsItem")).toHaveLength(0);
    const upload = sim.calls("upload")[0]!;
    expect(upload.headers["content-type"]).toBe("application/json; charset=UTF-8");
    expect(upload.headers["x-amz-access-token"]).toBeUndefined();
    const doc = JSON.parse(upload.body) as {
      header: unknown;
      messages: { messageId: number; sku: string; operationType: string }[];
    };
    expect(doc.header).toEqual({ sellerId: sim.sellerId, version: "2.0", issueLocale: "en_US" });
    expect(doc.messages[99]).toMatchObject({
      messageId: 100,
      sku: ls[99]!.sku,
      operationType: "PATCH",
      productType: "HOME",
    });
    expect(sim.state.listings.get(ls[99]!.sku)!.quantity).toBe(99);
    expect(sim.state.listings.get(ls[3]!.sku)!.quantity).toBe(1);
  });

  it("re-rates the operation's bucket from x-amzn-RateLimit-Limit and retries QuotaExceeded 429s", async () => {
    const { sim, amz, deps } = await setup({
      rateLimitHeaders: { patchListingsItem: "0.5" },
      faults: { retryAfterSeconds: 0 },
    });
    const ls = sim.seedListings(2);
    sim.faults.failWhen((r) => r.method === "PATCH", "429");
    const outcomes = await amz.pushStock(
      pushes(ls, () => 3),
      { idempotencyKey: "q", signal: never },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.requests.filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([429, 200, 200]);
    expect(deps.limiter.snapshot().buckets.patchListingsItem!.ratePerSec).toBe(0.5);
    expect(deps.limiter.snapshot().pauses).toBe(1);
  });

  it("maps a rejected refresh token to a non-retryable auth error without leaking it", async () => {
    const { sim, amz } = await setup({}, { refreshToken: "Atzr|revoked-token-value" });
    sim.seedListings(1);
    const [o] = await amz.pushStock([{ sku: "AMZ-0001" as Sku, ref: "AMZ-0001", quantity: 1 }], {
      idempotencyKey: "t",
      signal: never,
    });
    expect(o).toMatchObject({ ok: false, retryable: false });
    const err = (o as unknown as { error: UpstreamError }).error;
    expect(err.providerCode).toBe("invalid_grant");
    expect(JSON.stringify({ m: err.userMessage, d: err.details })).not.toContain("revoked-token-value");
    expect(sim.calls("lwa")).toHaveLength(1);
  });

  it("pages searchOrders (2026-01-01) since a cursor and maps line states", async () => {
    const { sim, amz } = await setup();
    const page = JSON.parse(fixture("amazon/search-orders.json")) as { orders: typeof sim.state.orders };
    sim.state.orders.push(...page.orders);
    for (let i = 0; i < 150; i++) {
      const t = new Date(Date.parse("2026-11-20T09:00:00Z") + i * 1000).toISOString();
      sim.state.orders.push({
        orderId: `303-0000000-${String(i).padStart(7, "0")}`,
        createdTime: t,
        lastUpdatedTime: t,
        fulfillment: { fulfillmentStatus: "UNSHIPPED" },
        orderItems: [
          {
            orderItemId: `9${i}`,
            quantityOrdered: 1,
            product: { sellerSku: "AMZ-0001", asin: "B0" },
            fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
          },
        ],
      });
    }
    let cursor: string | null = "2026-11-20T00:00:00Z";
    const got = [];
    for (;;) {
      const p = await amz.fetchOrders(cursor, never);
      got.push(...p.orders);
      cursor = p.nextCursor;
      if (!p.hasMore) break;
    }
    expect(got).toHaveLength(152);
    expect(sim.calls("searchOrders")).toHaveLength(2);
    expect(sim.calls("searchOrders")[0]!.query).toMatchObject({
      lastUpdatedAfter: "2026-11-20T00:00:00.000Z",
      fulfilledBy: "MERCHANT",
      maxResultsPerPage: "100",
      marketplaceIds: "A1PA6795UKMFR9",
    });
    expect(sim.calls("searchOrders")[1]!.query.paginationToken).toBeTruthy();
    expect(got[0]!.lines.map((l) => [l.lineId, l.sku, l.qty, l.status])).toEqual([
      ["53412345678901", "AMZ-0001", 1, "shipped"],
      ["53412345678902", "AMZ-0002", 2, "paid"],
    ]);
    expect(got[1]!.lines[0]!.status).toBe("cancelled");
    expect(JSON.parse(cursor)).toEqual({ since: "2026-11-20T09:02:29.000Z" });
  });

  it("with 30% of calls failing every PATCH target lands", async () => {
    const { sim, amz } = await setup(
      {
        faults: { failureRate: 0.3, kinds: ["429", "500", "503", "hang", "malformed"], retryAfterSeconds: 0, seed: 5 },
      },
      { productType: "HOME", feedThreshold: 1000 },
    );
    const ls = sim.seedListings(15);
    let pending = pushes(ls, (i) => 30 + i);
    for (let round = 0; pending.length > 0 && round < 6; round++) {
      const outcomes = await amz.pushStock(pending, { idempotencyKey: `r${round}`, signal: never });
      pending = pending.filter((_, i) => !outcomes[i]!.ok);
    }
    expect(pending).toHaveLength(0);
    ls.forEach((l, i) => {
      expect(sim.state.listings.get(l.sku)!.quantity).toBe(30 + i);
    });
    expect(sim.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
  });
  it("lists over 1000 SKUs through Reports 2021-06-30 GET_MERCHANT_LISTINGS_ALL_DATA, small catalogs through searchListingsItems (listingsItems_2021-08-01.json, reports_2021-06-30.json)", async () => {
    const { sim, amz } = await setup();
    sim.seedListings(30, { quantity: 4 });
    expect(await amz.listCatalog(never)).toHaveLength(30);
    expect(sim.calls("createReport")).toHaveLength(0);
    sim.seedListings(1220, { quantity: 4 });
    const all = await amz.listCatalog(never);
    expect(all).toHaveLength(1250);
    expect(new Set(all.map((i) => i.sku)).size).toBe(1250);
    expect(all[0]).toMatchObject({ sku: "AMZ-0001", quantity: 4, title: "Listing 1" });
    const created = JSON.parse(sim.calls("createReport")[0]!.body) as { reportType: string; marketplaceIds: string[] };
    expect(created.reportType).toBe("GET_MERCHANT_LISTINGS_ALL_DATA");
    expect(created.marketplaceIds.length).toBeGreaterThan(0);
    expect(sim.calls("getReport").length).toBeGreaterThanOrEqual(2);
    expect(sim.calls("getReportDocument")).toHaveLength(1);
  });
});

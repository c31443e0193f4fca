// Amazon reconcile compares quantities SKU by SKU (issue 17): getListingsItem per SKU for small sets
// (listingsItems_2021-08-01.json), one GET_MERCHANT_LISTINGS_ALL_DATA report above 100 SKUs (reports_2021-06-30.json:
// createReport → getReport → getReportDocument, TSV parsed by header name: seller-sku, quantity, fulfillment-channel, status).
import { afterEach, describe, expect, it } from "vitest";
import { createAmazonChannel } from "../src/channels/amazon.js";
import { systemClock } from "../src/clock.js";
import { silentLogger } from "../src/log.js";
import { type AmazonSim, startAmazonSim } from "../src/sandbox/amazon.js";
import { reconcileChannel } from "../src/sync/reconcile.js";
import { amazonConfig, channelDeps, never } from "./support/channels.js";
import { sku } from "./support/ledger.js";
import { liveLedger } from "./support/sync.js";

let sim: AmazonSim | undefined;
const ledgers: { close(): void }[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const l of ledgers.splice(0)) l.close();
});

async function setup(count: number) {
  sim = await startAmazonSim();
  const config = amazonConfig(sim, { timeoutMs: 400 });
  const amz = createAmazonChannel({ ...channelDeps("amz"), config });
  const ledger = liveLedger();
  ledgers.push(ledger);
  const listings = sim.seedListings(count, { quantity: 4 });
  ledger.transaction(() => {
    for (const l of listings) {
      ledger.stock.upsertSku({ sku: sku(l.sku), onHand: 4 }, { actor: "test", idempotencyKey: `seed:${l.sku}` });
      ledger.listings.linkListing({ channelId: "amz", sku: sku(l.sku), ref: l.sku });
    }
  });
  // Nothing is pending: the listings already show what the ledger wants.
  for (const r of ledger.outbox.allOutbox("amz")) ledger.outbox.confirmPush(r, 4, true);
  const run = () =>
    reconcileChannel(ledger, silentLogger(), amz, { signal: never, clock: systemClock, failureAlertAfter: 5 });
  return { sim, ledger, amz, listings, run };
}

describe("amazon reconcile per SKU", () => {
  it("reads a small set with one getListingsItem per SKU and finds the one that drifted", async () => {
    const { sim, listings, amz } = await setup(5);
    sim.state.listings.get(listings[2]!.sku)!.quantity = 9;
    const stock = await amz.fetchStock(
      listings.map((l) => ({ sku: sku(l.sku), ref: l.sku })),
      never,
    );
    expect(sim.calls("getListingsItem")).toHaveLength(5);
    expect(sim.calls("createReport")).toHaveLength(0);
    expect(stock.map((s) => s.quantity)).toEqual([4, 4, 9, 4, 4]);
  });

  it("reads 150 SKUs from one listings report and repairs exactly the SKUs that drifted", async () => {
    const { sim, listings, run } = await setup(150);
    for (const i of [7, 80, 149]) sim.state.listings.get(listings[i]!.sku)!.quantity = 11;
    const r = await run();
    expect(sim.calls("createReport")).toHaveLength(1);
    expect(sim.calls("getReportDocument")).toHaveLength(1);
    expect(sim.calls("getListingsItem")).toHaveLength(0);
    expect(r).toMatchObject({ checked: 150, skipped: 0 });
    expect(r.repaired).toBe(3);
    expect(r.examples.map((e) => e.split(":")[0]).sort()).toEqual(
      [listings[7]!.sku, listings[80]!.sku, listings[149]!.sku].sort(),
    );
    expect(r.examples[0]).toContain("showed 11, ledger wants 4");
    expect(r.problems).toEqual([]);
  });
});

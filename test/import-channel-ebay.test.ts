import { afterEach, describe, expect, it } from "vitest";
import { createEbayChannel } from "../src/channels/ebay.js";
import { importChannel } from "../src/onboarding/channel-import.js";
import { startEbaySim } from "../src/sandbox/ebay.js";
import { channelDeps, ebayConfig } from "./support/channels.js";
import { depsFor, engineFor, liveLedger } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("catalog import from eBay (issue 12)", () => {
  it("reads every inventory page (200 a page) with ship-to-location quantities and links each SKU", async () => {
    const sim = await startEbaySim();
    cleanup.push(() => sim.close());
    const items = sim.seedItems(450, { withOffer: true });
    items.forEach((it, i) => {
      it.quantity = i % 4;
    });
    const config = ebayConfig(sim, {
      scopes: ["https://api.ebay.com/oauth/api_scope/sell.inventory"],
      timeoutMs: 10_000,
    });
    const channel = createEbayChannel({ ...channelDeps("ebay"), config });
    const ledger = liveLedger();
    cleanup.push(() => ledger.close());
    const engine = engineFor(ledger, [channel]);
    cleanup.push(() => engine.stop());
    const deps = depsFor(ledger, engine, [channel], { channels: [config] });
    const run = () => importChannel(deps, { channelId: "ebay", actor: "t", signal: AbortSignal.timeout(30_000) });

    expect(await run()).toMatchObject({ catalogItems: 450, created: 450, linked: 450, conflicts: [] });
    expect(sim.calls("getInventoryItems").map((c) => c.query.offset)).toEqual(["0", "1", "2"]);
    expect(ledger.stock.getLevel("EB-0011")).toMatchObject({ title: "eBay item 11", onHand: 10 % 4 });
    expect(ledger.listings.getListing("ebay", "EB-0011").ref).toBe("EB-0011");
    expect(await run()).toMatchObject({ created: 0, linked: 0, unchanged: 450 });
  });
});

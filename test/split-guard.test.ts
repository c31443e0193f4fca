import { describe, expect, it } from "vitest";
import type { OutboxRow } from "../src/ledger/index.js";
import { seed, testLedger } from "./support/ledger.js";
import { trailOf } from "./support/trail.js";

describe("split guard (flash sales with late pushes)", () => {
  it("lowers channels at once but raises one only when no other channel's push is pending, within available − confirmed", () => {
    const l = testLedger({ settings: { lowStockAction: "split", lowStockThreshold: 10 } });
    const s = seed(l, "F-1", 10);
    for (const c of ["a", "b", "c"]) l.listings.linkListing({ channelId: c, sku: s, ref: `${c}-1` });
    const rows = () => Object.fromEntries(l.outbox.allOutbox().map((r) => [r.channelId, r.targetQty]));
    const confirmAll = () => {
      for (const r of l.outbox.allOutbox())
        l.transaction(() => l.outbox.confirmPush(r as OutboxRow, r.targetQty, true));
    };
    // Nothing confirmed yet: the first channel gets its share, the others wait for it.
    confirmAll();
    confirmAll();
    confirmAll();
    expect(l.outbox.publicationsFor(s).map((p) => p.publication.quantity)).toEqual([4, 3, 3]);
    expect(rows()).toEqual({});
    // Channel a sells its 4 (we know it), so the split wants 2/2/2: b and c go down now, a is held at the 0 it shows.
    l.reservations.recordOrderLine({ channelId: "a", orderId: "o1", lineId: "1", sku: s, qty: 4, actor: "test" });
    l.channelState.expectChannelSale("a", s, 4);
    expect(rows()).toEqual({ a: 0, b: 2, c: 2 });
    const why = l.outbox.publicationsFor(s).find((p) => p.listing.channelId === "a")!.publication;
    expect(why.quantity).toBe(0);
    expect(trailOf(why).at(-1)).toBe(
      "split guard: stays at 0 until the pushes pending to other channels are confirmed",
    );
    // Once b and c confirmed their decreases, a is raised by the slack they freed.
    confirmAll();
    expect(rows()).toEqual({ a: 2 });
  });
});

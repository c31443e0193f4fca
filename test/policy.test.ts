import { describe, expect, it } from "vitest";
import { type PolicyListing, type PolicySettings, publishable } from "../src/policy/publish.js";
import { trailOf } from "./support/trail.js";

const settings: PolicySettings = { bufferUnits: 0, lowStockThreshold: 3, lowStockAction: "cap", lowStockCap: 1 };
const listing = (channelId: string, extra: Partial<PolicyListing> = {}): PolicyListing => ({
  channelId,
  isDelisted: false,
  listingCap: null,
  listingBuffer: 0,
  listingSharePct: null,
  ...extra,
});

describe("publishable quantity", () => {
  it("applies buffers, share and caps in order and explains each step", () => {
    const [p] = publishable(
      { onHand: 50, reserved: 4, lowThreshold: null },
      [listing("shop1", { channelBuffer: 2, listingBuffer: 1, listingSharePct: 50, channelCap: 30, listingCap: 15 })],
      { ...settings, bufferUnits: 3 },
    );
    // 46 available − 3 global − 2 channel − 1 listing = 40; 50% → 20; channel cap 30 keeps 20; listing cap 15.
    expect(p!.quantity).toBe(15);
    expect(trailOf(p!)).toEqual([
      "available 46 = on hand 50 − reserved 4",
      "global buffer 3 → 43",
      "channel buffer 2 → 41",
      "listing buffer 1 → 40",
      "share 50% → 20",
      "listing cap 15 → 15",
    ]);
  });

  it("never publishes below zero", () => {
    const [p] = publishable(
      { onHand: 2, reserved: 0, lowThreshold: 0 },
      [listing("a", { listingBuffer: 5 })],
      settings,
    );
    expect(p!.quantity).toBe(0);
  });

  it("caps every channel at low stock in cap mode", () => {
    const pubs = publishable({ onHand: 3, reserved: 0, lowThreshold: null }, [listing("a"), listing("b")], settings);
    expect(pubs.map((p) => p.quantity)).toEqual([1, 1]);
  });

  it("delists everywhere at low stock in delist mode", () => {
    const pubs = publishable({ onHand: 2, reserved: 0, lowThreshold: null }, [listing("a"), listing("b")], {
      ...settings,
      lowStockAction: "delist",
    });
    expect(pubs.map((p) => [p.quantity, p.isListed])).toEqual([
      [0, false],
      [0, false],
    ]);
  });

  it("keeps the sum over channels within what is available in split mode", () => {
    for (let available = 0; available <= 10; available++) {
      const pubs = publishable(
        { onHand: available, reserved: 0, lowThreshold: 10 },
        [listing("a"), listing("b"), listing("c")],
        { ...settings, lowStockAction: "split" },
      );
      const sum = pubs.reduce((s, p) => s + p.quantity, 0);
      expect(sum).toBe(available);
    }
  });

  it("splits by share weights and respects each listing's own cap", () => {
    const pubs = publishable(
      { onHand: 9, reserved: 0, lowThreshold: 10 },
      [
        listing("a", { listingSharePct: 50 }),
        listing("b", { listingSharePct: 25, listingCap: 1 }),
        listing("c", { listingSharePct: 25 }),
      ],
      { ...settings, lowStockAction: "split" },
    );
    expect(pubs.map((p) => p.quantity)).toEqual([4, 1, 2]);
    expect(pubs.reduce((s, p) => s + p.quantity, 0)).toBeLessThanOrEqual(9);
  });

  it("publishes 0 for a delisted listing and honours a channel maximum", () => {
    const pubs = publishable(
      { onHand: 20_000, reserved: 0, lowThreshold: null },
      [listing("a", { isDelisted: true }), listing("xy", { channelMax: 9999 })],
      settings,
    );
    expect(pubs.map((p) => [p.quantity, p.isListed])).toEqual([
      [0, false],
      [9999, true],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { ConflictError } from "../src/errors.js";
import { seed, testLedger } from "./support/ledger.js";

describe("ledger", () => {
  it("keeps available = on hand − reserved through hold, commit and ship", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 10);
    const { reservation } = l.reservations.reserveHold({
      sku: a,
      qty: 3,
      ttlSeconds: 900,
      actor: "api",
      idempotencyKey: "cart-1",
    });
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    l.reservations.commitHold(reservation.id);
    l.reservations.shipReservation(reservation.id, "op");
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect(l.movements(a, 10).map((m) => m.reason)).toEqual(["ship", "hold", "import"]);
  });

  it("refuses to remove more than is available and leaves the ledger unchanged", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 2);
    expect(() => l.stock.adjustOnHand(a, -3, { actor: "op", idempotencyKey: "k1" })).toThrow(ConflictError);
    expect(l.stock.getLevel(a).onHand).toBe(2);
    expect(l.movements(a, 10)).toHaveLength(1);
  });

  it("applies a repeated idempotency key once", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 5);
    const first = l.stock.adjustOnHand(a, -1, { actor: "op", idempotencyKey: "same" });
    const again = l.stock.adjustOnHand(a, -1, { actor: "op", idempotencyKey: "same" });
    expect(again.isDuplicate).toBe(true);
    expect(again.movement.id).toBe(first.movement.id);
    expect(l.stock.getLevel(a).onHand).toBe(4);
  });

  it("records an oversell with its shortfall and a critical alert", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 2);
    const r = l.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "1001",
      lineId: "1",
      sku: a,
      qty: 5,
      actor: "shop1",
    });
    expect(r.shortfall).toBe(3);
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 2, reserved: 2 });
    const again = l.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "1001",
      lineId: "1",
      sku: a,
      qty: 5,
      actor: "shop1",
    });
    expect(again.isDuplicate).toBe(true);
    expect(l.alerts.liveAlerts().map((x) => [x.kind, x.severity])).toContainEqual(["oversell", "critical"]);
  });

  it("expires holds once, even when the sweep runs twice", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 5);
    l.reservations.reserveHold({ sku: a, qty: 2, ttlSeconds: 60, actor: "api", idempotencyKey: "c" });
    l.clock.advance(61_000);
    expect(l.reservations.expireHolds()).toHaveLength(1);
    expect(l.reservations.expireHolds()).toHaveLength(0);
    expect(l.stock.getLevel(a)).toMatchObject({ reserved: 0, available: 5 });
  });

  it("writes outbox rows with the policy target in the same transaction, coalescing per channel and SKU", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 10);
    l.listings.linkListing({ channelId: "shop1", sku: a, ref: "gid://1" });
    l.listings.linkListing({ channelId: "woo", sku: a, ref: "77", cap: 4 });
    l.stock.adjustOnHand(a, -1, { actor: "op", idempotencyKey: "x1" });
    l.stock.adjustOnHand(a, -1, { actor: "op", idempotencyKey: "x2" });
    const rows = l.outbox.allOutbox();
    expect(rows.map((r) => [r.channelId, r.targetQty])).toEqual([
      ["shop1", 8],
      ["woo", 4],
    ]);
    expect(rows.find((r) => r.channelId === "shop1")!.version).toBeGreaterThan(
      rows.find((r) => r.channelId === "woo")!.version,
    );
  });

  it("refuses movement updates at the database level", () => {
    const l = testLedger();
    seed(l, "A-1", 1);
    expect(() => l.db.exec("UPDATE movements SET on_hand_after = 99")).toThrow(/append-only/);
    expect(() => l.db.exec("UPDATE skus SET reserved = 5")).toThrow(/CHECK/);
  });
});

describe("ledger refusals", () => {
  it("says how many units a refused hold asked for", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 3);
    expect(() =>
      l.reservations.reserveHold({ sku: a, qty: 5, ttlSeconds: 60, actor: "api", idempotencyKey: "big" }),
    ).toThrow("SKU A-1: 3 available, 5 requested. Lower the quantity or restock.");
  });
});

describe("outbox versions", () => {
  it("never lets a late confirmation of an old push delete a newer target, even after the row was re-created", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 10);
    l.listings.linkListing({ channelId: "shop1", sku: a, ref: "gid://1" });
    const old = l.outbox.allOutbox()[0]!;
    // Process B confirms the push; the row leaves the outbox.
    expect(l.transaction(() => l.outbox.confirmPush(old, 10, true))).toBe(true);
    l.stock.adjustOnHand(a, -2, { actor: "t", idempotencyKey: "sale" });
    const fresh = l.outbox.allOutbox()[0]!;
    expect(fresh.targetQty).toBe(8);
    // Process A's late confirmation of the same old version arrives now.
    expect(l.transaction(() => l.outbox.confirmPush(old, 10, true))).toBe(false);
    expect(l.outbox.allOutbox().map((r) => r.targetQty)).toEqual([8]);
  });

  it("pushes to a new channel item when a listing is re-linked, even with the same number pending", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 10);
    l.listings.linkListing({ channelId: "shop1", sku: a, ref: "gid://1" });
    const first = l.outbox.allOutbox()[0]!;
    l.listings.linkListing({ channelId: "shop1", sku: a, ref: "gid://2" });
    const second = l.outbox.allOutbox()[0]!;
    expect(second.ref).toBe("gid://2");
    expect(second.version).toBeGreaterThan(first.version);
  });
});

describe("oversold lines", () => {
  it("take restocked units first, so channels never publish units already sold, and ship what left the warehouse", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 1);
    l.listings.linkListing({ channelId: "shop1", sku: a, ref: "gid://1" });
    const { reservation } = l.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "1001",
      lineId: "1",
      sku: a,
      qty: 3,
      actor: "shop1",
    });
    expect(reservation).toMatchObject({ qty: 1, requested: 3 });
    l.stock.adjustOnHand(a, +10, { actor: "op", idempotencyKey: "restock" });
    // 11 on hand, 3 owed to the order: 8 available, and that is what the channel is told.
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 11, reserved: 3, available: 8 });
    expect(l.outbox.allOutbox()[0]!.targetQty).toBe(8);
    expect(l.alerts.liveAlerts().filter((x) => x.kind === "oversell")).toHaveLength(0);
    l.reservations.shipReservation(reservation.id, "op");
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });

  it("covers what it can from a partial restock, oldest oversell first", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 0);
    const first = l.reservations.recordOrderLine({
      channelId: "woo",
      orderId: "1",
      lineId: "1",
      sku: a,
      qty: 2,
      actor: "woo",
    }).reservation;
    const second = l.reservations.recordOrderLine({
      channelId: "woo",
      orderId: "2",
      lineId: "1",
      sku: a,
      qty: 2,
      actor: "woo",
    }).reservation;
    l.stock.adjustOnHand(a, +3, { actor: "op", idempotencyKey: "restock" });
    expect(l.reservations.getReservation(first.id).qty).toBe(2);
    expect(l.reservations.getReservation(second.id).qty).toBe(1);
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 3, reserved: 3, available: 0 });
    l.reservations.releaseReservation(second.id, "woo");
    expect(l.stock.getLevel(a)).toMatchObject({ reserved: 2, available: 1 });
  });
});

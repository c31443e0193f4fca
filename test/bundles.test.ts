import { afterEach, describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError, NotFoundError } from "../src/errors.js";
import { renderRef } from "../src/i18n/ref.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { parseComponents } from "../src/ledger/bundle-spec.js";
import { checkInvariants } from "../src/ledger/invariants.js";
import { seed, sku, testLedger } from "./support/ledger.js";
import { trailOf } from "./support/trail.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const meta = { actor: "tg:1", transport: "telegram", requestId: "req-1" };

/** GIFT-1 = 2×MUG-1 + 1×CST-1 with MUG-1 10 and CST-1 3, each listed on shop1. */
function giftLedger(onHand: { mug?: number; cst?: number } = {}) {
  const ledger = testLedger({ settings: { lowStockThreshold: 0 } });
  cleanup.push(() => ledger.close());
  const mug = seed(ledger, "MUG-1", onHand.mug ?? 10);
  const cst = seed(ledger, "CST-1", onHand.cst ?? 3);
  const gift = seed(ledger, "GIFT-1", 0);
  ledger.bundles.defineBundle(gift, parseComponents("= 2×MUG-1 + 1×CST-1"), meta);
  for (const s of [mug, cst, gift]) ledger.listings.linkListing({ channelId: "shop1", sku: s, ref: `ref-${s}` });
  return { ledger, mug, cst, gift };
}

const target = (ledger: ReturnType<typeof testLedger>, s: string) =>
  ledger.outbox.allOutbox().find((r) => r.sku === s)?.targetQty;

describe("bundles in the ledger core", () => {
  it("reads 2×, 2x, 2* and a bare SKU, and refuses what it cannot read in one line", () => {
    expect(parseComponents("2×MUG-1 + 1xCST-1 + 3*LID-1 + BOX-1")).toEqual([
      { component: "MUG-1", qty: 2 },
      { component: "CST-1", qty: 1 },
      { component: "LID-1", qty: 3 },
      { component: "BOX-1", qty: 1 },
    ]);
    expect(() => parseComponents("2 MUG-1")).toThrow(InvalidInputError);
    expect(() => parseComponents("")).toThrow(/2×MUG-1 \+ 1×CST-1/);
  });

  it("makes GIFT-1 = 2×MUG-1 + 1×CST-1 with MUG-1 10 and CST-1 3 available 3, bound by CST-1, with an audit row", () => {
    const { ledger, gift } = giftLedger();
    const a = ledger.bundles.availabilityOf(gift);
    expect(a).toMatchObject({ available: 3, binding: "CST-1" });
    expect(a.components).toEqual([
      { component: "CST-1", qty: 1, available: 3, sets: 3 },
      { component: "MUG-1", qty: 2, available: 10, sets: 5 },
    ]);
    expect(ledger.outbox.publicationsFor(gift)[0]?.publication).toMatchObject({ quantity: 3, isListed: true });
    expect(trailOf(ledger.outbox.publicationsFor(gift)[0]!.publication)[0]).toContain("bound by CST-1");
    const audit = ledger.db.prepare("SELECT actor, action, args FROM audit WHERE action LIKE 'bundle.%'").all();
    expect(audit).toEqual([{ actor: "tg:1", action: "bundle.define", args: "GIFT-1 = 1×CST-1 + 2×MUG-1" }]);
    // Defining the same again changes nothing and writes no second row.
    expect(ledger.bundles.defineBundle(gift, parseComponents("2xMUG-1 + 1*CST-1"), meta).isChanged).toBe(false);
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM audit").get()).toEqual({ n: 1 });
    // Only the seed's creation row: defining a bundle moves no stock.
    expect(ledger.db.prepare("SELECT reason FROM movements WHERE sku = 'GIFT-1'").all()).toEqual([
      { reason: "import" },
    ]);
  });

  it("refuses self, unknown SKUs, bundles of bundles both ways, a bundle with stock, and stock changes on a bundle", () => {
    const { ledger, gift, mug } = giftLedger();
    const box = seed(ledger, "BOX-1", 0);
    const full = seed(ledger, "FULL-1", 4);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as Error & { code: string; userMessage: string };
      }
      throw new Error("expected a refusal");
    };
    expect(err(() => ledger.bundles.defineBundle(box, [{ component: box, qty: 1 }], meta)).code).toBe("bundle_self");
    const unknown = err(() => ledger.bundles.defineBundle(box, [{ component: sku("NOPE-1"), qty: 1 }], meta));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.userMessage).toContain("NOPE-1");
    const nested = err(() => ledger.bundles.defineBundle(box, [{ component: gift, qty: 1 }], meta));
    expect(nested.code).toBe("bundle_of_bundle");
    expect(nested.userMessage).toBe(
      "GIFT-1 is itself a bundle; bundles of bundles are not supported. List its components in BOX-1 instead.",
    );
    expect(err(() => ledger.bundles.defineBundle(mug, [{ component: box, qty: 1 }], meta)).userMessage).toContain(
      "is a component of bundle GIFT-1",
    );
    const stocked = err(() => ledger.bundles.defineBundle(full, [{ component: box, qty: 1 }], meta));
    expect(stocked).toBeInstanceOf(ConflictError);
    expect(stocked.userMessage).toContain("FULL-1 holds 4 on hand");
    const adjust = err(() => ledger.stock.adjustOnHand(gift, 5, { actor: "t", idempotencyKey: "adj-gift" }));
    expect(adjust.code).toBe("bundle_stock");
    expect(adjust.userMessage).toContain("change its components’ stock instead (1×CST-1 + 2×MUG-1)");
    expect(ledger.bundles.componentsOf(box)).toEqual([]);
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });

  it("re-publishes every bundle of a component and the component's own listings in the same transaction", () => {
    const { ledger, mug, cst } = giftLedger({ mug: 10, cst: 9 });
    ledger.db.prepare("DELETE FROM outbox").run();
    const commits: { skus: string[]; outbox: boolean }[] = [];
    ledger.onCommit((w) => commits.push(w));
    ledger.stock.adjustOnHand(mug, -4, { actor: "t", idempotencyKey: "damage-1" });
    expect(commits).toHaveLength(1);
    expect(target(ledger, "MUG-1")).toBe(6);
    expect(target(ledger, "GIFT-1")).toBe(3);
    expect(target(ledger, "CST-1")).toBeUndefined();
    ledger.stock.setOnHand(cst, 1, { actor: "t", idempotencyKey: "count-1" });
    expect(target(ledger, "GIFT-1")).toBe(1);
  });

  it("removes a bundle with an audit row (its listing then shows 0) and refuses while a hold is open", () => {
    const { ledger, gift } = giftLedger();
    const hold = ledger.reservations.reserveHold({
      sku: gift,
      qty: 1,
      ttlSeconds: 60,
      actor: "t",
      idempotencyKey: "h",
    });
    expect(() => ledger.bundles.removeBundle(gift, meta)).toThrow(/1 open orders or holds/);
    ledger.reservations.releaseReservation(hold.reservation.id, "t");
    expect(ledger.bundles.removeBundle(gift, meta)).toEqual([
      { component: "CST-1", qty: 1 },
      { component: "MUG-1", qty: 2 },
    ]);
    expect(ledger.bundles.isBundle(gift)).toBe(false);
    expect(target(ledger, "GIFT-1")).toBe(0);
    expect(ledger.db.prepare("SELECT action FROM audit ORDER BY id").all()).toEqual([
      { action: "bundle.define" },
      { action: "bundle.remove" },
    ]);
    expect(() => ledger.bundles.removeBundle(gift, meta)).toThrow(NotFoundError);
  });

  it("applies the bundle listing's own policy: buffer, cap and the low-stock rule on the bundle's available", () => {
    const { ledger, gift } = giftLedger({ mug: 10, cst: 9 });
    ledger.listings.linkListing({ channelId: "shop2", sku: gift, ref: "g2", buffer: 1, cap: 3 });
    const [shop1, shop2] = ledger.outbox.publicationsFor(gift).map((p) => p.publication);
    expect(shop1?.quantity).toBe(5);
    expect(shop2?.quantity).toBe(3);
    expect(trailOf(shop2!)).toContain("listing buffer 1 → 4");
    // 2 sets ≤ the low-stock threshold 3: the cap rule (1) applies to the bundle's listing.
    const low = testLedger();
    cleanup.push(() => low.close());
    seed(low, "MUG-1", 4);
    seed(low, "CST-1", 9);
    const g = seed(low, "GIFT-1", 0);
    low.bundles.defineBundle(g, parseComponents("2×MUG-1 + 1×CST-1"), meta);
    low.listings.linkListing({ channelId: "shop1", sku: g, ref: "g" });
    expect(low.outbox.publicationsFor(g)[0]?.publication).toMatchObject({ quantity: 1 });
    expect(trailOf(low.outbox.publicationsFor(g)[0]!.publication).at(-1)).toBe("low stock (2 ≤ 3): cap 1 → 1");
  });
});

describe("a bundle's own low-stock alert", () => {
  it("raises one alert naming the bundle and its binding component when a component move takes it to its line", () => {
    const { ledger, gift, mug, cst } = giftLedger();
    ledger.stock.upsertSku({ sku: gift, lowThreshold: 1 }, { actor: "t", idempotencyKey: "line:GIFT-1" });
    const bundleAlerts = () => ledger.alerts.liveAlerts().filter((a) => a.subject === "GIFT-1");
    // MUG-1 10 → 4 makes 2 sets: the bundle is at 2 (CST-1 binds at 3, then MUG-1 at 2), above its line of 1.
    ledger.stock.adjustOnHand(mug, -6, { actor: "t", idempotencyKey: "mug-6" });
    expect(ledger.bundles.availabilityOf(gift)).toMatchObject({ available: 2, binding: "MUG-1" });
    expect(bundleAlerts()).toEqual([]);
    // An order for 2 coasters (a reservation is a component move too) takes the bundle to 1: one alert.
    ledger.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "2001",
      lineId: "L1",
      sku: cst,
      qty: 2,
      actor: "channel:shop1",
    });
    ledger.stock.adjustOnHand(mug, -1, { actor: "t", idempotencyKey: "mug-1" }); // still 1 set: no second alert
    const [alert, ...more] = bundleAlerts();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: "low_stock", status: "open", raiseCount: 1 });
    expect(alert?.text).toBe(
      "Low stock: bundle GIFT-1 has 1 available (threshold 1), bound by CST-1 (1 available ÷ 1). Every channel now shows at most 1.",
    );
    const zh = sharedI18n("UTC").translator("zh-CN");
    expect(alert?.message && renderRef(zh, alert.message)).toBe(
      "库存不足：套装 GIFT-1 可售 1 套（预警线 1），受限于 CST-1（可售 1 ÷ 1）。各渠道现在最多显示 1 件。",
    );
    expect(alert?.buttons).toEqual([{ label: "Why", labelId: "button-why", action: "/why GIFT-1" }]);
    // The components themselves are above the configured line (0): no alert for them.
    expect(ledger.alerts.liveAlerts().map((a) => a.subject)).toEqual(["GIFT-1"]);
    // Restocking takes the bundle above its line: the alert resolves.
    ledger.stock.adjustOnHand(cst, 5, { actor: "t", idempotencyKey: "cst+5" });
    expect(bundleAlerts()).toHaveLength(1); // MUG-1 (3 ÷ 2) still binds it at 1
    ledger.stock.adjustOnHand(mug, 5, { actor: "t", idempotencyKey: "mug+5" });
    expect(ledger.bundles.availabilityOf(gift).available).toBe(4);
    expect(bundleAlerts()).toEqual([]);
  });

  it("uses the configured line when the bundle has none, and names the component that binds at 0", () => {
    const ledger = testLedger({ settings: { lowStockThreshold: 2 } });
    cleanup.push(() => ledger.close());
    const mug = seed(ledger, "MUG-1", 40);
    seed(ledger, "CST-1", 40);
    ledger.bundles.defineBundle(sku("GIFT-9"), parseComponents("= 10×MUG-1 + 1×CST-1"), meta, "Big set");
    ledger.stock.adjustOnHand(mug, -35, { actor: "t", idempotencyKey: "mug-35" });
    const texts = ledger.alerts.liveAlerts().map((a) => a.text);
    expect(texts).toEqual([
      "Low stock: bundle GIFT-9 has 0 available (threshold 2), bound by MUG-1 (5 available ÷ 10). Every channel now shows 0.",
    ]);
  });
});

describe("a bundle's own low-stock alert from its own order", () => {
  it("checks the bundle's line once after an order line for the bundle moved all its components", () => {
    const { ledger, gift } = giftLedger();
    ledger.stock.upsertSku({ sku: gift, lowThreshold: 1 }, { actor: "t", idempotencyKey: "line:GIFT-1" });
    const before = ledger.outbox.allOutbox().find((r) => r.sku === "GIFT-1")?.version ?? 0;
    ledger.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "3001",
      lineId: "L1",
      sku: gift,
      qty: 2,
      actor: "c",
    });
    expect(ledger.bundles.availabilityOf(gift).available).toBe(1);
    expect(ledger.alerts.liveAlerts().map((a) => a.text)).toEqual([
      "Low stock: bundle GIFT-1 has 1 available (threshold 1), bound by CST-1 (1 available ÷ 1). Every channel now shows at most 1.",
    ]);
    // The bundle is re-published after its line, with its new target.
    const row = ledger.outbox.allOutbox().find((r) => r.sku === "GIFT-1");
    expect(row?.targetQty).toBe(1);
    expect(row && row.version > before).toBe(true);
  });
});

describe("bundle orders and holds", () => {
  it("reserves, ships and releases the components of a bundle order line in one transaction, keyed by the line", () => {
    const { ledger, gift, mug, cst } = giftLedger();
    const order = { channelId: "shop1", orderId: "1001", lineId: "L1", sku: gift, qty: 2, actor: "channel:shop1" };
    const first = ledger.reservations.recordOrderLine(order);
    expect(first).toMatchObject({ isDuplicate: false, shortfall: 0, reservation: { sku: "GIFT-1", qty: 2 } });
    expect(ledger.reservations.recordOrderLine(order).isDuplicate).toBe(true);
    expect(ledger.stock.getLevel(mug)).toMatchObject({ onHand: 10, reserved: 4 });
    expect(ledger.stock.getLevel(cst)).toMatchObject({ onHand: 3, reserved: 2 });
    expect(ledger.stock.getLevel(gift)).toMatchObject({ onHand: 0, reserved: 0 });
    expect(ledger.bundles.availabilityOf(gift).available).toBe(1);
    ledger.reservations.shipReservation(first.reservation.id, "t");
    expect(ledger.reservations.getReservation(first.reservation.id).status).toBe("shipped");
    expect(ledger.stock.getLevel(mug)).toMatchObject({ onHand: 6, reserved: 0 });
    expect(ledger.stock.getLevel(cst)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });

  it("releases exactly its components when a bundle order is cancelled", () => {
    const { ledger, gift, mug, cst } = giftLedger();
    const other = ledger.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "1000",
      lineId: "L0",
      sku: mug,
      qty: 1,
      actor: "t",
    });
    const r = ledger.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "1001",
      lineId: "L1",
      sku: gift,
      qty: 2,
      actor: "t",
    });
    ledger.reservations.releaseReservation(r.reservation.id, "t");
    expect(ledger.reservations.getReservation(r.reservation.id).status).toBe("cancelled");
    expect(ledger.stock.getLevel(mug)).toMatchObject({ onHand: 10, reserved: 1 });
    expect(ledger.stock.getLevel(cst)).toMatchObject({ onHand: 3, reserved: 0 });
    const moves = ledger.db
      .prepare("SELECT sku, reason, reserved_after - reserved_before AS d FROM movements WHERE reason = 'cancel'")
      .all();
    expect(moves).toEqual([
      { sku: "CST-1", reason: "cancel", d: -2 },
      { sku: "MUG-1", reason: "cancel", d: -4 },
    ]);
    expect(ledger.reservations.getReservation(other.reservation.id).status).toBe("active");
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });

  it("sums the demand per component when an order mixes a bundle and its components, and records the shortfall per component", () => {
    const { ledger, gift, mug, cst } = giftLedger({ mug: 5, cst: 3 });
    const line = (lineId: string, s: string, qty: number) =>
      ledger.reservations.recordOrderLine({
        channelId: "shop1",
        orderId: "2001",
        lineId,
        sku: sku(s),
        qty,
        actor: "t",
      });
    ledger.transaction(() => {
      line("L1", "GIFT-1", 2); // 4 mugs, 2 coasters
      line("L2", "MUG-1", 3); // 3 more mugs: 7 wanted, 5 exist
    });
    expect(ledger.stock.getLevel(mug)).toMatchObject({ onHand: 5, reserved: 5 });
    expect(ledger.stock.getLevel(cst)).toMatchObject({ reserved: 2 });
    const oversells = ledger.db.prepare("SELECT sku, requested, shortfall FROM oversells ORDER BY id").all();
    expect(oversells).toEqual([{ sku: "MUG-1", requested: 3, shortfall: 2 }]);

    const big = ledger.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "2002",
      lineId: "L1",
      sku: gift,
      qty: 2,
      actor: "t",
    });
    expect(big.shortfall).toBe(2);
    expect(
      ledger.db.prepare("SELECT sku, requested, shortfall FROM oversells WHERE order_id = '2002' ORDER BY sku").all(),
    ).toEqual([
      { sku: "CST-1", requested: 2, shortfall: 1 },
      { sku: "MUG-1", requested: 4, shortfall: 4 },
    ]);
    expect(ledger.alerts.liveAlerts().filter((a) => a.kind === "oversell")).toHaveLength(3);
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });

  it("holds a bundle all or nothing, commits it, and gives its components back when it expires", () => {
    const { ledger, gift, mug, cst } = giftLedger();
    const h = ledger.reservations.reserveHold({
      sku: gift,
      qty: 2,
      ttlSeconds: 60,
      actor: "api",
      idempotencyKey: "k1",
    });
    expect(h.reservation).toMatchObject({ sku: "GIFT-1", qty: 2, kind: "hold", status: "active" });
    expect(
      ledger.reservations.reserveHold({ sku: gift, qty: 2, ttlSeconds: 60, actor: "api", idempotencyKey: "k1" }),
    ).toMatchObject({ isDuplicate: true, reservation: { id: h.reservation.id } });
    expect(() =>
      ledger.reservations.reserveHold({ sku: gift, qty: 2, ttlSeconds: 60, actor: "api", idempotencyKey: "k2" }),
    ).toThrow("Bundle GIFT-1: 1 available (bound by CST-1), 2 requested.");
    expect(ledger.stock.getLevel(mug).reserved).toBe(4);
    const other = ledger.reservations.reserveHold({
      sku: gift,
      qty: 1,
      ttlSeconds: 60,
      actor: "api",
      idempotencyKey: "k3",
    });
    ledger.reservations.commitHold(other.reservation.id);
    ledger.clock.advance(61_000);
    expect(ledger.reservations.expireHolds().map((r) => r.id)).toEqual([h.reservation.id]);
    expect(ledger.stock.getLevel(mug)).toMatchObject({ reserved: 2 });
    expect(ledger.stock.getLevel(cst)).toMatchObject({ reserved: 1 });
    ledger.reservations.shipReservation(other.reservation.id, "api");
    expect(ledger.stock.getLevel(mug)).toMatchObject({ onHand: 8, reserved: 0 });
    expect(ledger.stock.getLevel(cst)).toMatchObject({ onHand: 2, reserved: 0 });
    expect(checkInvariants(ledger.db).mismatches).toEqual([]);
  });
});

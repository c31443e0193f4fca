import { afterEach, describe, expect, it } from "vitest";
import type { Reply } from "../src/chat/types.js";
import { percentile } from "../src/money/promotion-guard.js";
import { seed } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Stack = Awaited<ReturnType<typeof moneyStack>>;

async function stack(money: Record<string, unknown> = {}) {
  // Order timestamps a second apart from a fixed start, and a bucket that a dozen order pages never drain.
  let t = Date.parse("2026-11-20T07:00:00Z");
  const s = await moneyStack({
    money,
    simOpts: { now: () => (t += 1000), bucket: { maximumAvailable: 1_000_000, restoreRate: 1000 } },
  });
  cleanups.push(() => s.close());
  const [item] = s.sim.seedItems(1, { available: 200 });
  const sku = seed(s.ledger, item!.sku, 200);
  s.ledger.listings.linkListing({ channelId: "shop1", sku, ref: item!.id });
  return { s, sku, item: item! };
}

const importOrders = (s: Stack) =>
  s.deps.sync.importOrders({ channelId: "shop1", signal: new AbortController().signal });

/** Twelve ordinary orders of 1–2 units, imported. */
async function usualSales(s: Stack, sku: string) {
  for (let i = 0; i < 12; i++) s.sim.createOrder([{ sku, qty: i % 3 === 0 ? 2 : 1 }]);
  await importOrders(s);
}

const heldAlert = (s: Stack) => s.ledger.alerts.liveAlerts().find((a) => a.kind === "order_held");
const alertReply = (s: Stack): Reply => {
  const a = heldAlert(s);
  if (!a) throw new Error("no order_held alert");
  return { text: a.text, buttons: a.buttons.map((b) => ({ label: b.label, action: b.action })) };
};

describe("promotion guard: an order line far above what the SKU normally sells is held (issue 14)", () => {
  it("holds an order of 40 units of a SKU that sells 1–2 per order, alerts with buttons; Approve lets it through", async () => {
    const { s, sku } = await stack();
    await usualSales(s, sku);
    expect(s.ledger.stock.getLevel(sku).reserved).toBe(16);
    expect(s.deps.holds.heldLines()).toEqual([]);
    expect(heldAlert(s)).toBeUndefined();

    const big = s.sim.createOrder([{ sku, qty: 40 }]);
    const [report] = await importOrders(s);
    expect(report?.reserved).toBe(1);
    // Recorded and reserved: the stock is kept for it while someone looks.
    expect(s.ledger.stock.getLevel(sku).reserved).toBe(56);
    const [held] = s.deps.holds.heldLines();
    expect(held).toMatchObject({ channelId: "shop1", sku, qty: 40, usualQty: 2, historyLines: 12, state: "held" });
    expect(held!.orderId).toContain(String(big.id));
    const alert = heldAlert(s)!;
    expect(alert.severity).toBe("critical");
    expect(alert.text).toContain(
      `wants 40 × ${sku}, more than 10× the usual 2 per order (p99 of 12 order lines in 90 days)`,
    );
    expect(alert.buttons.map((b) => [b.label, b.action])).toEqual([
      ["Approve", `/approve-held ${held!.id}`],
      ["Cancel", `/cancel-held ${held!.id}`],
    ]);

    const list = await s.say(USERS.viewer, "/held");
    expect(list.reply.text.split("\n")[0]).toBe("One order line is held:");
    expect(list.reply.text).toContain(`#${held!.id} shop1 order ${held!.orderId}: 40 × ${sku} (usually 2)`);
    // Not to be shipped while held.
    const ship = await s.say(USERS.op1, `/ship ${held!.orderId} sf SF1234567890123`);
    expect(ship.outcome).toBe("refused");
    expect(ship.reply.text).toContain("held by the promotion guard (40 × ");

    // Only an approver decides.
    expect((await s.press(USERS.op1, alertReply(s), "Approve")).outcome).toBe("refused");
    const ok = await s.press(USERS.appr, alertReply(s), "Approve");
    expect(ok.outcome).toBe("ok");
    expect(ok.reply.text).toContain(`Held line ${held!.id} approved by ${USERS.appr}`);
    expect(s.deps.holds.findHeldLine(held!.id)).toMatchObject({ state: "approved", decidedBy: USERS.appr });
    expect(heldAlert(s)).toBeUndefined();
    expect(s.ledger.stock.getLevel(sku).reserved).toBe(56);
    expect((await s.say(USERS.viewer, "/held")).reply.text).toBe("No order lines are held.");
    const again = await s.say(USERS.appr2, `/approve-held ${held!.id}`);
    expect(again.reply.text).toBe(`Held line ${held!.id} was already approved by ${USERS.appr}.`);
    // Normal flow again: the fulfilment ships the reservation.
    s.sim.fulfillOrder(big.id, { number: "SF1234567890123", company: "SF Express" });
    await importOrders(s);
    expect(s.ledger.stock.getLevel(sku)).toMatchObject({ onHand: 160, reserved: 16 });
    const actions = s.ledger.audit.recentAudit({ limit: 100 }).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["order.line.hold", "order.line.hold.approve"]));
  });

  it("Cancel releases the held stock (audited) and a redelivered order does not reserve it again", async () => {
    const { s, sku } = await stack();
    await usualSales(s, sku);
    s.sim.createOrder([{ sku, qty: 40 }]);
    await importOrders(s);
    const [held] = s.deps.holds.heldLines();
    expect(s.ledger.stock.getLevel(sku)).toMatchObject({ onHand: 200, reserved: 56, available: 144 });
    const done = await s.press(USERS.appr, alertReply(s), "Cancel");
    expect(done.outcome).toBe("ok");
    expect(done.reply.text).toContain(
      `40 × ${sku} released back to stock. Order ${held!.orderId} is cancelled on shop1 too (no refund there: use /refund if the customer paid).`,
    );
    // The adapter cancelled it on Shopify: orderCancel, no refund and no restock there (our ledger owns the stock).
    const cancels = s.sim.requests.filter((q) => q.op === "orderCancel");
    expect(cancels).toHaveLength(1);
    expect(JSON.parse(cancels[0]!.body)).toMatchObject({
      variables: { orderId: `gid://shopify/Order/${held!.orderId}`, refund: false, restock: false, reason: "OTHER" },
    });
    expect(s.sim.state.orders.find((o) => String(o.id) === held!.orderId)?.cancelledAt).toBeTruthy();
    expect(s.ledger.stock.getLevel(sku)).toMatchObject({ onHand: 200, reserved: 16, available: 184 });
    expect(s.ledger.reservations.getReservation(held!.reservationId!).status).toBe("cancelled");
    expect(s.deps.holds.findHeldLine(held!.id)).toMatchObject({ state: "cancelled", decidedBy: USERS.appr });
    expect(heldAlert(s)).toBeUndefined();
    const audit = s.ledger.audit.recentAudit({ limit: 100 }).find((a) => a.action === "order.line.hold.cancel");
    expect(audit?.actor).toBe(USERS.appr);
    // The channel sends the paid order again (poll overlap): nothing is reserved twice, nothing held twice.
    s.ledger.channelState.setOrderCursor("shop1", "");
    const [re] = await importOrders(s);
    expect(re!.duplicates).toBeGreaterThanOrEqual(13);
    expect(s.ledger.stock.getLevel(sku).reserved).toBe(16);
    expect(s.deps.holds.heldLines()).toEqual([]);
    const late = await s.say(USERS.appr2, `/cancel-held ${held!.id}`);
    expect(late.outcome).toBe("refused");
    // Idempotent: the second Cancel told the channel nothing.
    expect(s.sim.requests.filter((q) => q.op === "orderCancel")).toHaveLength(1);
  });

  it("Cancel alerts to cancel by hand when the channel refuses, or when no adapter can cancel there", async () => {
    const { s, sku } = await stack();
    await usualSales(s, sku);
    const first = s.sim.createOrder([{ sku, qty: 40 }]);
    await importOrders(s);
    const [held] = s.deps.holds.heldLines();
    // Cancelled on Shopify meanwhile: Shopify refuses a second cancel, so the seller is told to look there.
    first.cancelledAt = "2026-11-20T07:30:00Z";
    const refused = await s.say(USERS.appr, `/cancel-held ${held!.id}`);
    expect(refused.reply.text).toContain(`shop1 did not cancel order ${held!.orderId}`);
    expect(refused.reply.text).toContain("cancel it on shop1 by hand");
    const alert = s.ledger.alerts.liveAlerts().find((a) => a.kind === "order_cancel_by_hand");
    expect(alert?.text).toContain(`cancel it on shop1 by hand`);
    expect(s.ledger.stock.getLevel(sku).reserved).toBe(16);

    s.sim.createOrder([{ sku, qty: 40 }]);
    await importOrders(s);
    const [second] = s.deps.holds.heldLines();
    // The channel is no longer configured (no adapter): the alert says to cancel it there by hand, in both languages.
    (s.deps.channels as Map<string, unknown>).delete("shop1");
    const byHand = await s.say(USERS.appr, `/cancel-held ${second!.id}`);
    expect(byHand.reply.text).toContain(
      `Cancel order ${second!.orderId} on shop1 by hand: stockradar cannot cancel orders there.`,
    );
    await s.say(USERS.appr, "/lang zh-CN");
    const zh = await s.say(USERS.appr, "/alerts");
    expect(zh.reply.text).toContain(`请在 shop1 上手动取消订单 ${second!.orderId}`);
  });

  it("judges nothing without enough history, and answers /held in Chinese", async () => {
    const { s, sku } = await stack({ promotionGuard: { minHistory: 20 } });
    await usualSales(s, sku);
    s.sim.createOrder([{ sku, qty: 40 }]);
    await importOrders(s);
    expect(s.deps.holds.heldLines()).toEqual([]);
    expect(s.ledger.stock.getLevel(sku).reserved).toBe(56);
    await s.say(USERS.viewer, "/lang zh-CN");
    expect((await s.say(USERS.viewer, "/held")).reply.text).toBe("没有被暂扣的订单行。");
    expect(percentile([1, 2, 1, 1, 2, 1], 99)).toBe(2);
    expect(
      percentile(
        [
          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 30,
        ],
        99,
      ),
    ).toBe(1);
  });
});

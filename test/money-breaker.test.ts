import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import breakerPage from "../jobs/breaker-page.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { runSlot } from "../src/scheduler.js";
import { tempDir } from "./support/app.js";
import { seed } from "./support/ledger.js";
import { moneyStack, refundIdIn, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Stack = Awaited<ReturnType<typeof moneyStack>>;

async function approve(s: Stack, who: string, id: string) {
  const preview = await s.say(who, `/approve_refund ${id}`);
  if (preview.outcome !== "ok") return preview;
  return s.press(who, preview.reply, "Confirm");
}

async function request(s: Stack, amount: string): Promise<string> {
  if (!s.sim.state.items.size) s.sim.seedItems(1, { available: 100 });
  const order = s.sim.createOrder([{ sku: "SKU-0001", qty: 1, price: "1000.00" }], { currency: "EUR" });
  const r = await s.say(USERS.op1, `/refund shop1:${order.id} ${amount} customer complaint`);
  return refundIdIn(r.reply.text);
}

describe("refund breaker", () => {
  it("with maxRefundTotal 2000, blocks the third of 800, 900 and 500 within an hour, pages, and holds until an admin reset (across a restart)", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const sim: ShopifySim = await startShopifySim();
    cleanups.push(() => sim.close());
    const path = join(dir, "ledger.db");
    const money = {
      refundApprovalAbove: 1000,
      breaker: { windowMinutes: 60, maxRefundTotal: 2000, pageEveryMinutes: 5 },
    };
    let s = await moneyStack({ sim, path, money });

    const r1 = await request(s, "800");
    const r2 = await request(s, "900");
    const r3 = await request(s, "500");
    const r4 = await request(s, "5");
    expect((await approve(s, USERS.appr, r1)).reply.text).toContain(`${r1} refunded`);
    s.clock.advance(20 * 60_000);
    expect((await approve(s, USERS.appr, r2)).reply.text).toContain(`${r2} refunded`);
    s.clock.advance(20 * 60_000);

    const blocked = await approve(s, USERS.appr, r3);
    expect(blocked.reply.text).toContain(`${r3} blocked`);
    expect(blocked.reply.text).toContain("€1,700.00");
    expect(s.ledger.refunds.getRefund(r3).state).toBe("pending");
    expect(s.ledger.breaker.breakerState()).toMatchObject({
      isOpen: true,
      currency: "EUR",
      windowTotalMinor: 170_000,
      limitMinor: 200_000,
      refundId: r3,
    });
    const page = s.sent.find((m) => m.text.includes("Refund breaker OPEN"));
    expect(page?.mentions).toEqual([USERS.admin]);
    expect(sim.state.orders.flatMap((o) => o.refunds).map((r) => r.amount)).toEqual(["800.00", "900.00"]);

    // Nothing moves while it is open: other refunds, retries, price changes.
    const small = await s.say(USERS.appr, `/approve_refund ${r4}`);
    expect(small.outcome).toBe("refused");
    expect(small.reply.text).toContain("breaker is open");
    const sku = seed(s.ledger, "A-1", 5);
    const price = await s.say(USERS.op2, `/price ${sku} 10`);
    expect(price.outcome).toBe("refused");
    expect(price.reply.text).toContain("breaker is open");

    // Paged again every 5 minutes, not more often.
    const pages = () => s.sent.filter((m) => m.text.includes("Refund breaker OPEN")).length;
    s.clock.advance(60_000);
    await runSlot(breakerPage, s.deps, s.clock.now());
    expect(pages()).toBe(1);
    s.clock.advance(4 * 60_000);
    await runSlot(breakerPage, s.deps, s.clock.now());
    expect(pages()).toBe(2);
    await runSlot(breakerPage, s.deps, new Date(s.clock.now().getTime() + 1));
    expect(pages()).toBe(2);

    // A restart keeps it open.
    await s.close();
    s = await moneyStack({ sim, path, money });
    cleanups.push(() => s.close());
    expect(s.ledger.breaker.breakerState().isOpen).toBe(true);
    const status = await s.say(USERS.viewer, "/breaker");
    expect(status.reply.text).toContain("Breaker OPEN");
    expect(status.reply.text).toContain("€1,700.00 of €2,000.00 (2 refunds)");

    // Only an admin resets, and only with a reason.
    expect((await s.say(USERS.appr, "/breaker reset looks fine")).outcome).toBe("refused");
    expect((await s.say(USERS.admin, "/breaker reset")).reply.text).toContain("/breaker reset REASON");
    expect((await approve(s, USERS.appr, r3)).outcome).toBe("refused");
    expect(sim.state.orders.flatMap((o) => o.refunds)).toHaveLength(2);
    const reset = await s.say(USERS.admin, "/breaker reset checked with the customers, genuine damage claims");
    expect(reset.reply.text).toContain("Breaker reset");
    expect(s.ledger.breaker.breakerState().isOpen).toBe(false);

    // Once the 800 and 900 have left the window, the 500 goes through.
    s.clock.advance(61 * 60_000);
    expect((await approve(s, USERS.appr, r3)).reply.text).toContain(`${r3} refunded`);
    expect(sim.state.orders.flatMap((o) => o.refunds)).toHaveLength(3);

    const history = await s.say(USERS.viewer, "/breaker");
    expect(history.reply.text).toMatch(/reset by tg:901: checked with the customers/);
    const audit = s.ledger.audit.recentAudit({ limit: 200 }).filter((e) => e.action.startsWith("money.breaker"));
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ["money.breaker.reset", USERS.admin],
      ["money.breaker.trip", USERS.appr],
    ]);
    expect(JSON.parse(audit[1]!.detail!)).toMatchObject({
      currency: "EUR",
      windowTotalMinor: 170_000,
      limitMinor: 200_000,
      refundId: r3,
    });
  });

  it("opens when refunds the channel made itself pass the limit, and blocks what comes after", async () => {
    const s = await moneyStack({ money: { breaker: { maxRefundTotal: 100 } } });
    cleanups.push(() => s.close());
    const { onChannelRefund } = await import("../src/money/refund-flow.js");
    await onChannelRefund(s.deps, "shop1", {
      refundId: "1",
      orderId: "9" as never,
      amount: { amountMinor: 6_000, currency: "EUR" },
    });
    expect(s.ledger.breaker.breakerState().isOpen).toBe(false);
    await onChannelRefund(s.deps, "shop1", {
      refundId: "2",
      orderId: "9" as never,
      amount: { amountMinor: 6_000, currency: "EUR" },
    });
    expect(s.ledger.breaker.breakerState()).toMatchObject({ isOpen: true, windowTotalMinor: 12_000 });
    expect(s.sent.some((m) => m.text.includes("Refund breaker OPEN"))).toBe(true);
  });

  it("keeps currencies apart: JPY limits come from money.currencies", async () => {
    const s = await moneyStack({
      money: { breaker: { maxRefundTotal: 100 }, currencies: { JPY: { maxRefundTotal: 10_000 } } },
    });
    cleanups.push(() => s.close());
    const { onChannelRefund } = await import("../src/money/refund-flow.js");
    await onChannelRefund(s.deps, "shop1", {
      refundId: "1",
      orderId: "9" as never,
      amount: { amountMinor: 9_000, currency: "JPY" },
    });
    await onChannelRefund(s.deps, "shop1", {
      refundId: "2",
      orderId: "9" as never,
      amount: { amountMinor: 9_000, currency: "EUR" },
    });
    expect(s.ledger.breaker.breakerState().isOpen).toBe(false);
    expect(s.ledger.breaker.windowTotals(60)).toEqual([
      { currency: "EUR", totalMinor: 9_000, count: 1 },
      { currency: "JPY", totalMinor: 9_000, count: 1 },
    ]);
  });
});

describe("price guard", () => {
  it("refuses moves past the percentage, the floor and the ceiling, and records every decision", async () => {
    const s = await moneyStack({ money: { priceGuard: { maxChangePct: 20, floor: 5, ceiling: 500 } } });
    cleanups.push(() => s.close());
    const sku = seed(s.ledger, "A-12", 10);
    const confirmed = async (line: string) => s.press(USERS.op1, (await s.say(USERS.op1, line)).reply, "Confirm");
    expect((await confirmed(`/price ${sku} 100`)).reply.text).toContain("€100.00");
    const cases: [string, RegExp][] = [
      [`/price ${sku} 121`, /moves 21.0%, more than the 20%/],
      [`/price ${sku} 79.99`, /more than the 20%/],
      [`/price ${sku} 4`, /more than the 20%|below the floor/],
      [`/price ${sku} 100USD`, /the price is in EUR/],
      [`/price ${sku} 120 nowhere`, /No channel nowhere/],
    ];
    for (const [line, expected] of cases) {
      const r = await s.say(USERS.op1, line);
      expect(r.outcome, line).toBe("refused");
      expect(r.reply.text, line).toMatch(expected);
    }
    expect((await confirmed(`/price ${sku} 120`)).reply.text).toContain("€100.00 → €120.00");
    const fresh = seed(s.ledger, "B-1", 1);
    expect((await s.say(USERS.op1, `/price ${fresh} 4.99`)).reply.text).toContain("below the floor of €5.00");
    expect((await s.say(USERS.op1, `/price ${fresh} 600`)).reply.text).toContain("above the ceiling of €500.00");
    expect(s.ledger.prices.currentPrice(sku)?.price).toEqual({ amountMinor: 12_000, currency: "EUR" });
    const trail = s.ledger.audit.recentAudit({ limit: 100 }).filter((e) => e.action.startsWith("money.price"));
    expect(trail.filter((e) => e.action === "money.price.change")).toHaveLength(2);
    expect(trail.filter((e) => e.action === "money.price.refused")).toHaveLength(6);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { asOrderId } from "../src/ids.js";
import { onChannelRefund } from "../src/money/refund-flow.js";
import { moneyStack, refundIdIn, USERS } from "./support/money.js";

type Stack = Awaited<ReturnType<typeof moneyStack>>;
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** A paid Shopify order worth `price` EUR in the simulator; returns "shop1:ID". */
const paidOrder = (s: Stack, price = "1000.00"): string => {
  if (!s.sim.state.items.size) s.sim.seedItems(1, { available: 100 });
  return `shop1:${s.sim.createOrder([{ sku: "SKU-0001", qty: 1, price }], { currency: "EUR" }).id}`;
};

describe("refund requests and approvals", () => {
  it("refuses approval by the operator who asked, and lets another operator approve a small refund once", async () => {
    stack = await moneyStack();
    const s = stack;
    const order = paidOrder(s);
    const req = await s.say(USERS.op1, `/refund ${order} 50.00 arrived broken`);
    expect(req.outcome).toBe("ok");
    const id = refundIdIn(req.reply.text);
    expect(req.reply.text).toContain("€50.00");

    const own = await s.press(USERS.op1, req.reply, "Approve");
    expect(own.outcome).toBe("refused");
    expect(own.reply.text).toContain(`You requested ${id}`);
    const ownTyped = await s.say(USERS.op1, `/approve_refund ${id}`);
    expect(ownTyped.outcome).toBe("refused");

    const preview = await s.press(USERS.op2, req.reply, "Approve");
    expect(preview.reply.text).toContain(`Approve refund ${id}: €50.00`);
    const done = await s.press(USERS.op2, preview.reply, "Confirm");
    expect(done.outcome).toBe("ok");
    expect(done.reply.text).toContain(`${id} refunded`);
    expect(s.sim.calls("refundCreate")).toHaveLength(1);
    expect(s.ledger.refunds.getRefund(id)).toMatchObject({
      state: "executed",
      decidedBy: USERS.op2,
      requestedBy: USERS.op1,
      execution: "api",
    });
  });

  it("executes an approver's approval exactly once when Approve and Confirm are pressed twice", async () => {
    stack = await moneyStack();
    const s = stack;
    const order = paidOrder(s);
    const req = await s.say(USERS.op1, `/refund ${order} 450.00 wrong size`);
    const id = refundIdIn(req.reply.text);

    const p1 = await s.press(USERS.appr, req.reply, "Approve");
    const p2 = await s.press(USERS.appr, req.reply, "Approve");
    expect(p1.outcome).toBe("ok");
    expect(p2.outcome).toBe("ok");
    const [a, b] = await Promise.all([
      s.press(USERS.appr, p1.reply, "Confirm"),
      s.press(USERS.appr, p2.reply, "Confirm"),
    ]);
    const texts = [a.reply.text, b.reply.text];
    expect(texts.filter((t) => t.includes(`${id} refunded`))).toHaveLength(1);
    expect(texts.some((t) => /being sent to shop1 right now|already/.test(t))).toBe(true);

    const again = await s.press(USERS.appr, p1.reply, "Confirm");
    expect(again.reply.text).toMatch(/already used/);
    const late = await s.press(USERS.appr, req.reply, "Approve");
    expect(late.outcome).toBe("refused");
    expect(late.reply.text).toContain(`${id} was already refunded (€450.00`);

    expect(s.sim.calls("refundCreate")).toHaveLength(1);
    expect(s.sim.state.orders[0]!.refunds.map((r) => r.amount)).toEqual(["450.00"]);
  });

  it("leaves a refund approved when the channel does not confirm, and Retry sends the same idempotency key", async () => {
    stack = await moneyStack();
    const s = stack;
    const req = await s.say(USERS.op1, `/refund ${paidOrder(s)} 80 lost parcel`);
    const id = refundIdIn(req.reply.text);
    let isDown = true;
    s.sim.faults.failWhen((r) => isDown && r.body.includes("refundCreate"), "500", 1_000);
    const preview = await s.say(USERS.appr, `/approve_refund ${id}`);
    const first = await s.press(USERS.appr, preview.reply, "Confirm");
    expect(first.reply.text).toContain("did not confirm");
    expect(s.ledger.refunds.getRefund(id)).toMatchObject({ state: "approved", attemptStartedAt: null });
    expect(s.sim.state.orders[0]!.refunds).toHaveLength(0);

    isDown = false;
    const retryPreview = await s.press(USERS.appr2, first.reply, "Retry");
    expect(retryPreview.reply.text).toContain(`Retry refund ${id}`);
    const second = await s.press(USERS.appr2, retryPreview.reply, "Confirm");
    expect(second.reply.text).toContain(`${id} refunded`);
    expect(s.sim.state.orders[0]!.refunds).toHaveLength(1);
    const keys = new Set(
      s.sim
        .calls("refundCreate")
        .map((c) => /@idempotent\(key: "([^"]+)"\)/.exec(JSON.parse(c.body).query as string)?.[1]),
    );
    expect(keys.size).toBe(1);
    expect(s.ledger.refunds.getRefund(id).attempts).toBe(2);
  });

  it("needs an approver above money.refundApprovalAbove", async () => {
    stack = await moneyStack();
    const s = stack;
    const req = await s.say(USERS.op1, `/refund ${paidOrder(s)} 200.01 goodwill`);
    const id = refundIdIn(req.reply.text);
    expect(req.reply.text).toContain("Needs an approver");
    const byOperator = await s.say(USERS.op2, `/approve-refund ${id}`);
    expect(byOperator.outcome).toBe("refused");
    expect(byOperator.reply.text).toContain("only approvers can approve it");
    const byViewer = await s.say(USERS.viewer, `/approve-refund ${id}`);
    expect(byViewer.outcome).toBe("refused");
    const preview = await s.say(USERS.appr, `/approve-refund ${id}`);
    const done = await s.press(USERS.appr, preview.reply, "Confirm");
    expect(done.reply.text).toContain("refunded");
    expect(s.sim.calls("refundCreate")).toHaveLength(1);
  });

  it("requires a reason to reject, and a rejected refund cannot be approved", async () => {
    stack = await moneyStack();
    const s = stack;
    const req = await s.say(USERS.op1, `/refund ${paidOrder(s)} 20 duplicate claim`);
    const id = refundIdIn(req.reply.text);
    const noReason = await s.press(USERS.appr, req.reply, "Reject…");
    expect(noReason.outcome).toBe("refused");
    expect(noReason.reply.text).toContain(`/reject_refund ${id} REASON`);
    const rejected = await s.say(USERS.appr, `/reject_refund ${id} customer already got a replacement`);
    expect(rejected.reply.text).toContain("rejected");
    expect(s.ledger.refunds.getRefund(id)).toMatchObject({
      state: "rejected",
      rejectReason: "customer already got a replacement",
    });
    const approve = await s.say(USERS.appr, `/approve_refund ${id}`);
    expect(approve.outcome).toBe("refused");
    expect(approve.reply.text).toContain("was rejected by");
    expect(s.sim.calls("refundCreate")).toHaveLength(0);
  });

  it("answers bad amounts and unknown orders clearly and records nothing", async () => {
    stack = await moneyStack({ extraChannels: [{ id: "xianyu", kind: "xianyu" }] });
    const s = stack;
    const order = paidOrder(s, "30.00");
    const cases: [string, RegExp][] = [
      [`/refund ${order} 12.345 x`, /EUR has 2 decimals at most/],
      [`/refund ${order} -5 x`, /must be an amount such as 25.50/],
      [`/refund ${order} 5USS x`, /must be an amount|not a currency code/],
      [`/refund ${order} 5`, /REASON|Usage/],
      [`/refund 424242 5 x`, /No order 424242 in the ledger. Name the channel/],
      [`/refund ${order} 0 x`, /more than 0/],
    ];
    for (const [line, expected] of cases) {
      const r = await s.say(USERS.op1, line);
      expect(r.outcome, line).not.toBe("ok");
      expect(r.reply.text, line).toMatch(expected);
    }
    expect(s.ledger.refunds.listRefunds()).toHaveLength(0);
  });

  it("posts a to-do for a channel without refund API and waits for Done (once)", async () => {
    stack = await moneyStack({ extraChannels: [{ id: "xianyu", kind: "xianyu" }] });
    const s = stack;
    const req = await s.say(USERS.op1, "/refund xianyu:XY-88 35 item missing");
    const id = refundIdIn(req.reply.text);
    const preview = await s.say(USERS.appr, `/approve_refund ${id}`);
    expect(preview.reply.text).toContain("by hand");
    const approved = await s.press(USERS.appr, preview.reply, "Confirm");
    expect(approved.reply.text).toContain("a to-do was posted");
    const todo = s.sent.find((m) => m.text.includes("To do: refund €35.00"))!;
    expect(todo).toBeDefined();
    expect(s.ledger.refunds.getRefund(id).state).toBe("approved");
    const done = await s.press(USERS.op2, todo, "Done");
    expect(done.reply.text).toContain(`${id} done`);
    const twice = await s.press(USERS.op2, todo, "Done");
    expect(twice.reply.text).toContain("already marked done");
    expect(s.ledger.refunds.getRefund(id)).toMatchObject({
      state: "executed",
      execution: "manual",
      executedBy: USERS.op2,
    });
  });

  it("counts a refund the channel announces once, even when it is one we made ourselves", async () => {
    stack = await moneyStack();
    const s = stack;
    const order = paidOrder(s);
    const req = await s.say(USERS.op1, `/refund ${order} 10 scratch`);
    const id = refundIdIn(req.reply.text);
    const preview = await s.say(USERS.appr, `/approve_refund ${id}`);
    await s.press(USERS.appr, preview.reply, "Confirm");
    const ours = s.ledger.refunds.getRefund(id);
    const orderId = asOrderId(order.slice("shop1:".length));
    const echoed = await onChannelRefund(s.deps, "shop1", {
      refundId: ours.channelRefundId!,
      orderId,
      amount: { amountMinor: 1000, currency: "EUR" },
    });
    expect(echoed.id).toBe(id);
    const foreign = await onChannelRefund(s.deps, "shop1", {
      refundId: "990001",
      orderId,
      amount: { amountMinor: 2500, currency: "EUR" },
      reason: "refunded in the admin",
    });
    expect(foreign).toMatchObject({ state: "executed", execution: "channel", source: "channel" });
    await onChannelRefund(s.deps, "shop1", {
      refundId: "990001",
      orderId,
      amount: { amountMinor: 2500, currency: "EUR" },
    });
    expect(s.ledger.breaker.windowTotals(60)).toEqual([{ currency: "EUR", totalMinor: 3500, count: 2 }]);
  });

  it("writes every money action to the audit log with actor and amounts", async () => {
    stack = await moneyStack();
    const s = stack;
    const req = await s.say(USERS.op1, `/refund ${paidOrder(s)} 15.5 late`);
    const id = refundIdIn(req.reply.text);
    const preview = await s.say(USERS.appr, `/approve_refund ${id}`);
    await s.press(USERS.appr, preview.reply, "Confirm");
    const money = s.ledger.audit.recentAudit({ limit: 100 }).filter((e) => e.action.startsWith("money."));
    expect(money.map((e) => [e.action, e.actor])).toEqual([
      ["money.refund.execute", USERS.appr],
      ["money.refund.approve", USERS.appr],
      ["money.refund.request", USERS.op1],
    ]);
    for (const e of money)
      expect(JSON.parse(e.detail!)).toMatchObject({ refundId: id, amountMinor: 1550, currency: "EUR" });
  });
});

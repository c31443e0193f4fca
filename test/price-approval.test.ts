import { afterEach, describe, expect, it } from "vitest";
import { seed } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stack(money: Record<string, unknown> = {}) {
  const s = await moneyStack({ money: { priceApprovalAbove: 10, ...money } });
  cleanups.push(() => s.close());
  const [item] = s.sim.seedItems(1, { available: 10 });
  const sku = seed(s.ledger, "MUG-1", 10);
  s.ledger.listings.linkListing({ channelId: "shop1", sku, ref: item!.id });
  return { s, sku, item: item! };
}

type Stack = Awaited<ReturnType<typeof moneyStack>>;

async function confirmed(s: Stack, who: string, text: string) {
  const preview = await s.say(who, text);
  if (preview.outcome !== "ok" || !preview.reply.buttons?.some((b) => b.label === "Confirm")) return preview;
  return s.press(who, preview.reply, "Confirm");
}

const pushes = (s: Stack) => s.sim.requests.filter((r) => r.op === "productVariantsBulkUpdate").length;

describe("price maker-checker: moves above money.priceApprovalAbove wait for a second person (issue 14)", () => {
  it("a 15% move waits; the requester cannot approve; another approver's approval reaches the Shopify simulator", async () => {
    const { s, sku, item } = await stack();
    await confirmed(s, USERS.appr, `/price ${sku} 10`);
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");
    expect(pushes(s)).toBe(1);

    const asked = await confirmed(s, USERS.appr, `/price ${sku} 11.50`);
    expect(asked.outcome).toBe("ok");
    expect(asked.reply.text).toContain("moves 15.0%, above the 10%");
    const [request] = s.deps.priceRequests.pendingPriceRequests(sku);
    expect(request).toMatchObject({
      sku,
      state: "pending",
      requestedBy: USERS.appr,
      price: { amountMinor: 1150, currency: "EUR" },
      old: { amountMinor: 1000, currency: "EUR" },
    });
    expect(asked.reply.text).toContain(`/approve-price ${request!.id}`);
    expect(s.deps.prices.currentPrice(sku)?.price.amountMinor).toBe(1000);
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    expect(pushes(s)).toBe(1);

    const own = await s.say(USERS.appr, `/approve-price ${request!.id}`);
    expect(own.outcome).toBe("refused");
    expect(own.reply.text).toBe(`You asked for price request ${request!.id}; someone else must approve it.`);
    const operator = await s.say(USERS.op1, `/approve-price ${request!.id}`);
    expect(operator.outcome).toBe("refused");
    expect(s.deps.priceRequests.findPriceRequest(request!.id)?.state).toBe("pending");

    const preview = await s.say(USERS.appr2, `/approve-price ${request!.id}`);
    expect(preview.reply.text).toContain(`Approve price request ${request!.id}: ${sku} €10.00 → €11.50 (15.0%)`);
    expect(pushes(s)).toBe(1);
    const done = await s.press(USERS.appr2, preview.reply, "Confirm");
    expect(done.outcome).toBe("ok");
    expect(done.reply.text).toContain(`approved by ${USERS.appr2}`);
    expect(done.reply.text).toContain("Confirmed by shop1");
    expect(s.sim.state.items.get(item.id)!.price).toBe("11.50");
    expect(s.deps.priceOutbox.confirmedPrices(sku).get("shop1")).toEqual({ amountMinor: 1150, currency: "EUR" });
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
    expect(s.deps.prices.currentPrice(sku)?.price.amountMinor).toBe(1150);
    const decided = s.deps.priceRequests.findPriceRequest(request!.id)!;
    expect(decided).toMatchObject({ state: "approved", decidedBy: USERS.appr2 });
    expect(decided.changeId).not.toBeNull();
    expect(pushes(s)).toBe(2);

    // Approving twice changes nothing: no second change, no second push.
    const again = await confirmed(s, USERS.appr2, `/approve-price ${request!.id}`);
    expect(again.outcome).toBe("refused");
    expect(again.reply.text).toContain(`already approved by ${USERS.appr2}`);
    expect(pushes(s)).toBe(2);
    expect(s.deps.priceRequests.findPriceRequest(request!.id)).toEqual(decided);

    const actions = s.ledger.audit
      .recentAudit({ limit: 50 })
      .map((a) => a.action)
      .filter((a) => a.startsWith("money.price."));
    expect(actions).toEqual(expect.arrayContaining(["money.price.request", "money.price.approve"]));
  });

  it("a move at or below the limit applies at once; a redelivered confirm does not open a second request", async () => {
    const { s, sku, item } = await stack();
    await confirmed(s, USERS.op1, `/price ${sku} 10`);
    const small = await confirmed(s, USERS.op1, `/price ${sku} 11`);
    expect(small.reply.text).toContain("Confirmed by shop1");
    expect(s.sim.state.items.get(item.id)!.price).toBe("11.00");
    const preview = await s.say(USERS.op1, `/price ${sku} 13`);
    const first = await s.press(USERS.op1, preview.reply, "Confirm");
    expect(first.reply.text).toContain("moves 18.2%");
    await s.press(USERS.op1, preview.reply, "Confirm");
    expect(s.deps.priceRequests.pendingPriceRequests(sku)).toHaveLength(1);
  });

  it("/reject-price needs a reason, keeps the price and closes the request", async () => {
    const { s, sku, item } = await stack();
    await confirmed(s, USERS.op1, `/price ${sku} 10`);
    await confirmed(s, USERS.op1, `/price ${sku} 12`);
    const [request] = s.deps.priceRequests.pendingPriceRequests(sku);
    const bare = await s.say(USERS.appr, `/reject-price ${request!.id}`);
    expect(bare.outcome).toBe("refused");
    expect(bare.reply.text).toBe(`Say why: /reject-price ${request!.id} REASON`);
    const no = await s.say(USERS.appr, `/reject-price ${request!.id} typo`);
    expect(no.reply.text).toContain(`rejected by ${USERS.appr}: typo`);
    expect(s.deps.priceRequests.findPriceRequest(request!.id)).toMatchObject({
      state: "rejected",
      rejectReason: "typo",
    });
    const late = await confirmed(s, USERS.appr2, `/approve-price ${request!.id}`);
    expect(late.outcome).toBe("refused");
    expect(late.reply.text).toContain("was rejected");
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");
    const missing = await s.say(USERS.appr, "/approve-price 999");
    expect(missing.reply.text).toContain("No price request 999");
  });
});

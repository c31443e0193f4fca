import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sharedI18n } from "../src/i18n/translator.js";
import { importSkus } from "../src/import.js";
import { seed } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Stack = Awaited<ReturnType<typeof moneyStack>>;

async function stack(money: Record<string, unknown> = {}) {
  const s = await moneyStack({ money });
  cleanups.push(() => s.close());
  const [item] = s.sim.seedItems(1, { available: 10 });
  const sku = seed(s.ledger, "MUG-1", 10);
  s.ledger.listings.linkListing({ channelId: "shop1", sku, ref: item!.id });
  return { s, sku, item: item! };
}

async function confirmed(s: Stack, who: string, text: string) {
  const preview = await s.say(who, text);
  if (preview.outcome !== "ok" || !preview.reply.buttons?.some((b) => b.label === "Confirm")) return preview;
  return s.press(who, preview.reply, "Confirm");
}

const pushes = (s: Stack) => s.sim.requests.filter((r) => r.op === "productVariantsBulkUpdate").length;

describe("the price guard's limits: per step, per day, cost floor, SKU ceiling, breaker (issue 14)", () => {
  it("refuses a 40% move naming the limit, in English and in Chinese, and records the refusal", async () => {
    const { s, sku, item } = await stack();
    await confirmed(s, USERS.op1, `/price ${sku} 10`);
    const big = await s.say(USERS.op1, `/price ${sku} 14`);
    expect(big.outcome).toBe("refused");
    expect(big.reply.text).toBe(
      `Price of ${sku} not changed: €10.00 → €14.00 moves 40.0%, more than the 30% allowed in one step (money.priceGuard.maxChangePct). Pick a price inside the limits (money.priceGuard in stockradar.yaml, /cost ${sku}).`,
    );
    expect((await s.say(USERS.op2, "/lang zh-CN")).outcome).toBe("ok");
    const zh = await s.say(USERS.op2, `/price ${sku} 14`);
    expect(zh.outcome).toBe("refused");
    expect(zh.reply.text).toContain("€10.00 → €14.00 变动 40.0%，超过单次允许的 30%");
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");
    expect(s.deps.prices.currentPrice(sku)?.price.amountMinor).toBe(1000);
    const refused = s.deps.prices.recentPriceChanges(sku).filter((c) => c.outcome === "refused");
    expect(refused[0]?.reason).toContain("more than the 30% allowed in one step");
  });

  it("refuses steps that add up to more than maxDailyMovePct within 24 hours, and allows them the next day", async () => {
    const { s, sku, item } = await stack({ priceGuard: { maxChangePct: 30, maxDailyMovePct: 40 } });
    await confirmed(s, USERS.op1, `/price ${sku} 10`);
    s.clock.advance(3600_000);
    expect((await confirmed(s, USERS.op1, `/price ${sku} 12.50`)).outcome).toBe("ok");
    s.clock.advance(3600_000);
    const second = await s.say(USERS.op1, `/price ${sku} 15`);
    expect(second.outcome).toBe("refused");
    expect(second.reply.text).toContain(
      "€10.00 (the price 24 hours ago) → €15.00 moves 50.0%, more than the 40% allowed per day (money.priceGuard.maxDailyMovePct)",
    );
    expect(s.sim.state.items.get(item.id)!.price).toBe("12.50");
    // Back down within the day is fine: the move is measured from the day's opening price.
    expect((await confirmed(s, USERS.op1, `/price ${sku} 11`)).outcome).toBe("ok");
    s.clock.advance(24 * 3600_000);
    expect((await confirmed(s, USERS.op1, `/price ${sku} 14`)).outcome).toBe("ok");
    expect(s.sim.state.items.get(item.id)!.price).toBe("14.00");
  });

  it("/cost sets the SKU's cost floor (margin on the price) and ceiling per currency; prices outside them are refused", async () => {
    const { s, sku, item } = await stack();
    await confirmed(s, USERS.op1, `/price ${sku} 12`);
    expect((await s.say(USERS.appr, `/cost ${sku}`)).reply.text).toBe(
      `${sku} has no cost, margin or ceiling set. /cost ${sku} 8.50 25% sets them.`,
    );
    expect((await s.say(USERS.op1, `/cost ${sku} 8`)).outcome).toBe("refused");
    const set = await s.say(USERS.appr, `/cost ${sku} 8 20% max=15`);
    expect(set.reply.text).toBe(`✅ ${sku} (EUR): cost €8.00, minimum margin 20%, floor €10.00, ceiling €15.00.`);
    expect(s.deps.priceLimits.skuPriceLimits(sku, "EUR")).toMatchObject({
      costMinor: 800,
      minMarginPct: 20,
      ceilingMinor: 1500,
      updatedBy: USERS.appr,
    });
    const low = await s.say(USERS.op1, `/price ${sku} 9.99`);
    expect(low.outcome).toBe("refused");
    expect(low.reply.text).toContain("€9.99 is below the floor of €10.00 (cost €8.00 with a 20% minimum margin)");
    expect((await confirmed(s, USERS.op1, `/price ${sku} 10`)).outcome).toBe("ok");
    s.clock.advance(60_000);
    const high = await s.say(USERS.op1, `/price ${sku} 12.01`);
    expect(high.outcome).toBe("ok");
    await confirmed(s, USERS.op1, `/price ${sku} 12.50`);
    const over = await s.say(USERS.op1, `/price ${sku} 15.50`);
    expect(over.outcome).toBe("refused");
    expect(over.reply.text).toContain("€15.50 is above this SKU's ceiling of €15.00 (/cost)");
    // Another currency has its own limits (none here): the EUR floor does not apply to a USD price of another SKU row.
    expect(s.deps.priceLimits.skuPriceLimits(sku, "USD")).toBeUndefined();
    expect(s.sim.state.items.get(item.id)!.price).toBe("12.50");
    const audit = s.ledger.audit.recentAudit({ limit: 50 }).find((a) => a.action === "money.price.limits");
    expect(audit?.actor).toBe(USERS.appr);
    const bad = await s.say(USERS.appr, `/cost ${sku} 8 120%`);
    expect(bad.outcome).toBe("refused");
    expect(bad.reply.text).toBe("The margin must be a percentage from 0 to 99, e.g. 25%; got 120%.");
  });

  it("import skus takes optional cost and min_margin columns into the same limits", async () => {
    const { s, sku } = await stack();
    const dir = mkdtempSync(join(tmpdir(), "sr-cost-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "skus.csv");
    writeFileSync(
      file,
      `sku,title,on_hand,low_threshold,cost,min_margin\n${sku},Mug,10,,8,20\nCUP-1,Cup,5,,4.50USD,\n`,
    );
    const tr = sharedI18n("UTC").translator("en");
    const report = importSkus(s.deps, file, "import", tr);
    expect(report.problems).toEqual([]);
    expect(s.deps.priceLimits.skuPriceLimits(sku, "EUR")).toMatchObject({ costMinor: 800, minMarginPct: 20 });
    expect(s.deps.priceLimits.skuPriceLimits("CUP-1", "USD")).toMatchObject({ costMinor: 450, minMarginPct: null });
    const low = await s.say(USERS.op1, `/price ${sku} 9`);
    expect(low.reply.text).toContain("€9.00 is below the floor of €10.00 (cost €8.00 with a 20% minimum margin)");
  });

  it("a global floor and ceiling apply to every SKU", async () => {
    const { s, sku } = await stack({ priceGuard: { floor: 5, ceiling: 100 } });
    const low = await s.say(USERS.op1, `/price ${sku} 4.99`);
    expect(low.reply.text).toContain("€4.99 is below the floor of €5.00 (money.priceGuard.floor)");
    const high = await s.say(USERS.op1, `/price ${sku} 100.01`);
    expect(high.reply.text).toContain("€100.01 is above the ceiling of €100.00 (money.priceGuard.ceiling)");
  });

  it("with the breaker open every price change is refused: /price, a channel price, and approving a pending request", async () => {
    const { s, sku, item } = await stack({ priceApprovalAbove: 10 });
    await confirmed(s, USERS.op1, `/price ${sku} 10`);
    await confirmed(s, USERS.op1, `/price ${sku} 11.50`);
    const [request] = s.deps.priceRequests.pendingPriceRequests(sku);
    expect(request).toBeDefined();
    s.ledger.breaker.tripBreaker(
      { reason: "test", currency: "EUR", windowTotalMinor: 1, limitMinor: 1 },
      { actor: USERS.admin, transport: "telegram", requestId: "r" },
    );
    const base = await s.say(USERS.op1, `/price ${sku} 10.50`);
    expect(base.outcome).toBe("refused");
    expect(base.reply.text).toBe(
      `Price of ${sku} not changed: the refund breaker is open; price changes wait until an admin resets it. /breaker shows why.`,
    );
    const onChannel = await s.say(USERS.op1, `/price ${sku} 10.50 shop1`);
    expect(onChannel.outcome).toBe("refused");
    expect(onChannel.reply.text).toContain(`Price of ${sku} on shop1 not changed: the refund breaker is open`);
    const approve = await confirmed(s, USERS.appr2, `/approve-price ${request!.id}`);
    expect(approve.outcome).toBe("refused");
    expect(approve.reply.text).toContain("the refund breaker is open");
    expect(s.deps.priceRequests.findPriceRequest(request!.id)?.state).toBe("pending");
    expect((await s.say(USERS.op1, "/lang zh-CN")).outcome).toBe("ok");
    const zh = await s.say(USERS.op1, `/price ${sku} 10.50`);
    expect(zh.reply.text).toContain("退款熔断已打开");
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");
    expect(pushes(s)).toBe(1);
    expect(s.deps.priceOutbox.pendingPriceChanges()).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { seed } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Stack = Awaited<ReturnType<typeof moneyStack>>;

async function stack() {
  const s = await moneyStack({ money: { priceApprovalAbove: 10 } });
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

describe("/prices SKU: every channel's price, waiting pushes, approvals and the last changes (issue 14)", () => {
  it("starts empty, then shows the confirmed price, a failed push with its error, a pending request and the trail", async () => {
    const { s, sku, item } = await stack();
    const empty = await s.say(USERS.viewer, `/prices ${sku}`);
    expect(empty.outcome).toBe("ok");
    expect(empty.reply.text).toBe(
      [
        `💶 ${sku}: our price not set`,
        "On the channels:",
        "• shop1: not pushed yet",
        "Nothing waiting to push.",
        "No price changes yet.",
      ].join("\n"),
    );

    await confirmed(s, USERS.op1, `/price ${sku} 10`);
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");

    // The next push fails on every attempt of its pass: the target stays queued with the error.
    s.clock.advance(60_000);
    s.sim.faults.failNext("500", 6);
    const failed = await confirmed(s, USERS.op1, `/price ${sku} 10.50`);
    expect(failed.reply.text).toContain("waiting: shop1");
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");
    const [target] = s.deps.priceOutbox.pendingPriceChanges(sku);
    expect(target).toMatchObject({ channelId: "shop1", version: 1, attempts: 1 });
    expect(target!.lastError).toBeTruthy();

    // A 20% move waits for an approver.
    s.clock.advance(60_000);
    await confirmed(s, USERS.appr, `/price ${sku} 12.60`);
    const [request] = s.deps.priceRequests.pendingPriceRequests(sku);
    expect(request).toBeDefined();

    const shown = await s.say(USERS.viewer, `/prices ${sku}`);
    expect(shown.outcome).toBe("ok");
    const lines = shown.reply.text.split("\n");
    expect(lines[0]).toBe(`💶 ${sku}: our price €10.50`);
    expect(lines).toContain("• shop1: €10.00");
    expect(lines).toContain("Waiting to push:");
    const targetLine = lines.find((l) => l.startsWith("• shop1: €10.50 (version 1, 1 attempts, last error: "));
    expect(targetLine).toBeDefined();
    expect(targetLine).not.toContain(s.sim.accessToken);
    expect(lines).toContain("Waiting for approval:");
    expect(lines).toContain(
      `• #${request!.id} by ${USERS.appr}: €10.50 → €12.60 (20.0%), /approve-price ${request!.id}`,
    );
    expect(lines.slice(lines.indexOf("Last changes:") + 1)).toEqual([
      `• Nov 20, 16:01 Beijing time ${USERS.op1}: €10.00 → €10.50`,
      `• Nov 20, 16:00 Beijing time ${USERS.op1}: none → €10.00`,
    ]);
    expect(s.sim.state.items.get(item.id)!.price).toBe("10.00");
  });

  it("answers in Chinese for a zh-CN reader and lists only the last 5 changes, newest first", async () => {
    const { s, sku } = await stack();
    for (const [i, amount] of ["10", "10.50", "11", "11.50", "12", "12.50"].entries()) {
      s.clock.advance(60_000);
      const r = await confirmed(s, USERS.op1, `/price ${sku} ${amount}`);
      expect(r.outcome, `change ${i}`).toBe("ok");
    }
    // Chinese aliases are read on WeCom and the console (Telegram commands are latin only).
    const onConsole = (text: string, n: string) =>
      s.dispatcher.handle({ transport: "console", chatId: "local", userId: USERS.viewer, text, messageId: n });
    expect((await onConsole("/lang zh-CN", "c1")).outcome).toBe("ok");
    const zh = await onConsole(`价格表 ${sku}`, "c2");
    expect(zh.outcome, zh.reply.text).toBe("ok");
    const lines = zh.reply.text.split("\n");
    expect(lines[0]).toContain(`💶 ${sku}：我方价格`);
    expect(lines).toContain("没有等待推送的价格。");
    const changes = lines.slice(lines.indexOf("最近改价：") + 1);
    expect(changes).toHaveLength(5);
    expect(changes[0]).toMatch(/^• 11月20日 16:06 北京时间 tg:101：€12.00 → €12.50$/);
    expect(changes[4]).toContain("€10.00 → €10.50");
  });

  it("an unknown SKU gets the one-line not-found answer", async () => {
    const { s } = await stack();
    const r = await s.say(USERS.viewer, "/prices NOPE-9");
    expect(r.outcome).not.toBe("ok");
    expect(r.reply.text.split("\n")).toHaveLength(1);
  });
});

describe("/price preview says when the change will need an approver (issue 14)", () => {
  it("a move above money.priceApprovalAbove is flagged before confirming; one at or below is not", async () => {
    const { s, sku } = await stack();
    await confirmed(s, USERS.op1, `/price ${sku} 10`);
    const small = await s.say(USERS.op1, `/price ${sku} 11`);
    expect(small.reply.text).not.toContain("second person");
    const big = await s.say(USERS.op1, `/price ${sku} 11.50`);
    expect(big.reply.text).toContain(
      "This moves 15.0%, above the 10% that needs a second person: confirming opens a price request",
    );
    expect(s.deps.priceRequests.pendingPriceRequests(sku)).toEqual([]);
    expect(s.deps.prices.currentPrice(sku)?.price.amountMinor).toBe(1000);
  });
});

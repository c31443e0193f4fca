import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverDueAlerts } from "../src/chat/alert-sender.js";
import { asCourierCode } from "../src/ids.js";
import { pageBreaker } from "../src/money/refund-flow.js";
import { evaluateParcel, radarSettings } from "../src/radar/rules.js";
import { sendDailySummary } from "../src/summary/send.js";
import { testApp } from "./support/app.js";
import { englishWords } from "./support/chinese.js";
import { sku } from "./support/ledger.js";

const H = 3_600_000;
/** Latin words (3+ letters) left after the allowed tokens: SKUs, ids, command names, channel ids, brand names. */
const latin = (text: string, allowed: string[] = []): string[] =>
  englishWords(text, ["shop1", "stockradar", ...allowed]).filter((w) => /[A-Za-z]{3,}/.test(w));

describe("with language: zh-CN the bot is Chinese end to end", () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp(
      {
        language: "zh-CN",
        access: { admins: ["tg:1"], operators: ["tg:3"], viewers: ["tg:4", "tg:5"] },
        channels: [{ id: "shop1", kind: "shopify", shop: "x.myshopify.com", accessToken: "t", locationId: "1" }],
        summary: { chart: "none" },
      },
      { withConsole: true },
    );
    t.app.deps.ledger.stock.upsertSku(
      { sku: sku("A-1"), title: "茶杯", onHand: 7 },
      { actor: "test", idempotencyKey: "seed:A-1" },
    );
    t.app.deps.ledger.listings.linkListing({ channelId: "shop1", sku: sku("A-1"), ref: "111" });
  });
  afterEach(async () => t.close());

  const say = async (text: string, userId = "tg:4") =>
    (await t.app.dispatcher.handle({ transport: "telegram", chatId: "-100", userId, text })).reply.text;

  it("answers /help, /stock A-1, /stok and refusals in Chinese", async () => {
    const help = await say("/help");
    expect(help).toContain("查看货号库存");
    expect(
      latin(help, [
        "low",
        "reset",
        "REF",
        "pending",
        "executed",
        "rejected",
        "failed",
        "all",
        "auto",
        "release",
        "discard",
        "logout",
      ]),
    ).toEqual([]);

    const stock = await say("/stock A-1");
    expect(stock).toContain("可售 7 件 = 在手 7 − 预留 0");
    expect(stock).toContain("shop1：显示");
    expect(latin(stock)).toEqual([]);

    const stok = await say("/stok A-1");
    expect(stok).toBe("没有 /stok 这个命令。你是不是想用 /stock？发送 /help 查看你能用的命令。");

    const unknown = await say("/stock NOPE-1");
    expect(unknown).toBe("账本里没有货号 NOPE-1。请检查拼写，或先导入该货号。");
    const refused = await say("/set A-1 3");
    expect(refused).toBe("/set 需要操作员权限，你目前是查看者。如需使用，请联系管理员。");
    const tooMany = await say("/adjust A-1 -50 broken", "tg:3");
    expect(tooMany).toBe("货号 A-1：可售 7 件，需要 50 件。请减少数量或先补货。");
    for (const s of [stok, unknown, refused, tooMany]) expect(latin(s)).toEqual([]);
    expect(t.app.deps.ledger.stock.getLevel("A-1").onHand).toBe(7);
  });

  it("sends a stalled-parcel alert, a breaker page and the daily summary in Chinese", async () => {
    const { deps } = t.app;
    const now = t.clock.now();
    const { shipment } = deps.shipments.recordShipment({
      orderRef: "1001",
      carrier: asCourierCode("yuantong"),
      trackingNo: "YT1234567890123",
      shippedAt: new Date(now.getTime() - 56 * H),
      destination: { region: "广东" },
    });
    const outcome = evaluateParcel(
      deps,
      {
        ...shipment,
        status: "IN_TRANSIT",
        firstScanAt: new Date(now.getTime() - 54 * H).toISOString(),
        lastEventAt: new Date(now.getTime() - 40 * H).toISOString(),
        lastSyncOkAt: now.toISOString(),
      },
      radarSettings(t.config),
      now,
    );
    expect(outcome.raised).toEqual(["parcel_stalled"]);
    // Stored as a message id + args; the English stays for logs.
    const stored = deps.ledger.alerts.liveAlerts()[0]!;
    expect(stored.message?.msg).toBe("radar-with-apology");
    expect(stored.text).toContain("No new scan for 40 h");

    expect(await deliverDueAlerts(deps)).toBe(1);
    const alert = t.printed();
    expect(alert).toContain("包裹已 40 小时没有新的物流轨迹");
    expect(alert).toContain("圆通速递 YT1234567890123（订单 1001（1 个），寄往 广东）");
    expect(alert).toContain("北京时间");
    expect(alert).toContain("亲，非常抱歉");
    expect(latin(alert, ["ack", "snooze", "track"])).toEqual([]);

    const before = t.printed().length;
    deps.breaker.tripBreaker(
      {
        reason: "R-1 over the limit",
        currency: "CNY",
        windowTotalMinor: 180_000,
        limitMinor: 200_000,
        refundId: "R-1",
      },
      { actor: "tg:3", transport: "telegram", requestId: "r1" },
    );
    expect(await pageBreaker(deps, { force: true })).toBe(true);
    const page = t.printed().slice(before);
    expect(page).toContain("🚨 退款熔断器自");
    expect(page).toContain("退款 R-1 会使时间窗口内的退款总额超过上限 ¥2,000.00");
    expect(latin(page, ["breaker", "reset", "refunds"])).toEqual([]);

    const beforeSummary = t.printed().length;
    expect((await sendDailySummary(deps, "2026-11-19")).kind).toBe("sent");
    const summary = t.printed().slice(beforeSummary);
    expect(summary).toContain("📊 2026-11-19 周四（北京时间）");
    expect(summary).toContain("🚨 退款熔断器自");
    expect(latin(summary)).toEqual([]);
  });

  it("answers /orders, /sync status and /refunds in Chinese", async () => {
    const { deps } = t.app;
    const now = t.clock.now();
    deps.orders.upsertChannelOrder({
      channelId: "shop1",
      orderId: "1001",
      createdAt: now,
      updatedAt: now,
      totalMinor: 12_345,
      currency: "CNY",
      source: "webhook",
    });
    deps.orders.setOrderLineState({
      channelId: "shop1",
      orderId: "1001",
      lineId: "L1",
      sku: "A-1",
      qty: 2,
      status: "paid",
      reservationId: null,
    });
    const orders = await say("/orders");
    expect(orders).toContain("shop1 #1001 · ");
    expect(orders).toContain("北京时间 · ¥123.45 · 已付款 2×A-1（推送）");
    expect(orders).toContain("shop1：还没有导入过");
    expect(latin(orders)).toEqual([]);

    const status = await say("/sync status", "tg:3");
    expect(status).toContain("shop1（shopify）：正常 · 积压 1 条（最早 0 秒前） · 上次成功 从未 · 24 小时内没有推送");
    expect(latin(status, ["shopify"])).toEqual([]);

    deps.refunds.requestRefund(
      {
        channelId: "shop1",
        orderId: "1001",
        amount: { amountMinor: 5_000, currency: "CNY" },
        reason: "破损",
        source: "chat",
        requestKey: "k1",
      },
      { actor: "tg:3", transport: "telegram", requestId: "r1" },
    );
    const refunds = await say("/refunds");
    expect(refunds).toContain("退款（未完成，最新在前）：");
    expect(refunds).toContain("待审批 ¥50.00 shop1:1001 经办 tg:3");
    expect(latin(refunds)).toEqual([]);
    expect(await say("/refunds failed")).toBe("没有失败的退款。");

    const request = await say("/refund shop1:1001 10 破损", "tg:3");
    expect(request).toContain("💰 退款申请");
    expect(request).toContain("shop1 订单 1001 退 ¥10.00");
    expect(request).toContain("申请人 tg:3。需要申请人以外的一位");
    expect(latin(request)).toEqual([]);
    expect(await say("/refund shop1:1001 0 破损", "tg:3")).toBe("退款金额必须大于 0。");
    expect(await say("/carriers")).toBe("近 30 天没有发出的包裹。");
  });

  it("the same chat switched to en answers in English, and one person's /lang changes only their replies", async () => {
    expect(await say("/lang en", "tg:5")).toContain("English");
    expect(await say("/stock A-1", "tg:5")).toContain("7 available = 7 on hand − 0 reserved");
    expect(await say("/stock A-1", "tg:4")).toContain("可售 7 件");
  });
});

describe("a chat configured in English", () => {
  it("answers the same commands in English", async () => {
    const t = await testApp({ language: "en", access: { viewers: ["tg:4"] } });
    try {
      t.app.deps.ledger.stock.upsertSku({ sku: sku("A-1"), title: "", onHand: 3 }, { actor: "t", idempotencyKey: "s" });
      const say = async (text: string) =>
        (await t.app.dispatcher.handle({ transport: "telegram", chatId: "-100", userId: "tg:4", text })).reply.text;
      expect(await say("/stock A-1")).toContain("3 available = 3 on hand − 0 reserved");
      expect(await say("/stock NOPE-1")).toBe(
        "SKU NOPE-1 is not in the ledger. Check the spelling or import it first.",
      );
      expect(await say("/help")).toContain("Show stock for a SKU");
    } finally {
      await t.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTokenAlert } from "../src/channels/cn-common.js";
import { renderTodo } from "../src/channels/xianyu.js";
import { deliverDueAlerts } from "../src/chat/alert-sender.js";
import type { Reply } from "../src/chat/types.js";
import type { AppError } from "../src/errors.js";
import { renderRef, textRef } from "../src/i18n/ref.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { asCourierCode, asOrderId } from "../src/ids.js";
import { silentLogger } from "../src/log.js";
import { pageBreaker } from "../src/money/refund-flow.js";
import { ingestOrder } from "../src/sync/order-intake.js";
import { testApp } from "./support/app.js";
import { englishWords } from "./support/chinese.js";
import { sku } from "./support/ledger.js";

/** Latin words (3+ letters) left after the allowed tokens: SKUs, ids, command names, channel ids, brand names. */
const latin = (text: string, allowed: string[] = []): string[] =>
  englishWords(text.replace(/R-[2-9A-HJ-NP-Z]{8}/g, "R-1"), ["shop1", "xianyu", "stockradar", ...allowed]).filter((w) =>
    /[A-Za-z]{3,}/.test(w),
  );

describe("with language: zh-CN the money, breaker and parcel texts are Chinese", () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let n = 0;
  beforeEach(async () => {
    t = await testApp(
      {
        language: "zh-CN",
        access: { admins: ["tg:1"], approvers: ["tg:2"], operators: ["tg:3"], viewers: ["tg:4"] },
        channels: [{ id: "xianyu", kind: "xianyu" }],
        summary: { chart: "none" },
      },
      { withConsole: true },
    );
  });
  afterEach(async () => t.close());

  const handle = (text: string, userId: string) =>
    t.app.dispatcher.handle({ transport: "telegram", chatId: "-100", userId, text, messageId: String(++n) });
  const say = async (text: string, userId = "tg:4") => (await handle(text, userId)).reply.text;
  const press = async (userId: string, reply: Reply, label: string) => {
    const b = reply.buttons?.find((x) => x.label === label);
    if (!b) throw new Error(`no button ${label} in: ${reply.text}`);
    return (
      await t.app.dispatcher.press({
        transport: "telegram",
        chatId: "-100",
        userId,
        actionId: t.app.deps.ledger.jobs.storeButtonAction(b.action),
        pressId: `p${++n}`,
      })
    ).reply;
  };

  it("answers /breaker, its reset refusals and a manual refund's approval, to-do and Done in Chinese", async () => {
    const closed = await say("/breaker");
    expect(closed).toContain("🟢 退款熔断器正常");
    expect(closed).toContain("最近 60 分钟内的退款：");
    expect(latin(closed)).toEqual([]);
    expect(await say("/breaker reset 已核对")).toBe("只有管理员能重置熔断器。/breaker 显示它打开的原因。");
    expect(await say("/breaker reset", "tg:1")).toBe("请说明为什么可以恢复：/breaker reset 原因");
    expect(await say("/breaker reset 已核对", "tg:1")).toBe("熔断器没有打开，无需重置。/breaker 显示它的状态。");

    const request = (await handle("/refund xianyu:XY-88 35 少发一件", "tg:3")).reply;
    const id = /R-[2-9A-HJ-NP-Z]{8}/.exec(request.text)![0];
    expect(await say(`/approve_refund ${id}`, "tg:3")).toBe(`${id} 是你申请的，需要其他人批准。`);

    const preview = (await handle(`/approve_refund ${id}`, "tg:2")).reply;
    expect(preview.text).toContain(`批准退款 ${id}：xianyu 订单 XY-88 退 ¥35.00，手动处理`);
    expect(preview.text).toContain("原因：少发一件。申请人 tg:3。");
    expect(latin(preview.text)).toEqual([]);

    const before = t.printed().length;
    const approved = await press("tg:2", preview, "确认");
    expect(approved.text).toBe(`✅ ${id} 已批准。xianyu 在这里没有退款接口：已发出待办；¥35.00 退出后请点“完成”。`);
    expect(approved.buttons?.map((b) => b.label)).toEqual(["完成"]);
    const todo = t.printed().slice(before);
    expect(todo).toContain(`📝 待办：请在 xianyu 订单 XY-88 手动退款 ¥35.00（${id}，批准人 tg:2）`);
    expect(latin(todo)).toEqual([]);
    expect(t.app.deps.refunds.getRefund(id).state).toBe("approved");

    const again = await say(`/approve_refund ${id}`, "tg:1");
    expect(again).toContain(`${id} 已由 tg:2 于 `);
    expect(again).toContain("北京时间 批准，正在等待点“完成”。");
    expect(latin(again)).toEqual([]);

    expect(await say(`/refund_done ${id}`, "tg:3")).toContain(`💸 ${id} 已完成`);
    const executed = await say(`/approve_refund ${id}`, "tg:1");
    expect(executed).toContain(`${id} 已经退款（¥35.00，`);
    expect(latin(executed)).toEqual([]);
    expect(await say("/approve_refund R-22222222", "tg:1")).toBe("没有退款 R-22222222。/refunds 列出未完成的退款。");
    expect(t.app.deps.refunds.getRefund(id).state).toBe("executed");
  });

  it("shows an open breaker with its window and history in Chinese", async () => {
    t.app.deps.breaker.tripBreaker(
      {
        reason: "R-1 over the limit",
        currency: "CNY",
        windowTotalMinor: 180_000,
        limitMinor: 200_000,
        refundId: "R-1",
      },
      { actor: "tg:3", transport: "telegram", requestId: "r1" },
    );
    const open = await say("/breaker");
    expect(open).toContain("🚨 退款熔断器自");
    expect(open).toContain("退款 R-1 会使时间窗口内的退款总额超过上限 ¥2,000.00");
    expect(open).toContain("历史：");
    expect(open).toContain("由 tg:3 打开 ¥1,800.00：退款 R-1");
    expect(latin(open)).toEqual([]);
    const reset = await say("/breaker reset 已与买家核对", "tg:1");
    expect(reset).toBe(
      "🟢 熔断器已由 tg:1 重置：已与买家核对。退款和改价已恢复；被拦截的退款仍需重新批准（/refunds）。",
    );
  });

  it("refuses a bad tracking number, an unknown carrier and an unknown parcel in Chinese", () => {
    const zh = sharedI18n(t.config.timezone).translator("zh-CN");
    const refusal = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return renderRef(zh, (err as AppError).i18n!);
      }
      throw new Error("no refusal");
    };
    const ship = (carrier: string, trackingNo: string) => () =>
      t.app.deps.shipments.recordShipment({ orderRef: "1001", carrier: asCourierCode(carrier), trackingNo });
    expect(refusal(ship("sf", "!!"))).toBe("运单号“!!”无效：应为 6–40 位字母或数字。");
    const carrier = refusal(ship("某某快递", "SF1234567890"));
    expect(carrier).toBe("不认识快递公司“某某快递”。请用 sf、zto、yto、jd 或 ems 这样的代码。");
    expect(latin(carrier, ["zto", "yto", "ems"])).toEqual([]);
    expect(refusal(() => t.app.deps.shipments.getShipment(999))).toBe("账本里没有包裹 999。");
  });

  it("posts the Xianyu to-do and answers /xianyu-done in Chinese", async () => {
    const { deps } = t.app;
    deps.ledger.stock.upsertSku({ sku: sku("A-1"), title: "茶杯", onHand: 7 }, { actor: "test", idempotencyKey: "s" });
    deps.ledger.listings.linkListing({ channelId: "xianyu", sku: sku("A-1"), ref: "6612345678" });
    const { todo } = deps.checklist.syncTodo("xianyu", sku("A-1"));
    const post = await renderTodo(todo!, { title: "茶杯", itemUrl: "https://www.goofish.com/item?id={ref}" }).localize!(
      sharedI18n(t.config.timezone).translator("zh-CN"),
    );
    expect(post.text).toBe(
      `闲鱼待办 ${todo!.id}：把 A-1 (茶杯) 改为 7 件。商品 6612345678：https://www.goofish.com/item?id=6612345678 改好后请点“完成”。`,
    );
    expect(post.buttons?.map((b) => b.label)).toEqual(["完成"]);
    const done = await say(`/xianyu-done ${todo!.id}`, "tg:3");
    expect(done).toBe(`已完成：闲鱼 A-1 已改为 7 件（${todo!.id}，tg:3）。`);
    const again = await say(`/xianyu-done ${todo!.id}`, "tg:3");
    expect(again).toContain(`${todo!.id} 已由 tg:3 于 `);
    expect(latin(again, [todo!.id])).toEqual([]);
  });

  it("sends an unmapped-order alert and an expired-token alert in Chinese", async () => {
    const { deps } = t.app;
    const ledger = {
      ...deps.ledger,
      channelState: deps.channelState,
      bulkHolds: deps.bulkHolds,
      orders: deps.orders,
      shipments: deps.shipments,
    };
    const at = t.clock.now();
    ingestOrder(
      ledger,
      silentLogger(),
      "xianyu",
      {
        orderId: asOrderId("XY-9"),
        createdAt: at,
        updatedAt: at,
        lines: [{ lineId: "1", sku: null, ref: "661", qty: 1, status: "paid" }],
      },
      "poll",
    );
    createTokenAlert(deps.ledger.alerts, "xianyu").raise(textRef("alert-token-pinduoduo", { channel: "xianyu" }));
    const before = t.printed().length;
    expect(await deliverDueAlerts(deps)).toBe(2);
    const sent = t.printed().slice(before);
    expect(sent).toContain("xianyu 的订单 XY-9 有一行 商品 661 不在账本里，所以没有预留库存。");
    expect(sent).toContain("拼多多渠道 xianyu：商家的访问令牌已过期（错误 10019）");
    expect(
      latin(sent, ["fuwu.pinduoduo.com", "pdd.pop.auth.token.refresh", "channels", "accessToken", "ack", "snooze"]),
    ).toEqual([]);
  });
});

describe("a per-chat language for the group a transport broadcasts to", () => {
  it("renders a broadcast page in the chat's language while the rest stays English", async () => {
    const t = await testApp(
      { language: "en", languages: { console: { chats: { console: "zh-CN" } } } },
      { withConsole: true },
    );
    try {
      t.app.deps.breaker.tripBreaker(
        {
          reason: "R-1 over the limit",
          currency: "CNY",
          windowTotalMinor: 180_000,
          limitMinor: 200_000,
          refundId: "R-1",
        },
        { actor: "tg:3", transport: "telegram", requestId: "r1" },
      );
      expect(await pageBreaker(t.app.deps, { force: true })).toBe(true);
      expect(t.printed()).toContain("🚨 退款熔断器自");
      expect(t.printed()).not.toContain("Refund breaker OPEN");
      const reply = await t.app.dispatcher.handle({
        transport: "telegram",
        chatId: "-100",
        userId: "tg:9",
        text: "/stok",
      });
      expect(reply.reply.text).toContain("not on the access list");
      expect(reply.reply.text).not.toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await t.close();
    }
  });
});

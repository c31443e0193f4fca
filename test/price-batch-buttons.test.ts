import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WecomTransport } from "../src/chat/transports/wecom.js";
import { manualClock } from "../src/clock.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { importPrices } from "../src/money/price-batch.js";
import { startFakeTelegram } from "../src/sandbox/telegram.js";
import { appCardEventXml, startWecomSimulator, type WecomSimulator } from "../src/sandbox/wecom.js";
import { testApp } from "./support/app.js";
import { seed } from "./support/ledger.js";

const GROUP = -1001234;
const corp = {
  corpId: "wwstockradar0001",
  corpSecret: "app-secret-0123456789",
  agentId: 1000002,
  token: "cb-token-abc",
  encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
};
const ROBOT_KEY = "robot-key-ops-0001";
type Kb = { inline_keyboard: { text: string; callback_data: string }[][] };
type Card = { task_id: string; button_list: { text: string; key: string }[] };

describe("the batch-price alert has Approve and Reject on Telegram and WeCom (issue 14)", () => {
  let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
  let sim: WecomSimulator;
  let t: Awaited<ReturnType<typeof testApp>>;

  // The WeCom simulator's clock, moved with the app's.
  const simClock = manualClock("2026-11-20T08:00:00Z");

  beforeEach(async () => {
    tg = await startFakeTelegram();
    sim = await startWecomSimulator({ ...corp, robotKeys: [ROBOT_KEY], clock: simClock });
    t = await testApp({
      http: { enabled: true, host: "127.0.0.1", port: 0 },
      language: "en",
      access: { approvers: ["tg:201", "tg:202", "wecom:wangwu"], operators: ["tg:42"] },
      money: { currency: "EUR", priceBatchApproval: { aboveCount: 1 } },
      chat: {
        telegram: { token: tg.token, chatId: GROUP, apiRoot: tg.url, maxRetryAttempts: 1, maxRetryDelaySeconds: 1 },
        wecom: {
          corpId: corp.corpId,
          agentId: corp.agentId,
          secret: corp.corpSecret,
          token: corp.token,
          encodingAesKey: corp.encodingAesKey,
          robotKey: ROBOT_KEY,
          apiBase: sim.url,
        },
      },
    });
  });
  afterEach(async () => {
    await t.close();
    await tg.close();
    await sim.close();
  });

  it("sends both buttons; Reject goes through /reject-prices and its maker-checker on either transport", async () => {
    await t.app.start({ scheduler: false });
    const deps = t.app.deps;
    for (const s of ["MUG-1", "MUG-2"]) {
      seed(deps.ledger, s, 5);
      deps.prices.recordPriceChange(
        {
          sku: s,
          channelId: "",
          oldMinor: null,
          price: { amountMinor: 1000, currency: "EUR" },
          outcome: "applied",
          reason: null,
          idempotencyKey: `seed-price:${s}`,
        },
        { actor: "seed", transport: "test", requestId: "seed" },
      );
    }
    t.clock.advance(25 * 3600_000);
    simClock.advance(25 * 3600_000);
    const tr = sharedI18n(deps.config.timezone).translator("en");
    const r = await importPrices(deps, tr, "sku,amount\nMUG-1,10.50\nMUG-2,11", "prices.csv", {
      actor: "tg:201",
      transport: "telegram",
      requestId: "r-1",
    });
    expect(r.kind).toBe("requested");
    if (r.kind !== "requested") return;
    const id = r.batch.id;

    // Telegram: the alert carries Approve and Reject… beside Ack / Snooze.
    const alert = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes(`Price batch ${id}`));
    const kb = (alert.payload.reply_markup as Kb).inline_keyboard.flat();
    expect(kb.map((b) => b.text)).toEqual(expect.arrayContaining(["Approve", "Reject…"]));
    const reject = kb.find((b) => b.text === "Reject…")!;
    tg.press(GROUP, 201, reject.callback_data);
    await tg.waitFor("answerCallbackQuery", (c) => String(c.payload.text).includes("someone else must"));
    tg.press(GROUP, 202, reject.callback_data);
    await tg.waitFor("answerCallbackQuery", (c) => String(c.payload.text).includes(`/reject-prices ${id} REASON`));
    expect(deps.priceLimits.findPriceBatch(id)?.state).toBe("pending");

    // WeCom: the card to the approvers has the same two buttons, and pressing Reject asks wangwu for the reason.
    const wecom = t.app.transports.find((x) => x.name === "wecom") as WecomTransport;
    await wecom.idle();
    const card = sim
      .appMessages()
      .map((m) => m.template_card as Card | undefined)
      .find((c) => c?.button_list.some((b) => b.text === "Reject…"));
    expect(card?.button_list.map((b) => b.text)).toEqual(expect.arrayContaining(["Approve", "Reject…"]));
    const base = `http://127.0.0.1:${(t.app.http!.server.address() as AddressInfo).port}`;
    await sim.postAppCallback(
      `${base}/wecom/callback`,
      appCardEventXml({
        corpId: corp.corpId,
        from: "wangwu",
        taskId: card!.task_id,
        eventKey: card!.button_list.find((b) => b.text === "Reject…")!.key,
        responseCode: sim.newClickResponseCode(),
        agentId: corp.agentId,
        createTime: Math.floor(t.clock.now().getTime() / 1000),
      }),
    );
    await wecom.idle();
    const toWangwu = sim
      .appMessages()
      .filter((m) => m.touser === "wangwu")
      .map((m) => JSON.stringify(m.text ?? m.template_card));
    expect(toWangwu.join("\n")).toContain(`/reject-prices ${id} REASON`);

    // With the reason typed, the batch is rejected and its alert resolved.
    tg.message(GROUP, 202, `/reject_prices ${id} wrong file`);
    await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("wrong file"));
    expect(deps.priceLimits.findPriceBatch(id)).toMatchObject({ state: "rejected", decidedBy: "tg:202" });
    expect(deps.ledger.alerts.liveAlerts().find((a) => a.kind === "price_batch")).toBeUndefined();
  });
});

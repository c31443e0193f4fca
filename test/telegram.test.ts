import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SkuSchema } from "../src/ids.js";
import { startFakeTelegram } from "../src/sandbox/telegram.js";
import { testApp } from "./support/app.js";

const GROUP = -1001234;

describe("Telegram transport against a local Bot API server", () => {
  let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
  let t: Awaited<ReturnType<typeof testApp>>;

  beforeEach(async () => {
    tg = await startFakeTelegram();
    t = await testApp({
      access: { operators: ["tg:42"], viewers: ["tg:43"] },
      chat: {
        telegram: { token: tg.token, chatId: GROUP, apiRoot: tg.url, maxRetryAttempts: 3, maxRetryDelaySeconds: 5 },
      },
    });
    t.app.deps.ledger.stock.upsertSku(
      { sku: SkuSchema.parse("A-12"), title: "Red <tee> & co", onHand: 7 },
      { actor: "test", idempotencyKey: "seed" },
    );
    await t.app.start({ http: false, scheduler: false });
  });
  afterEach(async () => {
    await t.close();
    await tg.close();
  });

  it("falls back to text when the API cannot send the photo (no sendPhoto)", async () => {
    tg.failNext("sendPhoto", 404, "Not Found: method not found");
    const transport = t.app.transports.find((x) => x.name === "telegram");
    await transport?.broadcast({
      text: "Daily summary 2026-11-30",
      image: { png: Buffer.from([0x89, 0x50, 0x4e, 0x47]), filename: "sales.png" },
    });
    const sent = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("Daily summary 2026-11-30"));
    expect(sent.payload.chat_id).toBe(GROUP);
    expect(tg.calls.filter((c) => c.method === "sendPhoto")).toHaveLength(1);
  });

  it("registers the command menu with underscores and without admin-only commands", async () => {
    const call = await tg.waitFor("setMyCommands");
    const names = (call.payload.commands as { command: string }[]).map((c) => c.command);
    expect(names).toContain("stock");
    expect(names.every((n) => /^[a-z0-9_]{1,32}$/.test(n))).toBe(true);
  });

  it("registers a Chinese menu for language_code zh next to the default one", async () => {
    await tg.waitFor("setMyCommands", (c) => (c.payload as { language_code?: string }).language_code === "zh");
    const menus = tg.calls.filter((c) => c.method === "setMyCommands");
    const zh = menus.find((c) => c.payload.language_code === "zh")!;
    const byName = (call: typeof zh) =>
      new Map(
        (call.payload.commands as { command: string; description: string }[]).map((c) => [c.command, c.description]),
      );
    expect(byName(zh).get("stock")).toBe("查看货号库存、低库存列表（low）或总览");
    expect(byName(zh).get("approve_refund")).toBe("批准他人申请的退款，立即执行");
    const fallback = menus.find((c) => c.payload.language_code === undefined)!;
    expect(byName(fallback).get("stock")).toBe("Show stock for a SKU, the low-stock list (low), or an overview");
  });

  it("answers /stock for an operator in the group, HTML-escaped", async () => {
    tg.message(GROUP, 42, "/stock@stockradar_test_bot A-12");
    const sent = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("A-12"));
    expect(sent.payload.chat_id).toBe(GROUP);
    expect(sent.payload.parse_mode).toBe("HTML");
    expect(sent.payload.text).toContain("Red &lt;tee&gt; &amp; co");
    expect(sent.payload.text).toContain("7 available");
  });

  it("refuses an unknown user in the group", async () => {
    tg.message(GROUP, 999, "/stock A-12");
    const sent = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("not on the access list"));
    expect(sent.payload.text).toContain("tg:999");
  });

  it("ignores chats it does not serve", async () => {
    tg.message(-100999, 42, "/stock A-12");
    tg.message(GROUP, 42, "/whoami");
    await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("You are tg:42"));
    expect(tg.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === -100999)).toHaveLength(0);
  });

  it("sends alerts with buttons and handles an Ack press", async () => {
    t.app.deps.ledger.stock.adjustOnHand(SkuSchema.parse("A-12"), -5, { actor: "test", idempotencyKey: "drop" });
    const alertMsg = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("Low stock"));
    const kb = (
      alertMsg.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    const ack = kb.find((b) => b.text === "Ack")!;
    expect(Buffer.byteLength(ack.callback_data)).toBeLessThanOrEqual(64);
    tg.press(GROUP, 42, ack.callback_data);
    await tg.waitFor("answerCallbackQuery", (c) => String(c.payload.text).includes("acknowledged by tg:42"));
    expect(t.app.deps.ledger.alerts.liveAlerts()[0]).toMatchObject({ status: "acked", ackedBy: "tg:42" });
  });

  it("refuses a forged button payload", async () => {
    tg.press(GROUP, 42, "a:FORGED1");
    const answer = await tg.waitFor("answerCallbackQuery");
    expect(answer.payload.text).toContain("not valid any more");
  });

  it("refuses a viewer's button press that needs an operator", async () => {
    t.app.deps.ledger.stock.adjustOnHand(SkuSchema.parse("A-12"), -5, { actor: "test", idempotencyKey: "drop" });
    const alertMsg = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("Low stock"));
    const ack = (
      alertMsg.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .find((b) => b.text === "Ack")!;
    tg.press(GROUP, 43, ack.callback_data);
    await tg.waitFor("answerCallbackQuery", (c) => String(c.payload.text).includes("needs the operator role"));
    expect(t.app.deps.ledger.alerts.liveAlerts()[0]!.status).toBe("open");
  });

  it("retries after a 429 with retry_after and still delivers", async () => {
    tg.failNext("sendMessage", 429, "Too Many Requests: retry after 1", { retry_after: 1 });
    tg.message(GROUP, 42, "/whoami");
    const whoami = () =>
      tg.calls.filter((c) => c.method === "sendMessage" && String(c.payload.text).includes("You are tg:42"));
    await tg.waitFor("sendMessage", () => whoami().length >= 2);
    expect(whoami()).toHaveLength(2);
  });

  it("splits long replies under 4096 characters", async () => {
    await t.app.transports[0]!.broadcast({
      text: Array.from({ length: 120 }, (_, i) => `line ${i} ${"y".repeat(60)}`).join("\n"),
    });
    const sends = tg.calls.filter((c) => c.method === "sendMessage" && String(c.payload.text).includes("yyyy"));
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(sends.every((c) => String(c.payload.text).length <= 4096)).toBe(true);
    expect(sends.map((c) => String(c.payload.text)).join("\n")).toContain("line 119");
  });
});

describe("Telegram webhook mode", () => {
  it("serves updates with the right secret token and answers 401 without it", async () => {
    const tg = await startFakeTelegram();
    const t = await testApp({
      http: { enabled: true, port: 0 },
      access: { operators: ["tg:42"] },
      chat: {
        telegram: { token: tg.token, chatId: GROUP, apiRoot: tg.url, mode: "webhook", webhookSecret: "s3cret-token_1" },
      },
    });
    try {
      await t.app.start({ scheduler: false });
      const port = (t.app.http!.server.address() as { port: number }).port;
      const update = {
        update_id: 1,
        message: {
          message_id: 5,
          date: 1,
          chat: { id: GROUP, type: "supergroup", title: "ops" },
          from: { id: 42, is_bot: false, first_name: "a" },
          text: "/whoami",
          entities: [{ type: "bot_command", offset: 0, length: 7 }],
        },
      };
      const post = (secret?: string) =>
        fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
          },
          body: JSON.stringify(update),
        });
      expect((await post()).status).toBe(401);
      expect((await post("wrong")).status).toBe(401);
      expect(tg.calls.filter((c) => c.method === "sendMessage")).toHaveLength(0);
      expect((await post("s3cret-token_1")).status).toBe(200);
      await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("You are tg:42"));
    } finally {
      await t.close();
      await tg.close();
    }
  });
});

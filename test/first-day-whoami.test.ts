import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UNKNOWN_CHATS_KEPT } from "../src/chat/unknown-chats-store.js";
import { runDoctor } from "../src/doctor.js";
import { startFakeTelegram } from "../src/sandbox/telegram.js";
import { testApp } from "./support/app.js";

const GROUP = -1001234;

describe("finding your ids: /whoami and /start where the bot does not know you (issue 12)", () => {
  let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    tg = await startFakeTelegram();
    t = await testApp({
      access: { operators: ["tg:42"] },
      chat: { telegram: { token: tg.token, chatId: GROUP, apiRoot: tg.url } },
    });
    await t.app.start({ http: false, scheduler: false });
  });
  afterEach(async () => {
    await t.close();
    await tg.close();
  });
  const sentTo = (chat: number) =>
    tg.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === chat).map((c) => String(c.payload.text));

  it("in a group the bot does not serve, /whoami answers with both ids and the exact config lines; other commands stay unanswered", async () => {
    tg.message(-100999, 5, "/stock A-1");
    tg.message(-100999, 5, "/whoami@stockradar_test_bot");
    await tg.waitFor("sendMessage", (c) => c.payload.chat_id === -100999);
    expect(sentTo(-100999)).toEqual([
      [
        "Your user id is tg:5; this chat is -100999 on telegram.",
        "The bot does not serve this chat yet. To make it the ops group, set in stockradar.yaml:",
        "chat:",
        "  telegram:",
        "    chatId: -100999",
        "You are not on the access list yet. An admin adds you in stockradar.yaml (viewers, operators, approvers or admins):",
        "access:",
        '  viewers: ["tg:5"]',
      ].join("\n"),
    ]);
  });

  it("/start in a private chat of an unknown person answers with the access line; a known person gets /whoami", async () => {
    tg.message(6, 6, "/start");
    await tg.waitFor("sendMessage", (c) => c.payload.chat_id === 6);
    expect(sentTo(6)).toEqual([
      [
        "Your user id is tg:6; this chat is 6 on telegram.",
        "You are not on the access list yet. An admin adds you in stockradar.yaml (viewers, operators, approvers or admins):",
        "access:",
        '  viewers: ["tg:6"]',
      ].join("\n"),
    ]);
    tg.message(GROUP, 7, "/whoami");
    tg.message(GROUP, 42, "/start");
    await tg.waitFor("sendMessage", (c) => String(c.payload.text).startsWith("You are tg:42"));
    expect(sentTo(GROUP)).toContain(`You are tg:42 (operator) on telegram; this chat is ${GROUP}.`);
    expect(sentTo(GROUP).find((x) => x.includes("tg:7"))).toBe(
      `Your user id is tg:7; this chat is ${GROUP} on telegram.\nYou are not on the access list yet. An admin adds you in stockradar.yaml (viewers, operators, approvers or admins):\naccess:\n  viewers: ["tg:7"]`,
    );
  });

  it("doctor lists the unknown chats and people that wrote, newest first, and keeps only the last 20", async () => {
    tg.message(-100999, 5, "/stock");
    tg.message(-100999, 5, "/whoami");
    await tg.waitFor("sendMessage", (c) => c.payload.chat_id === -100999);
    t.clock.advance(60_000);
    tg.message(GROUP, 7, "/whoami");
    await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("tg:7"));
    const lines = (await runDoctor(t.config, "test.yaml"))
      .map((f) => f.line)
      .filter((l) => /not configured|not on the access/.test(l));
    expect(lines).toEqual([
      `chat: tg:7 (not on the access list) wrote once in telegram chat ${GROUP}, last at Nov 20, 16:01 Beijing time; add them under access`,
      "chat: telegram chat -100999 (not configured) got 2 messages, the last from tg:5 at Nov 20, 16:00 Beijing time; /whoami there shows the config lines",
    ]);

    for (let i = 0; i < 25; i++)
      t.app.deps.unknownChats.noteUnknownChat({
        transport: "telegram",
        chatId: String(-200 - i),
        userId: "tg:9",
        isChatKnown: false,
      });
    const kept = t.app.deps.unknownChats.recentUnknownChats(100);
    expect(kept).toHaveLength(UNKNOWN_CHATS_KEPT);
    expect(kept[0]?.chatId).toBe("-224");
  });
});

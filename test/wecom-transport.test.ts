import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type App, createApp, wecomDoctor } from "../src/app.js";
import type { WecomTransport } from "../src/chat/transports/wecom.js";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { appCardEventXml, appTextXml, startWecomSimulator, type WecomSimulator } from "../src/sandbox/wecom.js";
import { englishWords } from "./support/chinese.js";
import { sku } from "./support/ledger.js";

const corp = {
  corpId: "wwstockradar0001",
  corpSecret: "app-secret-0123456789",
  agentId: 1000002,
  token: "cb-token-abc",
  encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
};
const aiBot = { token: "aibot-token-xyz", encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C" };
const ROBOT_KEY = "robot-key-ops-0001";

let sim: WecomSimulator;
let app: App;
let wecom: WecomTransport;
let base: string;
let dir: string;
let logLines: string[];
const clock = manualClock("2026-11-20T08:00:00Z");
const unix = () => Math.floor(clock.now().getTime() / 1000);
let msgSeq = 1000;

async function boot(
  over: Record<string, unknown> = {},
  top: Record<string, unknown> = { language: "en" },
): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), "stockradar-wecom-"));
  logLines = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const config = parseConfig(
    {
      ...top,
      database: join(dir, "ledger.db"),
      http: { enabled: true, host: "127.0.0.1", port: 0 },
      access: { operators: ["wecom:lisi"], approvers: ["wecom:wangwu"], viewers: ["wecom:zhaoliu"] },
      chat: {
        wecom: {
          corpId: corp.corpId,
          agentId: corp.agentId,
          secret: corp.corpSecret,
          token: corp.token,
          encodingAesKey: corp.encodingAesKey,
          robotKey: ROBOT_KEY,
          robotMentions: ["wangwu"],
          apiBase: sim.url,
          aiBot: { ...aiBot, replyDeadlineMs: 3000 },
          ...over,
        },
      },
    },
    {},
  );
  app = await createApp({ config, clock, log: createLogger({ level: "info", destination }), withConsole: false });
  const a = sku("A-12");
  app.deps.ledger.stock.upsertSku(
    { sku: a, title: "Tea cup", onHand: 7 },
    { actor: "test", idempotencyKey: "seed:A-12" },
  );
  app.deps.ledger.listings.linkListing({ channelId: "shop1", sku: a, ref: "111" });
  await app.start({ scheduler: false });
  wecom = app.transports.find((t) => t.name === "wecom") as WecomTransport;
  base = `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  sim = await startWecomSimulator({ ...corp, robotKeys: [ROBOT_KEY], aiBot, clock });
  await boot();
});
afterEach(async () => {
  await app.stop();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = (from: string, content: string, msgId = String(++msgSeq)) =>
  appTextXml({ corpId: corp.corpId, from, content, msgId, agentId: corp.agentId, createTime: unix() });
const sentTo = (user: string) => sim.appMessages().filter((m) => m.touser === user);
const contents = (user: string) => sentTo(user).map((m) => JSON.stringify(m.text ?? m.template_card));
const refusals = () =>
  logLines
    .map((l) => JSON.parse(l) as { msg: string; code?: string })
    .filter((l) => l.msg === "wecom callback refused");

async function say(from: string, content: string, msgId?: string) {
  const r = await sim.postAppCallback(`${base}/wecom/callback`, text(from, content, msgId));
  await wecom.idle();
  return r;
}

describe("WeCom app callback", () => {
  it("answers the URL check with the decrypted echostr, nothing else", async () => {
    const r = await sim.verifyAppUrl(`${base}/wecom/callback`, "4211946203946521");
    expect(r).toEqual({ status: 200, body: "4211946203946521" });
  });

  it("keeps a literal + in echostr (never decoded as a space)", async () => {
    // The ciphertext is random; seal until it has a "+" so the case is really exercised every run.
    let sealed = sim.appCrypto.seal("plus-check", { timestamp: String(unix()), nonce: "77" });
    for (let i = 0; i < 100 && !sealed.encrypt.includes("+"); i++)
      sealed = sim.appCrypto.seal("plus-check", { timestamp: String(unix()), nonce: "77" });
    expect(sealed.encrypt).toContain("+");
    const q = `msg_signature=${sealed.msgSignature}&timestamp=${sealed.timestamp}&nonce=77&echostr=${sealed.encrypt.replace(/\//g, "%2F").replace(/=/g, "%3D")}`;
    const res = await fetch(`${base}/wecom/callback?${q}`);
    expect(await res.text()).toBe("plus-check");
  });

  it("answers /stock from a configured user through message/send", async () => {
    const r = await say("lisi", "/stock A-12");
    expect(r).toEqual({ status: 200, body: "" });
    expect(contents("lisi").join("\n")).toContain("7 available = 7 on hand");
    // /stock offers Why / History buttons, so the answer is a button card.
    expect(sentTo("lisi")[0]).toMatchObject({
      msgtype: "template_card",
      agentid: corp.agentId,
      template_card: { card_type: "button_interaction" },
    });
  });

  it("refuses an unknown WeCom user without showing stock", async () => {
    await say("stranger", "/stock A-12");
    const said = contents("stranger").join("\n");
    expect(said).toContain("not on the access list (wecom:stranger)");
    expect(said).not.toContain("available");
    expect(app.deps.ledger.audit.recentAudit({ limit: 5 })[0]).toMatchObject({
      actor: "wecom:stranger",
      outcome: "refused",
    });
  });

  it("refuses and logs a wrong signature, a payload for another corp, and a stale timestamp", async () => {
    const wrongSig = await sim.postAppCallback(`${base}/wecom/callback`, text("lisi", "/stock A-12"), {
      tamper: "signature",
    });
    const wrongCorp = await sim.postAppCallback(`${base}/wecom/callback`, text("lisi", "/stock A-12"), {
      tamper: "corp",
    });
    const stale = await sim.postAppCallback(`${base}/wecom/callback`, text("lisi", "/stock A-12"), {
      timestamp: String(unix() - 601),
    });
    await wecom.idle();
    expect([wrongSig.status, wrongCorp.status, stale.status]).toEqual([403, 403, 403]);
    expect(refusals().map((l) => l.code)).toEqual(["bad_signature", "bad_receive_id", "stale_timestamp"]);
    expect(sim.appMessages()).toEqual([]);
  });

  it("honours a configured timestamp window", async () => {
    await app.stop();
    await boot({ timestampWindowSeconds: 60 });
    const r = await sim.postAppCallback(`${base}/wecom/callback`, text("lisi", "/stock A-12"), {
      timestamp: String(unix() - 90),
    });
    expect(r.status).toBe(403);
    const ok = await sim.postAppCallback(`${base}/wecom/callback`, text("lisi", "/stock A-12"), {
      timestamp: String(unix() - 30),
    });
    expect(ok.status).toBe(200);
  });

  it("ignores a replayed MsgId, even freshly signed", async () => {
    await say("lisi", "/stock A-12", "88001");
    await say("lisi", "/stock A-12", "88001");
    expect(sentTo("lisi")).toHaveLength(1);
    expect(logLines.some((l) => l.includes("wecom duplicate callback ignored"))).toBe(true);
  });

  it("refuses a malformed body with 400", async () => {
    const r = await fetch(`${base}/wecom/callback?msg_signature=x&timestamp=1&nonce=1`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: "<nope",
    });
    expect(r.status).toBe(400);
  });
});

describe("WeCom button cards", () => {
  /** Asks for /delist as lisi and returns the Confirm card's task id and button key. */
  async function confirmCard(): Promise<{ taskId: string; key: string }> {
    await say("lisi", "/delist A-12 all");
    const card = sentTo("lisi").find((m) => m.msgtype === "template_card")?.template_card as {
      task_id: string;
      button_list: { text: string; key: string }[];
    };
    expect(card.button_list.map((b) => b.text)).toEqual(["Confirm"]);
    return { taskId: card.task_id, key: card.button_list[0]!.key };
  }
  const press = async (from: string, c: { taskId: string; key: string }, createTime = unix()) => {
    const xml = appCardEventXml({
      corpId: corp.corpId,
      from,
      taskId: c.taskId,
      eventKey: c.key,
      responseCode: sim.newClickResponseCode(),
      agentId: corp.agentId,
      createTime,
    });
    const r = await sim.postAppCallback(`${base}/wecom/callback`, xml);
    await wecom.idle();
    return { r, xml };
  };

  it("runs a confirmation exactly once although WeCom retries the press, and the card then shows who did it", async () => {
    const c = await confirmCard();
    const t = unix();
    const first = await press("lisi", c, t);
    // WeCom's retry of the very same callback (same CreateTime), then a double tap a second later.
    const again = await sim.postAppCallback(`${base}/wecom/callback`, first.xml);
    await wecom.idle();
    clock.advance(1000);
    await press("lisi", c);
    expect([first.r.status, again.status]).toEqual([200, 200]);
    expect(app.deps.ledger.listings.getListing("shop1", "A-12").isDelisted).toBe(true);
    const confirms = app.deps.ledger.audit.recentAudit({ action: "confirm" });
    expect(confirms.map((a) => [a.actor, a.outcome])).toEqual([["wecom:lisi", "ok"]]);
    const updates = sim.cardUpdates();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ userids: ["lisi"], button: { replace_name: "Confirm · lisi" } });
    expect(contents("lisi").join("\n")).toContain("Already done: Confirm by wecom:lisi");
  });

  it("leaves the card open when someone who may not run it presses, then lets the right person", async () => {
    const c = await confirmCard();
    await press("zhaoliu", c);
    expect(app.deps.ledger.listings.getListing("shop1", "A-12").isDelisted).toBe(false);
    expect(sim.cardUpdates()).toHaveLength(0);
    expect(contents("zhaoliu").join("\n")).toMatch(/belongs to someone else/);
    clock.advance(1000);
    await press("lisi", c);
    expect(app.deps.ledger.listings.getListing("shop1", "A-12").isDelisted).toBe(true);
    expect(app.deps.wecom.wecomCard(c.taskId)).toMatchObject({ state: "done", pressedBy: "wecom:lisi" });
  });

  it("answers a press on a card it never sent", async () => {
    await press("lisi", { taskId: "sr-unknown", key: "zzz" });
    expect(contents("lisi").join("\n")).toContain("not valid any more");
  });
});

describe("WeCom group pushes and the AI bot", () => {
  it("pushes an alert with buttons to the group robot and as a card to the people who can act", async () => {
    await app.deps.notify({ text: "🔴 #3 A-12 oversold by 2", buttons: [{ label: "Ack", action: "/ack 3" }] });
    const robot = app.transports.find((t) => t.name === "wecom") as WecomTransport;
    await robot.idle();
    const group = sim.robotDelivered(ROBOT_KEY)[0] as { msgtype: string; markdown: { content: string } };
    expect(group.msgtype).toBe("markdown");
    expect(group.markdown.content).toContain("A-12 oversold by 2");
    expect(group.markdown.content).toContain("Ack: /ack 3");
    expect(group.markdown.content).toContain("<@wangwu>");
    const card = sim.appMessages().find((m) => m.msgtype === "template_card");
    expect(card?.touser).toBe("wangwu|lisi");
  });

  it("pages the people a reply names (breaker: the admins) in the group, without buttons", async () => {
    await app.deps.notify({ text: "Refund breaker is OPEN", mentions: ["wecom:zhaoliu", "tg:111"] });
    const robot = app.transports.find((t) => t.name === "wecom") as WecomTransport;
    await robot.idle();
    const group = sim.robotDelivered(ROBOT_KEY)[0] as { msgtype: string; markdown: { content: string } };
    expect(group.markdown.content).toContain("Refund breaker is OPEN");
    expect(group.markdown.content).toContain("<@zhaoliu>");
    expect(group.markdown.content).not.toContain("111");
    expect(group.markdown.content).not.toContain("<@wangwu>");
  });

  it("answers a group @mention command through response_url", async () => {
    const r = await sim.postAiBotCallback(`${base}/wecom/aibot`, {
      msgid: "ai-1",
      aibotid: "bot1",
      chatid: "ops-group",
      chattype: "group",
      from: { userid: "lisi" },
      response_url: sim.newResponseUrl(),
      msgtype: "text",
      text: { content: "@库存助手 /whoami" },
    });
    await wecom.idle();
    expect(r).toMatchObject({ status: 200, raw: "" });
    const sent = sim.aiBotResponses()[0] as { msgtype: string; markdown: { content: string } };
    expect(sent.msgtype).toBe("markdown");
    expect(sent.markdown.content).toContain("wecom:lisi");
  });

  it("answers a group command whose reply has buttons with a passive button card", async () => {
    const r = await sim.postAiBotCallback(`${base}/wecom/aibot`, {
      msgid: "ai-5",
      chatid: "ops-group",
      chattype: "group",
      from: { userid: "lisi" },
      response_url: sim.newResponseUrl(),
      msgtype: "text",
      text: { content: "@库存助手 /stock A-12" },
    });
    expect(r.reply).toMatchObject({ msgtype: "template_card", template_card: { card_type: "button_interaction" } });
    expect(JSON.stringify(r.reply)).toContain("7 available");
  });

  it("refuses an AI-bot callback signed with the app's token", async () => {
    const res = await fetch(`${base}/wecom/aibot?msg_signature=00&timestamp=${unix()}&nonce=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ encrypt: "abcd" }),
    });
    expect(res.status).toBe(403);
  });

  it("answers an AI-bot card press within its window with the updated card", async () => {
    const r1 = await sim.postAiBotCallback(`${base}/wecom/aibot`, {
      msgid: "ai-2",
      chatid: "ops-group",
      chattype: "group",
      from: { userid: "lisi" },
      response_url: sim.newResponseUrl(),
      msgtype: "text",
      text: { content: "@bot /delist A-12 all" },
    });
    const card = (r1.reply?.template_card ?? {}) as { task_id: string; button_list: { key: string }[] };
    expect(r1.reply?.msgtype).toBe("template_card");
    const event = {
      eventtype: "template_card_event",
      template_card_event: {
        card_type: "button_interaction",
        event_key: card.button_list[0]!.key,
        task_id: card.task_id,
      },
    };
    const r2 = await sim.postAiBotCallback(`${base}/wecom/aibot`, {
      msgid: "ai-3",
      chatid: "ops-group",
      chattype: "group",
      from: { userid: "lisi" },
      response_url: sim.newResponseUrl(),
      msgtype: "event",
      event,
    });
    await wecom.idle();
    expect(r2.reply).toMatchObject({
      response_type: "update_template_card",
      userids: ["lisi"],
      template_card: { task_id: card.task_id, main_title: { desc: "Confirm · lisi" } },
    });
    expect(app.deps.ledger.listings.getListing("shop1", "A-12").isDelisted).toBe(true);
  });

  it("doctor accepts the token and the robot key, and names a removed key", async () => {
    const good = await wecomDoctor(app.deps.config, app.deps.log);
    expect(good.map((f) => f.ok)).toEqual([true, true]);
    const cfg = {
      ...app.deps.config,
      chat: { ...app.deps.config.chat, wecom: { ...app.deps.config.chat.wecom!, robotKey: "removed-key-123456" } },
    };
    const bad = await wecomDoctor(cfg, app.deps.log);
    expect(bad[1]).toMatchObject({ ok: false });
    expect(bad[1]!.line).toContain("93000");
  });
});

describe("WeCom in Chinese (no language configured: WeCom speaks zh-CN)", () => {
  const zhBoot = async (top: Record<string, unknown> = {}) => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
    await boot({}, top);
  };

  it("answers 库存 A-12 exactly as /stock A-12, and /help lists the Chinese names in Chinese", async () => {
    await zhBoot();
    await say("lisi", "/stock A-12");
    await say("lisi", "库存 A-12");
    await say("lisi", "/库存A-12");
    // Each card has its own task id; everything else is the same answer.
    const [viaSlash, viaAlias, viaAliasNoSpace] = contents("lisi").map((c) => c.replace(/"task_id":"[^"]+"/, ""));
    expect(viaAlias).toBe(viaSlash);
    expect(viaAliasNoSpace).toBe(viaSlash);
    await say("lisi", "帮助");
    const help = contents("lisi")
      .slice(3)
      .map((c) => JSON.parse(c).content as string)
      .join("\n");
    expect(help).toMatch(/\n库存 /);
    expect(help).toContain("下架");
    expect(help).toContain("查看货号库存");
    // The summaries are Chinese end to end (argument names of most commands are still English: not yet declared).
    const summaries = help.split("\n").map((l) => l.split(" — ")[1] ?? "");
    expect(
      englishWords(summaries.join("\n"), [
        "low",
        "reset",
        "REF",
        "pending",
        "executed",
        "rejected",
        "failed",
        "all",
        "logout",
      ]),
    ).toEqual([]);
  });

  it("says did-you-mean, refusals and argument errors in Chinese", async () => {
    await zhBoot();
    await say("zhaoliu", "/stok A-12");
    await say("zhaoliu", "/set A-12 3");
    await say("lisi", "/snooze 1 soon");
    const [stok, refused, usage] = contents("zhaoliu")
      .concat(contents("lisi"))
      .map((c) => JSON.parse(c).content as string);
    expect(stok).toBe("没有 /stok 这个命令。你是不是想用 /stock？发送 /help 查看你能用的命令。");
    expect(refused).toBe("/set 需要操作员权限，你目前是查看者。如需使用，请联系管理员。");
    expect(usage).toMatch(/^.+：必须是时长/);
    for (const t of [stok, refused]) expect(englishWords(t ?? "")).toEqual([]);
  });

  it("answers English when the chat is switched to en, and one person's /lang leaves the others alone", async () => {
    await zhBoot({ languages: { wecom: { language: "en" } } });
    await say("lisi", "/stok A-12");
    expect(contents("lisi")[0]).toContain("Unknown command /stok. Did you mean /stock?");
    await say("zhaoliu", "/lang zh");
    await say("zhaoliu", "/stok A-12");
    await say("lisi", "/stok A-12");
    expect(contents("zhaoliu")[0]).toContain("以后我用中文回复你。");
    expect(contents("zhaoliu")[1]).toContain("没有 /stok 这个命令");
    expect(contents("lisi")[1]).toContain("Unknown command /stok.");
    expect(app.deps.languages.getLanguage("wecom:zhaoliu")).toBe("zh-CN");
    expect(app.deps.languages.getLanguage("wecom:lisi")).toBeUndefined();
    await say("zhaoliu", "/lang auto");
    expect(contents("zhaoliu")[2]).toContain("Your choice is cleared; I answer you in the chat's language (English).");
  });
});

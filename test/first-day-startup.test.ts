import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp, wecomDoctor } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { createLogger } from "../src/log.js";
import { startFakeTelegram } from "../src/sandbox/telegram.js";
import { startWecomSimulator } from "../src/sandbox/wecom.js";
import { tempDir } from "./support/app.js";
import { runMain } from "./support/cli.js";
import { eightRetries, gatedApp, hangingGate } from "./support/startup.js";

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A temp directory removed after the test. */
const dirOf = (): string => {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return dir;
};

describe("start-up with a Telegram that refuses or does not answer (issue 12)", () => {
  it("a refused Telegram token at run exits 2 with the doctor's one line, no stack", async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    const dir = dirOf();
    const yaml = join(dir, "stockradar.yaml");
    writeFileSync(
      yaml,
      `database: ${join(dir, "ledger.db")}\nhttp: { enabled: false }\nchat:\n  telegram: { token: "999:wrong-token", chatId: -100, apiRoot: "${tg.url}" }\n`,
    );
    const { code, stderr } = await runMain(["run", "--config", yaml]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "telegram: the bot token was refused (401); get a new one from @BotFather and set TELEGRAM_BOT_TOKEN\n",
    );
    expect(tg.calls.map((c) => c.method)).toEqual([]);
  });

  it("an unreachable Telegram does not block start-up: HTTP answers, /healthz says chat down, retries back off and log once a minute", async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    // A Bot API that accepts connections and never answers, until released (then it forwards to the fake).
    const gate = await hangingGate(tg.url);
    cleanups.push(() => gate.close());
    const { app, logs, next, url } = await gatedApp(join(dirOf(), "ledger.db"), {
      chat: { telegram: { token: tg.token, chatId: -1001, apiRoot: gate.url } },
    });
    cleanups.push(() => app.stop());

    const starting = app.start({ scheduler: true });
    const firstContact = await next();
    expect(firstContact.ms).toBe(10_000);
    firstContact.go();
    await starting;

    const down = await fetch(`${url()}/healthz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { problems: string[]; chat: unknown[] };
    expect(body.chat).toEqual([{ transport: "telegram", state: "down", reason: "timeout" }]);
    expect(body.problems).toContain("chat down: telegram");
    expect(logs.filter((l) => l.msg.startsWith("telegram unreachable"))).toHaveLength(1);
    await expect(app.transports[0]!.broadcast({ text: "hello" })).rejects.toThrow("Telegram could not be reached.");

    const { backoffs, ninth } = await eightRetries(next);
    expect(backoffs).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    const still = logs.filter((l) => l.msg === "telegram still unreachable; retrying");
    expect(still.map((l) => l.attempts)).toEqual([6, 8, 9]);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);

    gate.release();
    ninth.go();
    await vi.waitFor(() => expect(app.transports[0]!.status?.()).toEqual({ transport: "telegram", state: "up" }), {
      timeout: 10_000,
      interval: 10,
    });
    expect(logs.some((l) => l.msg === "telegram reachable; chat started")).toBe(true);
    const up = (await (await fetch(`${url()}/healthz`)).json()) as { problems: string[]; chat: unknown[] };
    expect(up.chat).toEqual([{ transport: "telegram", state: "up" }]);
    expect(up.problems).not.toContain("chat down: telegram");
    expect(tg.calls.some((c) => c.method === "getMe")).toBe(true);
  });
});

const corp = {
  corpId: "wwstockradar0001",
  corpSecret: "app-secret-0123456789",
  agentId: 1000002,
  token: "callback-token-abc",
  encodingAesKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
};

/** `chat.wecom` for the simulator at `apiBase`, with `over` (a wrong secret, a wrong corp id). */
const wecomChat = (apiBase: string, over: Record<string, unknown> = {}) => ({
  corpId: corp.corpId,
  agentId: corp.agentId,
  secret: corp.corpSecret,
  token: corp.token,
  encodingAesKey: corp.encodingAesKey,
  apiBase,
  ...over,
});

describe("start-up with a WeCom that refuses or does not answer (issue 12)", () => {
  it("a refused WeCom secret at run exits 2 with the doctor's one line, no stack, nothing sent", async () => {
    const sim = await startWecomSimulator({ ...corp, robotKeys: [] });
    cleanups.push(() => sim.close());
    const dir = dirOf();
    const yaml = join(dir, "stockradar.yaml");
    writeFileSync(
      yaml,
      [
        `database: ${join(dir, "ledger.db")}`,
        "http: { enabled: false }",
        "chat:",
        "  wecom:",
        `    corpId: ${corp.corpId}`,
        `    agentId: ${corp.agentId}`,
        '    secret: "wrong-secret-0000"',
        `    token: ${corp.token}`,
        `    encodingAesKey: ${corp.encodingAesKey}`,
        `    apiBase: "${sim.url}"`,
        "",
      ].join("\n"),
    );
    const { code, stderr } = await runMain(["run", "--config", yaml]);
    expect(code).toBe(2);
    expect(stderr).toBe("wecom: gettoken failed (errcode 40001); check chat.wecom.secret (the app's Secret)\n");
    // The very line `doctor` prints for this configuration.
    const doctor = await wecomDoctor(
      parseConfig({ chat: { wecom: wecomChat(sim.url, { secret: "wrong-secret-0000" }) } }, {}),
      createLogger({ level: "silent" }),
    );
    expect(doctor.map((f) => f.line)).toEqual([stderr.trimEnd()]);
    expect(sim.requests.map((r) => r.path)).toEqual(["/cgi-bin/gettoken", "/cgi-bin/gettoken"]);
    expect(sim.tokensIssued()).toBe(0);
  });

  it.each([
    [{ corpId: "wwsomeoneelse" }, {}, "wecom: gettoken failed (errcode 40013); check chat.wecom.corpId"],
    [
      {},
      { untrustedIp: true },
      "wecom: gettoken failed (errcode 60020); add this server's egress IP under 企业可信IP of the app",
    ],
  ])("start refuses %o / simulator %o with the doctor's line", async (over, simOver, line) => {
    const sim = await startWecomSimulator({ ...corp, robotKeys: [], ...simOver });
    cleanups.push(() => sim.close());
    const dir = dirOf();
    const config = parseConfig(
      { database: join(dir, "ledger.db"), http: { enabled: false }, chat: { wecom: wecomChat(sim.url, over) } },
      {},
    );
    const app = await createApp({ config, log: createLogger({ level: "silent" }), withConsole: false });
    cleanups.push(() => app.stop());
    await expect(app.start({ scheduler: false })).rejects.toMatchObject({
      code: "wecom_credential_refused",
      userMessage: line,
    });
    expect(app.transports[0]!.status?.()).toEqual({ transport: "wecom", state: "down", reason: "credential refused" });
    const doctor = await wecomDoctor(config, createLogger({ level: "silent" }));
    expect(doctor.map((f) => f.line)).toEqual([line]);
  });

  it("the refusal and the down line read in Chinese for a zh-CN console", () => {
    const t = sharedI18n("UTC").translator("zh-CN");
    expect(t.t("first-wecom-refused-40001")).toBe(
      "wecom：gettoken 失败（errcode 40001）；请检查 chat.wecom.secret（应用的 Secret）",
    );
    expect(t.t("first-wecom-down")).toBe("无法连接企业微信；消息未发送（后台会继续重试连接）。");
    expect(t.t("first-wecom-refused-other", { errcode: "41004" })).toBe(
      "wecom：gettoken 失败（errcode 41004）；请检查 chat.wecom.apiBase 和网络",
    );
  });

  it("an unreachable WeCom does not block start-up: HTTP answers, /healthz says chat down, gettoken retries back off and log once a minute", async () => {
    const sim = await startWecomSimulator({ ...corp, robotKeys: [] });
    cleanups.push(() => sim.close());
    // A WeCom API that accepts connections and never answers, until released (then it forwards to the simulator).
    const gate = await hangingGate(sim.url);
    cleanups.push(() => gate.close());
    const { app, logs, next, url } = await gatedApp(join(dirOf(), "ledger.db"), {
      access: { operators: ["wecom:lisi"] },
      chat: { wecom: wecomChat(gate.url) },
    });
    cleanups.push(() => app.stop());
    const wecom = app.transports.find((t) => t.name === "wecom")!;

    const starting = app.start({ scheduler: true });
    const firstContact = await next();
    expect(firstContact.ms).toBe(10_000);
    expect(wecom.status?.()).toEqual({ transport: "wecom", state: "starting" });
    firstContact.go();
    await starting;

    const down = await fetch(`${url()}/healthz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { problems: string[]; chat: unknown[]; jobs: unknown[] };
    expect(body.chat).toEqual([{ transport: "wecom", state: "down", reason: "timeout" }]);
    expect(body.problems).toContain("chat down: wecom");
    expect(body.jobs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.msg.startsWith("wecom unreachable"))).toHaveLength(1);
    // While WeCom is down a message to the app's recipients is refused at once with one line, as on Telegram.
    const asked = sim.requests.length;
    await expect(wecom.broadcast({ text: "hello" })).rejects.toThrow(
      "WeCom could not be reached; the message was not sent (the connection is retried in the background).",
    );
    expect(sim.requests.length).toBe(asked);

    const { backoffs, ninth } = await eightRetries(next);
    expect(backoffs).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    const still = logs.filter((l) => l.msg === "wecom still unreachable; retrying");
    expect(still.map((l) => l.attempts)).toEqual([6, 8, 9]);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(sim.tokensIssued()).toBe(0);

    gate.release();
    ninth.go();
    await vi.waitFor(() => expect(wecom.status?.()).toEqual({ transport: "wecom", state: "up" }), {
      timeout: 10_000,
      interval: 10,
    });
    expect(logs.some((l) => l.msg === "wecom reachable; chat started")).toBe(true);
    const up = (await (await fetch(`${url()}/healthz`)).json()) as { problems: string[]; chat: unknown[] };
    expect(up.chat).toEqual([{ transport: "wecom", state: "up" }]);
    expect(up.problems).not.toContain("chat down: wecom");
    expect(sim.tokensIssued()).toBe(1);
    // The token fetched at start-up serves the first message: no second gettoken.
    await wecom.broadcast({ text: "hello" });
    expect(sim.appMessages()).toMatchObject([{ touser: "lisi", text: { content: "hello" } }]);
    expect(sim.tokensIssued()).toBe(1);
  });
});

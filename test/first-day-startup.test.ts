import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type App, createApp, wecomDoctor } from "../src/app.js";
import { manualClock, type Sleep } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { createLogger } from "../src/log.js";
import { main } from "../src/main.js";
import { startFakeTelegram } from "../src/sandbox/telegram.js";
import { startWecomSimulator } from "../src/sandbox/wecom.js";
import { tempDir } from "./support/app.js";

/** A sleep that waits until the test lets it go: `next()` hands over the oldest pending one. */
function gatedSleep(clock: ReturnType<typeof manualClock>) {
  const waiting: { ms: number; go: () => void }[] = [];
  const sleep: Sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const w = {
        ms,
        go: () => {
          clock.advance(ms);
          resolve();
        },
      };
      waiting.push(w);
      signal?.addEventListener(
        "abort",
        () => {
          waiting.splice(waiting.indexOf(w), 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  const next = async () => {
    await vi.waitFor(() => expect(waiting.length).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    return waiting.shift()!;
  };
  return { sleep, next };
}

const listen = (s: Server) =>
  new Promise<string>((r) =>
    s.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe("start-up with a Telegram that refuses or does not answer (issue 12)", () => {
  it("a refused Telegram token at run exits 2 with the doctor's one line, no stack", async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const yaml = join(dir, "stockradar.yaml");
    writeFileSync(
      yaml,
      `database: ${join(dir, "ledger.db")}\nhttp: { enabled: false }\nchat:\n  telegram: { token: "999:wrong-token", chatId: -100, apiRoot: "${tg.url}" }\n`,
    );
    let stderr = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      stderr += String(s);
      return true;
    });
    let code: number;
    try {
      code = await main(["run", "--config", yaml]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(2);
    expect(stderr).toBe(
      "telegram: the bot token was refused (401); get a new one from @BotFather and set TELEGRAM_BOT_TOKEN\n",
    );
    expect(tg.calls.map((c) => c.method)).toEqual([]);
  });

  it("an unreachable Telegram does not block start-up: HTTP answers, /healthz says chat down, retries back off and log once a minute", async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    // A Bot API that accepts connections and never answers, until `hang` is lifted (then it forwards to the fake).
    let hang = true;
    const held: { destroy(): void }[] = [];
    const gate = createServer((req, res) => {
      if (hang) {
        held.push(res.socket ?? { destroy() {} });
        return;
      }
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        // A long poll still forwarded when the test tears the fake down ends in a reset: drop that socket quietly.
        try {
          const r = await fetch(`${tg.url}${req.url}`, {
            method: req.method ?? "POST",
            headers: { "content-type": String(req.headers["content-type"] ?? "application/json") },
            ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
          });
          res.writeHead(r.status, { "content-type": "application/json" });
          res.end(Buffer.from(await r.arrayBuffer()));
        } catch {
          res.destroy();
        }
      });
    });
    const gateUrl = await listen(gate);
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of held) s.destroy();
          gate.closeAllConnections();
          gate.close(() => r());
        }),
    );
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = manualClock("2026-12-01T08:00:00Z");
    const { sleep, next } = gatedSleep(clock);
    const logs: { msg: string; level: number; [k: string]: unknown }[] = [];
    const log = createLogger({
      level: "info",
      destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
    });
    const config = parseConfig(
      {
        database: join(dir, "ledger.db"),
        http: { enabled: true, host: "127.0.0.1", port: 0 },
        chat: { telegram: { token: tg.token, chatId: -1001, apiRoot: gateUrl } },
      },
      {},
    );
    const app: App = await createApp({ config, log, clock, sleep });
    cleanups.push(() => app.stop());

    const starting = app.start({ scheduler: true });
    const firstContact = await next();
    expect(firstContact.ms).toBe(10_000);
    firstContact.go();
    await starting;

    const url = `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}`;
    const down = await fetch(`${url}/healthz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { problems: string[]; chat: unknown[] };
    expect(body.chat).toEqual([{ transport: "telegram", state: "down", reason: "timeout" }]);
    expect(body.problems).toContain("chat down: telegram");
    expect(logs.filter((l) => l.msg.startsWith("telegram unreachable"))).toHaveLength(1);
    await expect(app.transports[0]!.broadcast({ text: "hello" })).rejects.toThrow("Telegram could not be reached.");

    const backoffs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const pause = await next();
      backoffs.push(pause.ms);
      pause.go();
      const attempt = await next();
      expect(attempt.ms).toBe(10_000);
      attempt.go();
    }
    // The ninth pause is asked for only after the eighth attempt's outcome was logged.
    const ninth = await next();
    expect(backoffs).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    const still = logs.filter((l) => l.msg === "telegram still unreachable; retrying");
    expect(still.map((l) => l.attempts)).toEqual([6, 8, 9]);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);

    hang = false;
    ninth.go();
    await vi.waitFor(() => expect(app.transports[0]!.status?.()).toEqual({ transport: "telegram", state: "up" }), {
      timeout: 10_000,
      interval: 10,
    });
    expect(logs.some((l) => l.msg === "telegram reachable; chat started")).toBe(true);
    const up = (await (await fetch(`${url}/healthz`)).json()) as { problems: string[]; chat: unknown[] };
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
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
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
    let stderr = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      stderr += String(s);
      return true;
    });
    let code: number;
    try {
      code = await main(["run", "--config", yaml]);
    } finally {
      spy.mockRestore();
    }
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
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
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

  it("the refusal reads in Chinese for a zh-CN console", () => {
    const t = sharedI18n("UTC").translator("zh-CN");
    expect(t.t("first-wecom-refused-40001")).toBe(
      "wecom：gettoken 失败（errcode 40001）；请检查 chat.wecom.secret（应用的 Secret）",
    );
    expect(t.t("first-wecom-refused-other", { errcode: "41004" })).toBe(
      "wecom：gettoken 失败（errcode 41004）；请检查 chat.wecom.apiBase 和网络",
    );
  });

  it("an unreachable WeCom does not block start-up: HTTP answers, /healthz says chat down, gettoken retries back off and log once a minute", async () => {
    const sim = await startWecomSimulator({ ...corp, robotKeys: [] });
    cleanups.push(() => sim.close());
    // A WeCom API that accepts connections and never answers, until `hang` is lifted (then it forwards to the simulator).
    let hang = true;
    const held: { destroy(): void }[] = [];
    const gate = createServer((req, res) => {
      if (hang) {
        held.push(res.socket ?? { destroy() {} });
        return;
      }
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const r = await fetch(`${sim.url}${req.url}`, {
          method: req.method ?? "GET",
          headers: { "content-type": String(req.headers["content-type"] ?? "application/json") },
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        });
        res.writeHead(r.status, { "content-type": "application/json" });
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    const gateUrl = await listen(gate);
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of held) s.destroy();
          gate.closeAllConnections();
          gate.close(() => r());
        }),
    );
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = manualClock("2026-12-01T08:00:00Z");
    const { sleep, next } = gatedSleep(clock);
    const logs: { msg: string; level: number; [k: string]: unknown }[] = [];
    const log = createLogger({
      level: "info",
      destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
    });
    const config = parseConfig(
      {
        database: join(dir, "ledger.db"),
        http: { enabled: true, host: "127.0.0.1", port: 0 },
        access: { operators: ["wecom:lisi"] },
        chat: { wecom: wecomChat(gateUrl) },
      },
      {},
    );
    const app: App = await createApp({ config, log, clock, sleep, withConsole: false });
    cleanups.push(() => app.stop());
    const wecom = app.transports.find((t) => t.name === "wecom")!;

    const starting = app.start({ scheduler: true });
    const firstContact = await next();
    expect(firstContact.ms).toBe(10_000);
    expect(wecom.status?.()).toEqual({ transport: "wecom", state: "starting" });
    firstContact.go();
    await starting;

    const url = `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}`;
    const down = await fetch(`${url}/healthz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { problems: string[]; chat: unknown[]; jobs: unknown[] };
    expect(body.chat).toEqual([{ transport: "wecom", state: "down", reason: "timeout" }]);
    expect(body.problems).toContain("chat down: wecom");
    expect(body.jobs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.msg.startsWith("wecom unreachable"))).toHaveLength(1);

    const backoffs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const pause = await next();
      backoffs.push(pause.ms);
      pause.go();
      const attempt = await next();
      expect(attempt.ms).toBe(10_000);
      attempt.go();
    }
    // The ninth pause is asked for only after the eighth attempt's outcome was logged.
    const ninth = await next();
    expect(backoffs).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    const still = logs.filter((l) => l.msg === "wecom still unreachable; retrying");
    expect(still.map((l) => l.attempts)).toEqual([6, 8, 9]);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(sim.tokensIssued()).toBe(0);

    hang = false;
    ninth.go();
    await vi.waitFor(() => expect(wecom.status?.()).toEqual({ transport: "wecom", state: "up" }), {
      timeout: 10_000,
      interval: 10,
    });
    expect(logs.some((l) => l.msg === "wecom reachable; chat started")).toBe(true);
    const up = (await (await fetch(`${url}/healthz`)).json()) as { problems: string[]; chat: unknown[] };
    expect(up.chat).toEqual([{ transport: "wecom", state: "up" }]);
    expect(up.problems).not.toContain("chat down: wecom");
    expect(sim.tokensIssued()).toBe(1);
    // The token fetched at start-up serves the first message: no second gettoken.
    await wecom.broadcast({ text: "hello" });
    expect(sim.appMessages()).toMatchObject([{ touser: "lisi", text: { content: "hello" } }]);
    expect(sim.tokensIssued()).toBe(1);
  });
});

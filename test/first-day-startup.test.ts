import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type App, createApp } from "../src/app.js";
import { manualClock, type Sleep } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { main } from "../src/main.js";
import { startFakeTelegram } from "../src/sandbox/telegram.js";
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
        const r = await fetch(`${tg.url}${req.url}`, {
          method: req.method ?? "POST",
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

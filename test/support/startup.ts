import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, vi } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { manualClock, type Sleep } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";

/** A sleep that waits until the test lets it go: `next()` hands over the oldest pending one. */
export function gatedSleep(clock: ReturnType<typeof manualClock>) {
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

/**
 * A provider API on port 0 that accepts connections and never answers until `release()`; from then on it
 * forwards every request to `target`. A request still forwarded when the target closes ends in a reset.
 */
export async function hangingGate(target: string) {
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
      try {
        const r = await fetch(`${target}${req.url}`, {
          method: req.method ?? "GET",
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
  const url = await new Promise<string>((r) =>
    gate.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(gate.address() as AddressInfo).port}`)),
  );
  return {
    url,
    release: () => {
      hang = false;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of held) s.destroy();
        gate.closeAllConnections();
        gate.close(() => r());
      }),
  };
}

/** A logged line as pino writes it. */
export type LogLine = { msg: string; level: number; [k: string]: unknown };

/**
 * A real app with HTTP on port 0 on a manual clock whose sleeps wait for the test (gatedSleep), every log
 * line captured: the rig for start-up with a chat provider that does not answer.
 */
export async function gatedApp(database: string, raw: Record<string, unknown>) {
  const clock = manualClock("2026-12-01T08:00:00Z");
  const { sleep, next } = gatedSleep(clock);
  const logs: LogLine[] = [];
  const log = createLogger({
    level: "info",
    destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
  });
  const config = parseConfig({ database, http: { enabled: true, host: "127.0.0.1", port: 0 }, ...raw }, {});
  const app: App = await createApp({ config, log, clock, sleep, withConsole: false });
  const url = () => `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}`;
  return { app, logs, next, url };
}

/**
 * Lets eight reconnect rounds run (each a backoff pause, then a 10 s attempt) and returns their pauses plus
 * the ninth pause, held until the test lets it go.
 */
export async function eightRetries(next: ReturnType<typeof gatedSleep>["next"]) {
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
  return { backoffs, ninth: await next() };
}

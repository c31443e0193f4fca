import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";
import { consoleLogFile } from "../src/chat/transports/console.js";
import { parseConfig } from "../src/config.js";
import { createLogger, fileDestination } from "../src/log.js";
import { tempDir } from "./support/app.js";

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe("the console tells the truth (issue 12)", () => {
  it("logs go to a file beside the ledger while the console is the chat on a terminal, otherwise stderr", () => {
    const db = "/var/lib/stockradar/stockradar.db";
    expect(consoleLogFile({ database: db, chat: {} }, true)).toBe("/var/lib/stockradar/stockradar.log");
    expect(consoleLogFile({ database: db, chat: {} }, false)).toBeUndefined();
    expect(consoleLogFile({ database: db, chat: { telegram: {} } }, true)).toBeUndefined();
    expect(consoleLogFile({ database: db, chat: { telegram: {}, console: true } }, true)).toBe(
      "/var/lib/stockradar/stockradar.log",
    );
  });

  it("a refused command at the console prints its one-line answer and no JSON log line into the prompt", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const config = parseConfig({ database: join(t.dir, "ledger.db"), http: { enabled: false } }, {});
    const file = consoleLogFile(config, true);
    expect(file).toBe(join(t.dir, "stockradar.log"));
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (d: Buffer) => (printed += d.toString()));
    const app = await createApp({
      config,
      log: createLogger({ level: "info", destination: fileDestination(file!) }),
      withConsole: true,
      console: { input, output, prompt: true },
    });
    await app.start({ http: false, scheduler: false });
    input.write("/set Z-9 1\n");
    await vi.waitFor(() => expect(printed).toContain("Z-9"), { timeout: 10_000, interval: 10 });
    await app.stop();
    expect(printed).toBe(
      "stockradar console — type /help\n> SKU Z-9 is not in the ledger; add it with /add Z-9 QTY TITLE or import skus FILE.csv.\n> ",
    );
    expect(existsSync(file!)).toBe(true);
    expect(readFileSync(file!, "utf8")).toContain('"msg":"command refused"');
  });

  it("a low-stock alert says what the channels really show: 0 when nothing is available, never a cap above it", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const app = await createApp({
      config: parseConfig(
        { database: join(t.dir, "ledger.db"), http: { enabled: false }, stock: { lowStockCap: 2 } },
        {},
      ),
      log: createLogger({ level: "silent" }),
      withConsole: false,
    });
    const { ledger } = app.deps;
    const a = ledger.stock.upsertSku({ sku: "A-1" as never, onHand: 10 }, { actor: "t", idempotencyKey: "a" });
    const b = ledger.stock.upsertSku({ sku: "B-2" as never, onHand: 10 }, { actor: "t", idempotencyKey: "b" });
    ledger.stock.adjustOnHand(a.sku, -10, { actor: "t", idempotencyKey: "a0" });
    ledger.stock.adjustOnHand(b.sku, -9, { actor: "t", idempotencyKey: "b1" });
    const texts = ledger.alerts
      .liveAlerts()
      .map((x) => x.text)
      .sort();
    await app.stop();
    expect(texts).toEqual([
      "Low stock: A-1 has 0 available (threshold 3). Every channel now shows 0.",
      "Low stock: B-2 has 1 available (threshold 3). Every channel now shows at most 1.",
    ]);
  });
});

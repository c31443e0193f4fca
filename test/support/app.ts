import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { type App, type AppOptions, createApp } from "../../src/app.js";
import { manualClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import type { Db } from "../../src/ledger/db.js";
import { silentLogger } from "../../src/log.js";

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "stockradar-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Seams a test may hand the app on its manual clock (test/support/clock.ts: steppingSleep, manualTimers). */
export type AppSeams = Pick<AppOptions, "sleep" | "timers">;

/** A real app on a temp-file ledger with the given config (raw YAML-shaped object), console output captured. */
export async function testApp(
  raw: Record<string, unknown> = {},
  opts: {
    withConsole?: boolean;
    start?: string;
    db?: (path: string) => Db;
    seams?: (clock: ReturnType<typeof manualClock>) => AppSeams;
  } = {},
) {
  const { dir, cleanup } = tempDir();
  const config = parseConfig({ database: join(dir, "ledger.db"), http: { enabled: false }, ...raw }, {});
  const output = new PassThrough();
  let printed = "";
  output.on("data", (d: Buffer) => (printed += d.toString()));
  const input = new PassThrough();
  const clock = manualClock(opts.start ?? "2026-11-20T08:00:00Z");
  const app: App = await createApp({
    config,
    ...(opts.db ? { db: opts.db(config.database) } : {}),
    log: silentLogger(),
    clock,
    ...opts.seams?.(clock),
    withConsole: opts.withConsole ?? false,
    console: { input, output, prompt: false },
  });
  return {
    app,
    config,
    clock,
    dir,
    input,
    printed: () => printed,
    /** Runs a command line as `userId` and returns the dispatch result. */
    run: (text: string, userId = "console:local", messageId?: string) =>
      app.dispatcher.handle({ transport: "test", chatId: "t", userId, text, ...(messageId ? { messageId } : {}) }),
    close: async () => {
      await app.stop();
      cleanup();
    },
  };
}

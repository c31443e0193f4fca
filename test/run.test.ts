import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/app.js";
import { runCli, startCli } from "./support/spawn-cli.js";

const { dir, cleanup } = tempDir();
afterAll(() => cleanup());

async function until(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("stockradar run on the console", () => {
  it("answers at its prompt, keeps running when stdin closes, prints alerts raised by another process, stops on SIGTERM", {
    timeout: 90_000,
  }, async () => {
    writeFileSync(
      join(dir, "stockradar.yaml"),
      'database: ./data/ledger.db\nhttp: { port: 0 }\nschedule: { alertResend: "*/1 * * * * *" }\n',
    );
    writeFileSync(join(dir, "skus.csv"), "sku,title,on_hand\nA-1,Tee,10\n");
    expect((await runCli(["import", "skus", "skus.csv"], { cwd: dir })).code).toBe(0);
    const bot = startCli(["run"], { cwd: dir, env: { LOG_LEVEL: "info" } });
    let out = "";
    let err = "";
    bot.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    bot.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number>((r) => bot.on("close", (code) => r(code ?? -1)));
    await until(() => err.includes("http listening"), "start-up");
    bot.stdin!.write("/help\n");
    await until(() => out.includes("/stock [SKU|low]"), "/help reply");
    bot.stdin!.end();
    await until(() => err.includes("console input closed; still running"), "stdin close");
    expect((await runCli(["cmd", "/adjust A-1 -8 breakage"], { cwd: dir })).code).toBe(0);
    await until(() => out.includes("Low stock: A-1 has 2 available"), "the alert");
    expect(out).toContain("[Ack: /ack 1]");
    bot.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(err).toContain('"signal":"SIGTERM"');
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireLedgerLock } from "../src/lock.js";
import { tempDir } from "./support/app.js";
import { englishWords } from "./support/chinese.js";
import { runMain as run } from "./support/cli.js";

/** Latin words (3+ letters) left after the allowed tokens (the quoted command, config keys). */
const latin = (text: string, allowed: string[] = []): string[] =>
  englishWords(text, ["stockradar", "job", "backup", "schedule.backup", ...allowed]).filter((w) =>
    /[A-Za-z]{3,}/.test(w),
  );

describe("the command line speaks the config's language", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  function config(language: string): { yaml: string; database: string } {
    const t = tempDir();
    cleanup = t.cleanup;
    const database = join(t.dir, "ledger.db");
    const yaml = join(t.dir, "stockradar.yaml");
    writeFileSync(yaml, `language: ${language}\ndatabase: ${database}\nhttp:\n  enabled: false\n`);
    return { yaml, database };
  }

  it("doctor prints every line in Chinese with language: zh-CN", async () => {
    const { yaml } = config("zh-CN");
    const r = await run(["doctor", "--config", yaml]);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`正常 配置：${yaml} 有效`);
    expect(lines.some((l) => l.startsWith("正常 账本："))).toBe(true);
    expect(lines.some((l) => l.startsWith("正常 聊天：未配置电报或企业微信"))).toBe(true);
    // The config path ends in .yaml.
    for (const l of lines) expect(latin(l, ["yaml"]), l).toEqual([]);
    // Running as root (some CI boxes) fails one line; the exit code follows the marks.
    expect(r.code).toBe(lines.some((l) => l.startsWith("失败 ")) ? 1 : 0);
  });

  it("doctor keeps its English lines without a language", async () => {
    const { yaml } = config("en");
    const r = await run(["doctor", "--config", yaml]);
    expect(r.stdout.split("\n")[0]).toBe(`ok   config: ${yaml} is valid`);
    expect(r.stdout).toContain("ok   chat: no Telegram or WeCom configured; alerts go to the console");
  });

  it("refuses a second bot on a held ledger in Chinese", async () => {
    const { yaml, database } = config("zh-CN");
    const lock = acquireLedgerLock(database, "testing");
    try {
      const r = await run(["run", "--config", yaml]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `另一个 stockradar 进程（进程号 ${process.pid}）正在使用 ${database}；请先停止它，再启动新的机器人。\n`,
      );
    } finally {
      lock.release();
    }
  });

  it("cmd takes a Chinese command name with or without the slash, the same as /stock", async () => {
    const { yaml } = config("zh-CN");
    expect((await run(["cmd", "--config", yaml, "/add A-12 40 红色T恤"])).code).toBe(0);
    const bySlash = await run(["cmd", "--config", yaml, "/stock A-12"]);
    for (const text of ["库存 A-12", "/库存 A-12"]) {
      const r = await run(["cmd", "--config", yaml, text]);
      expect(r.code, text).toBe(0);
      expect(r.stdout, text).toBe(bySlash.stdout);
    }
    expect(bySlash.stdout).toContain("可售 40 件");
    const chatter = await run(["cmd", "--config", yaml, "你好"]);
    expect(chatter.code).toBe(2);
    expect(chatter.stderr).toContain("/stock A-12");
  });

  it("answers an unknown chat command in Chinese", async () => {
    const { yaml } = config("zh-CN");
    const r = await run(["cmd", "--config", yaml, "/nosuchcommand"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/[\u4e00-\u9fff]/);
    expect(latin(r.stderr, ["nosuchcommand", "help"])).toEqual([]);
  });

  it("prints the help and usage lines in Chinese", async () => {
    const { yaml } = config("zh-CN");
    const help = await run(["help", "--config", yaml]);
    expect(help.stdout).toContain("用法：stockradar <命令> [--config 文件]");
    const usage = await run(["cmd", "--config", yaml, "stock"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      '命令以 / 开头，例如 /stock A-12。发送 /help 查看你能用的命令。\n用法：stockradar cmd [--as 用户] "/stock A-1"\n',
    );
    const unknown = await run(["frobnicate", "--config", yaml]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split("\n")[0]).toBe("未知命令 frobnicate。");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../commands/index.js";
import { argTextOf, localizedUsage, textOf } from "../src/i18n/commands.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { testApp } from "./support/app.js";

const en = sharedI18n("UTC").translator("en");
const zh = sharedI18n("UTC").translator("zh-CN");

describe("every command's usage and /help in both languages", () => {
  it("names every argument in both languages, and zh-CN usage lines show only Chinese argument names", () => {
    for (const c of commands) {
      for (const key of Object.keys(c.args.shape)) {
        const name = argTextOf(c, key)?.name;
        expect(name, `/${c.name} ${key} has no localized name`).toBeDefined();
        expect(textOf(en, name!).trim(), `/${c.name} ${key}`).not.toBe("");
        expect(textOf(zh, name!).trim(), `/${c.name} ${key}`).not.toBe("");
      }
      expect(textOf(en, c.summary).trim()).not.toBe("");
      expect(textOf(zh, c.summary).trim()).not.toBe("");
      const args = localizedUsage(c, zh).split(" ").slice(1).join(" ");
      // Chinese names only: no upper-case Latin placeholder (SKU, TITLE, @LOCATION …) is left.
      expect(args, `/${c.name}: ${args}`).not.toMatch(/[A-Z]{2,}/);
    }
  });

  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ language: "zh-CN", access: { admins: ["tg:1"] } });
  });
  afterEach(async () => t.close());
  const say = async (text: string) =>
    (await t.app.dispatcher.handle({ transport: "telegram", chatId: "-100", userId: "tg:1", text })).reply.text;

  it("/help lists every command in zh-CN and en, and a missing argument is named in Chinese", async () => {
    const helpZh = await say("/help");
    for (const c of commands) expect(helpZh, c.name).toContain(`/${c.name}`);
    expect(helpZh).not.toMatch(/\b(TITLE|LOCATION|TRACKING)\b/);
    const add = await say("/add");
    expect(add).toContain("缺少货号");
    expect(add).toContain("缺少标题");
    expect(add).not.toMatch(/SKU|QTY|TITLE/);
    const ship = await say("/ship 1001 sf !!");
    expect(ship.split("\n")[0]).toMatch(/^运单号：/);
    expect(await say("/lang en")).toContain("English");
    const helpEn = await say("/help");
    for (const c of commands) expect(helpEn, c.name).toContain(`/${c.name}`);
    expect(await say("/add")).toContain("SKU is missing");
  });
});

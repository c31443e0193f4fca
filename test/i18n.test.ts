import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { commands } from "../commands/index.js";
import { createDispatcher } from "../src/chat/dispatch.js";
import { catalog } from "../src/i18n/catalog.js";
import { checkCatalog, variablesOf } from "../src/i18n/check.js";
import { buildAliasIndex, localizedUsage, msg, textOf } from "../src/i18n/commands.js";
import { defineMessages, type LocalizedText } from "../src/i18n/define.js";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatTime, zoneLabel } from "../src/i18n/format.js";
import { LOCALES, parseLocale } from "../src/i18n/locales.js";
import { LanguageConfigSchema, resolveLocale, resolveLocaleWithSource } from "../src/i18n/resolve.js";
import { createI18n, type TranslationProblem } from "../src/i18n/translator.js";
import { SkuSchema } from "../src/ids.js";
import { testApp } from "./support/app.js";
import { testLedger } from "./support/ledger.js";

const at = (iso: string): Date => new Date(iso);
/** Intl separates currency and digits with a no-break space in some locales; compare on plain spaces. */
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, " ");

describe("the message catalog", () => {
  it("has non-empty, parseable text in every locale for every id, with the same variables", () => {
    const ids = Object.keys(catalog);
    expect(ids.length).toBeGreaterThan(10);
    expect(checkCatalog(catalog)).toEqual([]);
  });

  it("renders every id in both languages without a problem, a leftover placeable or a bidi mark", () => {
    const problems: TranslationProblem[] = [];
    const i18n = createI18n({ timeZone: "UTC", onProblem: (p) => problems.push(p) });
    for (const [id, text] of Object.entries(catalog as Record<string, LocalizedText>)) {
      for (const locale of LOCALES) {
        const vars = variablesOf(id, text[locale]);
        expect(vars, `${locale} ${id}`).toBeDefined();
        const args = Object.fromEntries((vars ?? []).map((v) => [v, 2]));
        const out = (i18n.t as (l: string, id: string, a: Record<string, number>) => string)(locale, id, args);
        expect(out.length, `${locale} ${id}`).toBeGreaterThan(0);
        expect(out, `${locale} ${id}`).not.toMatch(/[{}\u2068\u2069]/);
        expect(out, `${locale} ${id}`).not.toBe(id);
      }
    }
    expect(problems).toEqual([]);
  });

  it("finds a missing or empty translation, broken Fluent, mismatched variables, unknown functions and references", () => {
    const bad = {
      "no-zh": { en: "Hello" },
      "empty-zh": { en: "Hello", "zh-CN": "  " },
      "broken-en": { en: "{ $n -> [one] a *[other] b }", "zh-CN": "{ $n }" },
      "vars-differ": { en: "{ $sku }: { $available } available", "zh-CN": "{ $sku }：可售 { $avail } 件" },
      "odd-func": { en: "{ MONEY($x) }", "zh-CN": "{ $x }" },
      "dangling-ref": { en: "{ nowhere }", "zh-CN": "{ nowhere }" },
      Bad_Id: { en: "x", "zh-CN": "x" },
    } as unknown as Record<string, LocalizedText>;
    const found = checkCatalog(bad).map((p) => `${p.id}${p.locale ? ` ${p.locale}` : ""}: ${p.problem}`);
    expect(found).toEqual([
      "no-zh zh-CN: missing or empty text",
      "empty-zh zh-CN: missing or empty text",
      expect.stringMatching(/^broken-en en: not valid Fluent/),
      "vars-differ zh-CN: variables differ from en: only in zh-CN: avail; only in en: available",
      "odd-func en: unknown function MONEY()",
      "dangling-ref en: references unknown message nowhere",
      "dangling-ref zh-CN: references unknown message nowhere",
      "Bad_Id: id must be kebab-case: lower-case words joined by -",
    ]);
  });

  it("refuses an incomplete declaration at compile time", () => {
    // Each @ts-expect-error below fails `tsc` when the compiler stops catching the mistake.
    // @ts-expect-error the Chinese text is missing
    defineMessages({ "x-a": { en: "Hello" } });
    // @ts-expect-error the Chinese text is empty
    defineMessages({ "x-b": { en: "Hello", "zh-CN": "" } });
    // @ts-expect-error the languages use different variables
    defineMessages({ "x-c": { en: "{ $sku } left", "zh-CN": "剩余 { $qty }" } });
    const ok = defineMessages({ "x-d": { en: "{ $sku }: { $n }", "zh-CN": "{ $sku }：{ $n } 件" } });
    expect(Object.keys(ok)).toEqual(["x-d"]);
    const i18n = createI18n({ timeZone: "UTC" });
    // @ts-expect-error an unknown id
    i18n.t("en", "no-such-message");
    // @ts-expect-error a missing variable
    i18n.t("en", "dispatch-failed", {});
    // @ts-expect-error variables on a message that has none
    i18n.t("en", "role-admin", { x: 1 });
    expect(i18n.t("zh-CN", "role-admin")).toBe("管理员");
  });
});

describe("plurals, numbers, money", () => {
  const i18n = createI18n({ timeZone: "UTC" });

  it("selects English plural forms on the number and leaves Chinese without them", () => {
    expect(i18n.t("en", "dispatch-extra-args", { count: 1, tokens: "x" })).toBe("unexpected extra argument: x");
    expect(i18n.t("en", "dispatch-extra-args", { count: 3, tokens: "x y z" })).toBe(
      "unexpected extra arguments: x y z",
    );
    expect(i18n.t("zh-CN", "dispatch-extra-args", { count: 1, tokens: "x" })).toBe("多余的参数（1 个）：x");
    expect(i18n.t("zh-CN", "dispatch-extra-args", { count: 1234, tokens: "x" })).toBe("多余的参数（1,234 个）：x");
  });

  it("groups numbers per locale", () => {
    expect(formatNumber("en", 1234567.5)).toBe("1,234,567.5");
    expect(formatNumber("zh-CN", 1234567.5)).toBe("1,234,567.5");
    expect(i18n.translator("en").number(0.25, { style: "percent" })).toBe("25%");
  });

  it("formats money exactly from integer minor units in each language", () => {
    const cny = (amountMinor: number) => ({ amountMinor, currency: "CNY" });
    expect(plain(formatMoney("zh-CN", cny(123450)))).toBe("¥1,234.50");
    expect(plain(formatMoney("en", cny(123450)))).toBe("CN¥1,234.50");
    expect(plain(formatMoney("zh-CN", cny(-5)))).toBe("-¥0.05");
    expect(plain(formatMoney("en", { amountMinor: 1200, currency: "JPY" }))).toBe("¥1,200");
    expect(plain(formatMoney("zh-CN", { amountMinor: 1999, currency: "USD" }))).toBe("US$19.99");
    expect(plain(formatMoney("en", { amountMinor: 1999, currency: "USD" }))).toBe("$19.99");
    expect(plain(formatMoney("en", { amountMinor: 1234567, currency: "KWD" }))).toBe("KWD 1,234.567");
    // Beyond float precision for 2 decimals: the digits come from the integer, not from x / 100.
    expect(plain(formatMoney("en", { amountMinor: Number.MAX_SAFE_INTEGER, currency: "USD" }))).toBe(
      "$90,071,992,547,409.91",
    );
  });
});

describe("times name their zone", () => {
  const evening = at("2026-12-01T19:04:00Z");
  const night = at("2026-12-01T19:06:00Z");

  it("shows UTC and 北京时间 as the issue asks", () => {
    expect(formatTime("en", evening, "UTC")).toBe("19:04 UTC");
    expect(formatTime("zh-CN", night, "Asia/Shanghai")).toBe("03:06 北京时间");
    expect(formatTime("en", night, "Asia/Shanghai")).toBe("03:06 Beijing time");
    expect(formatTime("zh-CN", evening, "UTC")).toBe("19:04 UTC");
  });

  it("uses Intl's names elsewhere, daylight saving included", () => {
    expect(zoneLabel("en", "America/New_York", at("2026-01-15T12:00:00Z"))).toBe("EST");
    expect(zoneLabel("en", "America/New_York", at("2026-07-15T12:00:00Z"))).toBe("EDT");
    expect(formatTime("en", at("2026-07-15T12:00:00Z"), "America/New_York")).toBe("08:00 EDT");
    expect(zoneLabel("zh-CN", "America/New_York")).toBe("纽约时间");
  });

  it("formats days and day-times in the zone, which may be another calendar day", () => {
    expect(formatDate("en", night, "UTC")).toBe("Dec 1, 2026");
    expect(formatDate("zh-CN", night, "Asia/Shanghai")).toBe("2026年12月2日");
    expect(formatDateTime("en", night, "UTC")).toBe("Dec 1, 19:06 UTC");
    expect(formatDateTime("zh-CN", night, "Asia/Shanghai")).toBe("12月2日 03:06 北京时间");
    expect(formatDateTime("zh-CN", night, "Asia/Shanghai", { withYear: true })).toBe("2026年12月2日 03:06 北京时间");
  });

  it("a translator uses the one configured zone", () => {
    const tr = createI18n({ timeZone: "Asia/Shanghai" }).translator("zh-CN");
    expect(tr.time(night)).toBe("03:06 北京时间");
    expect(tr.zone()).toBe("北京时间");
    expect(createI18n({ timeZone: "Asia/Shanghai" }).translator("en").dateTime(night)).toBe(
      "Dec 2, 03:06 Beijing time",
    );
  });
});

describe("choosing the language", () => {
  it("prefers the person, then the chat, the transport, the config, WeCom's zh-CN, then en", () => {
    const config = LanguageConfigSchema.parse({
      transports: { telegram: { language: "zh-CN", chats: { "-100": "en" } } },
    });
    expect(resolveLocaleWithSource({ config, transport: "telegram", chatId: "-100", userPref: "zh-CN" })).toEqual({
      locale: "zh-CN",
      source: "user",
    });
    expect(resolveLocaleWithSource({ config, transport: "telegram", chatId: "-100" })).toEqual({
      locale: "en",
      source: "chat",
    });
    expect(resolveLocaleWithSource({ config, transport: "telegram", chatId: "-200" })).toEqual({
      locale: "zh-CN",
      source: "transport",
    });
    expect(resolveLocaleWithSource({ config, transport: "wecom", chatId: "zhangsan" })).toEqual({
      locale: "zh-CN",
      source: "transport-default",
    });
    expect(resolveLocaleWithSource({ config, transport: "console" })).toEqual({ locale: "en", source: "default" });
    expect(resolveLocale({ config: { language: "en" }, transport: "wecom" })).toBe("en");
    expect(resolveLocale({ config: { language: "zh-CN" }, transport: "console" })).toBe("zh-CN");
    expect(() => LanguageConfigSchema.parse({ language: "fr" })).toThrow(/expected one of en, zh-CN/);
  });

  it("reads what people type after /lang", () => {
    expect(["zh", "中文", "zh_CN", "ZH-cn", "cn"].map(parseLocale)).toEqual([
      "zh-CN",
      "zh-CN",
      "zh-CN",
      "zh-CN",
      "zh-CN",
    ]);
    expect(["en", "English", "英文"].map(parseLocale)).toEqual(["en", "en", "en"]);
    expect(parseLocale("fr")).toBeUndefined();
  });

  it("stores one person's choice without touching another's", () => {
    const ledger = testLedger({ start: "2026-12-01T10:00:00Z" });
    const { db, clock } = ledger;
    const store = {
      get: ledger.languages.getLanguage,
      set: ledger.languages.setLanguage,
      clear: ledger.languages.clearLanguage,
    };
    store.set("wecom:zhangsan", "zh-CN");
    store.set("tg:7", "en");
    clock.advance(60_000);
    store.set("tg:7", "zh-CN");
    expect(store.get("wecom:zhangsan")).toBe("zh-CN");
    expect(store.get("tg:7")).toBe("zh-CN");
    expect(store.get("tg:8")).toBeUndefined();
    expect(db.prepare("SELECT user_key, locale, updated_at FROM user_language ORDER BY user_key").all()).toEqual([
      { user_key: "tg:7", locale: "zh-CN", updated_at: "2026-12-01T10:01:00.000Z" },
      { user_key: "wecom:zhangsan", locale: "zh-CN", updated_at: "2026-12-01T10:00:00.000Z" },
    ]);
    expect(store.clear("tg:7")).toBe(true);
    expect(store.clear("tg:7")).toBe(false);
    expect(store.get("wecom:zhangsan")).toBe("zh-CN");
    expect(() => db.prepare("INSERT INTO user_language VALUES ('x', 'fr', 'now')").run()).toThrow(/CHECK constraint/);
    db.close();
  });
});

describe("command declarations in two languages", () => {
  const decls = [
    {
      name: "stock",
      args: z.object({ sku: z.string() }),
      aliases: { "zh-CN": ["库存", "查库存"] },
      argText: { sku: { name: msg("arg-sku"), description: msg("arg-sku-help") } },
    },
    {
      name: "refund",
      args: z.object({ order: z.string(), reason: z.string().optional() }),
      aliases: { "zh-CN": ["退款"] },
      argText: { reason: { name: msg("arg-reason") } },
    },
    {
      name: "approve-refund",
      args: z.object({ id: z.string() }),
      aliases: { "zh-CN": ["批准退款"], en: ["ok-refund"] },
    },
    { name: "set", args: z.object({ sku: z.string(), qty: z.string() }) },
  ];
  const index = buildAliasIndex(decls);

  it("maps Chinese names, with or without / (also the full-width ／) or a space, onto the canonical command", () => {
    expect(index.canonical("库存 A-1")).toBe("/stock A-1");
    expect(index.canonical("/库存 A-1")).toBe("/stock A-1");
    expect(index.canonical("／库存　A-1")).toBe("/stock A-1");
    expect(index.canonical("库存A-1")).toBe("/stock A-1");
    expect(index.canonical("查库存 A-1")).toBe("/stock A-1");
    expect(index.canonical("库存")).toBe("/stock");
    expect(index.match("批准退款 R-9")).toEqual({ name: "approve-refund", alias: "批准退款", rest: "R-9" });
    expect(index.match("退款 O-1 坏了")).toEqual({ name: "refund", alias: "退款", rest: "O-1 坏了" });
    expect(index.canonical("OK-Refund R-9")).toBe("/approve-refund R-9");
    expect(index.canonical("ok-refundR-9")).toBeUndefined();
    expect(index.canonical("/stock A-1")).toBeUndefined();
    expect(index.canonical("你好")).toBeUndefined();
    expect(index.aliasesOf("stock", "zh-CN")).toEqual(["库存", "查库存"]);
    expect(index.aliasesOf("set", "zh-CN")).toEqual([]);
  });

  it("refuses aliases that collide or cannot be typed as one word", () => {
    const stock = { name: "stock", args: z.object({}) };
    expect(() =>
      buildAliasIndex([
        stock,
        { name: "count", args: z.object({}), aliases: { "zh-CN": ["库存"] } },
        { ...stock, aliases: { "zh-CN": ["库存"] } },
      ]),
    ).toThrow(/declared by both/);
    expect(() => buildAliasIndex([stock, { name: "levels", args: z.object({}), aliases: { en: ["Stock"] } }])).toThrow(
      /already a command name/,
    );
    expect(() => buildAliasIndex([{ ...stock, aliases: { "zh-CN": ["查 库存"] } }])).toThrow(/one word/);
  });

  it("renders usage and summaries in the reader's language", () => {
    const i18n = createI18n({ timeZone: "UTC" });
    const en = i18n.translator("en");
    const zh = i18n.translator("zh-CN");
    expect(localizedUsage(decls[0]!, en)).toBe("/stock SKU");
    expect(localizedUsage(decls[0]!, zh)).toBe("/stock 货号");
    expect(localizedUsage(decls[0]!, zh, { viaAlias: true })).toBe("库存 货号");
    expect(localizedUsage(decls[1]!, zh)).toBe("/refund 订单号 [原因]");
    expect(textOf(zh, msg("dispatch-failed", { ref: "abc123" }))).toBe("出错了（编号 abc123），详情已记录在日志中。");
    expect(textOf(zh, "plain text stays")).toBe("plain text stays");
  });
});

describe("the dispatcher speaks the sender's language", () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ access: { operators: ["tg:3"], viewers: ["tg:4", "tg:5"] } });
    t.app.deps.ledger.stock.upsertSku(
      { sku: SkuSchema.parse("A-12"), title: "Red tee", onHand: 20 },
      { actor: "test", idempotencyKey: "seed" },
    );
  });
  afterEach(async () => t.close());

  it("answers unknown commands, refusals and usage in Chinese for one person and English for another", async () => {
    const store = { get: t.app.deps.languages.getLanguage, set: t.app.deps.languages.setLanguage };
    const dispatcher = createDispatcher({
      commands,
      deps: t.app.deps,
      localeOf: (who) =>
        resolveLocale({
          config: { language: "en" },
          transport: who.transport,
          chatId: who.chatId,
          userPref: store.get(who.userId),
        }),
    });
    store.set("tg:4", "zh-CN");
    const run = (text: string, userId: string) =>
      dispatcher.handle({ transport: "telegram", chatId: "-100", userId, text });

    expect((await run("/stok A-12", "tg:4")).reply.text).toBe(
      "没有 /stok 这个命令。你是不是想用 /stock？发送 /help 查看你能用的命令。",
    );
    expect((await run("/stok A-12", "tg:5")).reply.text).toBe(
      "Unknown command /stok. Did you mean /stock? /help lists what you can run.",
    );
    expect((await run("/set A-12 3", "tg:4")).reply.text).toBe(
      "/set 需要操作员权限，你目前是查看者。如需使用，请联系管理员。",
    );
    expect((await run("/set A-12 3", "tg:5")).reply.text).toBe(
      "/set needs the operator role; you are viewer. Ask an admin if you need it.",
    );
    expect((await run("/history A-12 5 x y", "tg:4")).reply.text).toMatch(
      /多余的参数（2 个）：x y\.\n用法：\/history 货号 \[条数\]$/,
    );
    expect((await run("/zzzzzzzz", "tg:5")).reply.text).toBe(
      "Unknown command /zzzzzzzz. /help lists what you can run.",
    );
    expect(t.app.deps.ledger.stock.getLevel("A-12").onHand).toBe(20);
  });
});

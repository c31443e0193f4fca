import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import ky from "ky";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { commands } from "../commands/index.js";
import { parseWebhookJson, toMinor, verifyHmacHeader } from "../src/channels/http.js";
import { sendUnstoredAlert } from "../src/chat/alert-sender.js";
import { createCallbackCrypto } from "../src/chat/wecom/crypto-callback.js";
import { parseWecomXml } from "../src/chat/wecom/wire.js";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { isAppError } from "../src/errors.js";
import { textOf } from "../src/i18n/commands.js";
import { renderRef, textRef } from "../src/i18n/ref.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { initFiles } from "../src/init.js";
import { apologyText } from "../src/radar/rules.js";
import { parseJsonText, send, statusError, unexpectedShape } from "../src/upstream/http.js";
import { telegramError } from "../src/upstream/telegram.js";
import { tempDir, testApp } from "./support/app.js";
import { englishWords } from "./support/chinese.js";
import { runMain } from "./support/cli.js";
import { seed, testLedger } from "./support/ledger.js";

const zh = sharedI18n("UTC").translator("zh-CN");

/** Brand names, setting names and wire field names a Chinese line may keep. */
const ALLOWED = [
  "stockradar",
  "Shopify",
  "WooCommerce",
  "Kdniao",
  "Kuaidi100",
  "JSON",
  "XML",
  "xml",
  "webhook",
  "webhookSecret",
  "http",
  "https",
  "EncodingAESKey",
  "msg_signature",
  "timestamp",
  "nonce",
  "errcode",
  "gettoken",
  "cron",
  "USD",
  "CNY",
  "ISO",
  "IANA",
  "Asia/Shanghai",
  "yaml",
  "stockradar.yaml",
  "env",
  "doctor",
  "true",
  "false",
  "help",
];

/** Latin words (3+ letters) in `text` outside the allow-list; [] means Chinese end to end. */
const latin = (text: string, allowed: string[] = []): string[] =>
  englishWords(text, [...ALLOWED, ...allowed]).filter((w) => /[A-Za-z]{3,}/.test(w));

/** What `fn` throws, rendered in Chinese from its catalog message (an error without one fails the test). */
function zhOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isAppError(err), String(err)).toBe(true);
    if (!isAppError(err)) return "";
    expect(err.i18n, `${err.code} has no catalog message`).toBeDefined();
    return err.i18n ? renderRef(zh, err.i18n) : err.userMessage;
  }
  throw new Error("did not throw");
}

describe("errors that reach a Chinese reader carry Chinese text", () => {
  it("webhook, amount and WeCom callback refusals", () => {
    const lines = [
      zhOf(() => verifyHmacHeader("Shopify", undefined, Buffer.from("{}"), "x")),
      zhOf(() => verifyHmacHeader("Shopify", "s3cret-value", Buffer.from("{}"), undefined)),
      zhOf(() => verifyHmacHeader("Shopify", "s3cret-value", Buffer.from("{}"), "bad")),
      zhOf(() => parseWebhookJson("Shopify", Buffer.from("not json"), z.object({ id: z.number() }))),
      zhOf(() => parseWebhookJson("Shopify", Buffer.from("{}"), z.object({ id: z.number() }))),
      zhOf(() => toMinor("12,5", "USD")),
      zhOf(() =>
        createCallbackCrypto({
          token: "t",
          encodingAesKey: "short",
          receiveId: "c",
          clock: manualClock("2026-12-01T00:00:00Z"),
          windowSeconds: 600,
        }),
      ),
      zhOf(() => parseWecomXml("<<<")),
      zhOf(() => parseWecomXml("<root/>")),
    ];
    for (const l of lines) {
      expect(l).toMatch(/[\u4e00-\u9fff]/);
      expect(latin(l), l).toEqual([]);
    }
  });

  it("upstream failures: status, unreachable, not JSON, unknown shape", async () => {
    const refs = [401, 404, 429, 400, 503, 504].map(
      (status) => statusError({ provider: "Shopify", status, headers: new Headers(), now: new Date(0) }).i18n,
    );
    refs.push(unexpectedShape("Shopify", "JSON", []).i18n);
    try {
      parseJsonText("Shopify", "<html>");
    } catch (err) {
      refs.push((err as { i18n?: ReturnType<typeof textRef> }).i18n);
    }
    // A port that was open and is closed again: nothing listens there.
    const port = await new Promise<number>((done) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => done(p));
      });
    });
    const err = await send(ky.create({}), "Shopify", { method: "GET", url: `http://127.0.0.1:${port}/` }).catch(
      (e: unknown) => e,
    );
    refs.push((err as { i18n?: ReturnType<typeof textRef> }).i18n);
    for (const r of refs) {
      expect(r).toBeDefined();
      const l = renderRef(zh, r!);
      expect(latin(l), l).toEqual([]);
    }
  });

  it("Telegram failures, a refund whose channel did not answer, and the apology's carrier name", async () => {
    const { GrammyError, HttpError } = await import("grammy");
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    const errs = [
      telegramError(new HttpError("x", timeout)),
      telegramError(new HttpError("x", new Error("ECONNREFUSED"))),
      telegramError(
        new GrammyError("x", { ok: false, error_code: 400, description: "Bad Request" }, "sendMessage", {}),
      ),
    ];
    for (const e of errs) {
      expect(isAppError(e) && e.i18n, String(e)).toBeTruthy();
      const l = renderRef(zh, (e as { i18n: ReturnType<typeof textRef> }).i18n);
      expect(latin(l, ["Telegram", "sendMessage"]), l).toEqual([]);
    }
    for (const id of ["refund-no-answer", "refund-no-api"] as const) {
      const l = renderRef(zh, textRef(id, { channel: "shop1", id: "R-1" }));
      expect(latin(l, ["shop1"]), l).toEqual([]);
    }
    const parcel = (country: string) =>
      ({
        carrier: "shunfeng",
        trackingNo: "SF1234567890",
        destination: { country },
      }) as unknown as Parameters<typeof apologyText>[0];
    const enApology = apologyText(parcel("US"), "stalled");
    expect(enApology).toContain("(SF Express SF1234567890)");
    expect(enApology).not.toMatch(/\p{Script=Han}/u);
    expect(apologyText(parcel("CN"), "stalled")).toContain("顺丰");
  });

  it("reservation refusals from the ledger", () => {
    const ledger = testLedger();
    const a = seed(ledger, "A-1", 5);
    const lines = [
      zhOf(() => ledger.reservations.getReservation("r-404")),
      zhOf(() => ledger.reservations.reserveHold({ sku: a, qty: 0, ttlSeconds: 60, actor: "t", idempotencyKey: "k" })),
    ];
    const { reservation } = ledger.reservations.reserveHold({
      sku: a,
      qty: 1,
      ttlSeconds: 60,
      actor: "t",
      idempotencyKey: "k1",
    });
    ledger.clock.advance(120_000);
    lines.push(zhOf(() => ledger.reservations.commitHold(reservation.id)));
    lines.push(zhOf(() => ledger.reservations.resizeOrderLine(reservation.id, 2, "t")));
    for (const l of lines) expect(latin(l, ["r-404"]), l).toEqual([]);
  });

  it("config_invalid: one Chinese line per key, with did-you-mean", () => {
    const text = zhOf(() =>
      parseConfig(
        { language: "zh-CN", timezon: "UTC", database: 5, chat: { alertResendMinutes: -1 } },
        {},
        "stockradar.yaml",
      ),
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe("stockradar.yaml 配置有误：");
    expect(text).toContain("timezon：未知的设置项（是不是想写“timezone”？）");
    expect(text).toContain("database：应为文本");
    for (const l of lines)
      expect(latin(l, ["timezon", "timezone", "database", "chat.alertResendMinutes"]), l).toEqual([]);
  });

  it("the disk-full alert sent from memory follows each chat's language", async () => {
    const sent: string[] = [];
    await sendUnstoredAlert(
      { notify: async (r) => void sent.push((await r.localize!(zh)).text) },
      { severity: "critical", message: textRef("disk-full-alert", { dir: "/var/lib/stockradar" }) },
    );
    expect(sent[0]).toMatch(/^🔴 磁盘已满/);
    expect(latin(sent[0]!, ["/var/lib/stockradar"])).toEqual([]);
  });
});

describe("the command line before a config exists", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    vi.unstubAllEnvs();
  });

  const run = (argv: string[]) => runMain(argv);

  it("--help follows --lang, then LANG", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const none = join(t.dir, "absent.yaml");
    vi.stubEnv("LANG", "zh_CN.UTF-8");
    const byEnv = await run(["--help", "--config", none]);
    expect(byEnv.stdout).toContain("用法：stockradar <命令> [--config 文件]");
    const byFlag = await run(["--help", "--lang", "en", "--config", none]);
    expect(byFlag.stdout).toContain("Usage: stockradar <command>");
    // Both languages list --lang itself.
    expect(byEnv.stdout).toContain("[--lang en|zh-CN]");
    expect(byFlag.stdout).toContain("[--lang en|zh-CN]");
  });

  it("command examples come from the catalog: /help adjust in Chinese has no English words in its examples", async () => {
    const t = await testApp({ language: "zh-CN" });
    try {
      const zhHelp = (await t.run("/help adjust")).reply.text;
      expect(zhHelp).toContain("/adjust A-12 +24 供应商到货");
      expect(zhHelp).not.toContain("delivery from supplier");
      await t.run("/lang en");
      expect((await t.run("/help adjust")).reply.text).toContain("/adjust A-12 +24 delivery from supplier");
    } finally {
      await t.close();
    }
  });

  it("every command example with words is in the reader's language: no English words in any zh-CN example", () => {
    // Keywords the parsers take as they are (not translated) and ids in the examples.
    const keywords = [
      "all",
      "low",
      "status",
      "release",
      "discard",
      "end",
      "remove",
      "risk",
      "norisk",
      "min",
      "max",
      "reset",
      "home",
      "shop1",
      "woo",
      "sf",
      "zto",
      "gid",
      "shopify",
      "InventoryItem",
      "USD",
      "EUR",
    ];
    const found: string[] = [];
    for (const c of commands)
      for (const e of c.examples ?? []) {
        const words = latin(textOf(zh, e), keywords);
        if (words.length) found.push(`${c.name}: ${textOf(zh, e)} (${words.join(", ")})`);
      }
    expect(found).toEqual([]);
  });

  it("an invalid config is refused in the language it names", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const yaml = join(t.dir, "stockradar.yaml");
    writeFileSync(yaml, "language: zh-CN\ntimezon: UTC\n");
    const r = await run(["doctor", "--config", yaml]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("timezon：未知的设置项（是不是想写“timezone”？）");
    for (const l of r.stderr.trim().split("\n")) expect(latin(l, ["timezon", "timezone"]), l).toEqual([]);
  });

  it("a bad Shopify location mapping is refused in Chinese, not as 取值无效 with English inside", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const yaml = join(t.dir, "stockradar.yaml");
    writeFileSync(
      yaml,
      "language: zh-CN\nchannels:\n  - id: shop1\n    kind: shopify\n    shop: demo\n    accessToken: shpat_0123456789abcdef\n    locations:\n      home: Location-1\n",
    );
    const r = await run(["doctor", "--config", yaml]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("应为 Shopify 仓位 ID，例如 gid://shopify/Location/1");
    expect(r.stderr).not.toContain("expected a Shopify location id");
    // Without locationId or locations, the same: Chinese.
    writeFileSync(
      yaml,
      "language: zh-CN\nchannels:\n  - id: shop1\n    kind: shopify\n    shop: demo\n    accessToken: shpat_0123456789abcdef\n",
    );
    const missing = await run(["doctor", "--config", yaml]);
    expect(missing.stderr).toContain("需要 locationId，或 locations 仓位映射");
    expect(missing.stderr).not.toContain("取值无效");
  });

  it("init in Chinese writes language: zh-CN", () => {
    expect(initFiles({ channels: [], chat: "console", language: "zh-CN" }).yaml).toMatch(/^language: zh-CN$/m);
    expect(initFiles({ channels: [], chat: "console" }).yaml).toMatch(/^# language: zh-CN$/m);
    const done = zh.t("first-init-done", { yaml: "/tmp/x/stockradar.yaml", env: "/tmp/x/.env" });
    expect(latin(done, ["/tmp/x/stockradar.yaml", "/tmp/x/.env"])).toEqual([]);
  });
});

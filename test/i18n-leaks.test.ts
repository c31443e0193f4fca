import { writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import ky from "ky";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { commands } from "../commands/index.js";
import { createEbayChannel, type EbayConfig } from "../src/channels/ebay.js";
import { parseWebhookJson, toMinor, verifyHmacHeader } from "../src/channels/http.js";
import { mapPddError } from "../src/channels/pinduoduo.js";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import { createTaobaoChannel, mapTopError, type TaobaoConfig } from "../src/channels/taobao.js";
import { createWooChannel } from "../src/channels/woocommerce.js";
import { sendUnstoredAlert } from "../src/chat/alert-sender.js";
import { createCallbackCrypto } from "../src/chat/wecom/crypto-callback.js";
import { parseWecomXml } from "../src/chat/wecom/wire.js";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { type AppError, isAppError } from "../src/errors.js";
import { textOf } from "../src/i18n/commands.js";
import { reasonOf } from "../src/i18n/errors.js";
import { renderRef, textRef } from "../src/i18n/ref.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { asSku } from "../src/ids.js";
import { importSkus } from "../src/import.js";
import { initFiles } from "../src/init.js";
import { describeConflict } from "../src/onboarding/report.js";
import { apologyText } from "../src/radar/rules.js";
import { startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import { startShopifySim } from "../src/sandbox/shopify.js";
import { startTaobaoSandbox } from "../src/sandbox/taobao.js";
import { startWooSim } from "../src/sandbox/woocommerce.js";
import { parseJsonText, send, statusError, unexpectedShape } from "../src/upstream/http.js";
import { telegramError } from "../src/upstream/telegram.js";
import { tempDir, testApp } from "./support/app.js";
import { channelDeps, wooConfig } from "./support/channels.js";
import { englishWords } from "./support/chinese.js";
import { runMain } from "./support/cli.js";
import { cnChannelDeps } from "./support/cn.js";
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

  it("a CSV import's row problems are Chinese for a Chinese reader, zod's and our own texts alike", async () => {
    const t = await testApp({ language: "zh-CN" });
    const d = tempDir();
    try {
      const file = join(d.dir, "skus.csv");
      writeFileSync(file, "sku,title,on_hand\nA-1,红色T恤,5\nbad sku,杯子,1\nC-3,帽子,-1\nD-4,袜子,many\n");
      const report = importSkus(t.app.deps, file, "cli", zh);
      expect(report.applied).toBe(1);
      expect(report.problems).toHaveLength(3);
      expect(report.problems[0]).toBe("第 3 行：sku：应为 1–64 个字母、数字或 . _ - / #（不含空格和引号），例如 A-12");
      for (const l of report.problems) expect(latin(l, ["sku", "on_hand"]), l).toEqual([]);
      const en = importSkus(t.app.deps, file, "cli", sharedI18n("UTC").translator("en"));
      expect(en.problems[0]).toBe(
        "line 3: sku: must be 1–64 letters, digits or . _ - / # (no spaces or quotes), e.g. A-12",
      );
    } finally {
      d.cleanup();
      await t.close();
    }
  });

  it("init in Chinese writes language: zh-CN", () => {
    expect(initFiles({ channels: [], chat: "console", language: "zh-CN" }).yaml).toMatch(/^language: zh-CN$/m);
    expect(initFiles({ channels: [], chat: "console" }).yaml).toMatch(/^# language: zh-CN$/m);
    const done = zh.t("first-init-done", { yaml: "/tmp/x/stockradar.yaml", env: "/tmp/x/.env" });
    expect(latin(done, ["/tmp/x/stockradar.yaml", "/tmp/x/.env"])).toEqual([]);
  });
});

describe("channel refusals reach a Chinese reader in Chinese (issue 15)", () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  /** The provider's own words are kept, quoted after our sentence; only our sentence must be Chinese. */
  const ours = (text: string): string => text.replace(/“[^”]*”/g, "“…”");
  /** What the push_rejected alert says to a Chinese group about this outcome's error. */
  const alertText = (channel: string, sku: string, o: { ok: boolean; error?: unknown }): string => {
    expect(o.ok).toBe(false);
    const err = o.error as AppError;
    expect(err.i18n, `${err.code} has no catalog message`).toBeDefined();
    return renderRef(zh, textRef("alert-push-rejected", { channel, sku, code: err.code, reason: reasonOf(err) }));
  };

  it("stockradar import channel: Pinduoduo's error_response 10016 is refused in Chinese on stderr", async () => {
    const pdd = await startPinduoduoSandbox({
      clientId: "right-client",
      clientSecret: "s3cret-pdd",
      accessToken: "tok",
    });
    const t = tempDir();
    closers.push(() => pdd.close(), t.cleanup);
    const yaml = join(t.dir, "stockradar.yaml");
    writeFileSync(
      yaml,
      [
        "language: zh-CN",
        `database: ${join(t.dir, "ledger.db")}`,
        "http: { enabled: false }",
        "channels:",
        "  - id: pdd1",
        "    kind: pinduoduo",
        "    clientId: wrong-client",
        "    clientSecret: s3cret-pdd",
        "    accessToken: tok",
        `    apiBase: ${pdd.url}`,
      ].join("\n"),
    );
    const r = await runMain(["import", "channel", "pdd1", "--config", yaml]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("拼多多不认识渠道 pdd1 的 clientId");
    expect(latin(r.stderr, ["pdd1", "clientId"]), r.stderr).toEqual([]);
  });

  it("Taobao: a TOP error_response with a sub_code becomes a Chinese alert, TOP's own words quoted", async () => {
    const ledger = testLedger();
    const tb = await startTaobaoSandbox({
      appKey: "12345678",
      appSecret: "s3cret-top",
      session: "sess",
      clock: ledger.clock,
      items: [{ numIid: "612345678902", title: "Teapot", outerId: "POT-1", approveStatus: "onsale", num: 5, skus: [] }],
    });
    closers.push(
      () => tb.close(),
      () => ledger.close(),
    );
    const config = parseConfig({
      channels: [
        { id: "tb1", kind: "taobao", appKey: "12345678", appSecret: "s3cret-top", session: "sess", apiBase: tb.url },
      ],
    }).channels[0] as TaobaoConfig;
    const ch = createTaobaoChannel({ ...cnChannelDeps("tb1", ledger.clock), config, alerts: ledger.alerts });
    tb.failNext("taobao.item.quantity.update", {
      code: 15,
      msg: "Remote service error",
      sub_code: "isv.item-is-delete:invalid-numIid-or-iid",
      sub_msg: "该商品已被删除",
    });
    const [o] = await ch.pushStock([{ sku: asSku("POT-1"), ref: "612345678902", quantity: 1 }], {
      idempotencyKey: "k",
      signal: new AbortController().signal,
    });
    const text = alertText("tb1", "POT-1", o!);
    expect(text).toContain(
      "淘宝拒绝了渠道 tb1 的 taobao.item.quantity.update 调用（代码 isv.item-is-delete:invalid-numIid-or-iid）",
    );
    expect(text).toContain("“该商品已被删除”");
    expect(latin(ours(text), ["tb1", "taobao.item.quantity.update", "POT-1", "isv"]), text).toEqual([]);
    // Signature, app key, session: the mapper's configuration refusals, in Chinese too.
    for (const code of [25, 29, 11, 31, 27, 7, 10]) {
      const l = zhOf(() => {
        throw mapTopError({ code }, "taobao.items.onsale.get", "tb1");
      });
      expect(
        latin(l, ["tb1", "taobao.items.onsale.get", "appSecret", "signMethod", "appKey", "open.taobao.com", "session"]),
        l,
      ).toEqual([]);
    }
  });

  it("channel import: a SKU the ledger refused is listed with the refusal in Chinese", () => {
    const ledger = testLedger();
    closers.push(() => ledger.close());
    let err: AppError | undefined;
    try {
      ledger.reservations.getReservation("r-404");
    } catch (e) {
      err = e as AppError;
    }
    const line = describeConflict(
      { kind: "refused", channelId: "shop1", sku: "A-1", ref: "gid://shopify/InventoryItem/1", reason: reasonOf(err!) },
      zh,
    );
    expect(line).toContain("预留 r-404 不存在");
    expect(latin(line, ["shop1", "A-1", "gid", "r-404"]), line).toEqual([]);
  });

  it("Pinduoduo: every mapped error_response code reads as Chinese", () => {
    for (const code of [10016, 10019, 20032, 20035, 20004, 20005, 20031, 52101, 52004, 70033, 70036, 70034, 99999]) {
      const l = zhOf(() => {
        throw mapPddError({ error_code: code, error_msg: "参数错误" }, "pdd.goods.list.get", "pdd1");
      });
      expect(l).toMatch(/拼多多/);
      expect(
        latin(ours(l), ["pdd1", "pdd.goods.list.get", "clientId", "accessToken", "clientSecret", "apiBase"]),
        `${code}: ${l}`,
      ).toEqual([]);
    }
  });

  it("Shopify: an inventorySetQuantities userError becomes a Chinese alert with Shopify's message quoted", async () => {
    const sim = await startShopifySim();
    closers.push(() => sim.close());
    const shop = createShopifyChannel({
      ...channelDeps("shop1"),
      config: {
        id: "shop1",
        kind: "shopify",
        shop: "sandbox.myshopify.com",
        accessToken: sim.accessToken,
        locationId: sim.locationId,
        apiBase: sim.url,
        apiVersion: sim.apiVersion,
        timeoutMs: 2_000,
        bufferUnits: 0,
        failureAlertAfter: 5,
        unhealthyAfterMinutes: 15,
      } as ShopifyConfig,
    });
    const [o] = await shop.pushStock(
      [{ sku: asSku("GONE-1"), ref: "gid://shopify/InventoryItem/999999", quantity: 3 }],
      {
        idempotencyKey: "k",
        signal: new AbortController().signal,
      },
    );
    const text = alertText("shop1", "GONE-1", o!);
    expect(text).toContain("Shopify 拒绝了 GONE-1 的数量（INVALID_INVENTORY_ITEM）。Shopify 原文：“");
    expect(latin(ours(text), ["shop1", "GONE-1", "INVALID_INVENTORY_ITEM"]), text).toEqual([]);
  });

  it("WooCommerce: a batch item's {code, message} error and a missing answer become Chinese alerts", async () => {
    const sim = await startWooSim();
    closers.push(() => sim.close());
    const woo = createWooChannel({
      ...channelDeps("woo1"),
      config: wooConfig(sim),
    });
    const [p] = sim.seedProducts(1, { stock: 1 });
    sim.state.itemFaults.set(p!.id, {
      code: "woocommerce_rest_cannot_edit",
      message: "Sorry, you are not allowed to edit this resource.",
      status: 403,
    });
    const [o] = await woo.pushStock([{ sku: asSku(p!.sku), ref: String(p!.id), quantity: 7 }], {
      idempotencyKey: "k",
      signal: new AbortController().signal,
    });
    const text = alertText("woo1", p!.sku, o!);
    expect(text).toContain(
      `WooCommerce 拒绝了 ${p!.sku} 的数量（woocommerce_rest_cannot_edit）。WooCommerce 原文：“Sorry`,
    );
    expect(latin(ours(text), ["woo1", p!.sku]), text).toEqual([]);
    const bad = await woo.pushStock([{ sku: asSku("X-1"), ref: "not-an-id", quantity: 1 }], {
      idempotencyKey: "k2",
      signal: new AbortController().signal,
    });
    expect(latin(alertText("woo1", "X-1", bad[0]!), ["woo1", "X-1", "not-an-id"])).toEqual([]);
  });

  it("eBay: a bulk answer that leaves a SKU out is 'no answer' in Chinese", async () => {
    const server = createHttpServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/identity/v1/oauth2/token"))
        return res.end(
          JSON.stringify({ access_token: "v^1.1#token", expires_in: 7200, token_type: "User Access Token" }),
        );
      // bulk_update_price_quantity answers 200 with no response for our SKU.
      res.end(JSON.stringify({ responses: [] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const ebay = createEbayChannel({
      ...channelDeps("ebay1"),
      config: {
        id: "ebay1",
        kind: "ebay",
        clientId: "client",
        clientSecret: "s3cret-ebay",
        refreshToken: "refresh",
        apiBase: url,
        marketplaceId: "EBAY_US",
        scopes: ["https://api.ebay.com/oauth/api_scope/sell.inventory"],
        timeoutMs: 2_000,
        bufferUnits: 0,
        failureAlertAfter: 5,
        unhealthyAfterMinutes: 15,
      } as EbayConfig,
    });
    const [o] = await ebay.pushStock([{ sku: asSku("MUG-1"), ref: "MUG-1", quantity: 2 }], {
      idempotencyKey: "k",
      signal: new AbortController().signal,
    });
    const text = alertText("ebay1", "MUG-1", o!);
    expect(text).toContain("eBay 没有返回 MUG-1 的结果");
    expect(latin(text, ["ebay1", "MUG-1", "eBay"]), text).toEqual([]);
  });
});

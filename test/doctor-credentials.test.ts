import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { runDoctor } from "../src/doctor.js";
import { EXAMPLE_TOKENS, exposedTokenFindings, networkCause } from "../src/doctor-credentials.js";
import { isAppError } from "../src/errors.js";
import { renderRef } from "../src/i18n/ref.js";
import { createI18n } from "../src/i18n/translator.js";
import { openDatabase } from "../src/ledger/db.js";
import { startAmazonSim } from "../src/sandbox/amazon.js";
import { startEbaySim } from "../src/sandbox/ebay.js";
import { listen } from "../src/sandbox/http.js";
import { startShopifySim } from "../src/sandbox/shopify.js";
import { startWooSim } from "../src/sandbox/woocommerce.js";
import { tempDir } from "./support/app.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const en = createI18n({ timeZone: "UTC" }).translator("en");

function configIn(dir: string, raw: Record<string, unknown>) {
  return parseConfig({ database: join(dir, "ledger.db"), http: { enabled: false }, ...raw }, {});
}

async function channelLines(raw: Record<string, unknown>): Promise<{ ok: boolean; line: string }[]> {
  const { dir, cleanup } = tempDir();
  closers.push(cleanup);
  return (await runDoctor(configIn(dir, raw), "test")).filter((f) => /^(channel|渠道) /.test(f.line));
}

describe("doctor: credentials", () => {
  it("fails Amazon LWA and eBay OAuth credentials the token endpoint refuses, naming the setting; passes the right ones", async () => {
    const amz = await startAmazonSim();
    const bay = await startEbaySim();
    closers.push(amz.close, bay.close);
    const amazon = (o: { secret?: string; refresh?: string } = {}) => ({
      id: "amz",
      kind: "amazon",
      region: "eu",
      sellerId: "A1SELLER",
      marketplaceIds: ["A1PA6795UKMFR9"],
      lwaClientId: amz.clientId,
      lwaClientSecret: o.secret ?? amz.clientSecret,
      refreshToken: o.refresh ?? amz.refreshToken,
      apiBase: amz.url,
      tokenUrl: amz.tokenUrl,
    });
    const ebay = (o: { secret?: string; refresh?: string } = {}) => ({
      id: "bay",
      kind: "ebay",
      clientId: bay.clientId,
      clientSecret: o.secret ?? bay.clientSecret,
      refreshToken: o.refresh ?? bay.refreshToken,
      apiBase: bay.url,
    });
    expect(
      await channelLines({ channels: [amazon({ secret: "amzn1.oa2-cs.v1.wrong" }), ebay({ secret: "PRD-wrong" })] }),
    ).toEqual([
      {
        ok: false,
        line: "channel amz (amazon): the LWA credentials refused (HTTP 401); check channels[amz].lwaClientId / lwaClientSecret (rotated every 180 days)",
      },
      {
        ok: false,
        line: "channel bay (ebay): the OAuth credentials refused (HTTP 401); check channels[bay].clientId / clientSecret",
      },
    ]);
    expect(
      await channelLines({ channels: [amazon({ refresh: "Atzr|expired" }), ebay({ refresh: "v^1.1#expired" })] }),
    ).toEqual([
      {
        ok: false,
        line: "channel amz (amazon): the LWA credentials refused (HTTP 400); check channels[amz].refreshToken",
      },
      {
        ok: false,
        line: "channel bay (ebay): the OAuth credentials refused (HTTP 400); check channels[bay].refreshToken",
      },
    ]);
    const good = await channelLines({ channels: [amazon(), ebay()] });
    expect(good.map((f) => f.ok)).toEqual([true, true]);
    expect(good[0]?.line).toContain("the LWA credentials accepted");
  });

  it("fails a Shopify token or WooCommerce key the provider refuses (401), naming the credential; passes the right ones", async () => {
    const shop = await startShopifySim();
    const woo = await startWooSim();
    closers.push(shop.close, woo.close);
    const shopify = (accessToken: string) => ({
      id: "shop1",
      kind: "shopify",
      shop: shop.shopDomain,
      accessToken,
      locationId: shop.locationId,
      apiBase: shop.url,
      apiVersion: shop.apiVersion,
    });
    const wooc = (consumerSecret: string, queryStringAuth = false) => ({
      id: "woo",
      kind: "woocommerce",
      apiBase: woo.url,
      consumerKey: woo.consumerKey,
      consumerSecret,
      queryStringAuth,
    });
    expect(await channelLines({ channels: [shopify("shpat_wrong_token_123"), wooc("cs_wrong_secret_456")] })).toEqual([
      {
        ok: false,
        line: "channel shop1 (shopify): the access token refused (HTTP 401); check channels[shop1].accessToken",
      },
      {
        ok: false,
        line: "channel woo (woocommerce): the consumer key and secret refused (HTTP 401); check channels[woo].consumerKey / consumerSecret",
      },
    ]);
    expect(await channelLines({ channels: [shopify(shop.accessToken), wooc(woo.consumerSecret, true)] })).toEqual([
      { ok: true, line: `channel shop1 (shopify): the access token accepted by ${shop.url}` },
      { ok: true, line: `channel woo (woocommerce): the consumer key and secret accepted by ${woo.url}` },
    ]);
  });

  it("fails a 403 too, in the configured language, and never says reachable for a refused credential", async () => {
    const seen: string[] = [];
    const gate = await listen((req) => {
      seen.push(`${req.method} ${req.url} ${String(req.headers.authorization ?? "")}`);
      return { status: 403, body: JSON.stringify({ code: "woocommerce_rest_cannot_view", message: "Forbidden" }) };
    });
    closers.push(gate.close);
    const lines = await channelLines({
      language: "zh-CN",
      channels: [
        { id: "woo", kind: "woocommerce", apiBase: gate.url, consumerKey: "ck_x1234", consumerSecret: "cs_y5678" },
      ],
    });
    expect(lines).toEqual([
      {
        ok: false,
        line: "渠道 woo（woocommerce）：consumer key 和 secret被拒绝（HTTP 403）；请检查 channels[woo].consumerKey / consumerSecret",
      },
    ]);
    // The probe was one signed read with the configured keys.
    expect(seen).toEqual([
      `GET /wp-json/wc/v3/products?per_page=1 Basic ${Buffer.from("ck_x1234:cs_y5678").toString("base64")}`,
    ]);
  });
});

describe("doctor: a host that refuses the connection (issue 15)", () => {
  it("says why in the config's language: connection refused, not (TypeError)", async () => {
    // A port that was just free: nothing listens on it.
    const port = await new Promise<number>((done) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => done(p));
      });
    });
    const shop = { id: "shop1", kind: "shopify", shop: "demo", accessToken: "shpat_0123456789abcdef" };
    const base = `http://127.0.0.1:${port}`;
    const raw = { channels: [{ ...shop, apiBase: base, locationId: "gid://shopify/Location/1" }] };
    expect(await channelLines({ ...raw, language: "zh-CN" })).toEqual([
      { ok: false, line: `渠道 shop1（shopify）：无法连接 ${base}（连接被拒绝）；请检查 apiBase 和网络` },
    ]);
    expect((await channelLines(raw))[0]?.line).toBe(
      `channel shop1 (shopify): ${base} unreachable (connection refused); check apiBase and the network`,
    );
  });

  it("finds the cause along fetch's chain: an AggregateError of several addresses, a blocked port, our deadline", () => {
    const fetchFailed = (cause: unknown) => Object.assign(new TypeError("fetch failed"), { cause });
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:1"), { code: "ECONNREFUSED" });
    expect(networkCause(fetchFailed(new AggregateError([refused, refused])))).toBe("ECONNREFUSED");
    expect(networkCause(fetchFailed(new Error("bad port")))).toBe("BAD_PORT");
    expect(networkCause(new DOMException("timed out", "TimeoutError"))).toBe("TimeoutError");
    expect(networkCause(fetchFailed(Object.assign(new Error("x"), { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" })))).toBe(
      "TLS",
    );
    const zh = createI18n({ timeZone: "UTC" }).translator("zh-CN");
    expect(zh.t("doctor-net-cause", { code: "TypeError" })).toBe("网络错误 TypeError");
  });
});

describe("doctor: tokens on a non-loopback host", () => {
  const cfg = (host: string, apiToken: string, webhookSecret = "whsec_0123456789abcdef0123") =>
    parseConfig(
      {
        database: ":memory:",
        http: { host, apiToken },
        channels: [
          {
            id: "woo",
            kind: "woocommerce",
            apiBase: "https://shop.example.com",
            consumerKey: "ck_1234",
            consumerSecret: "cs_1234",
            webhookSecret,
          },
        ],
      },
      {},
    );

  it("fails the example token and a short one, names the setting, and is quiet on loopback or with strong tokens", () => {
    expect(exposedTokenFindings(cfg("0.0.0.0", "change-me"), en)).toEqual([
      {
        ok: false,
        line: "http: http.apiToken (STOCKRADAR_API_TOKEN) is an example value (change-me) while http.host is 0.0.0.0; set a random token (openssl rand -hex 32)",
      },
    ]);
    expect(exposedTokenFindings(cfg("10.0.0.5", "abc123", "short"), en).map((f) => f.line)).toEqual([
      "http: http.apiToken (STOCKRADAR_API_TOKEN) has 6 characters while http.host is 10.0.0.5; use at least 16 random characters (openssl rand -hex 32)",
      "http: channels[woo].webhookSecret has 5 characters while http.host is 10.0.0.5; use at least 16 random characters (openssl rand -hex 32)",
    ]);
    expect(exposedTokenFindings(cfg("127.0.0.1", "change-me"), en)).toEqual([]);
    expect(exposedTokenFindings(cfg("0.0.0.0", "3f9a0c1d7e2b4a6f8c0d1e2f3a4b5c6d"), en)).toEqual([]);
  });

  it("knows every placeholder the deploy examples ship with", () => {
    const dir = join(import.meta.dirname, "..", "deploy");
    const secretLines = readdirSync(dir)
      .filter((f) => f.endsWith(".example"))
      .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n"))
      .map((l) => /^([A-Z0-9_]*(?:TOKEN|SECRET|KEY)[A-Z0-9_]*)=(.+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(secretLines.map((m) => m[2])).toContain("change-me");
    for (const m of secretLines) expect(EXAMPLE_TOKENS.has(m[2]!.toLowerCase()), m[1]).toBe(true);
  });
});

describe("doctor: ledger invariants", () => {
  it("fails a ledger whose balances were edited without movements, naming the SKU", async () => {
    const { dir, cleanup } = tempDir();
    closers.push(cleanup);
    const config = configIn(dir, {});
    const l = openTestLedger(openDatabase(config.database), { settings: testSettings });
    l.stock.upsertSku({ sku: sku("A-1"), onHand: 3 }, { actor: "t", idempotencyKey: "a" });
    l.close();
    const before = await runDoctor(config, "test");
    expect(before.find((f) => f.line.startsWith("ledger: balances"))).toEqual({
      ok: true,
      line: "ledger: balances match the movements and reservations (one SKU)",
    });
    const raw = new Database(config.database);
    raw.prepare("UPDATE skus SET on_hand = 9 WHERE sku = 'A-1'").run();
    raw.close();
    const after = await runDoctor(config, "test");
    expect(after.filter((f) => !f.ok && f.line.startsWith("ledger:"))).toEqual([
      {
        ok: false,
        line: "ledger: 2 balances disagree with the movements (A-1 on hand 9, movements say 3; A-1 on hand 9, its locations add up to 3); restore the newest consistent backup",
      },
    ]);
  });
});

describe("config: WooCommerce queryStringAuth", () => {
  const woo = (apiBase: string, language?: string) => ({
    ...(language ? { language } : {}),
    database: ":memory:",
    channels: [
      { id: "woo", kind: "woocommerce", apiBase, consumerKey: "ck_1", consumerSecret: "cs_1", queryStringAuth: true },
    ],
  });

  it("refuses it over plain http to another host, in one line saying what to do; allows https and this machine", () => {
    expect(() => parseConfig(woo("http://shop.example.com"), {})).toThrow(
      "channels.0.queryStringAuth: true would send the WooCommerce key and secret in URLs over plain http (http://shop.example.com); use an https:// apiBase or queryStringAuth: false",
    );
    // The error carries a catalog message; the CLI renders it in the config's language.
    const zh = (() => {
      try {
        parseConfig(woo("http://shop.example.com", "zh-CN"), {});
      } catch (err) {
        return isAppError(err) && err.i18n
          ? renderRef(createI18n({ timeZone: "UTC" }).translator("zh-CN"), err.i18n)
          : String(err);
      }
      return "did not throw";
    })();
    expect(zh).toMatch(/明文 http/);
    expect(parseConfig(woo("https://shop.example.com"), {}).channels).toHaveLength(1);
    expect(parseConfig(woo("http://127.0.0.1:8080"), {}).channels).toHaveLength(1);
  });
});

describe("doctor: a webhook channel's secret on a non-loopback host (issue 19)", () => {
  const cfg = (host: string, secret: string) =>
    parseConfig(
      {
        database: ":memory:",
        http: { host, apiToken: "3f9a0c1d7e2b4a6f8c0d1e2f3a4b5c6d" },
        channels: [{ id: "hook", kind: "webhook", url: "https://erp.example.com/stock", secret }],
      },
      {},
    );

  it("fails the example secret and a short one, naming channels[hook].secret; quiet on loopback", () => {
    expect(exposedTokenFindings(cfg("0.0.0.0", "change-me"), en).map((f) => f.line)).toEqual([
      "http: channels[hook].secret is an example value (change-me) while http.host is 0.0.0.0; set a random token (openssl rand -hex 32)",
    ]);
    expect(exposedTokenFindings(cfg("10.0.0.5", "abc"), en).map((f) => f.ok)).toEqual([false]);
    expect(exposedTokenFindings(cfg("127.0.0.1", "change-me"), en)).toEqual([]);
    expect(exposedTokenFindings(cfg("0.0.0.0", "whsec_0123456789abcdef0123"), en)).toEqual([]);
  });
});

import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../commands/index.js";
import { type App, createApp } from "../src/app.js";
import { parseLine, tokenize } from "../src/chat/parse.js";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { kuaidi100PushSign } from "../src/couriers/kuaidi100.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { silentLogger } from "../src/log.js";
import { appTextXml, startWecomSimulator, type WecomSimulator } from "../src/sandbox/wecom.js";
import { tempDir, testApp } from "./support/app.js";
import { fixture } from "./support/channels.js";
import { sku } from "./support/ledger.js";
import { radarHarness } from "./support/radar.js";
import { depsFor, engineFor, liveLedger, shopifyChannel, WEBHOOK_SECRET, wooChannel } from "./support/sync.js";

// Property tests: whatever arrives (chat text, webhook bytes, callback XML, API bodies), nothing throws out of
// our code, the process keeps serving, every refusal is a clear message or a 4xx, and the ledger is untouched
// by anything refused. Seeds are fixed so a failure reproduces; FC_RUNS raises the run count locally.
const RUNS = Number(process.env.FC_RUNS ?? 150);
const seed = 20261122;

/** Tokens that break naive parsers: signs, huge and fractional numbers, quotes, unicode, SQL-ish, empties. */
const nastyToken = fc.oneof(
  fc.constantFrom(
    "A-12",
    "a-12",
    "B-2",
    "all",
    "low",
    "shop1",
    "xy",
    "-1",
    "+24",
    "0",
    "1e9",
    "9007199254740993",
    "-0",
    "2.5",
    "NaN",
    "Infinity",
    "30m",
    "2h",
    "1d",
    "0m",
    "99999d",
    "''",
    '""',
    "'",
    '"',
    "\\",
    "%",
    "_",
    "--",
    "/stock",
    "@bot",
    "DROP TABLE skus;",
    "\u0000",
    "\u202e",
    "𝔸-1",
    "库存",
    "A".repeat(300),
    " ",
    "\t",
    "\n",
  ),
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const commandNames = [
  ...commands.map((c) => c.name),
  "help",
  "confirm",
  "approve_refund",
  "Stock",
  "STOCK@stockradar_bot",
  "nope",
];
const commandLine = fc
  .tuple(
    fc.constantFrom(...commandNames),
    fc.array(nastyToken, { maxLength: 6 }),
    fc.constantFrom(" ", "  ", "\t", "\n"),
  )
  .map(([name, toks, sep]) => `/${name}${toks.length ? sep : ""}${toks.join(sep)}`);

describe("command parser (property)", () => {
  it("never throws, and a parsed name is normalised", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 80 }), commandLine),
        (text) => {
          const p = parseLine(text);
          if (p) {
            expect(p.name).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
            expect(p.tokens.every((t) => typeof t === "string")).toBe(true);
          }
        },
      ),
      { numRuns: RUNS * 4, seed },
    );
  });

  it("round-trips plain tokens, and quoted tokens keep their spaces", () => {
    const plain = fc.stringMatching(/^[^\s"']{1,12}$/);
    fc.assert(
      fc.property(
        fc.constantFrom(...commands.map((c) => c.name)),
        fc.array(plain, { maxLength: 5 }),
        fc.array(fc.stringMatching(/^[^"]{0,10}$/), { maxLength: 3 }),
        (name, toks, quoted) => {
          const line = `/${name} ${toks.join(" ")} ${quoted.map((q) => `"${q}"`).join(" ")}`;
          expect(parseLine(line)).toMatchObject({ name, tokens: [...toks, ...quoted] });
          expect(tokenize(toks.join("   "))).toEqual(toks);
        },
      ),
      { numRuns: RUNS, seed },
    );
  });
});

describe("dispatcher (property)", () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp({
      access: { admins: ["tg:1"], operators: ["tg:3"], viewers: ["tg:4"] },
      channels: [{ id: "xy", kind: "xianyu" }],
    });
    t.app.deps.ledger.stock.upsertSku({ sku: sku("A-12"), onHand: 20 }, { actor: "test", idempotencyKey: "seed" });
    t.app.deps.ledger.listings.linkListing({ channelId: "xy", sku: sku("A-12"), ref: "item-1" });
  });
  afterAll(async () => t.close());

  it("answers any text from anyone with a clear reply: never an unexpected failure, never a negative level", async () => {
    const users = fc.constantFrom("tg:1", "tg:3", "tg:4", "tg:999", "", "tg:1 ");
    await fc.assert(
      fc.asyncProperty(users, fc.oneof(commandLine, fc.string({ maxLength: 120 })), async (userId, text) => {
        const r = await t.run(text, userId);
        expect(["ok", "refused", "usage"]).toContain(r.outcome);
        expect(r.reply.text.length).toBeGreaterThan(0);
        expect(r.reply.text).not.toMatch(/Something went wrong|\n\s+at |TypeError|SqliteError|ZodError/);
        const level = t.app.deps.ledger.stock.getLevel("A-12");
        expect(level.onHand).toBeGreaterThanOrEqual(0);
        expect(level.reserved).toBeGreaterThanOrEqual(0);
        expect(level.reserved).toBeLessThanOrEqual(level.onHand);
      }),
      { numRuns: RUNS * 2, seed },
    );
  });

  it("refuses a pressed button with a forged or unknown id in words", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (actionId) => {
        const r = await t.app.dispatcher.press({ transport: "test", chatId: "t", userId: "tg:3", actionId });
        expect(r.outcome).not.toBe("failed");
        expect(r.reply.text).not.toMatch(/Something went wrong/);
      }),
      { numRuns: RUNS, seed },
    );
  });
});

describe("HTTP parsers (property): webhooks and the reservation API", () => {
  const cleanup: (() => unknown)[] = [];
  let url: string;
  let ledger: ReturnType<typeof liveLedger>;
  let itemSku: string;
  beforeAll(async () => {
    const shop = await shopifyChannel("shop1");
    const woo = await wooChannel("woo");
    cleanup.push(() => woo.sim.close());
    ledger = liveLedger();
    const [item] = shop.sim.seedItems(1, { available: 5 });
    itemSku = item!.sku;
    ledger.stock.upsertSku({ sku: sku(itemSku), onHand: 5 }, { actor: "test", idempotencyKey: "seed" });
    ledger.listings.linkListing({ channelId: "shop1", sku: sku(itemSku), ref: item!.id });
    const engine = engineFor(ledger, [shop.channel, woo.channel]);
    const app = await createHttpServer(
      depsFor(ledger, engine, [shop.channel, woo.channel], { http: { apiToken: "api-token-123456" } }),
      routeModules,
    );
    url = await app.listen({ port: 0, host: "127.0.0.1" });
    cleanup.push(
      () => app.close(),
      () => engine.stop(),
      () => shop.sim.close(),
      () => ledger.close(),
    );
  });
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  const sign = (body: string) => createHmac("sha256", WEBHOOK_SECRET).update(body).digest("base64");
  const anyJson = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 200 }),
    fc.constantFrom("", "{", "null", "[]", '{"id":1e999}', '{"line_items":"x"}'),
  );
  const contentType = fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "text/xml",
    "",
  );
  /** The recorded orders/create fixture with one field replaced by an arbitrary JSON value. */
  const oddValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom("", "2026-13-45T99:00:00Z", -1, 0, 1.5, 1e308, null, "9007199254740993"),
  );
  const mutatedOrder = fc
    .tuple(
      fc.constantFrom(
        "id",
        "line_items",
        "created_at",
        "updated_at",
        "financial_status",
        "currency",
        "total_price",
        "cancelled_at",
        "fulfillments",
        "line.quantity",
        "line.sku",
        "line.id",
        "line.price",
      ),
      oddValue,
    )
    .map(([key, value]) => {
      const order = JSON.parse(fixture("shopify/orders-create.json")) as Record<string, unknown>;
      if (key.startsWith("line.")) (order.line_items as Record<string, unknown>[])[0]![key.slice(5)] = value;
      else order[key] = value;
      return JSON.stringify(order);
    });
  const levelOf = () => ledger.stock.getLevel(itemSku);

  it("Shopify webhook: unsigned or mis-signed bodies get 401, whatever their content; the ledger is untouched", async () => {
    const before = levelOf();
    await fc.assert(
      fc.asyncProperty(anyJson, contentType, fc.option(fc.string({ maxLength: 60 })), async (body, type, sig) => {
        const res = await fetch(`${url}/webhooks/shop1`, {
          method: "POST",
          headers: {
            ...(type ? { "content-type": type } : {}),
            ...(sig === null ? {} : { "x-shopify-hmac-sha256": sig }),
            "x-shopify-topic": "orders/create",
            "x-shopify-shop-domain": "sandbox.myshopify.com",
            "x-shopify-webhook-id": "w1",
          },
          body,
        });
        await res.arrayBuffer();
        expect([400, 401]).toContain(res.status);
      }),
      { numRuns: RUNS, seed },
    );
    expect(levelOf()).toEqual(before);
  });

  it("Shopify webhook: correctly signed but arbitrary or mutated bodies are applied or refused with a 4xx, never a 5xx", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyJson, mutatedOrder),
        fc.constantFrom("orders/create", "orders/updated", "orders/cancelled", "refunds/create", "app/uninstalled", ""),
        async (body, topic) => {
          const res = await fetch(`${url}/webhooks/shop1`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-shopify-hmac-sha256": sign(body),
              "x-shopify-topic": topic,
              "x-shopify-shop-domain": "sandbox.myshopify.com",
              "x-shopify-webhook-id": `prop-${n++}`,
            },
            body,
          });
          const text = await res.text();
          expect(res.status, text).toBeLessThan(500);
          if (res.status >= 400) expect((JSON.parse(text) as { message: string }).message.length).toBeGreaterThan(0);
          const l = levelOf();
          expect(l.reserved).toBeLessThanOrEqual(l.onHand);
        },
      ),
      { numRuns: RUNS, seed },
    );
  });

  it('regression (issue 8, found by fast-check): a signed order with created_at "" or quantity -1 or 1.5 gets 400, not 500', async () => {
    for (const [key, value] of [
      ["created_at", ""],
      ["line.quantity", -1],
      ["line.quantity", 1.5],
    ] as const) {
      const order = JSON.parse(fixture("shopify/orders-create.json")) as Record<string, unknown>;
      if (key === "line.quantity") (order.line_items as Record<string, unknown>[])[0]!.quantity = value;
      else order[key] = value;
      const body = JSON.stringify(order);
      const res = await fetch(`${url}/webhooks/shop1`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-shopify-hmac-sha256": sign(body),
          "x-shopify-topic": "orders/create",
          "x-shopify-shop-domain": "sandbox.myshopify.com",
          "x-shopify-webhook-id": `regression-${key}-${value}`,
        },
        body,
      });
      expect(res.status, await res.text()).toBe(400);
    }
  });

  it("WooCommerce webhook: signed junk, mutated orders and form pings get a 2xx or 4xx, never a 5xx", async () => {
    let n = 0;
    const mutatedWoo = fc
      .tuple(
        fc.constantFrom(
          "id",
          "status",
          "date_created_gmt",
          "date_modified_gmt",
          "line_items",
          "line.quantity",
          "line.sku",
          "line.product_id",
          "currency",
        ),
        oddValue,
      )
      .map(([key, value]) => {
        const order = JSON.parse(fixture("woocommerce/order-updated.json")) as Record<string, unknown>;
        if (key.startsWith("line.")) (order.line_items as Record<string, unknown>[])[0]![key.slice(5)] = value;
        else order[key] = value;
        return JSON.stringify(order);
      });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyJson, mutatedWoo, fc.constantFrom("webhook_id=12", "webhook_id=x")),
        fc.constantFrom("order.created", "order.updated", "order.deleted", "product.updated", ""),
        fc.boolean(),
        async (body, topic, isSigned) => {
          const res = await fetch(`${url}/webhooks/woo`, {
            method: "POST",
            headers: {
              "content-type": body.startsWith("webhook_id") ? "application/x-www-form-urlencoded" : "application/json",
              ...(isSigned ? { "x-wc-webhook-signature": sign(body) } : {}),
              "x-wc-webhook-topic": topic,
              "x-wc-webhook-delivery-id": `prop-${n++}`,
            },
            body,
          });
          const text = await res.text();
          expect(res.status, text).toBeLessThan(500);
          const l = levelOf();
          expect(l.reserved).toBeLessThanOrEqual(l.onHand);
        },
      ),
      { numRuns: RUNS, seed },
    );
  });

  it('regression (issue 8, found by fast-check): a signed WooCommerce order with date_created_gmt " " gets 400, not 500', async () => {
    const order = JSON.parse(fixture("woocommerce/order-updated.json")) as Record<string, unknown>;
    order.date_created_gmt = " ";
    const body = JSON.stringify(order);
    const res = await fetch(`${url}/webhooks/woo`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-wc-webhook-signature": sign(body),
        "x-wc-webhook-topic": "order.created",
        "x-wc-webhook-delivery-id": "regression-woo-date",
      },
      body,
    });
    expect(res.status, await res.text()).toBe(400);
  });

  it("webhooks for unknown channels and odd paths get 404 (or 400 for a malformed path)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_%.-]{1,40}$/), async (id) => {
        const res = await fetch(`${url}/webhooks/${id}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        await res.arrayBuffer();
        // 400 when the path itself is not valid URL encoding ("%"), else 404.
        expect(id === "shop1" ? [400, 401] : [400, 404]).toContain(res.status);
      }),
      { numRuns: RUNS / 3, seed },
    );
  });

  it("reservation API: arbitrary bodies get a 4xx with a message unless they are a valid hold", async () => {
    const hold = fc.record(
      {
        sku: fc.oneof(fc.constant(itemSku), fc.string({ maxLength: 20 })),
        qty: fc.oneof(fc.integer(), fc.double(), fc.string()),
        ref: fc.oneof(fc.string({ maxLength: 200 }), fc.integer()),
        ttlSeconds: fc.option(fc.oneof(fc.integer(), fc.string())),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJson,
          hold.map((h) => JSON.stringify(h)),
        ),
        contentType,
        fc.boolean(),
        async (body, type, isAuthed) => {
          const res = await fetch(`${url}/api/v1/reservations`, {
            method: "POST",
            headers: {
              ...(type ? { "content-type": type } : {}),
              ...(isAuthed ? { authorization: "Bearer api-token-123456" } : {}),
            },
            body,
          });
          const text = await res.text();
          expect(res.status, text).toBeLessThan(500);
          if (!isAuthed) expect(res.status).toBe(401);
          if (res.status >= 400) expect(text).toMatch(/"message":"[^"]+/);
          const l = levelOf();
          expect(l.reserved).toBeLessThanOrEqual(l.onHand);
        },
      ),
      { numRuns: RUNS, seed },
    );
  });
});

describe("WeCom callback (property)", () => {
  const corp = {
    corpId: "wwstockradar0001",
    corpSecret: "app-secret-0123456789",
    agentId: 1000002,
    token: "cb-token-abc",
    encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
  };
  let sim: WecomSimulator;
  let app: App;
  let base: string;
  let cleanupDir: () => void;
  const clock = manualClock("2026-11-20T08:00:00Z");
  beforeAll(async () => {
    sim = await startWecomSimulator({ ...corp, robotKeys: [], clock });
    const { dir, cleanup } = tempDir();
    cleanupDir = cleanup;
    const config = parseConfig(
      {
        database: `${dir}/ledger.db`,
        http: { enabled: true, host: "127.0.0.1", port: 0 },
        access: { operators: ["wecom:lisi"] },
        chat: {
          wecom: {
            corpId: corp.corpId,
            agentId: corp.agentId,
            secret: corp.corpSecret,
            token: corp.token,
            encodingAesKey: corp.encodingAesKey,
            apiBase: sim.url,
          },
        },
      },
      {},
    );
    app = await createApp({ config, clock, log: silentLogger(), withConsole: false });
    await app.start({ scheduler: false });
    base = `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.stop();
    await sim.close();
    cleanupDir();
  });

  it("refuses forged, stale or garbled callbacks with a 4xx and answers correctly encrypted junk without crashing", async () => {
    const query = fc.record(
      {
        msg_signature: fc.string({ maxLength: 50 }),
        timestamp: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 12 })),
        nonce: fc.string({ maxLength: 20 }),
        echostr: fc.string({ maxLength: 80 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(query, fc.string({ maxLength: 300 }), fc.boolean(), async (q, body, isGet) => {
        const qs = new URLSearchParams(q as Record<string, string>).toString();
        const res = await fetch(
          `${base}/wecom/callback?${qs}`,
          isGet ? {} : { method: "POST", headers: { "content-type": "text/xml" }, body },
        );
        await res.arrayBuffer();
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: RUNS, seed },
    );
    // Correctly signed and encrypted, but the plaintext is anything at all.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.constantFrom("<xml></xml>", "<xml><MsgType>text</MsgType></xml>", "not xml"),
          fc.string({ maxLength: 40 }).map((content) =>
            appTextXml({
              corpId: corp.corpId,
              from: "lisi",
              content,
              msgId: "1",
              agentId: corp.agentId,
              createTime: Math.floor(clock.now().getTime() / 1000),
            }),
          ),
        ),
        async (xml) => {
          const r = await sim.postAppCallback(`${base}/wecom/callback`, xml);
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS / 3, seed },
    );
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBeLessThan(600);
  });
});

describe("courier push callbacks (property)", () => {
  it("Kuaidi100 and 17TRACK pushes: unsigned, mis-signed or correctly signed junk never gets a 5xx", async () => {
    const h = await radarHarness(
      {
        couriers: [
          { kind: "kuaidi100", customer: "CUST", key: "kd100-key-123", salt: "kd100-salt-123" },
          { kind: "17track", apiKey: "seventeen-key-1", webhookSecret: "seventeen-secret-1" },
        ],
      },
      { http: true },
    );
    try {
      const param = fc.oneof(
        fc.json({ maxDepth: 3 }),
        fc.string({ maxLength: 120 }),
        fc.constantFrom('{"status":"polling","lastResult":{}}', '{"lastResult":{"nu":"SF1","data":"x"}}'),
      );
      await fc.assert(
        fc.asyncProperty(
          param,
          fc.constantFrom("signed", "unsigned", "wrong"),
          fc.constantFrom("kuaidi100", "17track", "kdniao", "nope"),
          async (p, signing, kind) => {
            const body =
              kind === "kuaidi100"
                ? new URLSearchParams({
                    param: p,
                    ...(signing === "unsigned"
                      ? {}
                      : { sign: signing === "signed" ? kuaidi100PushSign(p, "kd100-salt-123") : "0".repeat(32) }),
                  }).toString()
                : p;
            const res = await fetch(`${h.baseUrl}/couriers/${kind}/push`, {
              method: "POST",
              headers: {
                "content-type": kind === "kuaidi100" ? "application/x-www-form-urlencoded" : "application/json",
                ...(signing === "wrong" ? { sign: "bad" } : {}),
              },
              body,
            });
            const text = await res.text();
            expect(res.status, text).toBeLessThan(500);
          },
        ),
        { numRuns: RUNS, seed },
      );
    } finally {
      await h.close();
    }
  });
});

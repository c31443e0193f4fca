import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { type App, createApp } from "../src/app.js";
import { backupDirOf } from "../src/backup.js";
import { deliverDueAlerts } from "../src/chat/alert-sender.js";
import { manualClock } from "../src/clock.js";
import { parseConfig, secretValues } from "../src/config.js";
import { SkuSchema } from "../src/ids.js";
import { createLogger } from "../src/log.js";
import { listen, type SandboxServer } from "../src/sandbox/http.js";
import { runSlot } from "../src/scheduler.js";
import { createRedactor } from "../src/upstream/redact.js";
import { tempDir } from "./support/app.js";
import { refundIdIn } from "./support/money.js";

/**
 * Issue 19 item 3: an upstream that echoes our request (headers, URL, body) into its error code, message and
 * body, in raw, URL-encoded and JSON-escaped forms, as some gateways do. Nothing it echoes may reach chat, the
 * ledger file, a backup, `/sync status` or the logs.
 */

const SHOPIFY_TOKEN = "shpat_Echo/Token+9=z";
const SHOPIFY_WEBHOOK = "whsec-echo-7c1d";
const WOO_KEY = "ck_echo_7f3a+b/c=";
const WOO_SECRET = 'cs_"echo"&amp;8e1d';
/** A short secret (5 characters): still redacted wherever it stands as a value. */
const WOO_Q_KEY = "ck_q_Ab12";
const WOO_Q_SECRET = "q7#Z!";
const API_TOKEN = "api-token-echo-1234567890";

/** Every form a secret can take in an echo: raw, URL-encoded, form-encoded, JSON-escaped (once and twice). */
function formsOf(s: string): string[] {
  const json = (x: string) => JSON.stringify(x).slice(1, -1);
  const base = [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)];
  return [...new Set(base.flatMap((b) => [b, json(b), json(json(b))]))];
}

const basic = (k: string, s: string) => Buffer.from(`${k}:${s}`).toString("base64");
const SECRETS = [SHOPIFY_TOKEN, SHOPIFY_WEBHOOK, WOO_KEY, WOO_SECRET, WOO_Q_KEY, WOO_Q_SECRET, API_TOKEN];
const FORMS = [
  ...SECRETS.flatMap(formsOf),
  ...formsOf(basic(WOO_KEY, WOO_SECRET)),
  ...formsOf(basic(WOO_Q_KEY, WOO_Q_SECRET)),
];

/** Names the first secret form found in `text` (or undefined). */
function leakIn(text: string): string | undefined {
  return FORMS.find((f) => text.includes(f));
}

/** An upstream that answers every request with an error quoting the request in three forms, rotating the shape. */
async function echoServer(): Promise<SandboxServer & { calls: () => number; echoed: Set<string> }> {
  let calls = 0;
  const echoed = new Set<string>();
  const server = await listen((req, body) => {
    calls += 1;
    const echo = `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body.toString("utf8")}`;
    for (const f of FORMS) if (echo.includes(f)) echoed.add(f);
    const shapes = [
      {
        status: 401,
        body: JSON.stringify({
          code: `invalid_key ${req.url}`,
          message: echo,
          errors: echo,
          data: { status: 401, encoded: encodeURIComponent(echo), escaped: JSON.stringify(echo) },
        }),
      },
      { status: 400, headers: { "content-type": "text/plain" }, body: echo },
      { status: 403, headers: { "content-type": "text/plain" }, body: encodeURIComponent(echo) },
      {
        status: 422,
        body: JSON.stringify({ errors: [{ message: echo, extensions: { code: JSON.stringify(req.headers) } }] }),
      },
    ];
    return shapes[calls % shapes.length]!;
  });
  return { ...server, calls: () => calls, echoed };
}

/** Every file under `dir`, recursively, as latin1 text (the SQLite file, its WAL, backups). */
function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, text: readFileSync(path).toString("latin1") }];
  });
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe("an upstream that echoes our credentials", () => {
  it("never puts a configured secret into chat, the ledger, a backup, /sync status or the logs", async () => {
    const shop = await echoServer();
    const woo = await echoServer();
    closers.push(shop.close, woo.close);
    const { dir, cleanup } = tempDir();
    closers.push(cleanup);
    const config = parseConfig(
      {
        database: join(dir, "ledger.db"),
        http: { enabled: false, apiToken: API_TOKEN },
        access: { admins: ["tg:900"], approvers: ["tg:200"], operators: ["tg:100"] },
        money: { currency: "EUR" },
        channels: [
          {
            id: "shop1",
            kind: "shopify",
            shop: "echo.myshopify.com",
            accessToken: SHOPIFY_TOKEN,
            webhookSecret: SHOPIFY_WEBHOOK,
            locationId: "gid://shopify/Location/1",
            apiBase: shop.url,
            timeoutMs: 2_000,
          },
          { id: "woo", kind: "woocommerce", apiBase: woo.url, consumerKey: WOO_KEY, consumerSecret: WOO_SECRET },
          {
            id: "wooq",
            kind: "woocommerce",
            apiBase: woo.url,
            consumerKey: WOO_Q_KEY,
            consumerSecret: WOO_Q_SECRET,
            queryStringAuth: true,
          },
        ],
      },
      {},
    );
    let logged = "";
    const destination = new PassThrough();
    destination.on("data", (d: Buffer) => (logged += d.toString()));
    const output = new PassThrough();
    let printed = "";
    output.on("data", (d: Buffer) => (printed += d.toString()));
    const clock = manualClock("2026-12-01T08:00:00Z");
    const app: App = await createApp({
      config,
      log: createLogger({ level: "debug", secrets: secretValues(config), destination }),
      clock,
      withConsole: true,
      console: { input: new PassThrough(), output, prompt: false },
    });
    const replies: string[] = [];
    let msg = 0;
    const say = async (userId: string, text: string) => {
      const r = await app.dispatcher.handle({ transport: "test", chatId: "t", userId, text, messageId: `m${++msg}` });
      replies.push(r.reply.text);
      return r;
    };
    try {
      await app.start({ scheduler: false, http: false });
      const { ledger, sync } = app.deps;
      ledger.stock.upsertSku({ sku: SkuSchema.parse("A-1"), onHand: 7 }, { actor: "test", idempotencyKey: "seed" });
      // Stock pushes: linking queues each listing's first push, and the failures repeat until alerts are raised.
      await say("tg:100", "/link A-1 shop1 gid://shopify/InventoryItem/11");
      await say("tg:100", "/link A-1 woo 21");
      await say("tg:100", "/link A-1 wooq 31");
      for (let i = 0; i < 6; i++) {
        await say("tg:100", "/sync");
        await sync.idle();
        clock.advance(10 * 60_000);
      }
      // Reconcile reads every channel back (and imports orders).
      for (let i = 0; i < 6; i++) {
        await runSlot(jobs.find((j) => j.name === "reconcile")!, app.deps, clock.now(), { slotKey: `r${i}` });
        clock.advance(60 * 60_000);
      }
      // A refund on Shopify and on WooCommerce, approved, so each channel is asked to execute it.
      for (const order of ["shop1:1001", "woo:2002", "wooq:3003"]) {
        const requested = await say("tg:100", `/refund ${order} 5 arrived broken`);
        const id = refundIdIn(requested.reply.text);
        const preview = await say("tg:200", `/approve_refund ${id}`);
        const b = preview.reply.buttons?.find((x) => x.label === "Confirm");
        if (b) {
          const pressed = await app.dispatcher.press({
            transport: "test",
            chatId: "t",
            userId: "tg:200",
            actionId: ledger.jobs.storeButtonAction(b.action),
            pressId: `p${++msg}`,
          });
          replies.push(pressed.reply.text);
        }
      }
      await deliverDueAlerts(app.deps);
      await say("tg:100", "/sync status");
      await say("tg:100", "/alerts");
      await say("tg:100", "/refunds");
      await runSlot(jobs.find((j) => j.name === "backup")!, app.deps, clock.now(), { slotKey: "b1" });

      // The echo servers were really asked, and quoted our credentials back.
      expect(shop.calls()).toBeGreaterThan(5);
      expect(woo.calls()).toBeGreaterThan(5);
      for (const s of [
        SHOPIFY_TOKEN,
        basic(WOO_KEY, WOO_SECRET),
        new URLSearchParams({ s: WOO_Q_SECRET }).toString().slice(2),
      ])
        expect([...shop.echoed, ...woo.echoed]).toContain(s);
      // Something failed visibly (the test must see real errors, not silence), with the echo redacted.
      expect(ledger.alerts.liveAlerts().length).toBeGreaterThan(0);
      expect(replies.join("\n")).toContain("[redacted]");
      // /sync status names each channel's last error, the echo in it redacted.
      const status = replies.find((r) => r.startsWith("shop1 (shopify): ")) ?? "";
      expect(status).toMatch(/wooq \(woocommerce\): UNHEALTHY.*consumer_secret=\[redacted\]/);

      // Chat: every reply and everything printed to the group (alerts included).
      for (const r of replies) expect(leakIn(r), r).toBeUndefined();
      expect(printed).toContain("#");
      expect(leakIn(printed), printed).toBeUndefined();
      // Logs (the pino destination the process writes).
      expect(logged.length).toBeGreaterThan(0);
      expect(leakIn(logged), logged.slice(0, 2000)).toBeUndefined();
    } finally {
      await app.stop();
    }
    // The ledger file, its WAL, and the backup the backup job made: every table's bytes.
    const files = filesUnder(dir);
    expect(files.some((f) => f.path.startsWith(backupDirOf(config)))).toBe(true);
    for (const f of files) expect(leakIn(f.text), f.path).toBeUndefined();
    expect(files.map((f) => f.text).join("")).toContain("[redacted]");
  });
});

describe("the storage boundary (second line behind the adapters)", () => {
  it("scrubs configured secrets from alert text, channel health, job reports and audit, whoever wrote them", async () => {
    const { dir, cleanup } = tempDir();
    closers.push(cleanup);
    const config = parseConfig(
      {
        database: join(dir, "ledger.db"),
        http: { enabled: false },
        channels: [
          {
            id: "woo",
            kind: "woocommerce",
            apiBase: "http://127.0.0.1:9",
            consumerKey: WOO_KEY,
            consumerSecret: WOO_Q_SECRET,
          },
        ],
      },
      {},
    );
    const app = await createApp({ config, log: createLogger({ level: "silent" }), clock: manualClock("2026-12-01") });
    const quoted = `upstream said: key=${WOO_KEY}&secret=${encodeURIComponent(WOO_Q_SECRET)} ${JSON.stringify({ k: WOO_KEY })}`;
    try {
      const { ledger, channelState } = app.deps;
      ledger.alerts.raiseAlert({ kind: "test", subject: "s", severity: "warning", text: quoted });
      channelState.recordChannelFailure("woo", quoted);
      ledger.jobs.claimJobSlot("test", "slot");
      ledger.jobs.finishJobSlot("test", "slot", "failed", { error: quoted });
      ledger.audit.recordAudit({
        actor: "test",
        transport: "test",
        action: "test",
        args: quoted,
        outcome: "error",
        requestId: "req-1",
        detail: { quoted },
      });
      expect(ledger.alerts.liveAlerts()[0]?.text).toBe(
        'upstream said: key=[redacted]&secret=[redacted] {"k":"[redacted]"}',
      );
    } finally {
      await app.stop();
    }
    for (const f of filesUnder(dir)) expect(leakIn(f.text), f.path).toBeUndefined();
  });
});

/** Tokens a provider issues at run time: never configured, so only the shared redactor can know them. */
const LWA_TOKEN = "Atza|IwEBIEcho-learned+LWA/token==";
const EBAY_TOKEN = "v^1.1#i^1#p^3#r^1#I^3#f^0#t^EchoLearnedOAuth==";
const LEARNED = [LWA_TOKEN, EBAY_TOKEN].flatMap(formsOf);

/** Amazon LWA and eBay OAuth that issue a token, then answer every API call with an error quoting the request. */
async function tokenEchoServer(): Promise<SandboxServer & { issued: () => number; echoed: Set<string> }> {
  let issued = 0;
  let calls = 0;
  const echoed = new Set<string>();
  const server = await listen((req, body) => {
    if (req.url?.startsWith("/auth/o2/token") || req.url?.startsWith("/identity/v1/oauth2/token")) {
      issued += 1;
      const token = req.url.startsWith("/auth") ? LWA_TOKEN : EBAY_TOKEN;
      return { status: 200, body: JSON.stringify({ access_token: token, token_type: "bearer", expires_in: 7200 }) };
    }
    calls += 1;
    const echo = `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body.toString("utf8")}`;
    for (const f of LEARNED) if (echo.includes(f)) echoed.add(f);
    const shapes = [
      { status: 400, body: JSON.stringify({ errors: [{ code: "InvalidInput", message: echo, details: echo }] }) },
      {
        status: 500,
        body: JSON.stringify({ errors: [{ errorId: 2004, message: echo, longMessage: JSON.stringify(echo) }] }),
      },
      { status: 400, headers: { "content-type": "text/plain" }, body: encodeURIComponent(echo) },
    ];
    return shapes[calls % shapes.length]!;
  });
  return { ...server, issued: () => issued, echoed };
}

describe("tokens learned at run time (issue 19 item 3)", () => {
  it("an LWA or eBay OAuth access token echoed back never reaches chat, the ledger, a backup or the logs", async () => {
    const up = await tokenEchoServer();
    closers.push(up.close);
    const { dir, cleanup } = tempDir();
    closers.push(cleanup);
    const config = parseConfig(
      {
        database: join(dir, "ledger.db"),
        http: { enabled: false },
        access: { operators: ["tg:100"] },
        channels: [
          {
            id: "amz",
            kind: "amazon",
            region: "eu",
            sellerId: "A1SELLER",
            marketplaceIds: ["A1PA6795UKMFR9"],
            lwaClientId: "amzn1.application-oa2-client.echo",
            lwaClientSecret: "amzn1.oa2-cs.v1.echo-secret",
            refreshToken: "Atzr|echo-refresh-token",
            apiBase: up.url,
            tokenUrl: `${up.url}/auth/o2/token`,
            timeoutMs: 2_000,
          },
          {
            id: "bay",
            kind: "ebay",
            clientId: "Echo-App-PRD-1234",
            clientSecret: "PRD-echo-client-secret",
            refreshToken: "v^1.1#i^1#echo-refresh",
            apiBase: up.url,
            timeoutMs: 2_000,
          },
        ],
      },
      {},
    );
    let logged = "";
    const destination = new PassThrough();
    destination.on("data", (d: Buffer) => (logged += d.toString()));
    const output = new PassThrough();
    let printed = "";
    output.on("data", (d: Buffer) => (printed += d.toString()));
    const clock = manualClock("2026-12-01T08:00:00Z");
    // As main.ts builds them: the logger and the app share one redactor.
    const redactor = createRedactor(secretValues(config));
    const app: App = await createApp({
      config,
      redactor,
      log: createLogger({ level: "debug", redactor, destination }),
      clock,
      withConsole: true,
      console: { input: new PassThrough(), output, prompt: false },
    });
    const replies: string[] = [];
    let msg = 0;
    const say = async (text: string) => {
      const r = await app.dispatcher.handle({
        transport: "test",
        chatId: "t",
        userId: "tg:100",
        text,
        messageId: `m${++msg}`,
      });
      replies.push(r.reply.text);
    };
    const leak = (text: string) => LEARNED.find((f) => text.includes(f));
    try {
      await app.start({ scheduler: false, http: false });
      const { ledger, sync } = app.deps;
      ledger.stock.upsertSku({ sku: SkuSchema.parse("A-1"), onHand: 7 }, { actor: "test", idempotencyKey: "seed" });
      await say("/link A-1 amz A-1");
      await say("/link A-1 bay A-1");
      for (let i = 0; i < 3; i++) {
        await say("/sync");
        await sync.idle();
        clock.advance(10 * 60_000);
      }
      await runSlot(jobs.find((j) => j.name === "reconcile")!, app.deps, clock.now(), { slotKey: "r1" });
      await deliverDueAlerts(app.deps);
      await say("/sync status");
      await say("/alerts");
      await runSlot(jobs.find((j) => j.name === "backup")!, app.deps, clock.now(), { slotKey: "b1" });

      // Both tokens were issued, sent, and quoted back by the upstream.
      expect(up.issued()).toBeGreaterThanOrEqual(2);
      expect(up.echoed).toContain(LWA_TOKEN);
      expect(up.echoed).toContain(EBAY_TOKEN);
      for (const r of replies) expect(leak(r), r).toBeUndefined();
      expect(leak(printed), printed).toBeUndefined();
      expect(logged).toContain("[redacted]");
      expect(leak(logged), logged.slice(0, 2000)).toBeUndefined();
    } finally {
      await app.stop();
    }
    for (const f of filesUnder(dir)) expect(leak(f.text), f.path).toBeUndefined();
  });
});

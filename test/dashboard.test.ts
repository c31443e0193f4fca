/**
 * The war-room page without a browser (fastify inject): sign-in links work once and expire, sessions are signed
 * cookies that a forgery or a logout ends, every action needs the session's CSRF token and runs through the
 * dispatcher as that person, and every value is escaped by the template layer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { dashboardFindings } from "../src/dashboard/doctor.js";
import { asCourierCode, SkuSchema } from "../src/ids.js";
import { must } from "../src/internal-error.js";
import { testApp } from "./support/app.js";

const VIEWER = "tg:301";
const OPERATOR = "tg:101";
const config = {
  http: { enabled: true, host: "127.0.0.1", port: 0 },
  access: { operators: [OPERATOR], viewers: [VIEWER] },
  dashboard: { enabled: true, cookieSecret: "dashboard-cookie-secret-for-tests" },
};

type T = Awaited<ReturnType<typeof testApp>>;
let t: T | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(raw: Record<string, unknown> = config): Promise<T> {
  t = await testApp(raw);
  await t.app.start({ http: true, scheduler: false });
  return t;
}
const server = (x: T) => must(x.app.http, "http started");
const tokenOf = (text: string): string => must(/\/dashboard\/login\?t=([A-Za-z0-9_-]+)/.exec(text)?.[1], text);
const form = (o: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  payload: new URLSearchParams(o).toString(),
});

/** Asks for a link as `user` and signs in with it: the session cookie ("name=value"). */
async function signIn(x: T, user: string): Promise<string> {
  const r = await x.run("/dashboard", user);
  const res = await server(x).inject({
    method: "POST",
    url: "/dashboard/login",
    ...form({ t: tokenOf(r.reply.text) }),
  });
  expect(res.statusCode).toBe(303);
  const set = String(res.headers["set-cookie"]);
  return must(/^(sr_dash=[^;]+)/.exec(set)?.[1], set);
}
const csrfOf = (html: string): string => must(/name="csrf" value="([^"]+)"/.exec(html)?.[1], "a csrf field");

describe("dashboard sign-in", () => {
  it("/dashboard answers privately with a one-time link; the login page posts it; the cookie is HttpOnly, SameSite=Strict", async () => {
    const x = await start();
    const r = await x.run("/dashboard", VIEWER);
    expect(r.outcome).toBe("ok");
    expect(r.reply.privately).toBe(true);
    const base = must(x.app.deps.httpUrl?.(), "listening");
    expect(r.reply.text).toContain(`${base}/dashboard/login?t=`);
    const token = tokenOf(r.reply.text);
    // The token is stored only as its hash.
    const page = await server(x).inject({ url: `/dashboard/login?t=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/dashboard/login"');
    const res = await server(x).inject({ method: "POST", url: "/dashboard/login", ...form({ t: token }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/dashboard");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).not.toContain(token);
    const overview = await server(x).inject({ url: "/dashboard", headers: { cookie: cookie.split(";")[0] } });
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain(VIEWER);
    expect(overview.headers["content-security-policy"]).toMatch(/script-src 'self'/);
    expect(overview.body).not.toMatch(/<script>|<script [^>]*>[^<]/);
  });

  it("refuses the same link twice and an expired link (manual clock), and says why", async () => {
    const x = await start();
    const first = tokenOf((await x.run("/dashboard", VIEWER)).reply.text);
    const ok = await server(x).inject({ method: "POST", url: "/dashboard/login", ...form({ t: first }) });
    expect(ok.statusCode).toBe(303);
    const again = await server(x).inject({ method: "POST", url: "/dashboard/login", ...form({ t: first }) });
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain("already used");
    expect(again.headers["set-cookie"]).toBeUndefined();

    const late = tokenOf((await x.run("/dashboard", VIEWER)).reply.text);
    x.clock.advance(10 * 60_000 + 1);
    const expired = await server(x).inject({ method: "POST", url: "/dashboard/login", ...form({ t: late }) });
    expect(expired.statusCode).toBe(403);
    expect(expired.body).toContain("expired");

    const unknown = await server(x).inject({ method: "POST", url: "/dashboard/login", ...form({ t: "x".repeat(43) }) });
    expect(unknown.statusCode).toBe(403);
    expect(unknown.body).toContain("not valid");
  });

  it("refuses a forged cookie, an unsigned one, an expired session and one ended by /dashboard logout", async () => {
    const x = await start();
    const cookie = await signIn(x, VIEWER);
    expect((await server(x).inject({ url: "/dashboard", headers: { cookie } })).statusCode).toBe(200);
    const value = cookie.slice("sr_dash=".length);
    const [token] = decodeURIComponent(value).split(".");
    for (const forged of [
      `sr_dash=${token}`,
      `sr_dash=${encodeURIComponent(`${token}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)}`,
      `sr_dash=${encodeURIComponent(`${"y".repeat(43)}.${decodeURIComponent(value).split(".")[1]}`)}`,
    ]) {
      const r = await server(x).inject({ url: "/dashboard", headers: { cookie: forged } });
      expect(r.statusCode, forged).toBe(401);
      expect(r.body).toContain("/dashboard");
    }
    const bye = await x.run("/dashboard logout", VIEWER);
    expect(bye.reply.text).toBe("Signed out of one page session.");
    expect((await server(x).inject({ url: "/dashboard", headers: { cookie } })).statusCode).toBe(401);

    const again = await signIn(x, VIEWER);
    x.clock.advance(12 * 3_600_000 + 1);
    expect((await server(x).inject({ url: "/dashboard", headers: { cookie: again } })).statusCode).toBe(401);
  });

  it("is not served at all unless dashboard.enabled, and /dashboard says how to turn it on", async () => {
    const x = await start({ ...config, dashboard: { enabled: false } });
    expect((await server(x).inject({ url: "/dashboard" })).statusCode).toBe(404);
    expect((await x.run("/dashboard", VIEWER)).reply.text).toContain("dashboard.enabled: true");
  });
});

describe("dashboard actions", () => {
  it("needs the session's CSRF token, then acks through the dispatcher as that person (audited)", async () => {
    const x = await start();
    const { alert } = x.app.deps.ledger.alerts.raiseAlert({
      kind: "test",
      subject: "a",
      severity: "warning",
      text: "Test alert",
    });
    const cookie = await signIn(x, OPERATOR);
    const page = await server(x).inject({ url: "/dashboard/alerts", headers: { cookie } });
    expect(page.body).toContain("Test alert");
    const csrf = csrfOf(page.body);
    const post = (fields: Record<string, string>) =>
      server(x).inject({
        method: "POST",
        url: "/dashboard/action",
        ...form(fields),
        headers: { ...form({}).headers, cookie },
      });

    const none = await post({ action: "ack", id: String(alert.id) });
    expect(none.statusCode).toBe(403);
    const wrong = await post({ action: "ack", id: String(alert.id), csrf: `${csrf.slice(0, -2)}xx` });
    expect(wrong.statusCode).toBe(403);
    expect(x.app.deps.ledger.alerts.getAlert(alert.id).status).toBe("open");

    const ok = await post({ action: "ack", id: String(alert.id), csrf });
    expect(ok.statusCode).toBe(200);
    expect(x.app.deps.ledger.alerts.getAlert(alert.id)).toMatchObject({ status: "acked", ackedBy: OPERATOR });
    expect(x.app.deps.ledger.audit.recentAudit({ action: "ack", limit: 1 })[0]).toMatchObject({
      actor: OPERATOR,
      transport: "web",
      outcome: "ok",
    });

    const bad = await post({ action: "drop-table", id: "1", csrf });
    expect(bad.statusCode).toBe(400);
  });

  it("refuses a viewer's approve with the dispatcher's role message; the refund stays pending", async () => {
    const x = await start();
    const { refund } = x.app.deps.refunds.requestRefund(
      {
        channelId: "shop1",
        orderId: "1001",
        amount: { amountMinor: 500, currency: "EUR" },
        reason: "damaged",
        source: "chat",
        requestKey: "t:1",
      },
      { actor: OPERATOR, transport: "test", requestId: "t1" },
    );
    const cookie = await signIn(x, VIEWER);
    const page = await server(x).inject({ url: "/dashboard/money", headers: { cookie } });
    expect(page.body).toContain(refund.id);
    const res = await server(x).inject({
      method: "POST",
      url: "/dashboard/action",
      headers: { ...form({}).headers, cookie },
      payload: new URLSearchParams({ action: "approve-refund", id: refund.id, csrf: csrfOf(page.body) }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("needs");
    expect(x.app.deps.refunds.getRefund(refund.id).state).toBe("pending");
  });
});

describe("dashboard pages", () => {
  it("escapes every value: a SKU title with markup arrives as text", async () => {
    const x = await start();
    x.app.deps.ledger.stock.upsertSku(
      { sku: SkuSchema.parse("EVIL-1"), title: '<script>alert("x")</script><img src=x onerror=alert(1)>', onHand: 1 },
      { actor: "test", idempotencyKey: "seed:evil" },
    );
    const cookie = await signIn(x, VIEWER);
    const page = await server(x).inject({ url: "/dashboard/stock?q=EVIL", headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("&lt;script>alert(&quot;x&quot;)&lt;/script>&lt;img src=x onerror=alert(1)>");
    expect(page.body).not.toContain('<script>alert("x")');
    expect(page.body).not.toContain("<img src=x");
    const q = await server(x).inject({ url: `/dashboard/stock?q=${encodeURIComponent('"><b>')}`, headers: { cookie } });
    expect(q.body).toContain('value="&quot;>&lt;b>"');
  });

  it("speaks the person's /lang: the pages in Chinese", async () => {
    const x = await start();
    await x.run("/lang zh-CN", VIEWER);
    const cookie = await signIn(x, VIEWER);
    const page = await server(x).inject({ url: "/dashboard", headers: { cookie } });
    expect(page.body).toContain("今日订单");
    expect(page.body).toContain('lang="zh-CN"');
  });

  it("serves the client script, the style and ECharts from installed packages", async () => {
    const x = await start();
    for (const name of ["app.js", "app.css", "echarts.min.js"]) {
      const r = await server(x).inject({ url: `/dashboard/assets/${name}` });
      expect(r.statusCode, name).toBe(200);
      expect(r.body.length).toBeGreaterThan(100);
    }
    expect((await server(x).inject({ url: "/dashboard/assets/../package.json" })).statusCode).toBe(404);
  });
});

describe("dashboard fields from the ledger", () => {
  const H = 3_600_000;
  const sku = (s: string) => SkuSchema.parse(s);
  /** The text of the element carrying `attr="value"` (the pages keep one element per such attribute). */
  const cell = (html: string, attr: string, value: string): string => {
    const m = new RegExp(`<(\\w+)[^>]* ${attr}="${value}"[^>]*>(.*?)</\\1>`, "s").exec(html);
    return must(m?.[2], `${attr}=${value}`)
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  };

  it("Stock: days of cover over 14 days of sales, a bundle's components and the binding one, on hand per location", async () => {
    const x = await start({ ...config, stock: { locations: ["home", "3pl"] } });
    const { ledger } = x.app.deps;
    ledger.stock.upsertSku({ sku: sku("MUG-1"), title: "Mug", onHand: 20 }, { actor: "test", idempotencyKey: "s:mug" });
    ledger.stock.adjustOnHand(sku("MUG-1"), 6, { actor: "test", idempotencyKey: "s:mug-3pl", location: "3pl" });
    ledger.stock.upsertSku(
      { sku: sku("CST-1"), title: "Coaster", onHand: 3 },
      { actor: "test", idempotencyKey: "s:cst" },
    );
    ledger.stock.upsertSku({ sku: sku("GIFT-1"), title: "Gift set" }, { actor: "test", idempotencyKey: "s:gift" });
    ledger.bundles.defineBundle(
      sku("GIFT-1"),
      [
        { component: sku("MUG-1"), qty: 2 },
        { component: sku("CST-1"), qty: 1 },
      ],
      { actor: "test" },
    );
    // A sale 20 days ago falls outside the 14 days; 7 units since: 0.5 a day, 26 on hand → 52 days.
    ledger.reservations.recordOrderLine({
      channelId: "web",
      orderId: "o1",
      lineId: "1",
      sku: sku("MUG-1"),
      qty: 5,
      actor: "t",
    });
    x.clock.advance(20 * 24 * H);
    ledger.reservations.recordOrderLine({
      channelId: "web",
      orderId: "o2",
      lineId: "1",
      sku: sku("MUG-1"),
      qty: 7,
      actor: "t",
    });
    x.clock.advance(24 * H);
    const cookie = await signIn(x, VIEWER);
    const page = (await server(x).inject({ url: "/dashboard/stock", headers: { cookie } })).body;
    expect(ledger.stock.getLevel("MUG-1").onHand).toBe(26);
    expect(cell(page, "data-sku-cover", "MUG-1")).toBe("52 days");
    expect(cell(page, "data-sku-cover", "CST-1")).toBe("—");
    const availability = must(ledger.bundles.bundleAvailability("GIFT-1"), "a bundle");
    expect(availability.binding).toBe("CST-1");
    expect(cell(page, "data-component", "MUG-1")).toBe("2 × MUG-1 (14 available, 7 sets)");
    expect(cell(page, "data-component", "CST-1")).toBe("1 × CST-1 (3 available, 3 sets)");
    expect(cell(page, "data-binding", "CST-1")).toBe("binding: CST-1");
    expect(cell(page, "data-sku-makeup", "MUG-1")).toBe("home: 20 3pl: 6");
    await x.run("/lang zh-CN", VIEWER);
    const zh = (await server(x).inject({ url: "/dashboard/stock", headers: { cookie } })).body;
    expect(cell(zh, "data-sku-cover", "MUG-1")).toBe("52 天");
    expect(cell(zh, "data-binding", "CST-1")).toBe("瓶颈：CST-1");
  });

  it("Parcels: each late parcel's ready-to-send apology, Chinese for a Chinese channel, with a copy button and no inline script", async () => {
    const x = await start({ ...config, channels: [{ id: "xy", kind: "xianyu" }] });
    const now = x.clock.now();
    for (const [trackingNo, channelId] of [
      ["SF1000000001", "xy"],
      ["SF1000000002", null],
    ] as const)
      x.app.deps.shipments.recordShipment({
        orderRef: `o-${trackingNo}`,
        channelId,
        carrier: asCourierCode("sf"),
        trackingNo,
        shippedAt: new Date(now.getTime() - 80 * H),
        destination: { country: "US" },
      });
    const cookie = await signIn(x, VIEWER);
    const page = (await server(x).inject({ url: "/dashboard/parcels", headers: { cookie } })).body;
    const cn = cell(page, "data-parcel", "SF1000000001");
    // The radar's own text: never polled yet, so "stale" here, and the generic delay apology.
    expect(cn).toContain("亲，非常抱歉！您的包裹物流出现延误");
    expect(cn).toContain("SF1000000001");
    const en = cell(page, "data-parcel", "SF1000000002");
    expect(en).toContain("We are sorry: your parcel is delayed");
    expect(page).toMatch(
      /<button type="button" class="btn secondary" data-copy="apology-\d+" data-copied="Copied">Copy<\/button>/,
    );
    expect(page).not.toMatch(/<script>|<script [^>]*>[^<]|onclick=/);
  });

  it("Money: the refunds and price changes decided in the last 30 days, who asked, who decided, amount and outcome", async () => {
    const x = await start();
    const { deps } = x.app;
    deps.ledger.stock.upsertSku(
      { sku: sku("TEE-1"), title: "Tee", onHand: 1 },
      { actor: "test", idempotencyKey: "s:tee" },
    );
    const by = (actor: string) => ({ actor, transport: "test", requestId: actor });
    const refundOf = (orderId: string, minor: number) =>
      deps.refunds.requestRefund(
        {
          channelId: "shop1",
          orderId,
          amount: { amountMinor: minor, currency: "EUR" },
          reason: "damaged",
          source: "chat",
          requestKey: `r:${orderId}`,
        },
        by(OPERATOR),
      ).refund;
    const old = refundOf("900", 100);
    deps.refunds.rejectRefund(old.id, "too old to matter", by("tg:201"));
    x.clock.advance(31 * 24 * H);
    const recent = refundOf("1001", 1250);
    deps.refunds.rejectRefund(recent.id, "photo shows no damage", by("tg:201"));
    const { request } = deps.priceRequests.openPriceRequest(
      {
        sku: "TEE-1",
        channelId: "",
        old: { amountMinor: 1990, currency: "EUR" },
        price: { amountMinor: 990, currency: "EUR" },
        movePct: -50,
        requestKey: "p:1",
      },
      by(OPERATOR),
    );
    deps.priceRequests.markPriceRequestRejected(request.id, "too deep", by("tg:202"));
    const cookie = await signIn(x, VIEWER);
    const page = (await server(x).inject({ url: "/dashboard/money", headers: { cookie } })).body;
    expect(page).toContain("Decided in the last 30 days");
    expect(page).not.toContain(`data-history="refund:${old.id}"`);
    const refundRow = cell(page, "data-history", `refund:${recent.id}`);
    for (const part of ["Refund", "shop1:1001", "€12.50", OPERATOR, "tg:201", "rejected: photo shows no damage"])
      expect(refundRow).toContain(part);
    const priceRow = cell(page, "data-history", `price:${request.id}`);
    for (const part of ["Price", "TEE-1", "€19.90 → €9.90", OPERATOR, "tg:202", "rejected: too deep"])
      expect(priceRow).toContain(part);
  });
});

describe("alert changes reach the live stream", () => {
  it("onAlertChange hears a raise, an ack and a resolve on their own at once, and one inside a transaction only after it commits", async () => {
    const x = await start();
    const { ledger } = x.app.deps;
    const heard: string[] = [];
    const off = ledger.onAlertChange(() => heard.push(`open:${ledger.alerts.liveAlerts(50).length}`));
    const { alert } = ledger.alerts.raiseAlert({ kind: "k", subject: "a", severity: "critical", text: "A" });
    expect(heard).toEqual(["open:1"]);
    ledger.alerts.ackAlert(alert.id, OPERATOR);
    expect(heard).toHaveLength(2);
    ledger.transaction(() => {
      ledger.alerts.resolveAlert("k", "a");
      ledger.alerts.raiseAlert({ kind: "k", subject: "b", severity: "warning", text: "B" });
      expect(heard).toHaveLength(2);
    });
    expect(heard).toEqual(["open:1", "open:1", "open:1"]);
    expect(ledger.alerts.resolveAlert("k", "nothing-live")).toBe(false);
    expect(heard).toHaveLength(3);
    off();
    ledger.alerts.resolveAlert("k", "b");
    expect(heard).toHaveLength(3);
  });

  it("the live snapshot carries the alerts and an open critical alert's banner line, in the reader's language", async () => {
    const x = await start();
    x.app.deps.ledger.alerts.raiseAlert({ kind: "k", subject: "a", severity: "critical", text: "Channel down" });
    const cookie = await signIn(x, VIEWER);
    const page = (await server(x).inject({ url: "/dashboard/alerts", headers: { cookie } })).body;
    expect(page).toContain('id="alerts-body"');
    expect(page).toContain("<div>Alert: Channel down</div>");
    await x.run("/lang zh-CN", VIEWER);
    const zh = (await server(x).inject({ url: "/dashboard", headers: { cookie } })).body;
    expect(zh).toContain("<div>告警：Channel down</div>");
  });
});

describe("dashboard doctor", () => {
  const cfg = (raw: Record<string, unknown>) => parseConfig({ database: ":memory:", ...raw }, {});

  it("warns when the pages are on and reachable over plain HTTP from outside loopback", () => {
    const [plain] = dashboardFindings(cfg({ http: { host: "0.0.0.0" }, dashboard: { enabled: true } }));
    expect(plain?.ok).toBe(false);
    expect(plain?.line).toContain("dashboard.publicUrl");
    const [tls] = dashboardFindings(
      cfg({ http: { host: "0.0.0.0" }, dashboard: { enabled: true, publicUrl: "https://board.example.com" } }),
    );
    expect(tls?.ok).toBe(true);
    expect(dashboardFindings(cfg({ dashboard: { enabled: true } }))[0]?.ok).toBe(true);
    expect(dashboardFindings(cfg({ http: { host: "0.0.0.0" } }))).toEqual([]);
    const [zh] = dashboardFindings(cfg({ language: "zh-CN", http: { host: "0.0.0.0" }, dashboard: { enabled: true } }));
    expect(zh?.line).toContain("明文 HTTP");
  });
});

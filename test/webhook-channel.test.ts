import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signedQuery, verify } from "../examples/webhook-receiver.mjs";
import { createWebhookChannel, signWebhook, WebhookConfigSchema } from "../src/channels/webhook.js";
import { webhookJsonSchema } from "../src/channels/webhook-schema.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { runDoctor } from "../src/doctor.js";
import { isAppError } from "../src/errors.js";
import { bodyStats } from "../src/http/body.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { must } from "../src/internal-error.js";
import { openDatabase } from "../src/ledger/db.js";
import { UpstreamError } from "../src/upstream/errors.js";
import { tempDir } from "./support/app.js";
import { channelDeps, never } from "./support/channels.js";
import { testClock } from "./support/clock.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";
import { depsFor, engineFor } from "./support/sync.js";

const SECRET = "hook_secret_0123456789abcdef";
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

type Seen = { headers: IncomingMessage["headers"]; raw: Buffer; body: { items?: { sku: string }[] } };

/** A local receiver on port 0 that records each request and answers with `answer`. */
async function receiver(answer: (seen: Seen, n: number, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(parts);
      const s: Seen = { headers: req.headers, raw, body: JSON.parse(raw.toString("utf8")) };
      seen.push(s);
      answer(s, seen.length, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stock`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

function channel(url: string, t = testClock("2026-12-01T10:00:00Z"), readUrl?: string) {
  const config = WebhookConfigSchema.parse({
    id: "hook",
    kind: "webhook",
    url,
    secret: SECRET,
    batchSize: 2,
    ...(readUrl ? { readUrl } : {}),
  });
  return {
    ...t,
    channel: createWebhookChannel({ ...channelDeps("hook", { clock: t.clock, sleep: t.sleep }), config }),
  };
}

async function inboundSetup() {
  const ledger = openTestLedger(openDatabase(":memory:"), {
    clock: systemClock,
    settings: { ...testSettings, locations: ["home", "3pl"], primaryLocation: "home" },
  });
  cleanup.push(() => ledger.close());
  const a = sku("A-1");
  ledger.stock.upsertSku({ sku: a, title: "Tee" }, { actor: "t", idempotencyKey: "new:A-1" });
  ledger.stock.adjustOnHand(a, 5, { actor: "t", idempotencyKey: "in:home", location: "home" });
  const { channel: hook, clock } = channel("http://127.0.0.1:9/unused");
  const engine = engineFor(ledger, [hook]);
  cleanup.push(() => engine.stop());
  const app = await createHttpServer(depsFor(ledger, engine, [hook]), routeModules);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  cleanup.push(() => app.close());
  const post = (body: string, sig?: string) =>
    fetch(`${url}/webhooks/hook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(sig !== undefined ? { "x-stockradar-signature": sig } : {}),
      },
      body,
    });
  const now = () => Math.floor(clock.now().getTime() / 1000);
  const signed = (body: unknown) => {
    const raw = JSON.stringify(body);
    return post(raw, signWebhook(SECRET, now(), raw));
  };
  return { ledger, a, post, signed, now, clock };
}

describe("webhook channel kind (issue 13)", () => {
  it("applies a signed restock to the named location once; a replay changes nothing", async () => {
    const { ledger, a, signed } = await inboundSetup();
    const event = { type: "stock", event_id: "ev-1", sku: "A-1", location: "3pl", kind: "restock", quantity: 4 };
    const first = await signed(event);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: "stock" });
    const replay = await signed(event);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: "duplicate" });
    expect(ledger.locations.locationLevels(a)).toEqual([
      { location: "home", onHand: 5 },
      { location: "3pl", onHand: 4 },
    ]);
    expect(ledger.stock.findLevel(a)?.onHand).toBe(9);
  });

  it("takes a signed order through the order intake", async () => {
    const { ledger, a, signed } = await inboundSetup();
    const order = { id: "o-1", status: "paid", lines: [{ id: "l1", sku: "A-1", qty: 2 }] };
    const r = await signed({ type: "order", event_id: "ev-o1", order });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "processed" });
    expect(ledger.stock.findLevel(a)?.reserved).toBe(2);
  });

  it("refuses a bad, missing or stale signature with 401 before parsing, and a malformed body with 400", async () => {
    const { ledger, a, post, signed, now } = await inboundSetup();
    const raw = JSON.stringify({ type: "stock", event_id: "ev-2", sku: "A-1", kind: "count", quantity: 50 });
    const parses = bodyStats.jsonParses;
    expect((await post(raw, signWebhook("wrong-secret-0123456789", now(), raw))).status).toBe(401);
    expect((await post(raw)).status).toBe(401);
    expect((await post(raw, signWebhook(SECRET, now() - 301, raw))).status).toBe(401);
    expect(bodyStats.jsonParses).toBe(parses);
    const bad = await signed({ type: "stock", event_id: "ev-3", sku: "A-1", kind: "count", quantity: "lots" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/quantity/);
    expect(ledger.stock.findLevel(a)?.onHand).toBe(5);
  });

  it("pushes targets to a receiver that checks them with the documented verify; a refused item stays in the outbox", async () => {
    let clockMs = 0;
    const r = await receiver((s, _n, res) => {
      if (!verify(SECRET, s.headers["x-stockradar-signature"] as string, s.raw, clockMs)) return json(res, 401, {});
      json(res, 200, {
        results: (s.body.items ?? []).map((i) =>
          i.sku === "B-2" ? { sku: i.sku, ok: false, error: "no such product" } : { sku: i.sku, ok: true },
        ),
      });
    });
    const { channel: hook, clock } = channel(r.url);
    clockMs = clock.now().getTime();
    const ledger = openTestLedger(openDatabase(":memory:"), { clock: systemClock, settings: testSettings });
    cleanup.push(() => ledger.close());
    for (const [s, n] of [
      ["A-1", 3],
      ["B-2", 4],
    ] as const) {
      ledger.stock.upsertSku({ sku: sku(s), title: s, onHand: n }, { actor: "t", idempotencyKey: `new:${s}` });
      ledger.listings.linkListing({ channelId: "hook", sku: sku(s), ref: `ref-${s}` });
    }
    const engine = engineFor(ledger, [hook]);
    cleanup.push(() => engine.stop());
    await engine.drain({ signal: never });
    expect(r.seen.length).toBeGreaterThan(0);
    expect(r.seen[0]?.body).toMatchObject({
      channel: "hook",
      items: expect.arrayContaining([
        expect.objectContaining({
          sku: "A-1",
          ref: "ref-A-1",
          quantity: expect.any(Number),
          version: expect.any(Number),
        }),
      ]),
    });
    expect(ledger.outbox.allOutbox().map((o) => o.sku)).toEqual(["B-2"]);
  });

  it("retries a 429 after its Retry-After, and counts an item missing from the answer as failed", async () => {
    const r = await receiver((s, n, res) =>
      n === 1
        ? json(res, 429, { error: "slow down" }, { "retry-after": "2" })
        : json(res, 200, { results: [{ sku: (s.body.items ?? [])[0]?.sku, ok: true }] }),
    );
    const { channel: hook, sleep } = channel(r.url);
    const out = await hook.pushStock(
      [
        { sku: sku("A-1"), ref: "a", quantity: 1 },
        { sku: sku("B-2"), ref: "b", quantity: 2 },
      ],
      { idempotencyKey: "k", signal: never },
    );
    expect(r.seen).toHaveLength(2);
    expect(sleep.calls).toContain(2000);
    expect(out.map((o) => o.ok)).toEqual([true, false]);
  });

  it("pushes prices as signed decimal amounts and confirms each from the answer", async () => {
    const r = await receiver((s, _n, res) => {
      const prices = (s.body as { prices?: { sku: string }[] }).prices ?? [];
      json(res, 200, { results: prices.map((p) => ({ sku: p.sku, ok: true })) });
    });
    const { channel: hook, clock } = channel(r.url);
    const push = must(hook.pushPrices, "webhook channels push prices");
    const out = await push([{ sku: sku("A-1"), ref: "a", price: { amountMinor: 1990, currency: "EUR" } }], {
      idempotencyKey: "p",
      signal: never,
    });
    expect(out).toEqual([{ sku: "A-1", ok: true, price: { amountMinor: 1990, currency: "EUR" } }]);
    const seen = must(r.seen[0], "one POST");
    expect(verify(SECRET, seen.headers["x-stockradar-signature"] as string, seen.raw, clock.now().getTime())).toBe(
      true,
    );
    expect(seen.body).toEqual({
      channel: "hook",
      prices: [{ sku: "A-1", ref: "a", amount: "19.90", currency: "EUR" }],
    });
  });

  it("sets a counted on hand, and refuses a negative restock with 400", async () => {
    const { ledger, a, signed } = await inboundSetup();
    const count = await signed({
      type: "stock",
      event_id: "c1",
      sku: "A-1",
      location: "home",
      kind: "count",
      quantity: 2,
    });
    expect(count.status).toBe(200);
    const neg = await signed({ type: "stock", event_id: "c2", sku: "A-1", kind: "restock", quantity: -1 });
    expect(neg.status).toBe(400);
    expect(ledger.stock.findLevel(a)?.onHand).toBe(2);
  });

  it("documents the JSON Schema generated from the zod schemas (npx tsx scripts/webhook-schema.ts)", () => {
    const file = JSON.parse(readFileSync(new URL("../docs/webhook-channel.schema.json", import.meta.url), "utf8"));
    expect(file).toEqual(webhookJsonSchema());
    expect(readFileSync(new URL("../docs/webhook-channel.md", import.meta.url), "utf8")).toContain(
      "examples/webhook-receiver.mjs",
    );
  });
});

type Read = { url: string; skus: string[] | undefined; cursor: string | null; isSigned: boolean };

/**
 * A receiver's read side on port 0: verifies each GET the documented way (verify over signedQuery), pages its
 * answer `pageSize` rows at a time with cursor `p<next>`, and records every request.
 */
async function readReceiver(
  stock: Map<string, number>,
  opts: { pageSize?: number; nowMs: () => number; answer?: unknown },
) {
  const seen: Read[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? "";
    const q = new URL(url, "http://x").searchParams;
    const isSigned = verify(SECRET, req.headers["x-stockradar-signature"] as string, signedQuery(url), opts.nowMs());
    const skus = q.get("skus")?.split(",");
    seen.push({ url, skus, cursor: q.get("cursor"), isSigned });
    if (!isSigned) return json(res, 401, { error: "bad signature" });
    if (opts.answer !== undefined) return json(res, 200, opts.answer);
    const rows = (skus ?? [...stock.keys()])
      .filter((s) => stock.has(s))
      .map((sku) => ({ sku, quantity: stock.get(sku) }));
    const size = opts.pageSize ?? 1000;
    const from = Number(q.get("cursor")?.slice(1) ?? 0);
    const next = from + size < rows.length ? `p${from + size}` : null;
    json(res, 200, { items: rows.slice(from, from + size), next_cursor: next });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stock`, seen };
}

describe("webhook channel read side: readUrl (issue 13)", () => {
  const refs = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ sku: sku(`S-${String(i).padStart(3, "0")}`), ref: `r${i}` }));

  it("reads stock with signed GETs of at most 50 SKUs, following next_cursor until it is null", async () => {
    const t = testClock("2026-12-01T10:00:00Z");
    const stock = new Map(refs(60).map((r, i) => [r.sku as string, i]));
    const r = await readReceiver(stock, { pageSize: 30, nowMs: () => t.clock.now().getTime() });
    const { channel: hook } = channel("http://127.0.0.1:9/unused", t, r.url);
    expect(hook.readsStock).toBe(true);
    const got = await hook.fetchStock(refs(60), never);
    expect(got).toHaveLength(60);
    expect(got[59]).toEqual({ sku: "S-059", ref: "r59", quantity: 59, isListed: true });
    // 50 SKUs in two pages of 30, then 10 in one.
    expect(r.seen.map((x) => [x.skus?.length, x.cursor, x.isSigned])).toEqual([
      [50, null, true],
      [50, "p30", true],
      [10, null, true],
    ]);
    expect(r.seen[0]?.url).toMatch(/^\/stock\?skus=S-000,S-001,/);
  });

  it("sums rows per location, and leaves a SKU the receiver does not name out", async () => {
    const t = testClock("2026-12-01T10:00:00Z");
    const answer = {
      items: [
        { sku: "A-1", quantity: 2, location: "home" },
        { sku: "A-1", quantity: 5, location: "3pl" },
      ],
      next_cursor: null,
    };
    const r = await readReceiver(new Map(), { nowMs: () => t.clock.now().getTime(), answer });
    const { channel: hook } = channel("http://127.0.0.1:9/unused", t, r.url);
    const got = await hook.fetchStock(
      [
        { sku: sku("A-1"), ref: "a" },
        { sku: sku("B-2"), ref: "b" },
      ],
      never,
    );
    expect(got).toEqual([
      {
        sku: "A-1",
        ref: "a",
        quantity: 7,
        isListed: true,
        byLocation: [
          { location: "home", quantity: 2 },
          { location: "3pl", quantity: 5 },
        ],
      },
    ]);
  });

  it("calls a malformed answer or an endless cursor an UpstreamError of kind malformed", async () => {
    const t = testClock("2026-12-01T10:00:00Z");
    for (const answer of [
      { items: [{ sku: "A-1", quantity: -1 }], next_cursor: null },
      { items: [{ sku: "A-1", quantity: 1 }] },
      { items: [], next_cursor: "same" },
    ]) {
      const r = await readReceiver(new Map(), { nowMs: () => t.clock.now().getTime(), answer });
      const { channel: hook } = channel("http://127.0.0.1:9/unused", t, r.url);
      const err = await hook.fetchStock([{ sku: sku("A-1"), ref: "a" }], never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect((err as UpstreamError).kind).toBe("malformed");
    }
  });

  it("lists the receiver's whole catalog for import channel (a GET without skus), and says to set readUrl without one", async () => {
    const t = testClock("2026-12-01T10:00:00Z");
    const r = await readReceiver(
      new Map([
        ["A-1", 4],
        ["B-2", 0],
      ]),
      { pageSize: 1, nowMs: () => t.clock.now().getTime() },
    );
    const { channel: hook } = channel("http://127.0.0.1:9/unused", t, r.url);
    expect(await hook.listCatalog(never)).toEqual([
      { sku: "A-1", ref: "A-1", title: "A-1", quantity: 4 },
      { sku: "B-2", ref: "B-2", title: "B-2", quantity: 0 },
    ]);
    expect(r.seen.map((x) => x.url)).toEqual(["/stock", "/stock?cursor=p1"]);
    const { channel: blind } = channel("http://127.0.0.1:9/unused", t);
    const err = await blind.listCatalog(never).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe("webhook_no_read_url");
  });

  it("reconcile repairs drift it reads back, and skips a channel without readUrl as a whole", async () => {
    const t = testClock("2026-12-01T10:00:00Z");
    const stock = new Map([["A-1", 9]]);
    const r = await readReceiver(stock, { nowMs: () => Date.now() });
    const ledger = openTestLedger(openDatabase(":memory:"), { clock: systemClock, settings: testSettings });
    cleanup.push(() => ledger.close());
    ledger.stock.upsertSku({ sku: sku("A-1"), title: "Tee", onHand: 4 }, { actor: "t", idempotencyKey: "new:A-1" });
    for (const id of ["hook", "blind"]) ledger.listings.linkListing({ channelId: id, sku: sku("A-1"), ref: "erp-1" });
    const hook = createWebhookChannel({
      ...channelDeps("hook", { clock: systemClock, sleep: t.sleep }),
      config: WebhookConfigSchema.parse({
        id: "hook",
        kind: "webhook",
        url: "http://127.0.0.1:9/x",
        secret: SECRET,
        readUrl: r.url,
      }),
    });
    const blind = createWebhookChannel({
      ...channelDeps("blind", { clock: systemClock, sleep: t.sleep }),
      config: WebhookConfigSchema.parse({ id: "blind", kind: "webhook", url: "http://127.0.0.1:9/x", secret: SECRET }),
    });
    expect(blind.readsStock).toBe(false);
    const engine = engineFor(ledger, [hook, blind]);
    cleanup.push(() => engine.stop());
    // Both channels confirmed 4 earlier; the receiver has since been edited to 9.
    for (const row of ledger.outbox.allOutbox()) ledger.outbox.confirmPush(row, row.targetQty, true);
    expect(ledger.outbox.allOutbox()).toEqual([]);
    const reports = await engine.reconcile({ signal: never });
    const byId = new Map(reports.map((x) => [x.channelId, x]));
    expect(byId.get("blind")).toMatchObject({ checked: 0, repaired: 0, skipped: 1, problems: [] });
    expect(byId.get("hook")).toMatchObject({ checked: 1, repaired: 1, problems: [] });
    expect(ledger.outbox.allOutbox().map((o) => [o.channelId, o.targetQty])).toEqual([["hook", 4]]);
    expect(r.seen.map((x) => [x.skus, x.isSigned])).toEqual([[["A-1"], true]]);
  });

  it("doctor makes one signed GET to readUrl and names the secret when it is refused", async () => {
    const r = await readReceiver(new Map([["A-1", 1]]), { nowMs: () => Date.now() });
    const { dir, cleanup: rm } = tempDir();
    cleanup.push(rm);
    const lines = async (secret: string) =>
      (
        await runDoctor(
          parseConfig(
            {
              database: join(dir, "ledger.db"),
              http: { enabled: false },
              channels: [{ id: "erp", kind: "webhook", url: "http://127.0.0.1:9/x", readUrl: r.url, secret }],
            },
            {},
          ),
          "test",
        )
      ).filter((f) => f.line.startsWith("channel erp"));
    expect(await lines(SECRET)).toEqual([
      { ok: true, line: expect.stringContaining("the signing secret accepted by http://127.0.0.1") },
    ]);
    const refused = await lines("not-the-secret-0123456789");
    expect(refused).toEqual([
      { ok: false, line: expect.stringContaining("refused (HTTP 401); check channels[erp].secret") },
    ]);
    expect(r.seen.map((x) => [x.url, x.isSigned])).toEqual([
      ["/stock", true],
      ["/stock", false],
    ]);
  });
});

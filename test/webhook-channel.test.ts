import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { verify } from "../examples/webhook-receiver.mjs";
import { createWebhookChannel, signWebhook, WebhookConfigSchema } from "../src/channels/webhook.js";
import { webhookJsonSchema } from "../src/channels/webhook-schema.js";
import { systemClock } from "../src/clock.js";
import { bodyStats } from "../src/http/body.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { must } from "../src/internal-error.js";
import { openDatabase } from "../src/ledger/db.js";
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

function channel(url: string, t = testClock("2026-12-01T10:00:00Z")) {
  const config = WebhookConfigSchema.parse({ id: "hook", kind: "webhook", url, secret: SECRET, batchSize: 2 });
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

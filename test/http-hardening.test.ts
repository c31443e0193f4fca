import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bodyStats } from "../src/http/body.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { depsFor, engineFor, liveLedger, shopifyChannel, WEBHOOK_SECRET, wooChannel } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A 1 MiB body of nested arrays: costly to parse, and it must never be parsed unauthenticated. */
const nested = (bytes: number): string => "[".repeat(bytes / 2) + "]".repeat(bytes / 2);

async function setup() {
  const shop = await shopifyChannel("shop");
  cleanup.push(() => shop.sim.close());
  const woo = await wooChannel("woo");
  cleanup.push(() => woo.sim.close());
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const engine = engineFor(ledger, [shop.channel, woo.channel]);
  cleanup.push(() => engine.stop());
  const app = await createHttpServer(
    depsFor(ledger, engine, [shop.channel, woo.channel], { http: { apiToken: "api-token-0123456789abcdef" } }),
    routeModules,
  );
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  cleanup.push(() => app.close());
  const deliveries = () => (ledger.db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries").get() as { n: number }).n;
  return { url, ledger, deliveries };
}

const signedShopify = (url: string, body: string, id: string) =>
  fetch(`${url}/webhooks/shop`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": createHmac("sha256", WEBHOOK_SECRET).update(body).digest("base64"),
      "x-shopify-webhook-id": id,
      "x-shopify-shop-domain": "sandbox.myshopify.com",
      "x-shopify-topic": "app/uninstalled",
    },
    body,
  });

describe("HTTP hardening (issue 19)", () => {
  it("rejects a 1 MiB nested body with a bad signature before any JSON.parse, while a signed webhook still lands", async () => {
    const { url, deliveries } = await setup();
    const parse = vi.spyOn(JSON, "parse");
    const before = bodyStats.jsonParses;
    const flood = nested(1024 * 1024 - 64);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${url}/webhooks/shop`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-shopify-hmac-sha256": "AAAA",
            "x-shopify-topic": "orders/create",
            "x-shopify-webhook-id": "x",
          },
          body: flood,
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual([401, 401, 401, 401]);
    // Neither the server nor the adapter parsed the unauthenticated megabyte.
    expect(parse.mock.calls.filter(([text]) => String(text).length > 1000)).toHaveLength(0);
    expect(bodyStats.jsonParses).toBe(before);
    expect(deliveries()).toBe(0);
    const ok = await signedShopify(url, JSON.stringify({ id: 1 }), "d-1");
    expect(ok.status).toBe(200);
    expect(deliveries()).toBe(1);
  });

  it("answers an unknown route 404 without parsing its body, and the reservation API parses only after the token", async () => {
    const { url } = await setup();
    const parse = vi.spyOn(JSON, "parse");
    const flood = nested(512 * 1024);
    const unknown = await fetch(`${url}/nowhere`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: flood,
    });
    expect(unknown.status).toBe(404);
    const noToken = await fetch(`${url}/api/v1/reservations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: flood,
    });
    expect(noToken.status).toBe(401);
    expect(parse.mock.calls.filter(([text]) => String(text).length > 1000)).toHaveLength(0);
  });

  it("caps the reservation API's body at 16 KiB even with the right token", async () => {
    const { url } = await setup();
    const before = bodyStats.jsonParses;
    const r = await fetch(`${url}/api/v1/reservations`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer api-token-0123456789abcdef" },
      body: JSON.stringify({ pad: "x".repeat(20_000) }),
    });
    expect(r.status).toBe(413);
    expect(bodyStats.jsonParses).toBe(before);
  });

  it("answers unsigned WooCommerce pings 200 without storing a delivery", async () => {
    const { url, deliveries } = await setup();
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${url}/webhooks/woo`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `webhook_id=${i}`,
      });
      expect(r.status).toBe(200);
    }
    expect(deliveries()).toBe(0);
  });

  it("answers holds 503 disk_full with Retry-After while the ledger is full, and 201 again once space returns", async () => {
    const { url, ledger } = await setup();
    const s = "FULL-1" as Parameters<typeof ledger.stock.upsertSku>[0]["sku"];
    ledger.stock.upsertSku({ sku: s, onHand: 1_000_000 }, { actor: "test", idempotencyKey: "seed:full" });
    const pages = (ledger.db.pragma("page_count", { simple: true }) as number) + 0;
    // A real SQLITE_FULL: the database may not grow past the pages it has now.
    ledger.db.pragma(`max_page_count = ${pages}`);
    const hold = (i: number) =>
      fetch(`${url}/api/v1/reservations`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer api-token-0123456789abcdef" },
        body: JSON.stringify({ sku: s, qty: 1, ref: `cart-${i}-${"r".repeat(100)}` }),
      });
    const statuses: number[] = [];
    let full: Response | undefined;
    for (let i = 0; i < 400 && !full; i++) {
      const r = await hold(i);
      statuses.push(r.status);
      if (r.status !== 201) full = r;
    }
    expect(full?.status).toBe(503);
    expect(full?.headers.get("retry-after")).toBe("30");
    expect(await full?.json()).toMatchObject({ error: "disk_full" });
    expect(statuses.filter((x) => x === 500)).toHaveLength(0);
    ledger.db.pragma(`max_page_count = ${pages * 100}`);
    expect((await hold(999)).status).toBe(201);
  });
});

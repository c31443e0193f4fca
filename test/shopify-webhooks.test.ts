/**
 * Shopify webhook headers, checked the way Shopify's own library does (Shopify/shopify-app-js,
 * packages/apps/shopify-api/lib/utils/hmac-validator.ts `validateHmacFromRequest` and lib/auth/oauth/safe-compare.ts
 * `safeCompare`: the header string is compared with the locally computed base64 digest as text, so it must be the
 * canonical padded base64 exactly; lib/webhooks/validate.ts `checkWebhooksHeaders` requires X-Shopify-Shop-Domain).
 * De-duplication follows https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates: one X-Shopify-Event-Id is
 * one merchant action, whatever X-Shopify-Webhook-Id each delivery carries.
 */
import { createHmac } from "node:crypto";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import { ForbiddenError } from "../src/errors.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { createLogger } from "../src/log.js";
import { channelDeps, fixture } from "./support/channels.js";
import { depsFor, engineFor, liveLedger, shopifyChannel, WEBHOOK_SECRET } from "./support/sync.js";

const SECRET = "whsec_test_0123456789";
const config = (shop = "x.myshopify.com"): ShopifyConfig => ({
  id: "shop1",
  kind: "shopify",
  shop,
  accessToken: "shpat_x",
  webhookSecret: SECRET,
  locationId: "gid://shopify/Location/1",
  apiVersion: "2026-04",
  timeoutMs: 1000,
  bufferUnits: 0,
  failureAlertAfter: 5,
  unhealthyAfterMinutes: 15,
});
const adapter = (shop?: string) => createShopifyChannel({ ...channelDeps("shop1"), config: config(shop) });
const digest = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest();
const headers = (body: string, over: Record<string, string | undefined> = {}) =>
  Object.fromEntries(
    Object.entries({
      "x-shopify-hmac-sha256": digest(body).toString("base64"),
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": "x.myshopify.com",
      "x-shopify-api-version": "2026-04",
      "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      ...over,
    }).filter((e): e is [string, string] => e[1] !== undefined),
  );
const parse = (body: string, over: Record<string, string | undefined> = {}, shop?: string) =>
  adapter(shop).parseWebhook?.({ headers: headers(body, over), rawBody: Buffer.from(body) });
const code = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ForbiddenError);
    return (err as ForbiddenError).code;
  }
};

describe("shopify webhook signature (strict base64, as safeCompare)", () => {
  const body = fixture("shopify/orders-create.json");
  const good = digest(body).toString("base64");

  it("accepts the canonical padded base64 of the HMAC-SHA256 digest", () => {
    expect(good).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(parse(body)?.kind).toBe("order");
  });

  it("refuses the same digest without padding, with junk after it, or in another alphabet or case", () => {
    const variants = [
      good.slice(0, -1),
      `${good}x`,
      `${good}==`,
      `${good.slice(0, -1)}A`,
      digest(body).toString("base64url"),
      digest(body).toString("hex"),
      good.toLowerCase() === good ? good.toUpperCase() : good.toLowerCase(),
    ];
    for (const sig of variants)
      expect(
        code(() => parse(body, { "x-shopify-hmac-sha256": sig })),
        sig,
      ).toBe("webhook_bad_signature");
  });

  it("refuses a URL-safe header for a digest whose base64 holds + or / (Buffer.from(…, 'base64') would decode it)", () => {
    let b = body;
    for (let i = 0; !/[+/]/.test(digest(b).toString("base64")); i++) b = `${body}${" ".repeat(i + 1)}`;
    const urlSafe = digest(b).toString("base64url");
    expect(Buffer.from(urlSafe, "base64").equals(digest(b))).toBe(true);
    expect(code(() => parse(b, { "x-shopify-hmac-sha256": urlSafe }))).toBe("webhook_bad_signature");
    expect(parse(b)?.kind).toBe("order");
  });
});

describe("shopify webhook shop domain", () => {
  const body = fixture("shopify/orders-create.json");

  it("refuses a correctly signed delivery for another shop, or one naming no shop", () => {
    expect(code(() => parse(body, { "x-shopify-shop-domain": "other.myshopify.com" }))).toBe("webhook_wrong_shop");
    expect(code(() => parse(body, { "x-shopify-shop-domain": undefined }))).toBe("webhook_wrong_shop");
  });

  it("compares case-insensitively and completes a bare shop name with .myshopify.com", () => {
    expect(parse(body, { "x-shopify-shop-domain": "X.MyShopify.com" })?.kind).toBe("order");
    expect(parse(body, {}, "x")?.kind).toBe("order");
  });

  it("checks the shop before parsing: a signed junk body for another shop is 401, not 400", () => {
    const junk = '{"id": "not-a-number"';
    expect(code(() => parse(junk, { "x-shopify-shop-domain": "other.myshopify.com" }))).toBe("webhook_wrong_shop");
  });
});

describe("shopify webhook de-duplication on X-Shopify-Event-Id", () => {
  const body = fixture("shopify/orders-create.json");

  it("keys a delivery by its event id when present, else by its webhook id", () => {
    expect(parse(body, { "x-shopify-event-id": "e-1" })?.deliveryId).toBe("event:e-1");
    expect(parse(body, { "x-shopify-event-id": "e-1", "x-shopify-webhook-id": "other" })?.deliveryId).toBe("event:e-1");
    expect(parse(body)?.deliveryId).toBe("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
  });

  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it("applies one merchant action once when it arrives with two webhook ids; a redelivery keeps its event id", async () => {
    const shop = await shopifyChannel("shop");
    cleanup.push(() => shop.sim.close());
    const ledger = liveLedger();
    cleanup.push(() => ledger.close());
    const engine = engineFor(ledger, [shop.channel]);
    cleanup.push(() => engine.stop());
    const app = await createHttpServer(depsFor(ledger, engine, [shop.channel]), routeModules);
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/webhooks/shop`;
    cleanup.push(() => app.close());
    const deliveries = () =>
      (ledger.db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries").get() as { n: number }).n;

    shop.sim.seedItems(1, { available: 5 });
    const order = shop.sim.createOrder([{ sku: "SKU-0001", qty: 1 }]);
    const send = (extra: { webhookId?: string; eventId?: string; shopDomain?: string }) =>
      shop.sim.sendWebhook({
        url,
        topic: "refunds/create",
        payload: { id: 77, order_id: order.id, note: "dup test", transactions: [] },
        secret: WEBHOOK_SECRET,
        ...extra,
      });
    const first = await send({ webhookId: "w-1" });
    expect(first.status).toBe(200);
    expect(deliveries()).toBe(1);
    // A second subscription's delivery of the same event: new webhook id, same event id.
    expect((await send({ webhookId: "w-2", eventId: first.eventId })).status).toBe(200);
    // Shopify's retry of the first delivery: same webhook id, and the simulator keeps the event id.
    const retry = await send({ webhookId: "w-1" });
    expect(retry.eventId).toBe(first.eventId);
    expect(deliveries()).toBe(1);
    // A different event is recorded.
    expect((await send({ webhookId: "w-3" })).status).toBe(200);
    expect(deliveries()).toBe(2);
    // Another shop's delivery, correctly signed, is refused before anything is recorded.
    expect((await send({ webhookId: "w-4", shopDomain: "elsewhere.myshopify.com" })).status).toBe(401);
    expect(deliveries()).toBe(2);
  });

  it("logs a signed delivery for another shop as its own line (wrong_shop), not as a rejected signature", async () => {
    const shop = await shopifyChannel("shop");
    cleanup.push(() => shop.sim.close());
    const ledger = liveLedger();
    cleanup.push(() => ledger.close());
    const engine = engineFor(ledger, [shop.channel]);
    cleanup.push(() => engine.stop());
    let logged = "";
    const destination = new PassThrough();
    destination.on("data", (d: Buffer) => (logged += d.toString()));
    const deps = { ...depsFor(ledger, engine, [shop.channel]), log: createLogger({ level: "info", destination }) };
    const app = await createHttpServer(deps, routeModules);
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/webhooks/shop`;
    cleanup.push(() => app.close());
    const body = JSON.stringify({ id: 5 });
    const send = (shopDomain: string, secret = WEBHOOK_SECRET) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
          "x-shopify-topic": "orders/create",
          "x-shopify-webhook-id": "w-wrong",
          "x-shopify-shop-domain": shopDomain,
        },
        body,
      });
    const wrong = await send("elsewhere.myshopify.com");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "wrong_shop" });
    const lines = () =>
      logged
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { msg: string; shop?: string });
    expect(lines().filter((l) => l.msg === "webhook for another shop rejected")).toEqual([
      expect.objectContaining({ shop: "elsewhere.myshopify.com" }),
    ]);
    expect(lines().some((l) => l.msg === "webhook signature rejected")).toBe(false);
    // A forged signature still gets the signature line.
    const forged = await send(shop.sim.shopDomain, "not-our-secret");
    expect(await forged.json()).toMatchObject({ error: "bad_signature" });
    expect(lines().filter((l) => l.msg === "webhook signature rejected")).toHaveLength(1);
  });
});

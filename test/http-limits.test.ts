import { createHmac } from "node:crypto";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { depsFor, engineFor, liveLedger, shopifyChannel, WEBHOOK_SECRET } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const TOKEN = "api-token-0123456789abcdef";

async function setup(http: Record<string, unknown> = {}) {
  const shop = await shopifyChannel("shop");
  cleanup.push(() => shop.sim.close());
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const engine = engineFor(ledger, [shop.channel]);
  cleanup.push(() => engine.stop());
  const app = await createHttpServer(
    depsFor(ledger, engine, [shop.channel], { http: { apiToken: TOKEN, ...http } }),
    routeModules,
  );
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  cleanup.push(() => app.close());
  const port = Number(new URL(url).port);
  const deliveries = () => (ledger.db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries").get() as { n: number }).n;
  return { app, url, port, deliveries };
}

const signedShopify = (url: string, id: string) => {
  const body = JSON.stringify({ id });
  return fetch(`${url}/webhooks/shop`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": createHmac("sha256", WEBHOOK_SECRET).update(body).digest("base64"),
      "x-shopify-webhook-id": id,
      "x-shopify-topic": "app/uninstalled",
      "x-shopify-shop-domain": "sandbox.myshopify.com",
    },
    body,
  });
};

/** A raw socket and everything the server ever wrote to it, resolved when the server closes it. */
function rawSocket(port: number): { socket: Socket; connected: Promise<void>; closed: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  cleanup.push(() => void socket.destroy());
  let received = "";
  socket.on("data", (d) => {
    received += d.toString("latin1");
  });
  socket.on("error", () => undefined);
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const closed = new Promise<string>((resolve) => socket.once("close", () => resolve(received)));
  return { socket, connected, closed };
}

/** Waits (by turns of the event loop, never by a fixed delay) until the server holds `n` connections. */
async function untilConnections(app: Awaited<ReturnType<typeof setup>>["app"], n: number): Promise<void> {
  for (;;) {
    const count = await new Promise<number>((resolve, reject) =>
      app.server.getConnections((err, c) => (err ? reject(err) : resolve(c))),
    );
    if (count >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("HTTP limits (issue 19 item 6)", () => {
  it("answers a body trickled past requestTimeoutMs with 408 and closes the socket", async () => {
    const { port, deliveries } = await setup({ requestTimeoutMs: 300, headersTimeoutMs: 200 });
    const { socket, connected, closed } = rawSocket(port);
    await connected;
    socket.write(
      "POST /webhooks/shop HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n[[[",
    );
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(deliveries()).toBe(0);
  });

  it("answers headers trickled past headersTimeoutMs with 408 and closes the socket", async () => {
    const { port } = await setup({ requestTimeoutMs: 5000, headersTimeoutMs: 200 });
    const { socket, connected, closed } = rawSocket(port);
    await connected;
    socket.write("GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: a");
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("refuses the connection past maxConnections, and serves again once one closes", async () => {
    const { app, port, url } = await setup({ maxConnections: 3 });
    const held = [rawSocket(port), rawSocket(port), rawSocket(port)];
    await Promise.all(held.map((h) => h.connected));
    await untilConnections(app, 3);
    const extra = rawSocket(port);
    extra.socket.write("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n");
    // Node drops the fourth socket on arrival: closed without a byte of an answer.
    expect(await extra.closed).toBe("");
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    const r = await fetch(`${url}/healthz`, { headers: { connection: "close" } });
    expect(r.status).toBe(200);
  });

  it("answers an unauthenticated flood 429 with Retry-After while signed webhooks and the token holder keep working", async () => {
    const { url, deliveries } = await setup({ rateLimit: { max: 5, windowSeconds: 60, exemptLoopback: false } });
    const health: number[] = [];
    for (let i = 0; i < 6; i++) health.push((await fetch(`${url}/healthz`)).status);
    expect(health.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await fetch(`${url}/healthz`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
    const noToken = await fetch(`${url}/api/v1/reservations`, { method: "POST", body: "{}" });
    expect(noToken.status).toBe(429);
    expect(noToken.headers.get("retry-after")).not.toBeNull();
    const unknown = await fetch(`${url}/nowhere`);
    expect(unknown.status).toBe(429);
    // Authenticated callers are not counted against the unauthenticated limit.
    for (let i = 0; i < 8; i++) expect((await signedShopify(url, `d-${i}`)).status).toBe(200);
    expect(deliveries()).toBe(8);
    const withToken = await fetch(`${url}/api/v1/reservations`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ sku: "NOPE-1", qty: 1, ref: "cart-1" }),
    });
    expect(withToken.status).not.toBe(429);
    expect(withToken.status).toBeLessThan(500);
  });

  it("does not limit callers on this host by default, but does limit the client a local proxy names", async () => {
    const { url } = await setup({ rateLimit: { max: 2, windowSeconds: 60 } });
    for (let i = 0; i < 6; i++) expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const viaProxy = () => fetch(`${url}/healthz`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect([(await viaProxy()).status, (await viaProxy()).status, (await viaProxy()).status]).toEqual([200, 200, 429]);
    // Another client behind the same proxy has its own allowance.
    expect((await fetch(`${url}/healthz`, { headers: { "x-forwarded-for": "203.0.113.8" } })).status).toBe(200);
  });

  it("refuses a headersTimeoutMs above requestTimeoutMs in one clear config line", async () => {
    await expect(setup({ requestTimeoutMs: 1000, headersTimeoutMs: 2000 })).rejects.toThrow(
      /headersTimeoutMs must not exceed requestTimeoutMs/,
    );
  });
});

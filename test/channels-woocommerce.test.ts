import { afterEach, describe, expect, it } from "vitest";
import { hmacBase64 } from "../src/channels/http.js";
import type { StockPush } from "../src/channels/types.js";
import { createWooChannel, type WooConfig } from "../src/channels/woocommerce.js";
import { ForbiddenError, InvalidInputError } from "../src/errors.js";
import { asOrderId, type Sku } from "../src/ids.js";
import { createLogger } from "../src/log.js";
import { startWooSim, type WooSim, type WooSimOptions } from "../src/sandbox/woocommerce.js";
import type { UpstreamError } from "../src/upstream/errors.js";
import { channelDeps, fixture, never } from "./support/channels.js";
import { testClock } from "./support/clock.js";

let sim: WooSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const SECRET = "wcWebhookSecret42";

/** A simulator and adapter; with `timing`, the adapter's rate limiter and waits run on its manual clock. */
async function setup(simOpts: WooSimOptions = {}, cfg: Partial<WooConfig> = {}, timing?: ReturnType<typeof testClock>) {
  sim = await startWooSim(simOpts);
  const config: WooConfig = {
    id: "woo",
    kind: "woocommerce",
    apiBase: sim.url,
    consumerKey: sim.consumerKey,
    consumerSecret: sim.consumerSecret,
    webhookSecret: SECRET,
    queryStringAuth: false,
    batchSize: 100,
    requestsPerSecond: 1000,
    timeoutMs: 400,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
    ...cfg,
  };
  const deps = channelDeps("woo", timing ?? {});
  return { sim, deps, woo: createWooChannel({ ...deps, config }) };
}

const pushes = (ps: { id: number; parentId: number; sku: string }[], qty: (i: number) => number): StockPush[] =>
  ps.map((p, i) => ({ sku: p.sku as Sku, ref: p.parentId ? `${p.parentId}:${p.id}` : String(p.id), quantity: qty(i) }));

describe("woocommerce adapter", () => {
  it("cancels an order with PUT /orders/{id} status=cancelled, and a second cancel changes nothing (issue 14)", async () => {
    const { sim, woo } = await setup();
    const [p] = sim.seedProducts(1, { stock: 50 });
    const order = sim.createOrder([{ sku: p!.sku, qty: 40 }], { status: "processing" });
    const opts = { idempotencyKey: "cancel-held:1", note: "held line 1", signal: never };
    await woo.cancelOrder?.(String(order.id), opts);
    const calls = sim.calls("orders/update");
    expect(calls.map((c) => [c.method, c.path])).toEqual([["PUT", `/wp-json/wc/v3/orders/${order.id}`]]);
    expect(JSON.parse(calls[0]!.body)).toEqual({ status: "cancelled" });
    expect(sim.state.orders.find((o) => o.id === order.id)!.status).toBe("cancelled");
    await woo.cancelOrder?.(String(order.id), opts);
    expect(sim.state.orders.find((o) => o.id === order.id)!.status).toBe("cancelled");
    await expect(woo.cancelOrder?.("x1", opts)).rejects.toMatchObject({ code: "bad_order_id" });
  });

  it("pushes 1,000 SKUs in ceil(1000/100) = 10 batch calls with manage_stock", async () => {
    const { sim, woo } = await setup();
    const products = sim.seedProducts(1000, { stock: 3 });
    const outcomes = await woo.pushStock(
      pushes(products, (i) => i % 9),
      { idempotencyKey: "full", signal: never },
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1000);
    expect(sim.calls("products/batch")).toHaveLength(10);
    products.forEach((p, i) => {
      expect(sim.state.products.get(p.id)!.stockQuantity).toBe(i % 9);
    });
    const body = JSON.parse(sim.calls("products/batch")[0]!.body) as { update: Record<string, unknown>[] };
    expect(body.update).toHaveLength(100);
    expect(body.update[0]).toEqual({ id: products[0]!.id, manage_stock: true, stock_quantity: 0 });
  });

  it("sends variations to their parent's variations/batch endpoint", async () => {
    const { sim, woo } = await setup();
    const vars = sim.seedVariable(3);
    const simple = sim.seedProducts(1);
    const outcomes = await woo.pushStock(
      pushes([...vars, ...simple], () => 5),
      { idempotencyKey: "v", signal: never },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.calls("variations/batch")).toHaveLength(1);
    expect(sim.calls("variations/batch")[0]!.path).toBe(
      `/wp-json/wc/v3/products/${vars[0]!.parentId}/variations/batch`,
    );
    expect(sim.calls("products/batch")).toHaveLength(1);
  });

  it("handles per-item errors inside a 200 batch item by item", async () => {
    const { sim, woo } = await setup();
    const ps = sim.seedProducts(4, { stock: 1 });
    sim.state.itemFaults.set(ps[1]!.id, {
      code: "woocommerce_rest_cannot_edit",
      message: "Sorry, you are not allowed to edit this resource.",
      status: 403,
    });
    sim.state.itemFaults.set(ps[2]!.id, {
      code: "woocommerce_rest_product_not_saved",
      message: "Database error.",
      status: 500,
    });
    const outcomes = await woo.pushStock(
      [...pushes(ps, () => 7), { sku: "GONE-1" as Sku, ref: "999999", quantity: 1 }],
      { idempotencyKey: "items", signal: never },
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, true, false]);
    expect(outcomes[1]).toMatchObject({ ok: false, retryable: false });
    expect(outcomes[1]!.ok === false && (outcomes[1]!.error as UpstreamError).providerCode).toBe(
      "woocommerce_rest_cannot_edit",
    );
    expect(outcomes[2]).toMatchObject({ ok: false, retryable: true });
    expect(outcomes[4]!.ok === false && (outcomes[4]!.error as UpstreamError).providerCode).toBe(
      "woocommerce_rest_product_invalid_id",
    );
    expect(sim.calls("products/batch")).toHaveLength(1);
    expect(sim.state.products.get(ps[1]!.id)!.stockQuantity).toBe(1);
    expect(sim.state.products.get(ps[3]!.id)!.stockQuantity).toBe(7);
  });

  it("honours 429 Retry-After by pausing the channel, then lands", async () => {
    const { sim, woo, deps } = await setup({ faults: { retryAfterSeconds: 0.05 } });
    const ps = sim.seedProducts(150);
    sim.faults.failNext("429", 2);
    const outcomes = await woo.pushStock(
      pushes(ps, () => 2),
      { idempotencyKey: "r", signal: never },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 429, 200, 200]);
    expect(deps.limiter.snapshot().pauses).toBe(2);
  });

  it("keeps to the configured request rate", async () => {
    const timing = testClock();
    const { sim, woo, deps } = await setup({}, {}, timing);
    deps.limiter.define("default", { ratePerSec: 20, burst: 1 });
    const ps = sim.seedProducts(300);
    await woo.pushStock(
      pushes(ps, () => 1),
      { idempotencyKey: "rate", signal: never },
    );
    expect(sim.calls("products/batch")).toHaveLength(3);
    expect(deps.limiter.snapshot().waitedMs).toBeGreaterThan(0);
    expect(timing.sleep.calls.reduce((a, b) => a + b, 0)).toBe(deps.limiter.snapshot().waitedMs);
  });

  it("maps bad credentials to a non-retryable auth error and supports query-string auth", async () => {
    const { sim, woo } = await setup({}, { consumerSecret: "cs_wrong" });
    await expect(woo.fetchOrders(null, never)).rejects.toMatchObject({
      code: "upstream_auth",
      retryable: false,
      providerCode: "woocommerce_rest_authentication_error",
    });
    expect(sim.requests).toHaveLength(1);
    await sim.close();
    const q = await setup({}, { queryStringAuth: true });
    const [p] = q.sim.seedProducts(1);
    const [o] = await q.woo.pushStock(
      pushes([p!], () => 4),
      { idempotencyKey: "q", signal: never },
    );
    expect(o!.ok).toBe(true);
    expect(q.sim.requests[0]!.headers.authorization).toBeUndefined();
    expect(q.sim.requests[0]!.query.consumer_key).toBe(q.sim.consumerKey);
  });

  it("turns a 200 batch answer of an unknown shape into per-item failures instead of throwing", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"update":"done"}'),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const apiBase = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const woo = createWooChannel({
      ...channelDeps("woo"),
      config: {
        id: "woo",
        kind: "woocommerce",
        apiBase,
        consumerKey: "ck_1",
        consumerSecret: "cs_1",
        queryStringAuth: false,
        batchSize: 100,
        requestsPerSecond: 1000,
        timeoutMs: 500,
        bufferUnits: 0,
        failureAlertAfter: 5,
        unhealthyAfterMinutes: 15,
      },
    });
    const outcomes = await woo.pushStock(
      [
        { sku: "A-1" as Sku, ref: "1", quantity: 1 },
        { sku: "A-2" as Sku, ref: "2", quantity: 1 },
      ],
      { idempotencyKey: "x", signal: never },
    );
    await new Promise((r) => server.close(r));
    expect(outcomes.map((o) => [o.ok, o.ok ? "" : o.error.code])).toEqual([
      [false, "upstream_unexpected_shape"],
      [false, "upstream_unexpected_shape"],
    ]);
  });

  it("keeps query-string keys out of errors and logs when a call times out", async () => {
    const lines: string[] = [];
    sim = await startWooSim();
    const deps = {
      ...channelDeps("woo"),
      log: createLogger({ level: "debug", destination: { write: (l: string) => void lines.push(l) } }),
    };
    const woo = createWooChannel({
      ...deps,
      config: {
        id: "woo",
        kind: "woocommerce",
        apiBase: sim.url,
        consumerKey: sim.consumerKey,
        consumerSecret: sim.consumerSecret,
        queryStringAuth: true,
        batchSize: 100,
        requestsPerSecond: 1000,
        timeoutMs: 200,
        bufferUnits: 0,
        failureAlertAfter: 5,
        unhealthyAfterMinutes: 15,
      },
    });
    const [p] = sim.seedProducts(1);
    sim.faults.failNext("hang", 6);
    const [o] = await woo.pushStock(
      pushes([p!], () => 1),
      { idempotencyKey: "t", signal: never },
    );
    expect(o).toMatchObject({ ok: false, retryable: true });
    expect(o!.ok === false && o!.error.code).toBe("upstream_timeout");
    expect(lines.length).toBeGreaterThan(0);
    const everything = JSON.stringify(o) + JSON.stringify(o!.ok === false ? o!.error.details : {}) + lines.join("");
    expect(everything).not.toContain(sim.consumerSecret);
    expect(everything).not.toContain(sim.consumerKey);
  });

  it("reads stock and lists the catalog across pages, variations included", async () => {
    const { sim, woo } = await setup();
    const ps = sim.seedProducts(120, { stock: 2 });
    const vars = sim.seedVariable(2, { stock: 6 });
    sim.state.products.get(ps[0]!.id)!.status = "private";
    const stock = await woo.fetchStock([...pushes([ps[0]!, ps[1]!], () => 0), ...pushes(vars, () => 0)], never);
    expect(stock.map((s) => [s.quantity, s.isListed])).toEqual([
      [2, false],
      [2, true],
      [6, true],
      [6, true],
    ]);
    const catalog = await woo.listCatalog(never);
    expect(catalog).toHaveLength(122);
    expect(catalog.find((c) => c.ref === `${vars[1]!.parentId}:${vars[1]!.id}`)).toMatchObject({
      sku: "VAR-2",
      quantity: 6,
    });
    expect(sim.calls("products")).toHaveLength(2 + 1);
  });

  it("pages orders with modified_after + dates_are_gmt and resumes from the cursor", async () => {
    let now = Date.parse("2026-11-20T08:00:00Z");
    const { sim, woo } = await setup({ now: () => now });
    sim.seedProducts(2, { stock: 500 });
    for (let i = 0; i < 230; i++) {
      now += 1000;
      sim.createOrder([{ sku: "WOO-0001", qty: 1 }]);
    }
    let cursor: string | null = "2026-11-20T00:00:00Z";
    const seen = new Set<string>();
    let pages = 0;
    for (;;) {
      const page = await woo.fetchOrders(cursor, never);
      pages++;
      for (const o of page.orders) seen.add(o.orderId);
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(230);
    const q = sim.calls("orders")[0]!.query;
    expect(q).toMatchObject({
      modified_after: "2026-11-20T00:00:00",
      dates_are_gmt: "true",
      orderby: "modified",
      order: "asc",
      per_page: "100",
    });
    now += 60_000;
    const shipped = sim.updateOrder(sim.state.orders[10]!.id, {
      status: "completed",
      tracking: { provider: "colissimo", number: "6A99" },
    });
    const next = await woo.fetchOrders(cursor, never);
    expect(next.orders.map((o) => o.orderId)).toContain(String(shipped.id));
    expect(next.orders.length).toBeLessThanOrEqual(2);
    expect(next.orders.find((o) => o.orderId === String(shipped.id))!.lines[0]).toMatchObject({
      status: "shipped",
      shipment: { carrier: "colissimo", trackingNo: "6A99" },
    });
  });

  it("refunds once: a retry after a lost answer finds the earlier refund instead of paying twice", async () => {
    const { sim, woo } = await setup();
    sim.seedProducts(1, { stock: 5 });
    const order = sim.createOrder([{ sku: "WOO-0001", qty: 2, total: "30.00" }]);
    const req = {
      orderId: asOrderId(String(order.id)),
      amount: { amountMinor: 1250, currency: "EUR" },
      reason: "damaged",
    };
    const isCreate = (r: { method: string; path: string }) => r.method === "POST" && r.path.endsWith("/refunds");
    sim.faults.failWhen(isCreate, "hang-after-apply");
    await expect(woo.refund!(req, { idempotencyKey: "R-7", signal: never })).rejects.toMatchObject({
      code: "upstream_timeout",
    });
    expect(sim.state.orders[0]!.refunds).toHaveLength(1);
    const again = await woo.refund!(req, { idempotencyKey: "R-7", signal: never });
    expect(again).toEqual({
      channelRefundId: String(sim.state.orders[0]!.refunds[0]!.id),
      amount: { amountMinor: 1250, currency: "EUR" },
    });
    expect(sim.state.orders[0]!.refunds).toHaveLength(1);
    expect(sim.calls("refunds/create")).toHaveLength(1);
  });

  it("retries a refund only on 429, never on a 500 that may have gone through", async () => {
    const { sim, woo } = await setup({ faults: { retryAfterSeconds: 0 } });
    sim.seedProducts(1, { stock: 5 });
    const order = sim.createOrder([{ sku: "WOO-0001", qty: 2, total: "30.00" }]);
    const req = { orderId: asOrderId(String(order.id)), amount: { amountMinor: 500, currency: "EUR" }, reason: "late" };
    const isCreate = (r: { method: string; path: string }) => r.method === "POST" && r.path.endsWith("/refunds");
    sim.faults.failWhen(isCreate, "429");
    await expect(woo.refund!(req, { idempotencyKey: "R-8", signal: never })).resolves.toMatchObject({
      amount: { amountMinor: 500 },
    });
    sim.faults.failWhen(isCreate, "500");
    await expect(woo.refund!(req, { idempotencyKey: "R-9", signal: never })).rejects.toMatchObject({
      code: "upstream_unavailable",
      retryable: true,
    });
    expect(sim.requests.filter(isCreate).map((r) => r.status)).toEqual([429, 201, 500]);
    expect(sim.state.orders[0]!.refunds).toHaveLength(1);
  });

  it("with 30% of calls failing every target lands and no stale value is re-applied", async () => {
    const { sim, woo } = await setup({
      faults: {
        failureRate: 0.3,
        kinds: ["429", "500", "503", "hang", "hang-after-apply", "html"],
        retryAfterSeconds: 0,
        seed: 9,
      },
    });
    const ps = sim.seedProducts(1000);
    const land = async (target: (i: number) => number, key: string) => {
      let pending = pushes(ps, target);
      for (let round = 0; pending.length > 0 && round < 8; round++) {
        const outcomes = await woo.pushStock(pending, { idempotencyKey: `${key}:${round}`, signal: never });
        pending = pending.filter((_, i) => !outcomes[i]!.ok);
      }
      return pending.length;
    };
    expect(await land((i) => 1 + (i % 4), "g1")).toBe(0);
    const afterGen1 = sim.state.changes.length;
    expect(await land((i) => 11 + (i % 4), "g2")).toBe(0);
    ps.forEach((p, i) => {
      expect(sim.state.products.get(p.id)!.stockQuantity).toBe(11 + (i % 4));
    });
    const gen2 = sim.state.changes.slice(afterGen1);
    expect(gen2.every((c) => c.to >= 11)).toBe(true);
    expect(sim.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
  });
});

describe("woocommerce webhooks", () => {
  const config: WooConfig = {
    id: "woo",
    kind: "woocommerce",
    apiBase: "https://shop.example.com",
    consumerKey: "ck_x",
    consumerSecret: "cs_x",
    webhookSecret: SECRET,
    queryStringAuth: false,
    batchSize: 100,
    requestsPerSecond: 5,
    timeoutMs: 1000,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
  };
  const woo = () => createWooChannel({ ...channelDeps("woo"), config });
  const headers = (body: string, sig = hmacBase64(SECRET, body)) => ({
    "x-wc-webhook-signature": sig,
    "x-wc-webhook-topic": "order.updated",
    "x-wc-webhook-delivery-id": "d41d8cd98f00b204e9800998ecf8427e",
  });

  it("matches WooCommerce's own signature test vector", () => {
    expect(hmacBase64("", "secret")).toBe("GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=");
  });

  it("parses a signed order.updated with shipment tracking from meta", () => {
    const body = fixture("woocommerce/order-updated.json");
    const ev = woo().parseWebhook!({ headers: headers(body), rawBody: Buffer.from(body) });
    expect(ev.kind === "order" && ev.deliveryId).toMatch(/^wc:order.updated:727:2026-11-20T14:30:01:[0-9a-f]{16}$/);
    if (ev.kind !== "order") return;
    expect(ev.order).toMatchObject({
      orderId: "727",
      updatedAt: new Date("2026-11-20T14:30:01Z"),
      total: { amountMinor: 3480, currency: "EUR" },
      destination: { country: "FR", city: "Lyon" },
    });
    expect(ev.order.lines.map((l) => [l.lineId, l.sku, l.ref, l.qty, l.status])).toEqual([
      ["315", "MUG-BLUE", "93", 1, "shipped"],
      ["316", "TEE-M", "22:23", 2, "shipped"],
    ]);
    expect(ev.order.lines[0]!.shipment).toEqual({
      carrier: "colissimo",
      trackingNo: "6A12345678901",
      shippedAt: new Date(1763650800 * 1000),
    });
  });

  it("refuses forged signatures, answers malformed bodies with InvalidInputError, and accepts the creation ping", () => {
    const body = fixture("woocommerce/order-updated.json");
    expect(() =>
      woo().parseWebhook!({ headers: headers(body, hmacBase64("nope", body)), rawBody: Buffer.from(body) }),
    ).toThrow(ForbiddenError);
    expect(() =>
      woo().parseWebhook!({ headers: { "x-wc-webhook-topic": "order.updated" }, rawBody: Buffer.from(body) }),
    ).toThrow(ForbiddenError);
    const junk = "[1,2";
    expect(() => woo().parseWebhook!({ headers: headers(junk), rawBody: Buffer.from(junk) })).toThrow(
      InvalidInputError,
    );
    expect(woo().parseWebhook!({ headers: {}, rawBody: Buffer.from("webhook_id=7") })).toMatchObject({
      kind: "ignored",
      topic: "ping",
    });
  });

  it("accepts a webhook the simulator signs and sends", async () => {
    const { createServer } = await import("node:http");
    const s = await startWooSim();
    sim = s;
    s.seedProducts(1, { stock: 3 });
    const order = s.createOrder([{ sku: "WOO-0001", qty: 1 }]);
    const adapter = woo();
    const kinds: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        try {
          kinds.push(adapter.parseWebhook!({ headers: req.headers, rawBody: Buffer.concat(chunks) }).kind);
          res.writeHead(200).end();
        } catch (err) {
          res.writeHead(err instanceof ForbiddenError ? 401 : 400).end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/woo`;
    const ok = await s.sendWebhook({ url, topic: "order.created", payload: s.orderJson(order.id), secret: SECRET });
    const bad = await s.sendWebhook({ url, topic: "order.created", payload: s.orderJson(order.id), secret: "other" });
    await new Promise((r) => server.close(r));
    expect([ok.status, bad.status]).toEqual([200, 401]);
    expect(kinds).toEqual(["order"]);
  });
  it("keys two orders delivered in one second apart although WooCommerce gives them one delivery id (class-wc-webhook.php get_new_delivery_id)", async () => {
    const { createServer } = await import("node:http");
    const s = await startWooSim({ now: () => Date.parse("2026-11-20T09:00:00.400Z") });
    sim = s;
    s.seedProducts(2, { stock: 5 });
    const a = s.createOrder([{ sku: "WOO-0001", qty: 1 }]);
    const b = s.createOrder([{ sku: "WOO-0002", qty: 2 }]);
    s.updateOrder(b.id, { status: "cancelled" });
    const adapter = woo();
    const events: { deliveryId: string; orderId?: string; status?: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const ev = adapter.parseWebhook!({ headers: req.headers, rawBody: Buffer.concat(chunks) });
        events.push(
          ev.kind === "order"
            ? { deliveryId: ev.deliveryId, orderId: ev.order.orderId, status: ev.order.lines[0]?.status }
            : { deliveryId: ev.deliveryId },
        );
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/woo`;
    const first = await s.sendWebhook({ url, topic: "order.updated", payload: s.orderJson(a.id), secret: SECRET });
    const second = await s.sendWebhook({ url, topic: "order.updated", payload: s.orderJson(b.id), secret: SECRET });
    const replay = await s.sendWebhook({ url, topic: "order.updated", payload: s.orderJson(b.id), secret: SECRET });
    await new Promise((r) => server.close(r));
    expect(first.deliveryId).toMatch(/^[0-9a-f]{32}$/);
    expect(second.deliveryId).toBe(first.deliveryId);
    expect(events.map((e) => e.orderId)).toEqual([String(a.id), String(b.id), String(b.id)]);
    expect(events[1]!.status).toBe("cancelled");
    expect(events[0]!.deliveryId).not.toBe(events[1]!.deliveryId);
    expect(events[2]!.deliveryId).toBe(events[1]!.deliveryId);
    expect(replay.deliveryId).toBe(first.deliveryId);
  });
});

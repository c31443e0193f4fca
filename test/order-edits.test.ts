// Order edits (issue 17 item 8): a line whose quantity changes after import moves its reservation by the
// difference, once, as its own `order_edit` movement. Payload shapes: WooCommerce `order.updated` carries the full
// current `line_items` (class-wc-webhook.php build_payload → /wc/v3/orders/{id}; a removed item is absent);
// Shopify `orders/edited` is `{ order_edit: { order_id, line_items: { additions, removals } } }` (shopify.dev REST
// webhook reference, ShopifySharp OrderEdit), and LineItem.currentQuantity excludes removed units (2026-04 schema).
import { afterEach, describe, expect, it } from "vitest";
import type { AppError } from "../src/errors.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { renderRef } from "../src/i18n/ref.js";
import { createI18n } from "../src/i18n/translator.js";
import { asOrderId } from "../src/ids.js";
import { must } from "../src/internal-error.js";
import { sku } from "./support/ledger.js";
import { depsFor, engineFor, liveLedger, shopifyChannel, WEBHOOK_SECRET, wooChannel, wooRef } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function woo(stock = 5) {
  const w = await wooChannel("woo");
  cleanup.push(() => w.sim.close());
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const products = w.sim.seedProducts(2, { stock });
  const skus = products.map((p) => {
    const s = sku(p.sku);
    ledger.stock.upsertSku({ sku: s, onHand: stock }, { actor: "test", idempotencyKey: `seed:${p.sku}` });
    ledger.listings.linkListing({ channelId: "woo", sku: s, ref: wooRef(p) });
    return s;
  });
  const engine = engineFor(ledger, [w.channel]);
  cleanup.push(() => engine.stop());
  const app = await createHttpServer(depsFor(ledger, engine, [w.channel]), routeModules);
  const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/webhooks/woo`;
  cleanup.push(() => app.close());
  const send = async (id: number, payload: unknown = w.sim.orderJson(id)) =>
    (await w.sim.sendWebhook({ url, topic: "order.updated", payload, secret: WEBHOOK_SECRET })).status;
  return { sim: w.sim, ledger, engine, skus, send };
}

const reasons = (ledger: ReturnType<typeof liveLedger>, s: string) =>
  ledger
    .movements(sku(s), 20)
    .map((m) => m.reason)
    .reverse();

describe("order edits on WooCommerce (order.updated webhooks and polling)", () => {
  it("a lowered quantity releases the difference once; replays and a stale copy change nothing", async () => {
    const { sim, ledger, skus, send } = await woo();
    const order = sim.createOrder([{ sku: skus[0]!, qty: 4 }], { status: "processing" });
    const before = sim.orderJson(order.id);
    expect(await send(order.id)).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(4);
    sim.updateOrder(order.id, { lines: [{ lineId: order.lines[0]!.id, qty: 1 }] });
    const edited = sim.orderJson(order.id);
    expect(await send(order.id, edited)).toBe(200);
    expect(await send(order.id, edited)).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 5, reserved: 1, available: 4 });
    // The pre-edit body delivered late (WooCommerce builds bodies at delivery time, but a retry can lag).
    expect(await send(order.id, before)).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(1);
    expect(reasons(ledger, skus[0]!)).toEqual(["import", "order", "order_edit"]);
    const edit = ledger.movements(skus[0]!, 1)[0]!;
    expect(edit).toMatchObject({ reservedBefore: 4, reservedAfter: 1, reference: expect.any(String) });
    expect(edit.idempotencyKey).toBe(`order:woo:${order.id}:${order.lines[0]!.id}:edit:1:qty:1`);
    expect(ledger.orders.recentOrders()[0]!.lines).toMatchObject([{ qty: 1, status: "paid" }]);
  });

  it("a raised quantity reserves more, short units are an oversell; a removed line is released", async () => {
    const { sim, ledger, skus, send } = await woo();
    const order = sim.createOrder(
      [
        { sku: skus[0]!, qty: 2 },
        { sku: skus[1]!, qty: 3 },
      ],
      { status: "processing" },
    );
    await send(order.id);
    const [a, b] = order.lines;
    sim.updateOrder(order.id, {
      lines: [
        { lineId: a!.id, qty: 7 },
        { lineId: b!.id, qty: 0 },
      ],
    });
    expect(sim.orderJson(order.id).line_items).toHaveLength(1);
    expect(await send(order.id)).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
    expect(ledger.stock.getLevel(skus[1]!)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    expect(ledger.alerts.liveAlerts().map((x) => [x.kind, x.subject])).toContainEqual([
      "oversell",
      `woo:${order.id}:${a!.id}`,
    ]);
    expect(reasons(ledger, skus[1]!)).toEqual(["import", "order", "order_edit"]);
    // Lowering it again to what is reserved settles the oversell.
    sim.updateOrder(order.id, { lines: [{ lineId: a!.id, qty: 5 }] });
    await send(order.id);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(5);
    expect(ledger.alerts.liveAlerts().map((x) => x.kind)).not.toContain("oversell");
    expect(reasons(ledger, skus[0]!)).toEqual(["import", "order", "order_edit", "order_edit"]);
  });

  it("the poll applies an edit it sees, and back-and-forth edits each apply once", async () => {
    const { sim, ledger, engine, skus } = await woo();
    const order = sim.createOrder([{ sku: skus[0]!, qty: 3 }], { status: "processing" });
    const line = order.lines[0]!.id;
    const poll = () => engine.importOrders({ channelId: "woo", signal: new AbortController().signal });
    await poll();
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(3);
    for (const qty of [2, 3, 2]) {
      sim.updateOrder(order.id, { lines: [{ lineId: line, qty }] });
      const [r] = await poll();
      expect(r!.edited).toBe(1);
      expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(qty);
    }
    const [again] = await poll();
    expect(again!.edited).toBe(0);
    expect(reasons(ledger, skus[0]!)).toEqual(["import", "order", "order_edit", "order_edit", "order_edit"]);
  });

  it("an edit after shipment changes no stock and is recorded as a warning", async () => {
    const { sim, ledger, skus, send } = await woo();
    const order = sim.createOrder([{ sku: skus[0]!, qty: 2 }], { status: "processing" });
    await send(order.id);
    sim.updateOrder(order.id, { status: "completed" });
    await send(order.id);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 3, reserved: 0 });
    sim.updateOrder(order.id, { lines: [{ lineId: order.lines[0]!.id, qty: 1 }] });
    await send(order.id);
    await send(order.id);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 3, reserved: 0 });
    expect(reasons(ledger, skus[0]!)).toEqual(["import", "order", "ship"]);
    const warned = ledger.alerts.liveAlerts().filter((x) => x.kind === "order_edit_after_ship");
    expect(warned).toHaveLength(1);
    expect(warned[0]!.text).toContain("from 2 to 1 after it shipped");
    // The alert stores its catalog message: a Chinese group reads it in Chinese.
    const zh = createI18n({ timeZone: "Asia/Shanghai" }).translator("zh-CN");
    expect(renderRef(zh, must(warned[0]!.message, "the alert has a catalog message"))).toContain(
      "在发货后从 2 件改为 1 件：库存未变",
    );
    expect(ledger.orders.recentOrders()[0]!.lines).toMatchObject([{ qty: 1, status: "shipped" }]);
  });
});

describe("order edits on Shopify (orders/edited webhook and polling)", () => {
  async function shopify() {
    const s = await shopifyChannel("shop");
    cleanup.push(() => s.sim.close());
    const ledger = liveLedger();
    cleanup.push(() => ledger.close());
    const items = s.sim.seedItems(2, { available: 6 });
    const skus = items.map((it) => {
      const k = sku(it.sku);
      ledger.stock.upsertSku({ sku: k, onHand: 6 }, { actor: "test", idempotencyKey: `seed:${it.sku}` });
      ledger.listings.linkListing({ channelId: "shop", sku: k, ref: it.id });
      return k;
    });
    const engine = engineFor(ledger, [s.channel]);
    cleanup.push(() => engine.stop());
    const app = await createHttpServer(depsFor(ledger, engine, [s.channel]), routeModules);
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/webhooks/shop`;
    cleanup.push(() => app.close());
    return { sim: s.sim, ledger, engine, skus, url };
  }

  it("answers 200 to orders/edited, re-reads the order and applies removed and added units once", async () => {
    const { sim, ledger, engine, skus, url } = await shopify();
    const order = sim.createOrder([{ sku: skus[0]!, qty: 4 }]);
    const created = await sim.sendWebhook({
      url,
      topic: "orders/create",
      payload: sim.restOrder(order.id),
      secret: WEBHOOK_SECRET,
    });
    expect(created.status).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(4);
    const payload = sim.editOrder(order.id, {
      set: [{ lineId: order.lines[0]!.id, qty: 1 }],
      add: [{ sku: skus[1]!, qty: 2 }],
    });
    expect(payload).toMatchObject({
      order_edit: { order_id: order.id, line_items: { removals: [{ id: order.lines[0]!.id, delta: 3 }] } },
    });
    const edited = await sim.sendWebhook({ url, topic: "orders/edited", payload, secret: WEBHOOK_SECRET });
    expect(edited.status).toBe(200);
    await engine.idle();
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 6, reserved: 1 });
    expect(ledger.stock.getLevel(skus[1]!)).toMatchObject({ onHand: 6, reserved: 2 });
    // Shopify redelivers with the same webhook id; a new order import finds nothing new either.
    const again = await sim.sendWebhook({
      url,
      topic: "orders/edited",
      payload,
      secret: WEBHOOK_SECRET,
      webhookId: edited.webhookId,
    });
    expect(again.status).toBe(200);
    await engine.importOrders({ channelId: "shop", signal: new AbortController().signal });
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(1);
    expect(reasons(ledger, skus[0]!)).toEqual(["import", "order", "order_edit"]);
    expect(sim.calls("orders").length).toBeGreaterThanOrEqual(1);
  });

  it("rejects a malformed orders/edited body with 400 and changes nothing", async () => {
    const { sim, ledger, skus, url } = await shopify();
    const bad = await sim.sendWebhook({
      url,
      topic: "orders/edited",
      payload: { order_edit: { id: 1 } },
      secret: WEBHOOK_SECRET,
    });
    expect(bad.status).toBe(400);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(0);
  });

  it("the poll sees currentQuantity drop to 0 (line removed) and releases the line", async () => {
    const { sim, ledger, engine, skus } = await shopify();
    const order = sim.createOrder([
      { sku: skus[0]!, qty: 2 },
      { sku: skus[1]!, qty: 1 },
    ]);
    const poll = () => engine.importOrders({ channelId: "shop", signal: new AbortController().signal });
    await poll();
    expect(ledger.stock.getLevel(skus[1]!).reserved).toBe(1);
    sim.editOrder(order.id, {
      set: [
        { lineId: order.lines[0]!.id, qty: 3 },
        { lineId: order.lines[1]!.id, qty: 0 },
      ],
    });
    await poll();
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(3);
    expect(ledger.stock.getLevel(skus[1]!).reserved).toBe(0);
    await poll();
    expect(reasons(ledger, skus[0]!)).toEqual(["import", "order", "order_edit"]);
  });
});

describe("refund_no_gateway comes from the i18n catalog", () => {
  it("carries its catalog message, rendered in English by default and in Chinese for a Chinese reader", async () => {
    const s = await shopifyChannel("shop");
    cleanup.push(() => s.sim.close());
    s.sim.seedItems(1, { available: 5 });
    const order = s.sim.createOrder([{ sku: "SKU-0001", qty: 1 }]);
    for (const t of s.sim.state.orders[0]!.transactions) t.gateway = null;
    const err = await s.channel.refund!(
      { orderId: asOrderId(String(order.id)), amount: { amountMinor: 500, currency: "EUR" }, reason: "damaged" },
      { idempotencyKey: "refund-no-gw", signal: new AbortController().signal },
    ).then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    if (!err) throw new Error("the refund should have been refused");
    expect(err).toMatchObject({ code: "refund_no_gateway" });
    expect(err.userMessage).toBe(
      `Order ${order.id}'s payment on Shopify names no gateway, so it cannot be refunded from here.`,
    );
    // The one translation path: `err.i18n`, which the dispatcher renders in the asker's language.
    expect(err.details).toEqual({ order: String(order.id) });
    expect(err.i18n).toEqual({ msg: "refund-no-gateway", args: { order: String(order.id) } });
    if (!err.i18n) return;
    const i18n = createI18n({ timeZone: "Asia/Shanghai" });
    expect(renderRef(i18n.translator("zh-CN"), err.i18n)).toBe(
      `订单 ${order.id} 在 Shopify 上的付款没有注明支付网关，无法从这里退款。`,
    );
    expect(renderRef(i18n.translator("en"), err.i18n)).toBe(err.userMessage);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { sku } from "./support/ledger.js";
import { depsFor, engineFor, liveLedger, WEBHOOK_SECRET, wooChannel, wooRef } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup() {
  const woo = await wooChannel("woo");
  cleanup.push(() => woo.sim.close());
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const products = woo.sim.seedProducts(2, { stock: 5 });
  const skus = products.map((p) => {
    const s = sku(p.sku);
    ledger.stock.upsertSku({ sku: s, onHand: 5 }, { actor: "test", idempotencyKey: `seed:${p.sku}` });
    ledger.listings.linkListing({ channelId: "woo", sku: s, ref: wooRef(p) });
    return s;
  });
  const engine = engineFor(ledger, [woo.channel]);
  cleanup.push(() => engine.stop());
  const app = await createHttpServer(depsFor(ledger, engine, [woo.channel]), routeModules);
  const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/webhooks/woo`;
  cleanup.push(() => app.close());
  const send = (topic: string, id: number) =>
    woo.sim.sendWebhook({ url, topic, payload: woo.sim.orderJson(id), secret: WEBHOOK_SECRET });
  return { woo, ledger, engine, skus, send, url };
}

describe("orders into the ledger (WooCommerce webhooks and polling)", () => {
  it("releases a cancelled line, and a stale 'processing' redelivery after the cancel changes nothing", async () => {
    const { woo, ledger, skus, send, url } = await setup();
    const order = woo.sim.createOrder([{ sku: skus[0]!, qty: 2 }], { status: "processing" });
    const created = woo.sim.orderJson(order.id);
    expect((await send("order.created", order.id)).status).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(2);
    woo.sim.updateOrder(order.id, { status: "cancelled" });
    expect((await send("order.updated", order.id)).status).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 5, reserved: 0 });
    // Woo gives every send a new delivery id, so only the line's forward-only state catches this one.
    const stale = await woo.sim.sendWebhook({ url, topic: "order.created", payload: created, secret: WEBHOOK_SECRET });
    expect(stale.status).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 5, reserved: 0 });
    expect(ledger.orders.recentOrders()[0]!.lines).toMatchObject([{ status: "cancelled", qty: 2 }]);
  });

  it("never reserves a line whose cancellation arrived before its creation", async () => {
    const { woo, ledger, skus, send, url } = await setup();
    const order = woo.sim.createOrder([{ sku: skus[0]!, qty: 3 }], { status: "processing" });
    const created = woo.sim.orderJson(order.id);
    woo.sim.updateOrder(order.id, { status: "cancelled" });
    await send("order.updated", order.id);
    await woo.sim.sendWebhook({ url, topic: "order.created", payload: created, secret: WEBHOOK_SECRET });
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ reserved: 0, available: 5 });
    expect(ledger.movements(skus[0]!, 10).map((m) => m.reason)).toEqual(["import"]);
  });

  it("ships a completed line (on hand drops) and records its tracking number for the logistics radar", async () => {
    const { woo, ledger, skus, send } = await setup();
    const order = woo.sim.createOrder([{ sku: skus[1]!, qty: 1 }], { status: "processing" });
    await send("order.created", order.id);
    woo.sim.updateOrder(order.id, {
      status: "completed",
      tracking: { provider: "SF Express", number: "SF0001112223" },
    });
    await send("order.updated", order.id);
    expect(ledger.stock.getLevel(skus[1]!)).toMatchObject({ onHand: 4, reserved: 0 });
    expect(ledger.orders.shipmentsSince("1970-01-01")).toMatchObject([
      { channelId: "woo", orderId: String(order.id), trackingNo: "SF0001112223", sku: skus[1] },
    ]);
    expect(ledger.shipments.findShipments("SF0001112223")).toMatchObject([
      { orderRef: String(order.id), channelId: "woo" },
    ]);
  });

  it("records an order line for more than is available as an oversell with a critical alert, and an unknown SKU as unmapped with a warning", async () => {
    const { woo, ledger, skus, send } = await setup();
    const order = woo.sim.createOrder(
      [
        { sku: skus[0]!, qty: 7 },
        { sku: "NOT-IN-LEDGER", qty: 1 },
      ],
      { status: "processing" },
    );
    expect((await send("order.created", order.id)).status).toBe(200);
    expect(ledger.stock.getLevel(skus[0]!)).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
    const alerts = ledger.alerts.liveAlerts().map((a) => [a.kind, a.severity]);
    expect(alerts).toContainEqual(["oversell", "critical"]);
    expect(alerts).toContainEqual(["order_unmapped", "warning"]);
    expect(
      ledger.orders
        .recentOrders()[0]!
        .lines.map((l) => l.status)
        .sort(),
    ).toEqual(["paid", "unmapped"]);
  });

  it("answers 401 to a forged signature and 404 to an unknown channel, changing nothing", async () => {
    const { woo, ledger, skus, url } = await setup();
    const order = woo.sim.createOrder([{ sku: skus[0]!, qty: 1 }], { status: "processing" });
    const forged = await woo.sim.sendWebhook({
      url,
      topic: "order.created",
      payload: woo.sim.orderJson(order.id),
      secret: "wrong",
    });
    expect(forged.status).toBe(401);
    const unknown = await woo.sim.sendWebhook({
      url: url.replace("/woo", "/nope"),
      topic: "order.created",
      payload: woo.sim.orderJson(order.id),
      secret: WEBHOOK_SECRET,
    });
    expect(unknown.status).toBe(404);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(0);
    expect(ledger.orders.recentOrders()).toEqual([]);
  });
});

describe("order import keeps going past a line it cannot apply", () => {
  it("skips a 0-unit line and still imports the orders after it", async () => {
    const { woo, ledger, engine, skus } = await setup();
    woo.sim.createOrder(
      [
        { sku: skus[0]!, qty: 0 },
        { sku: skus[1]!, qty: 1 },
      ],
      { status: "processing" },
    );
    woo.sim.createOrder([{ sku: skus[0]!, qty: 2 }], { status: "processing" });
    const report = await engine.importOrders({ signal: AbortSignal.timeout(20_000) });
    expect(report.flatMap((r) => r.problems)).toEqual([]);
    expect(ledger.stock.getLevel(skus[0]!).reserved).toBe(2);
    expect(ledger.stock.getLevel(skus[1]!).reserved).toBe(1);
  });
});

import { rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import type { Writable } from "node:stream";
import { createApp } from "../app.js";
import { consoleLogFile } from "../chat/transports/console.js";
import { type Config, parseConfig } from "../config.js";
import { issueSignInLink } from "../dashboard/auth.js";
import { SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { createLogger, fileDestination } from "../log.js";
import { startRadarDemo } from "./radar-demo.js";
import { startShopifySim } from "./shopify.js";
import { startWooSim } from "./woocommerce.js";

const WEBHOOK_SECRET = "demo_webhook_secret";
const API_TOKEN = "demo-api-token";
/** The demo's second person: an approver, so refunds are requested by one and approved by another. */
const DEMO_APPROVER = "tg:2002";

const CATALOG = [
  { sku: "TEE-RED-M", title: "Red tee, M", onHand: 12 },
  { sku: "TEE-RED-L", title: "Red tee, L", onHand: 5 },
  { sku: "MUG-01", title: "Enamel mug", onHand: 30 },
  { sku: "CAP-BLK", title: "Black cap", onHand: 8 },
] as const;

/** Options for {@link runDemo}; tests run it without the interactive console. */
export interface DemoOptions {
  /** Keep the console open for commands after the scripted part (default: when stdin is a terminal). */
  isInteractive?: boolean;
  out?: Writable;
  database?: string;
}

/**
 * `stockradar demo`: starts a Shopify and a WooCommerce simulator on loopback, seeds a catalog on both and in a
 * fresh ledger, maps the listings with `/link auto`, then plays sales through signed webhooks, a storefront
 * hold through the reservation API, a fulfilment through the order import, and shows on the console how
 * every change reaches the other channel. Then the console stays open for your own commands.
 */
export async function runDemo(base: Config, opts: DemoOptions = {}): Promise<number> {
  const out = opts.out ?? process.stdout;
  const say = (s: string) => out.write(`${s}\n`);
  const database = opts.database ?? "./data/demo.db";
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });

  const shop = await startShopifySim({ bucket: { maximumAvailable: 2000, restoreRate: 1000 } });
  const woo = await startWooSim();
  const radar = await startRadarDemo();
  const items = shop.seedItems(CATALOG.length, { available: 0 });
  const products = woo.seedProducts(CATALOG.length, { stock: 0 });
  CATALOG.forEach((c, i) => {
    Object.assign(must(items[i], "one item per catalog line"), { sku: c.sku, title: c.title });
    Object.assign(must(products[i], "one product per catalog line"), { sku: c.sku, name: c.title });
  });

  const config = parseConfig({
    database,
    http: { host: "127.0.0.1", port: 0, apiToken: API_TOKEN },
    stock: base.stock,
    // A second person approves refunds; small limits so the demo's two refunds need approval and trip the breaker.
    access: { approvers: [DEMO_APPROVER] },
    money: {
      refundApprovalAbove: 5,
      breaker: { windowMinutes: 60, maxRefundTotal: 30, pageEveryMinutes: 5 },
    },
    sync: { debounceMs: 100, retryBaseMs: 500 },
    dashboard: { enabled: true },
    couriers: radar.couriers,
    channels: [
      {
        id: "shop1",
        kind: "shopify",
        shop: shop.shopDomain,
        accessToken: shop.accessToken,
        webhookSecret: WEBHOOK_SECRET,
        locationId: shop.locationId,
        apiBase: shop.url,
        apiVersion: shop.apiVersion,
      },
      {
        id: "woo",
        kind: "woocommerce",
        apiBase: woo.url,
        consumerKey: woo.consumerKey,
        consumerSecret: woo.consumerSecret,
        webhookSecret: WEBHOOK_SECRET,
        queryStringAuth: false,
        requestsPerSecond: 50,
      },
    ],
  });
  const isInteractive = opts.isInteractive ?? Boolean(process.stdin.isTTY);
  // Interactive, the console is the chat: errors go to a file beside the demo ledger, never into the prompt.
  const logFile = consoleLogFile({ ...config, chat: { console: true } }, isInteractive);
  const app = await createApp({
    config,
    log: createLogger({ level: "error", ...(logFile ? { destination: fileDestination(logFile) } : {}) }),
    withConsole: isInteractive,
  });
  const { ledger, sync, channelState, orders } = app.deps;
  const run = async (text: string) => {
    say(`> ${text}`);
    say(
      (await app.dispatcher.handle({ transport: "console", chatId: "console", userId: "console:local", text })).reply
        .text,
    );
  };
  /** Runs a line as `userId`; a preview's Confirm button is pressed by the same person, as in chat. */
  const runAs = async (userId: string, text: string, opts: { confirm?: boolean } = {}) => {
    say(`> ${text}   (${userId})`);
    let r = await app.dispatcher.handle({ transport: "console", chatId: "console", userId, text });
    const confirm = r.reply.buttons?.find((b) => b.action.startsWith("/confirm"));
    if (opts.confirm && confirm) {
      say(`  ${r.reply.text.split("\n")[0]}`);
      say(`> ${confirm.action}   (${userId})`);
      r = await app.dispatcher.handle({ transport: "console", chatId: "console", userId, text: confirm.action });
    }
    say(r.reply.text);
    return r;
  };
  const refundId = (text: string): string => /R-[2-9A-HJ-NP-Z]{8}/.exec(text)?.[0] ?? "R-?";
  const shown = (sku: string) => {
    const i = CATALOG.findIndex((c) => c.sku === sku);
    return `shop1 shows ${items[i]?.available}, woo shows ${products[i]?.stockQuantity}`;
  };
  const lastPush = (channelId: string) => channelState.pushLog({ channelId, limit: 1 })[0];

  try {
    for (const c of CATALOG)
      ledger.stock.upsertSku(
        { sku: SkuSchema.parse(c.sku), title: c.title, onHand: c.onHand },
        { actor: "demo", idempotencyKey: `demo:seed:${c.sku}` },
      );
    say(`stockradar demo: Shopify simulator at ${shop.url}, WooCommerce simulator at ${woo.url}.`);
    say(
      `Ledger seeded with ${CATALOG.length} SKUs: ${CATALOG.map((c) => `${c.sku} ${c.onHand}`).join(", ")}. Both shops start at 0.\n`,
    );
    await app.start({ http: true, scheduler: isInteractive });
    const url = `http://127.0.0.1:${(must(app.http, "started with http: true").server.address() as AddressInfo).port}`;

    await run("/link auto shop1");
    await run("/link auto woo");
    await sync.idle();
    say(`Pushed: ${CATALOG.map((c) => `${c.sku} (${shown(c.sku)})`).join("; ")}.\n`);

    say("A customer buys 2 × TEE-RED-M on Shopify; Shopify sends a signed orders/create webhook.");
    const order = shop.createOrder([{ sku: "TEE-RED-M", qty: 2, price: "19.90" }]);
    const delivery = await shop.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.restOrder(order.id),
      secret: WEBHOOK_SECRET,
    });
    await sync.idle();
    const level = ledger.stock.getLevel("TEE-RED-M");
    say(
      `  webhook → ${delivery.status}; ledger: ${level.onHand} on hand, ${level.reserved} reserved, ${level.available} available; ${shown("TEE-RED-M")} (WooCommerce confirmed ${lastPush("woo")?.latencyMs ?? "?"} ms after the sale).`,
    );
    const again = await shop.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.restOrder(order.id),
      secret: WEBHOOK_SECRET,
      webhookId: delivery.webhookId,
    });
    const forged = await shop.sendWebhook({
      url: `${url}/webhooks/shop1`,
      topic: "orders/create",
      payload: shop.restOrder(order.id),
      secret: "forged",
    });
    say(
      `  the same delivery again → ${again.status} (counted once: ${ledger.stock.getLevel("TEE-RED-M").reserved} reserved); a forged signature → ${forged.status}.\n`,
    );

    say(
      "A WooCommerce customer buys 3 × TEE-RED-L: only 2 left, at the low-stock threshold, so every channel is capped.",
    );
    const wooOrder = woo.createOrder([{ sku: "TEE-RED-L", qty: 3, total: "59.70" }], { status: "processing" });
    await woo.sendWebhook({
      url: `${url}/webhooks/woo`,
      topic: "order.created",
      payload: woo.orderJson(wooOrder.id),
      secret: WEBHOOK_SECRET,
    });
    await sync.idle();
    say(`  ${shown("TEE-RED-L")}.`);
    await run("/why TEE-RED-L");

    say("\nThe seller's own storefront holds the last caps during checkout (reservation API).");
    const hold = await fetch(`${url}/api/v1/reservations`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ sku: "CAP-BLK", qty: 8, ref: "cart-42", ttlSeconds: 600 }),
    });
    const held = (await hold.json()) as { id?: string; expiresAt?: string };
    const more = await fetch(`${url}/api/v1/reservations`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ sku: "CAP-BLK", qty: 1, ref: "cart-43" }),
    });
    await sync.idle();
    say(
      `  POST /api/v1/reservations → ${hold.status} ${held.id} until ${held.expiresAt}; one more → ${more.status} ${JSON.stringify(await more.json())}; ${shown("CAP-BLK")}.`,
    );

    say("\nShopify fulfils the first order; the order import picks up the tracking number for the logistics radar.");
    shop.fulfillOrder(order.id, { number: "SF1234567890", company: "SF Express" });
    await sync.importOrders({ signal: AbortSignal.timeout(30_000) });
    await sync.idle();
    const shipment = orders.shipmentsSince("1970-01-01")[0];
    say(
      `  TEE-RED-M: ${ledger.stock.getLevel("TEE-RED-M").onHand} on hand after shipping; tracking ${shipment?.trackingNo ?? "?"} (${shipment?.carrier ?? "?"}) recorded.\n`,
    );

    say("Someone edits MUG-01 to 99 in the Shopify admin; the reconcile job notices and repairs it.");
    shop.setAvailable(must(items[2], "the catalog has MUG-01").id, 99);
    await sync.reconcile({ signal: AbortSignal.timeout(30_000) });
    await sync.idle();
    say(`  ${shown("MUG-01")}.`);
    await run("/alerts");
    await run("/orders");
    await run("/sync status");

    say("\nThe customer of the first order reports a damaged tee: one person requests a refund, another approves it.");
    const first = await runAs("console:local", `/refund shop1:${order.id} 10 arrived damaged`);
    await runAs(DEMO_APPROVER, `/approve-refund ${refundId(first.reply.text)}`, { confirm: true });
    say("\nA second refund on the same order would take the hour's refunds past the breaker's limit (30):");
    const second = await runAs("console:local", `/refund shop1:${order.id} 25 second complaint`);
    await runAs(DEMO_APPROVER, `/approve-refund ${refundId(second.reply.text)}`, { confirm: true });
    await run("/breaker");
    await run("/breaker reset checked with the customer, the claims are genuine");

    say("\nThe daily summary, as the group gets it every morning (with its chart):");
    const summary = await app.dispatcher.handle({
      transport: "console",
      chatId: "console",
      userId: "console:local",
      // Today's, so it includes the demo's own orders and refunds (the morning job sends yesterday's).
      text: `/summary ${new Intl.DateTimeFormat("en-CA", { timeZone: config.timezone }).format(app.deps.clock.now())}`,
    });
    say(summary.reply.text);
    if (summary.reply.image) {
      const png = resolve(dirname(database), summary.reply.image.filename);
      writeFileSync(png, summary.reply.image.png);
      say(`[chart: ${summary.reply.image.png.length}-byte PNG saved to ${png}]`);
    }

    say("\nThe logistics radar: a month of parcels from the Kuaidi100 and 17TRACK simulators.");
    await radar.seed(app.deps);
    await run("/late");
    await run("/carriers");

    say(
      `\nThe war-room page with these shops, parcels and refunds (the link works once, for ${config.dashboard.linkMinutes} minutes; /dashboard makes another):`,
    );
    say(`  ${issueSignInLink(app.deps, { userKey: "console:local", role: "admin" })}`);

    if (!isInteractive) return 0;
    say(
      `\nYour turn: the simulators and the HTTP server keep running (${url}). Try /help, /stock TEE-RED-M, /adjust MUG-01 -3 breakage, /pause woo, /sync shop1. Ctrl-C quits.`,
    );
    await new Promise<void>((resolveStop) => {
      process.once("SIGINT", resolveStop);
      process.once("SIGTERM", resolveStop);
    });
    return 0;
  } finally {
    await app.stop();
    await Promise.all([shop.close(), woo.close(), radar.close()]);
  }
}

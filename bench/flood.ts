import { Worker } from "node:worker_threads";
import ky from "ky";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import type { SalesChannel } from "../src/channels/types.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { emptyCourierRegistry } from "../src/couriers/registry.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { asChannelId, SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { createMetrics } from "../src/metrics.js";
import { startShopifySim } from "../src/sandbox/shopify.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { createRateLimiter } from "../src/sync/rate-limiter.js";
import { openBenchLedger, storesOf } from "./open.js";
import type { BenchSection } from "./types.js";

const SECRET = "bench_webhook_secret";
const CLIENTS = 4;
const settings = { bufferUnits: 0, lowStockThreshold: 3, lowStockAction: "cap" as const, lowStockCap: 1 };

/**
 * Flood clients in their own thread (as separate machines would be): each posts 1 MiB of nested brackets,
 * unsigned, to the webhook route in a loop until told to stop, and reports how many it sent.
 */
const FLOOD_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const body = "[".repeat(workerData.bytes / 2) + "]".repeat(workerData.bytes / 2);
let stop = false;
let sent = 0;
parentPort.on("message", () => { stop = true; });
async function client() {
  while (!stop) {
    try {
      const r = await fetch(workerData.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-hmac-sha256": "AAAA", "x-shopify-topic": "orders/create" },
        body,
      });
      await r.arrayBuffer();
    } catch {}
    sent++;
  }
}
Promise.all(Array.from({ length: workerData.clients }, client)).then(() => parentPort.postMessage(sent));
`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN) : Number.NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/**
 * Issue 19 item 2: a signed Shopify order webhook's latency (p50, p95) while 4 clients send 1 MiB deeply
 * nested unsigned bodies to the same route, against the same webhook on the idle server in the same run.
 */
export const floodBench: BenchSection = async ({ full, log }) => {
  const shop = await startShopifySim({ bucket: { maximumAvailable: 20_000, restoreRate: 20_000 } });
  const shopConfig = parseConfig(
    {
      channels: [
        {
          id: "shop1",
          kind: "shopify",
          shop: shop.shopDomain,
          accessToken: shop.accessToken,
          webhookSecret: SECRET,
          locationId: shop.locationId,
          apiBase: shop.url,
          apiVersion: shop.apiVersion,
        },
      ],
    },
    {},
  ).channels[0] as ShopifyConfig;
  const channel = createShopifyChannel({
    id: asChannelId("shop1"),
    http: ky.create({ retry: 0, throwHttpErrors: false }),
    log: silentLogger(),
    clock: systemClock,
    limiter: createRateLimiter({ clock: systemClock, buckets: { default: { ratePerSec: 1000, burst: 1000 } } }),
    config: shopConfig,
  });
  const ledger = openBenchLedger(openDatabase(":memory:"), { clock: systemClock, settings });
  // A flood from one address must not be cut off by the per-IP limit here: the figure is the parse cost.
  const config = parseConfig({ http: { rateLimit: { max: 1_000_000 } } }, {});
  const engine = createSyncEngine({
    ledger,
    clock: systemClock,
    log: silentLogger(),
    channels: [channel],
    settings: config.sync,
  });
  const app = await createHttpServer(
    {
      ...storesOf(ledger),
      config,
      ledger,
      clock: systemClock,
      log: silentLogger(),
      channels: new Map<string, SalesChannel>([["shop1", channel]]),
      sync: engine,
      metrics: createMetrics({ ledger, ops: ledger.ops, clock: systemClock, config, jobs: [] }),
      couriers: emptyCourierRegistry(),
      notify: async () => {},
    },
    routeModules,
  );
  try {
    const items = shop.seedItems(10, { available: 0 });
    for (const it of items) {
      const sku = SkuSchema.parse(it.sku);
      ledger.stock.upsertSku({ sku, onHand: 1_000_000 }, { actor: "bench", idempotencyKey: `seed:${it.sku}` });
      ledger.listings.linkListing({ channelId: "shop1", sku, ref: it.id });
    }
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/webhooks/shop1`;
    const n = full ? 400 : 100;
    let k = 0;
    const sale = async (): Promise<number> => {
      const it = items[k++ % items.length];
      if (!it) throw new Error("no items seeded");
      const order = shop.createOrder([{ sku: it.sku, qty: 1 }]);
      const t0 = performance.now();
      const res = await shop.sendWebhook({
        url,
        topic: "orders/create",
        payload: shop.restOrder(order.id),
        secret: SECRET,
      });
      if (res.status !== 200) throw new Error(`signed webhook answered ${res.status}`);
      return performance.now() - t0;
    };
    for (let i = 0; i < 10; i++) await sale(); // warm-up
    const idle: number[] = [];
    for (let i = 0; i < n; i++) idle.push(await sale());
    const worker = new Worker(FLOOD_WORKER, {
      eval: true,
      workerData: { url, bytes: 1024 * 1024 - 64, clients: CLIENTS },
    });
    const floodSent = new Promise<number>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    // Let the flood reach full speed before measuring.
    await new Promise((r) => setTimeout(r, 500));
    const loaded: number[] = [];
    for (let i = 0; i < n; i++) loaded.push(await sale());
    worker.postMessage("stop");
    const sent = await floodSent;
    await worker.terminate();
    log(
      `${n} signed order webhooks idle, then ${n} under ${CLIENTS} clients flooding 1 MiB nested unsigned bodies (${sent} flood requests answered)`,
    );
    const [p50, p95, i50, i95] = [pct(loaded, 50), pct(loaded, 95), pct(idle, 50), pct(idle, 95)];
    return [
      {
        figure: `signed Shopify webhook p50 under a ${CLIENTS}-client 1 MiB nested-body flood`,
        value: ms(p50),
        baseline: `${ms(i50)} idle server`,
        ratio: (p50 / i50).toFixed(1),
        target: "< 500 ms",
        isMet: p50 < 500,
      },
      {
        figure: `signed Shopify webhook p95 under the same flood`,
        value: ms(p95),
        baseline: `${ms(i95)} idle server`,
        ratio: (p95 / i95).toFixed(1),
        target: "< 5000 ms (Shopify's timeout)",
        isMet: p95 < 5000,
      },
    ];
  } finally {
    await engine.stop();
    await app.close();
    ledger.close();
    await shop.close();
  }
};

import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ky from "ky";
import { channelKinds } from "../src/channels/registry.js";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import type { SalesChannel } from "../src/channels/types.js";
import { createWooChannel, type WooConfig } from "../src/channels/woocommerce.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { asChannelId, type Sku, SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { seededRandom, signBase64 } from "../src/sandbox/common.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { startWooSim, type WooSim } from "../src/sandbox/woocommerce.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { createRateLimiter, type RateLimiter } from "../src/sync/rate-limiter.js";
import { openBenchLedger } from "./open.js";
import type { BenchSection } from "./types.js";

// Year replay: a busy seller's year of orders through the whole pipeline — signed order webhooks verified and
// parsed by the real adapters, the ledger, the outbox, and pushes to 7 simulated channels (4 Shopify on the
// standard plan's cost bucket, 3 WooCommerce hosts at 5 requests/s) under the production rate limiters.
// Default: 1/50 of the year (20,000 orders over 5,000 SKUs); `npm run bench -- --full`: 1,000,000 over 100,000.

const SECRET = "year_webhook_secret";
const SHOPS = ["shop1", "shop2", "shop3", "shop4"];
const WOOS = ["woo1", "woo2", "woo3"];

interface Lane {
  id: string;
  channel: SalesChannel;
  limiter: RateLimiter;
  order(sku: string, qty: number): { topic: string; body: string; headers: Record<string, string> };
}

/** One Shopify simulator with the production bucket and limiter, and its adapter. */
async function shopLane(id: string, n: number): Promise<{ lane: Lane; sim: ShopifySim; refs: string[] }> {
  // Shopify's standard plan: 1,000-point bucket, 50 points/s restore (Plus is 10×).
  const sim = await startShopifySim({
    shopDomain: `${id}.myshopify.com`,
    bucket: { maximumAvailable: 1_000, restoreRate: 50 },
  });
  const items = sim.seedItems(n, { available: 0 });
  const config = parseConfig(
    {
      channels: [
        {
          id,
          kind: "shopify",
          shop: sim.shopDomain,
          accessToken: sim.accessToken,
          webhookSecret: SECRET,
          locationId: sim.locationId,
          apiBase: sim.url,
          apiVersion: sim.apiVersion,
        },
      ],
    },
    {},
  ).channels[0] as ShopifyConfig;
  const limiter = createRateLimiter({ clock: systemClock, buckets: channelKinds.shopify!.buckets(config) });
  const channel = createShopifyChannel({
    id: asChannelId(id),
    http: ky.create({ retry: 0, throwHttpErrors: false }),
    log: silentLogger(),
    clock: systemClock,
    limiter,
    config,
  });
  let seq = 0;
  const lane: Lane = {
    id,
    channel,
    limiter,
    order(sku, qty) {
      const o = sim.createOrder([{ sku, qty }]);
      const body = JSON.stringify(sim.restOrder(o.id));
      // The simulator keeps every order; a year of them would be the simulator's memory, not ours.
      sim.state.orders.length = 0;
      return {
        topic: "orders/create",
        body,
        headers: {
          "x-shopify-hmac-sha256": signBase64(SECRET, body),
          "x-shopify-topic": "orders/create",
          "x-shopify-shop-domain": sim.shopDomain,
          "x-shopify-webhook-id": `${id}-${++seq}`,
        },
      };
    },
  };
  return { lane, sim, refs: items.map((i) => i.id) };
}

/** One WooCommerce simulator with a 5 requests/s host limit, and its adapter. */
async function wooLane(id: string, n: number): Promise<{ lane: Lane; sim: WooSim; refs: string[] }> {
  const sim = await startWooSim();
  const products = sim.seedProducts(n, { stock: 0 });
  const config = parseConfig(
    {
      channels: [
        {
          id,
          kind: "woocommerce",
          apiBase: sim.url,
          consumerKey: sim.consumerKey,
          consumerSecret: sim.consumerSecret,
          webhookSecret: SECRET,
        },
      ],
    },
    {},
  ).channels[0] as WooConfig;
  const limiter = createRateLimiter({ clock: systemClock, buckets: channelKinds.woocommerce!.buckets(config) });
  const channel = createWooChannel({
    id: asChannelId(id),
    http: ky.create({ retry: 0, throwHttpErrors: false }),
    log: silentLogger(),
    clock: systemClock,
    limiter,
    config,
  });
  let seq = 0;
  const lane: Lane = {
    id,
    channel,
    limiter,
    order(sku, qty) {
      const o = sim.createOrder([{ sku, qty }], { status: "processing" });
      const body = JSON.stringify(sim.orderJson(o.id));
      sim.state.orders.length = 0;
      return {
        topic: "order.created",
        body,
        headers: {
          "x-wc-webhook-signature": signBase64(SECRET, body),
          "x-wc-webhook-topic": "order.created",
          "x-wc-webhook-delivery-id": `${id}-${++seq}`,
        },
      };
    },
  };
  return { lane, sim, refs: products.map((p) => String(p.id)) };
}

/** A year of orders through intake → ledger → outbox → 7 simulated channels; throughput, memory, size, bottleneck. */
export const yearReplayBench: BenchSection = async ({ full, log }) => {
  const skuCount = full ? 100_000 : 5_000;
  const orders = full ? 1_000_000 : 20_000;
  const dir = mkdtempSync(join(tmpdir(), "stockradar-year-"));
  const sims: { close(): Promise<void> }[] = [];
  try {
    const database = join(dir, "ledger.db");
    const ledger = openBenchLedger(openDatabase(database), {
      clock: systemClock,
      settings: { bufferUnits: 0, lowStockThreshold: 3, lowStockAction: "cap", lowStockCap: 1 },
    });
    const lanes: Lane[] = [];
    const refs = new Map<string, string[]>();
    for (const id of SHOPS) {
      const s = await shopLane(id, skuCount);
      sims.push(s.sim);
      lanes.push(s.lane);
      refs.set(id, s.refs);
    }
    for (const id of WOOS) {
      const w = await wooLane(id, skuCount);
      sims.push(w.sim);
      lanes.push(w.lane);
      refs.set(id, w.refs);
    }
    // Seed a catalog the sims share (SKU-000001 …), each SKU on all 7 channels, then publish it once.
    const skus: Sku[] = [];
    const seedStart = performance.now();
    ledger.transaction(() => {
      for (let i = 0; i < skuCount; i++) {
        const sku = SkuSchema.parse(`SKU-${String(i + 1).padStart(4, "0")}`);
        skus.push(sku);
        ledger.stock.upsertSku({ sku, onHand: 1_000_000 }, { actor: "bench", idempotencyKey: `seed:${sku}` });
        for (const l of lanes) ledger.listings.linkListing({ channelId: l.id, sku, ref: refs.get(l.id)![i]! });
      }
    });
    const engine = createSyncEngine({
      ledger,
      clock: systemClock,
      log: silentLogger(),
      channels: lanes.map((l) => l.channel),
      settings: { debounceMs: 200, retryBaseMs: 2_000, retryMaxMs: 60_000, maxBatchesPerPass: 1_000 },
    });
    await engine.syncStock({ full: true, signal: AbortSignal.timeout(3_600_000) });
    log(
      `year: seeded and published ${skuCount} SKUs × ${lanes.length} channels in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    const waitedBefore = lanes.map((l) => l.limiter.snapshot().waitedMs);

    engine.start();
    const random = seededRandom(2026);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let peakRss = process.memoryUsage().rss;
    const BATCH = 200;
    for (let done = 0; done < orders; done += BATCH) {
      // Hot items sell more: a quarter of the orders hit 1% of the catalog.
      const batch = Array.from({ length: Math.min(BATCH, orders - done) }, () => {
        const lane = lanes[Math.floor(random() * lanes.length)]!;
        const i =
          random() < 0.25 ? Math.floor(random() * Math.max(1, skuCount / 100)) : Math.floor(random() * skuCount);
        return { lane, ...lane.order(skus[i]!, 1 + Math.floor(random() * 2)) };
      });
      await Promise.all(
        batch.map((o) => engine.acceptWebhook(o.lane.id, { headers: o.headers, rawBody: Buffer.from(o.body) })),
      );
      // Let the drainers and timers run between batches, as a real event loop with HTTP requests would.
      await new Promise((r) => setImmediate(r));
      if ((done / BATCH) % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (done && done % (orders / 10) === 0)
        log(`year: ${done} orders in, backlog ${ledger.outbox.allOutbox().length}`);
    }
    const intakeSeconds = (performance.now() - t0) / 1000;
    while (ledger.outbox.allOutbox().length) {
      await engine.idle();
      await new Promise((r) => setTimeout(r, 100));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await engine.stop();
    const reserved = ledger.stock.stockTotals().reserved;
    const lines = (
      ledger.db.prepare("SELECT COUNT(*) AS n FROM reservations WHERE kind = 'order'").get() as { n: number }
    ).n;
    ledger.close();
    const bytes = statSync(database).size + (existsSync(`${database}-wal`) ? statSync(`${database}-wal`).size : 0);
    const waited = lanes.map((l, i) => (l.limiter.snapshot().waitedMs - waitedBefore[i]!) / 1000);
    const cpuShare = (cpu.user + cpu.system) / 1e6 / seconds;
    const limitShare = Math.max(...waited) / seconds;
    // Whichever share of the wall time is larger names the bottleneck: our CPU, or waiting on a channel's rate limit.
    const slowest = lanes[waited.indexOf(Math.max(...waited))]!.id;
    const bound = `${limitShare >= cpuShare ? "API limits" : "CPU"} (CPU ${(cpuShare * 100).toFixed(0)}% of a core; ${slowest} waited on its limiter ${(limitShare * 100).toFixed(0)}% of the run)`;
    log(
      `year: ${orders} orders (${lines} lines applied, ${reserved} units reserved) in ${seconds.toFixed(1)} s, intake ${intakeSeconds.toFixed(1)} s; CPU ${(cpuShare * 100).toFixed(0)}% of one core; limiter waits ${waited.map((w) => w.toFixed(0)).join("/")} s`,
    );
    const perSecond = orders / seconds;
    const intakePerSecond = orders / intakeSeconds;
    const scale = full ? "full size" : "1/50 scale (--full for 1,000,000)";
    return [
      {
        figure: `year replay: ${orders.toLocaleString("en")} orders, ${skuCount.toLocaleString("en")} SKUs, 7 channels, ${scale}: orders/s end to end (all pushes confirmed)`,
        value: perSecond.toFixed(0),
        baseline: `${intakePerSecond.toFixed(0)} orders/s intake alone`,
        ratio: (perSecond / intakePerSecond).toFixed(2),
        target: `bound by: ${bound}`,
        isMet: lines === orders,
      },
      {
        figure: "year replay: peak resident memory (bench process, 7 simulators included) / ledger size on disk",
        value: `${(peakRss / 1024 ** 2).toFixed(0)} MB / ${(bytes / 1024 ** 2).toFixed(0)} MB`,
        baseline: `${(((bytes / orders) * 1_000_000) / 1024 ** 3).toFixed(2)} GB per million orders`,
        ratio: "",
        target: "report",
      },
      {
        figure: "year replay: orders per day one 2-core machine carries (sustained rate × 86,400 ÷ 10 for peaks)",
        value: Math.round((perSecond * 86_400) / 10).toLocaleString("en"),
        baseline: `${Math.round(1_000_000 / 365).toLocaleString("en")} a day (the busy seller: 1,000,000 a year)`,
        ratio: ((perSecond * 86_400) / 10 / (1_000_000 / 365)).toFixed(0),
        target: "report",
      },
    ];
  } finally {
    await Promise.all(sims.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
};

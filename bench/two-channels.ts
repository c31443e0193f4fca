import ky from "ky";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import { createWooChannel, type WooConfig } from "../src/channels/woocommerce.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { asChannelId, type Sku, SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { startWooSim, type WooSim } from "../src/sandbox/woocommerce.js";
import type { BulkGuardSettings } from "../src/sync/bulk-guard.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { createRateLimiter } from "../src/sync/rate-limiter.js";
import { type BenchLedger, openBenchLedger } from "./open.js";

/** The webhook secret the benches' Shopify channel is configured with. */
export const BENCH_WEBHOOK_SECRET = "bench_webhook_secret";

/** The ledger settings the sync benches run with: no buffer, low stock at 3. */
export const benchSettings = { bufferUnits: 0, lowStockThreshold: 3, lowStockAction: "cap" as const, lowStockCap: 1 };

/** Where a Shopify simulator listens and what it accepts (in this process or in bench/sync-fakes-child.ts). */
export interface ShopEndpoint {
  url: string;
  shopDomain: string;
  accessToken: string;
  locationId: string;
  apiVersion: string;
}

/** Where a WooCommerce simulator listens and its REST keys. */
export interface WooEndpoint {
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

/**
 * The real Shopify ("shop1") and WooCommerce ("woo") adapters against two simulators, with limiters wide enough
 * that no call waits (1,000 requests/s; the simulators' Shopify bucket is 20,000 points).
 */
export function channelAdapters(shop: ShopEndpoint, woo: WooEndpoint) {
  const deps = (id: string) => ({
    id: asChannelId(id),
    http: ky.create({ retry: 0, throwHttpErrors: false }),
    log: silentLogger(),
    clock: systemClock,
    limiter: createRateLimiter({ clock: systemClock, buckets: { default: { ratePerSec: 1000, burst: 1000 } } }),
  });
  const shopConfig = parseConfig(
    {
      channels: [
        {
          id: "shop1",
          kind: "shopify",
          shop: shop.shopDomain,
          accessToken: shop.accessToken,
          webhookSecret: BENCH_WEBHOOK_SECRET,
          locationId: shop.locationId,
          apiBase: shop.url,
          apiVersion: shop.apiVersion,
        },
      ],
    },
    {},
  ).channels[0] as ShopifyConfig;
  const wooConfig = parseConfig(
    {
      channels: [
        {
          id: "woo",
          kind: "woocommerce",
          apiBase: woo.url,
          consumerKey: woo.consumerKey,
          consumerSecret: woo.consumerSecret,
          queryStringAuth: false,
          requestsPerSecond: 1000,
        },
      ],
    },
    {},
  ).channels[0] as WooConfig;
  return {
    shopChannel: createShopifyChannel({ ...deps("shop1"), config: shopConfig }),
    wooChannel: createWooChannel({ ...deps("woo"), config: wooConfig }),
  };
}

/** The Shopify simulator's options in every sync bench: a bucket so large that no call is throttled. */
export const BENCH_SHOP_BUCKET = { maximumAvailable: 20_000, restoreRate: 20_000 };

/** A Shopify and a WooCommerce simulator on port 0 in this process, with their real adapters. */
export async function twoChannels() {
  const shop = await startShopifySim({ bucket: BENCH_SHOP_BUCKET });
  const woo = await startWooSim();
  return { shop, woo, ...channelAdapters(shop, woo), close: () => Promise.all([shop.close(), woo.close()]) };
}

/** A fresh in-memory ledger and a sync engine over both channels (default sync settings; the bulk guard when given). */
export function benchEngine(ch: Awaited<ReturnType<typeof twoChannels>>, bulkGuard?: BulkGuardSettings) {
  const ledger = openBenchLedger(openDatabase(":memory:"), { clock: systemClock, settings: benchSettings });
  const engine = createSyncEngine({
    ledger,
    clock: systemClock,
    log: silentLogger(),
    channels: [ch.shopChannel, ch.wooChannel],
    settings: parseConfig({}, {}).sync,
    ...(bulkGuard ? { bulkGuard } : {}),
  });
  return { ledger, engine };
}

/**
 * Seeds `n` items on both simulators (quantity 0 there) and the same SKUs in the ledger with `onHand` each, every
 * SKU linked on both channels. The simulators number on, so a second catalog on the same ones has other SKUs.
 */
export function seedCatalog(ledger: BenchLedger, shop: ShopifySim, woo: WooSim, n: number, onHand: number) {
  const items = shop.seedItems(n, { available: 0 });
  const products = woo.seedProducts(n, { stock: 0 });
  const skus: Sku[] = [];
  items.forEach((it, i) => {
    const sku = SkuSchema.parse(it.sku);
    skus.push(sku);
    ledger.stock.upsertSku({ sku, onHand }, { actor: "bench", idempotencyKey: `seed:${it.sku}` });
    ledger.listings.linkListing({ channelId: "shop1", sku, ref: it.id });
    ledger.listings.linkListing({ channelId: "woo", sku, ref: String(products[i]!.id) });
  });
  return { items, products, skus };
}

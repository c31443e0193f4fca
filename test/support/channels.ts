import { readFileSync } from "node:fs";
import ky from "ky";
import type { AmazonConfig } from "../../src/channels/amazon.js";
import type { EbayConfig } from "../../src/channels/ebay.js";
import type { ChannelDeps } from "../../src/channels/http.js";
import type { WooConfig } from "../../src/channels/woocommerce.js";
import type { Clock, Sleep } from "../../src/clock.js";
import { asChannelId } from "../../src/ids.js";
import { silentLogger } from "../../src/log.js";
import type { AmazonSim } from "../../src/sandbox/amazon.js";
import type { EbaySim } from "../../src/sandbox/ebay.js";
import type { ShopifySim } from "../../src/sandbox/shopify.js";
import type { WooSim } from "../../src/sandbox/woocommerce.js";
import { type BucketSpec, createRateLimiter, type RateLimiter } from "../../src/sync/rate-limiter.js";
import type { RetryPolicy } from "../../src/upstream/retry.js";
import { testClock } from "./clock.js";

/** Short delays so retry tests finish quickly; no assertion depends on them. */
export const fastRetry: RetryPolicy = { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 };

/**
 * The deps a channel factory needs, wired like app.ts does but with test-sized timings. Without a clock of its
 * own the adapter gets a manual one whose sleep steps it, so retry backoffs and limiter pauses never wait.
 */
export function channelDeps(
  id: string,
  opts: { buckets?: Record<string, BucketSpec>; retry?: RetryPolicy; clock?: Clock; sleep?: Sleep } = {},
): ChannelDeps & { limiter: RateLimiter } {
  const own = testClock();
  const clock = opts.clock ?? own.clock;
  const sleep = opts.sleep ?? (opts.clock ? undefined : own.sleep);
  return {
    id: asChannelId(id),
    http: ky.create({ retry: 0 }),
    log: silentLogger(),
    clock,
    limiter: createRateLimiter({
      clock,
      buckets: opts.buckets ?? { default: { ratePerSec: 1000, burst: 1000 } },
      ...(sleep ? { sleep } : {}),
    }),
    retry: opts.retry ?? fastRetry,
    ...(sleep ? { sleep } : {}),
  };
}

/** Reads a JSON fixture from test/fixtures/<provider>/<name>. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8");
}

/** A signal that never aborts. */
export const never = new AbortController().signal;

/** Our Amazon config (id `amz`, EU, one marketplace) for the simulator `sim`: a JSON feed above 20 SKUs, polled fast. */
export const amazonConfig = (sim: AmazonSim, over: Partial<AmazonConfig> = {}): AmazonConfig => ({
  id: "amz",
  kind: "amazon",
  region: "eu",
  sellerId: sim.sellerId,
  marketplaceIds: ["A1PA6795UKMFR9"],
  lwaClientId: sim.clientId,
  lwaClientSecret: sim.clientSecret,
  refreshToken: sim.refreshToken,
  apiBase: sim.url,
  tokenUrl: sim.tokenUrl,
  feedThreshold: 20,
  feedPollSeconds: 0.01,
  feedTimeoutMinutes: 1,
  timeoutMs: 2_000,
  bufferUnits: 0,
  failureAlertAfter: 5,
  unhealthyAfterMinutes: 15,
  ...over,
});

/** The eBay scopes for Sell Inventory and Sell Fulfillment. */
export const EBAY_SCOPES = [
  "https://api.ebay.com/oauth/api_scope/sell.inventory",
  "https://api.ebay.com/oauth/api_scope/sell.fulfillment",
];

/** Our eBay config (id `ebay`, EBAY_US, inventory and fulfillment scopes) for the simulator `sim`. */
export const ebayConfig = (sim: EbaySim, over: Partial<EbayConfig> = {}): EbayConfig => ({
  id: "ebay",
  kind: "ebay",
  clientId: sim.clientId,
  clientSecret: sim.clientSecret,
  refreshToken: sim.refreshToken,
  apiBase: sim.url,
  marketplaceId: "EBAY_US",
  scopes: EBAY_SCOPES,
  timeoutMs: 2_000,
  bufferUnits: 0,
  failureAlertAfter: 5,
  unhealthyAfterMinutes: 15,
  ...over,
});

/** Our WooCommerce config (id `woo1`, header auth, batches of 100) for the simulator `sim`. */
export const wooConfig = (sim: WooSim, over: Partial<WooConfig> = {}): WooConfig => ({
  id: "woo1",
  kind: "woocommerce",
  apiBase: sim.url,
  consumerKey: sim.consumerKey,
  consumerSecret: sim.consumerSecret,
  webhookSecret: "wcWebhookSecret42",
  queryStringAuth: false,
  batchSize: 100,
  requestsPerSecond: 1000,
  timeoutMs: 2_000,
  bufferUnits: 0,
  failureAlertAfter: 5,
  unhealthyAfterMinutes: 15,
  ...over,
});

/** A `channels:` entry (YAML-shaped, for testApp) for the Shopify simulator `sim`, with `over`. */
export const shopifyEntry = (id: string, sim: ShopifySim, over: Record<string, unknown> = {}) => ({
  id,
  kind: "shopify",
  shop: sim.shopDomain,
  accessToken: sim.accessToken,
  locationId: sim.locationId,
  apiBase: sim.url,
  apiVersion: sim.apiVersion,
  ...over,
});

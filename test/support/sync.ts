import { createShopifyChannel, type ShopifyConfig } from "../../src/channels/shopify.js";
import type { SalesChannel } from "../../src/channels/types.js";
import { createWooChannel, type WooConfig } from "../../src/channels/woocommerce.js";
import { type Clock, systemClock, type Timers } from "../../src/clock.js";
import { type Config, parseConfig } from "../../src/config.js";
import { emptyCourierRegistry } from "../../src/couriers/registry.js";
import type { Deps } from "../../src/deps.js";
import { openDatabase } from "../../src/ledger/db.js";
import { silentLogger } from "../../src/log.js";
import { createMetrics } from "../../src/metrics.js";
import { type ShopifySim, type ShopifySimOptions, startShopifySim } from "../../src/sandbox/shopify.js";
import { startWooSim, type WooSim, type WooSimOptions } from "../../src/sandbox/woocommerce.js";
import { createSyncEngine, type SyncEngine, type SyncSettings } from "../../src/sync/engine.js";
import type { RetryPolicy } from "../../src/upstream/retry.js";
import { channelDeps } from "./channels.js";
import { openTestLedger, storesOf, type TestLedger, testSettings } from "./ledger.js";

/** Webhook secret every test channel shares. */
export const WEBHOOK_SECRET = "whsec_test_0123456789";

/** Engine timings for tests: short debounce and backoff so failure runs converge quickly; nothing asserts on them. */
export const fastSync: SyncSettings = { debounceMs: 20, retryBaseMs: 20, retryMaxMs: 400, maxBatchesPerPass: 1000 };

/** A real ledger on the wall clock (the engine's timers and the ledger's due times must agree). */
export function liveLedger(): TestLedger {
  return openTestLedger(openDatabase(":memory:"), { clock: systemClock, settings: testSettings });
}

/**
 * One Shopify sale of `sku`: the simulator creates the order and delivers its signed `orders/create` webhook to our
 * server at `url` (channel `shop1`); returns the status we answered.
 */
export async function sendShopifySale(sim: ShopifySim, url: string, sku: string, qty = 1): Promise<number> {
  const order = sim.createOrder([{ sku, qty }]);
  const res = await sim.sendWebhook({
    url: `${url}/webhooks/shop1`,
    topic: "orders/create",
    payload: sim.restOrder(order.id),
    secret: WEBHOOK_SECRET,
  });
  return res.status;
}

/** A Shopify simulator plus our real adapter pointed at it. */
export async function shopifyChannel(
  id: string,
  simOpts: ShopifySimOptions = {},
  opts: { retry?: RetryPolicy; timeoutMs?: number } = {},
): Promise<{ sim: ShopifySim; channel: SalesChannel; config: ShopifyConfig }> {
  const deps = channelDeps(id, opts.retry ? { retry: opts.retry } : {});
  // A roomy cost bucket: catalog and order queries would otherwise wait seconds for Shopify's restore rate. It
  // refills by the adapter's own manual clock, so a THROTTLED wait (a stepped sleep) refills it whatever the
  // machine's speed (on real time a fast machine retried before the bucket had refilled and gave up).
  const sim = await startShopifySim({
    bucket: { maximumAvailable: 20_000, restoreRate: 20_000 },
    bucketNow: () => deps.clock.now().getTime(),
    ...simOpts,
  });
  const config: ShopifyConfig = {
    id,
    kind: "shopify",
    shop: sim.shopDomain,
    accessToken: sim.accessToken,
    webhookSecret: WEBHOOK_SECRET,
    locationId: sim.locationId,
    apiBase: sim.url,
    apiVersion: sim.apiVersion,
    timeoutMs: opts.timeoutMs ?? 300,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
  };
  return {
    sim,
    config,
    channel: createShopifyChannel({ ...deps, config }),
  };
}

/** A WooCommerce simulator plus our real adapter pointed at it. */
export async function wooChannel(
  id: string,
  simOpts: WooSimOptions = {},
  opts: { retry?: RetryPolicy; timeoutMs?: number } = {},
): Promise<{ sim: WooSim; channel: SalesChannel; config: WooConfig }> {
  const sim = await startWooSim(simOpts);
  const config: WooConfig = {
    id,
    kind: "woocommerce",
    apiBase: sim.url,
    consumerKey: sim.consumerKey,
    consumerSecret: sim.consumerSecret,
    webhookSecret: WEBHOOK_SECRET,
    queryStringAuth: false,
    batchSize: 100,
    requestsPerSecond: 1000,
    timeoutMs: opts.timeoutMs ?? 300,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
  };
  return {
    sim,
    config,
    channel: createWooChannel({ ...channelDeps(id, opts.retry ? { retry: opts.retry } : {}), config }),
  };
}

/** A WooCommerce listing ref as the adapter spells it: the product id, or parent:variation. */
export const wooRef = (p: { id: number; parentId: number }): string =>
  p.parentId ? `${p.parentId}:${p.id}` : String(p.id);

/** The real engine over real adapters; pass a manual clock and manual timers (test/support/clock.ts) to drive its timers. */
export function engineFor(
  ledger: TestLedger,
  channels: SalesChannel[],
  settings: SyncSettings = fastSync,
  seams: { clock?: Clock; timers?: Timers } = {},
): SyncEngine {
  return createSyncEngine({
    ledger,
    clock: seams.clock ?? systemClock,
    ...(seams.timers ? { timers: seams.timers } : {}),
    log: silentLogger(),
    channels,
    settings,
  });
}

/** Deps as app.ts builds them, for the HTTP server and commands, around an existing ledger and engine. */
export function depsFor(
  ledger: TestLedger,
  sync: SyncEngine,
  channels: SalesChannel[],
  raw: Record<string, unknown> = {},
  clock: Clock = systemClock,
): Deps & { config: Config } {
  const config = parseConfig(raw, {});
  // No scheduler runs here, so no job is watched for lag (it would only ever read "overdue").
  const metrics = createMetrics({ ledger, ops: ledger.ops, clock, config, jobs: [] });
  return {
    ...storesOf(ledger),
    config,
    ledger,
    clock,
    log: silentLogger(),
    channels: new Map(channels.map((c) => [c.id, c])),
    sync,
    metrics,
    couriers: emptyCourierRegistry(),
    notify: async () => {},
  };
}

/** No retries inside the adapter, so every injected fault reaches the engine's own deferral layer. */
export const thinRetry: RetryPolicy = { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 100 };

import ky from "ky";
import { buildChannels } from "../src/channels/registry.js";
import type { SalesChannel, StockPush } from "../src/channels/types.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { asChannelId, type Sku } from "../src/ids.js";
import { silentLogger } from "../src/log.js";
import { startAmazonSim } from "../src/sandbox/amazon.js";
import type { FaultOptions, RecordedRequest } from "../src/sandbox/common.js";
import { startEbaySim } from "../src/sandbox/ebay.js";
import { startShopifySim } from "../src/sandbox/shopify.js";
import { startWooSim } from "../src/sandbox/woocommerce.js";

/** One row of the channel benchmark. */
export interface ChannelBenchRow {
  channel: string;
  faults: string;
  skus: number;
  minimumCalls: number;
  calls: number;
  /** Calls the simulator failed on purpose. */
  faulted: number;
  rounds: number;
  landed: number;
  ms: number;
}

const retry = { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 1000 };

async function land(channel: SalesChannel, items: StockPush[]): Promise<{ rounds: number; landed: number }> {
  let pending = items;
  let rounds = 0;
  while (pending.length > 0 && rounds < 10) {
    rounds++;
    const outcomes = await channel.pushStock(pending, {
      idempotencyKey: `bench:${rounds}`,
      signal: new AbortController().signal,
    });
    pending = pending.filter((_, i) => !outcomes[i]!.ok);
  }
  return { rounds, landed: items.length - pending.length };
}

async function one(
  kind: "shopify" | "woocommerce" | "amazon" | "ebay",
  n: number,
  faults: FaultOptions | undefined,
): Promise<ChannelBenchRow> {
  const label = faults ? `${Math.round((faults.failureRate ?? 0) * 100)}%` : "none";
  let requests: RecordedRequest[];
  let close: () => Promise<void>;
  let raw: Record<string, unknown>;
  let items: StockPush[];
  let minimumCalls: number;
  if (kind === "shopify") {
    const sim = await startShopifySim({
      bucket: { maximumAvailable: 2000, restoreRate: 1000 },
      ...(faults ? { faults } : {}),
    });
    const seeded = sim.seedItems(n);
    items = seeded.map((s, i) => ({ sku: s.sku as Sku, ref: s.id, quantity: i % 13 }));
    raw = {
      id: "bench",
      kind,
      shop: sim.shopDomain,
      accessToken: sim.accessToken,
      locationId: sim.locationId,
      apiBase: sim.url,
      timeoutMs: 400,
    };
    ({ requests, close } = sim);
    minimumCalls = Math.ceil(n / 250);
  } else if (kind === "woocommerce") {
    const sim = await startWooSim(faults ? { faults } : {});
    const seeded = sim.seedProducts(n);
    items = seeded.map((s, i) => ({ sku: s.sku as Sku, ref: String(s.id), quantity: i % 13 }));
    raw = {
      id: "bench",
      kind,
      apiBase: sim.url,
      consumerKey: sim.consumerKey,
      consumerSecret: sim.consumerSecret,
      requestsPerSecond: 1000,
      timeoutMs: 400,
    };
    ({ requests, close } = sim);
    minimumCalls = Math.ceil(n / 100);
  } else if (kind === "amazon") {
    const sim = await startAmazonSim({ feedPollsUntilDone: 1, ...(faults ? { faults } : {}) });
    const seeded = sim.seedListings(n);
    items = seeded.map((s, i) => ({ sku: s.sku as Sku, ref: s.sku, quantity: i % 13 }));
    raw = {
      id: "bench",
      kind,
      region: "eu",
      sellerId: sim.sellerId,
      marketplaceIds: ["A1PA6795UKMFR9"],
      lwaClientId: sim.clientId,
      lwaClientSecret: sim.clientSecret,
      refreshToken: sim.refreshToken,
      apiBase: sim.url,
      tokenUrl: sim.tokenUrl,
      productType: "HOME",
      feedPollSeconds: 0.01,
      timeoutMs: 400,
    };
    ({ requests, close } = sim);
    // token, feed document, upload, feed, one status poll, result document, report download
    minimumCalls = 7;
  } else {
    const sim = await startEbaySim(faults ? { faults } : {});
    const seeded = sim.seedItems(n, { withOffer: true });
    items = seeded.map((s, i) => ({ sku: s.sku as Sku, ref: `${s.sku}@${s.offers[0]!.offerId}`, quantity: i % 13 }));
    raw = {
      id: "bench",
      kind,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      refreshToken: sim.refreshToken,
      apiBase: sim.url,
      timeoutMs: 400,
    };
    ({ requests, close } = sim);
    minimumCalls = 1 + Math.ceil(n / 25);
  }
  const config = parseConfig({ channels: [raw] }, {});
  const { channels } = buildChannels(config.channels, {
    makeHttp: (o) => ky.create(o),
    log: silentLogger(),
    clock: systemClock,
    retry,
  });
  const channel = channels.get(asChannelId("bench"))!;
  const started = performance.now();
  const { rounds, landed } = await land(channel, items);
  const ms = Math.round(performance.now() - started);
  const calls = requests.length;
  const faulted = requests.filter((r) => r.fault).length;
  await close();
  return { channel: kind, faults: label, skus: n, minimumCalls, calls, faulted, rounds, landed, ms };
}

/** Calls used per full sync of `n` SKUs against the minimum, clean and with 30% faults, per channel. */
export async function benchChannels(n = 1000): Promise<ChannelBenchRow[]> {
  const faults: FaultOptions = {
    failureRate: 0.3,
    kinds: ["429", "500", "hang", "hang-after-apply", "malformed"],
    retryAfterSeconds: 0,
    seed: 7,
  };
  const rows: ChannelBenchRow[] = [];
  for (const [i, kind] of (["shopify", "woocommerce", "ebay", "amazon"] as const).entries()) {
    rows.push(await one(kind, n, undefined));
    rows.push(await one(kind, n, { ...faults, seed: (faults.seed ?? 1) + i }));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchChannels(Number(process.argv[2] ?? 1000));
  console.table(rows);
}

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
import { seededRandom } from "../src/sandbox/common.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { createRateLimiter, type RateLimiter } from "../src/sync/rate-limiter.js";
import { openBenchLedger } from "./open.js";
import type { BenchRow, BenchSection } from "./types.js";
import { type ReplayLaneInfo, startReplaySims } from "./year-replay-sims-ipc.js";

// Year replay: a busy seller's year of orders through the whole pipeline — signed order webhooks verified and
// parsed by the real adapters, the ledger, the outbox, and pushes to 7 simulated channels (4 Shopify on the
// standard plan's cost bucket, 3 WooCommerce hosts at 5 requests/s) under the production rate limiters.
// Default: 1/50 and 1/10 of the year (20,000 orders over 2,000 SKUs, 100,000 over 10,000), each in its own process;
// `npm run bench -- --full`: 1,000,000 over 100,000.

const SECRET = "year_webhook_secret";
const _SHOPS = ["shop1", "shop2", "shop3", "shop4"];
const _WOOS = ["woo1", "woo2", "woo3"];

interface Lane {
  id: string;
  channel: SalesChannel;
  limiter: RateLimiter;
}

/** The real adapter and the production limiter of one simulated channel (the simulator runs in its own process). */
function laneOf(info: ReplayLaneInfo): Lane {
  const common = {
    id: asChannelId(info.id),
    http: ky.create({ retry: 0, throwHttpErrors: false }),
    log: silentLogger(),
    clock: systemClock,
  };
  if (info.kind === "shopify") {
    const config = parseConfig(
      {
        channels: [
          {
            id: info.id,
            kind: "shopify",
            shop: info.shop.shopDomain,
            accessToken: info.shop.accessToken,
            webhookSecret: SECRET,
            locationId: info.shop.locationId,
            apiBase: info.shop.url,
            apiVersion: info.shop.apiVersion,
          },
        ],
      },
      {},
    ).channels[0] as ShopifyConfig;
    const limiter = createRateLimiter({ clock: systemClock, buckets: channelKinds.shopify!.buckets(config) });
    return { id: info.id, limiter, channel: createShopifyChannel({ ...common, limiter, config }) };
  }
  // WooCommerce with its default 5 requests/s host limit.
  const config = parseConfig(
    {
      channels: [
        {
          id: info.id,
          kind: "woocommerce",
          apiBase: info.woo.url,
          consumerKey: info.woo.consumerKey,
          consumerSecret: info.woo.consumerSecret,
          webhookSecret: SECRET,
        },
      ],
    },
    {},
  ).channels[0] as WooConfig;
  const limiter = createRateLimiter({ clock: systemClock, buckets: channelKinds.woocommerce!.buckets(config) });
  return { id: info.id, limiter, channel: createWooChannel({ ...common, limiter, config }) };
}

/** What one replay measured (bench/year-replay-child.ts prints it as JSON). */
export interface ReplayResult {
  orders: number;
  skuCount: number;
  lines: number;
  reserved: number;
  seconds: number;
  intakeSeconds: number;
  cpuShare: number;
  limitShare: number;
  slowest: string;
  /**
   * Peak resident set over the order year (the kernel's high-water mark, reset once the catalog is published) and
   * the highest heap used sampled meanwhile.
   */
  peakRssBytes: number;
  /** The high-water mark up to the end of the publish (the warm-up). */
  publishRssBytes: number;
  /** The 7 simulators' own process (bench/year-replay-sims.ts), its lifetime high-water mark: not ours. */
  simsPeakRssBytes: number;
  peakHeapBytes: number;
  /**
   * Heap used right after a full collection (what the replay keeps, as against the garbage V8 lets old space gather
   * before it collects): after the publish, at each tenth of the orders, and once every push is confirmed.
   */
  retainedBytes: number[];
  /** The ledger file (+ WAL) as the replay left it. */
  fileBytes: number;
  /** Pages in use (page_count − freelist_count) × page_size, before and after retention. */
  usedBytesBefore: number;
  usedBytesAfter: number;
  /** Rows the retention windows aged out, per table. */
  pruned: { pushLog: number; deliveries: number };
  /** Bytes in use per table (dbstat) after retention, largest first. */
  tables: [string, number][];
}

/** The process's resident-set high-water mark (VmHWM; maxRSS where /proc is missing). */
function highWaterRss(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: the lifetime high-water mark below
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Resets VmHWM to the current RSS (Linux, /proc/self/clear_refs 5); elsewhere the mark keeps the publish. */
function resetHighWaterRss(): void {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // not Linux
  }
}

/** Days of a year: the replay compresses one into its run time, and scales the retention windows the same way. */
const YEAR_DAYS = 365;

/**
 * A year of orders through intake → ledger → outbox → 7 simulated channels, then the retention job's aging with
 * its documented windows (config defaults: push log 90 days, webhook delivery ids 72 h) scaled onto the run: the
 * replay is one year compressed into its wall time, so "older than 90 days" is "before the last 90/365 of the run".
 */
export async function replayYear(o: {
  skuCount: number;
  orders: number;
  log: (s: string) => void;
}): Promise<ReplayResult> {
  const { skuCount, orders, log } = o;
  const dir = mkdtempSync(join(tmpdir(), "stockradar-year-"));
  const sims = await startReplaySims(skuCount, SECRET);
  try {
    const database = join(dir, "ledger.db");
    const ledger = openBenchLedger(openDatabase(database), {
      clock: systemClock,
      settings: { bufferUnits: 0, lowStockThreshold: 3, lowStockAction: "cap", lowStockCap: 1 },
    });
    const lanes = sims.lanes.map(laneOf);
    const refs = new Map(sims.lanes.map((l) => [l.id, l.refs]));
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
    const published = process.memoryUsage();
    log(
      `year: seeded and published ${skuCount} SKUs × ${lanes.length} channels in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; RSS ${mb(published.rss)}, heap ${mb(published.heapUsed)}, RSS high-water ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
    const waitedBefore = lanes.map((l) => l.limiter.snapshot().waitedMs);
    // The same warm-up at both scales: the peak is measured from here (the order year), not over the publish.
    const publishRss = highWaterRss();
    resetHighWaterRss();

    engine.start();
    const random = seededRandom(2026);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const wall0 = Date.now();
    let peakHeap = process.memoryUsage().heapUsed;
    const sample = () => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    };
    // What the replay keeps (heap used right after a full collection; the child runs with --expose-gc), as against
    // what V8 lets old space grow to before it collects: sampled at every tenth of the orders and at the end.
    const gc = (globalThis as { gc?: () => void }).gc;
    const retainedSamples: number[] = [];
    const retained = () => {
      if (!gc) return;
      gc();
      retainedSamples.push(process.memoryUsage().heapUsed);
    };
    retained();
    // The backlog as a count: loading every outbox row to count them would grow the driver with the catalog.
    const backlog = (): number => ledger.channelState.backlogs().reduce((n, b) => n + b.pending, 0);
    const BATCH = 200;
    for (let done = 0; done < orders; done += BATCH) {
      // Hot items sell more: a quarter of the orders hit 1% of the catalog.
      const batch = await sims.orders(
        Array.from({ length: Math.min(BATCH, orders - done) }, (): [number, string, number] => {
          const lane = Math.floor(random() * lanes.length);
          const i =
            random() < 0.25 ? Math.floor(random() * Math.max(1, skuCount / 100)) : Math.floor(random() * skuCount);
          return [lane, skus[i]!, 1 + Math.floor(random() * 2)];
        }),
      );
      await Promise.all(
        batch.map((o) => engine.acceptWebhook(lanes[o.lane]!.id, { headers: o.headers, rawBody: Buffer.from(o.body) })),
      );
      // Let the drainers and timers run between batches, as a real event loop with HTTP requests would.
      await new Promise((r) => setImmediate(r));
      if ((done / BATCH) % 10 === 0) sample();
      if (done && done % (orders / 10) === 0) {
        retained();
        log(`year: ${done} orders in, backlog ${backlog()}, retained heap ${mb(retainedSamples.at(-1) ?? 0)}`);
      }
    }
    const intakeSeconds = (performance.now() - t0) / 1000;
    while (backlog()) {
      await engine.idle();
      await new Promise((r) => setTimeout(r, 100));
      sample();
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    retained();
    const peakRssBytes = highWaterRss();
    const simsPeakRssBytes = await sims.peakRss();
    await engine.stop();
    const reserved = ledger.stock.stockTotals().reserved;
    const lines = (
      ledger.db.prepare("SELECT COUNT(*) AS n FROM reservations WHERE kind = 'order'").get() as { n: number }
    ).n;
    const usedBytes = (): number => {
      ledger.db.pragma("wal_checkpoint(TRUNCATE)");
      const pages = ledger.db.pragma("page_count", { simple: true }) as number;
      const free = ledger.db.pragma("freelist_count", { simple: true }) as number;
      return (pages - free) * (ledger.db.pragma("page_size", { simple: true }) as number);
    };
    const usedBytesBefore = usedBytes();
    const fileBytes = statSync(database).size + (existsSync(`${database}-wal`) ? statSync(`${database}-wal`).size : 0);
    // The retention job's windows (jobs/retention.ts, order-import's delivery-id pruning) on the compressed year.
    const wall1 = Date.now();
    const scaled = (days: number) => new Date(wall1 - ((wall1 - wall0) * days) / YEAR_DAYS);
    const defaults = parseConfig({}, {});
    const pruned = {
      pushLog: ledger.channelState.prunePushLog(scaled(defaults.retention.pushLogDays), 200),
      deliveries: ledger.channelState.pruneDeliveries(scaled(defaults.sync.webhookDedupHours / 24)),
    };
    const usedBytesAfter = usedBytes();
    const tables = (
      ledger.db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC").all() as {
        name: string;
        bytes: number;
      }[]
    ).map((r): [string, number] => [r.name, r.bytes]);
    ledger.close();
    const waited = lanes.map((l, i) => (l.limiter.snapshot().waitedMs - waitedBefore[i]!) / 1000);
    const cpuShare = (cpu.user + cpu.system) / 1e6 / seconds;
    const limitShare = Math.max(...waited) / seconds;
    const slowest = lanes[waited.indexOf(Math.max(...waited))]!.id;
    log(
      `year: ${orders} orders (${lines} lines applied, ${reserved} units reserved) in ${seconds.toFixed(1)} s, intake ${intakeSeconds.toFixed(1)} s; CPU ${(cpuShare * 100).toFixed(0)}% of one core; limiter waits ${waited.map((w) => w.toFixed(0)).join("/")} s`,
    );
    log(
      `year: peak RSS ${mb(peakRssBytes)} over the order year (publish ${mb(publishRss)}; the simulators' process ${mb(simsPeakRssBytes)}), peak heap used ${mb(peakHeap)}, retained ${retainedSamples.map(mb).join(" → ")}; ${((usedBytesAfter / orders) | 0).toLocaleString("en")} B/order after retention`,
    );
    log(
      `year: retention aged out ${pruned.pushLog} push-log rows and ${pruned.deliveries} delivery ids; largest tables ${tables
        .slice(0, 6)
        .map(([n, b]) => `${n} ${(b / 1024 ** 2).toFixed(1)} MB`)
        .join(", ")}`,
    );
    return {
      orders,
      skuCount,
      lines,
      reserved,
      seconds,
      intakeSeconds,
      cpuShare,
      limitShare,
      slowest,
      peakRssBytes,
      publishRssBytes: publishRss,
      simsPeakRssBytes,
      peakHeapBytes: peakHeap,
      retainedBytes: retainedSamples,
      fileBytes,
      usedBytesBefore,
      usedBytesAfter,
      pruned,
      tables,
    };
  } finally {
    await sims.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one replay in its own process (so each scale's peak memory is its own high-water mark). */
function replayInChild(skuCount: number, orders: number, log: (s: string) => void): Promise<ReplayResult> {
  const script = fileURLToPath(new URL("./year-replay-child.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    // --expose-gc: the replay samples the heap it retains after a full collection (eleven times a run).
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", script, String(skuCount), String(orders)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      for (const line of d.toString().split("\n").filter(Boolean)) log(line);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out) as ReplayResult);
      else reject(new Error(`year replay (${orders} orders) exited ${code}: ${err.slice(-500)}`));
    });
  });
}

const mb = (b: number): string => `${(b / 1024 ** 2).toFixed(0)} MB`;

const peakRetained = (x: ReplayResult): number => Math.max(0, ...x.retainedBytes);

/**
 * Growth with the orders alone: within the 1/10 run (one catalog), the heap retained once the small run's number of
 * orders was in, against the most retained from there to the end (5× the orders).
 */
function retainedRow(small: ReplayResult, large: ReplayResult): BenchRow {
  const at = Math.round((10 * small.orders) / large.orders);
  const then = large.retainedBytes[at] ?? 0;
  const most = Math.max(0, ...large.retainedBytes.slice(at));
  return {
    figure: `year replay 1/10: heap retained after a full collection once ${small.orders.toLocaleString("en")} orders are in, against the most retained up to ${large.orders.toLocaleString("en")} (same catalog, same process)`,
    value: mb(most),
    baseline: `${mb(then)} at ${small.orders.toLocaleString("en")} orders`,
    ratio: (most / then).toFixed(2),
    target: "flat: ≤ 1.10 while orders grow 5×",
    isMet: then > 0 && most / then <= 1.1,
  };
}

/**
 * The year replay at 1/50 and 1/10 of the busy seller's year (20,000 orders over 2,000 SKUs and 100,000 over
 * 10,000; `--full`: 1,000,000 over 100,000 alone): throughput at 1/50, and at both scales the bytes per order
 * after retention against the same ledger before it, and the peak memory, so "flat between them" is a ratio.
 */
export const yearReplayBench: BenchSection = async ({ full, log }) => {
  const small = full ? await replayInChild(100_000, 1_000_000, log) : await replayInChild(2_000, 20_000, log);
  const large = full ? undefined : await replayInChild(10_000, 100_000, log);
  const r = small;
  const perSecond = r.orders / r.seconds;
  const intakePerSecond = r.orders / r.intakeSeconds;
  // Whichever share of the wall time is larger names the bottleneck: our CPU, or waiting on a channel's rate limit.
  const bound = `${r.limitShare >= r.cpuShare ? "API limits" : "CPU"} (CPU ${(r.cpuShare * 100).toFixed(0)}% of a core; ${r.slowest} waited on its limiter ${(r.limitShare * 100).toFixed(0)}% of the run)`;
  const scale = full ? "full size" : "1/50 scale (--full for 1,000,000)";
  const perOrder = (x: ReplayResult, bytes: number) => (bytes / x.orders).toFixed(0);
  const runs = large ? [r, large] : [r];
  const names = large ? "1/50 · 1/10" : "full";
  const rows: BenchRow[] = [
    {
      figure: `year replay: ${r.orders.toLocaleString("en")} orders, ${r.skuCount.toLocaleString("en")} SKUs, 7 channels, ${scale}: orders/s end to end (all pushes confirmed)`,
      value: perSecond.toFixed(0),
      baseline: `${intakePerSecond.toFixed(0)} orders/s intake alone`,
      ratio: (perSecond / intakePerSecond).toFixed(2),
      target: `bound by: ${bound}`,
      isMet: runs.every((x) => x.lines === x.orders),
    },
    {
      figure: `year replay ${names}: ledger bytes per order after retention (its default windows on the compressed year; pages in use)`,
      value: runs.map((x) => `${perOrder(x, x.usedBytesAfter)} B`).join(" · "),
      baseline: `without retention ${runs.map((x) => `${perOrder(x, x.usedBytesBefore)} B`).join(" · ")} (file ${runs.map((x) => mb(x.fileBytes)).join(" · ")})`,
      ratio: runs.map((x) => (x.usedBytesAfter / x.usedBytesBefore).toFixed(2)).join(" · "),
      target: "report",
    },
    {
      figure: `year replay ${names}: peak memory of the replay process over the order year (RSS high-water / heap used high-water / heap retained after a full collection; the simulators run in their own process)`,
      value: runs.map((x) => `${mb(x.peakRssBytes)} / ${mb(x.peakHeapBytes)} / ${mb(peakRetained(x))}`).join(" · "),
      baseline: large
        ? `orders ×${(large.orders / r.orders).toFixed(0)}, SKUs ×${(large.skuCount / r.skuCount).toFixed(0)}; retained after the publish ${runs.map((x) => mb(x.retainedBytes[0] ?? 0)).join(" · ")}`
        : "",
      ratio: large
        ? `RSS ${(large.peakRssBytes / r.peakRssBytes).toFixed(2)}, heap ${(large.peakHeapBytes / r.peakHeapBytes).toFixed(2)}, retained ${(peakRetained(large) / peakRetained(r)).toFixed(2)}`
        : "",
      target: "flat: RSS ratio ≤ 1.10 while orders and SKUs grow 5×",
      ...(large ? { isMet: large.peakRssBytes / r.peakRssBytes <= 1.1 } : {}),
    },
    ...(large ? [retainedRow(r, large)] : []),
    {
      figure: "year replay: orders per day one 2-core machine carries (sustained rate × 86,400 ÷ 10 for peaks)",
      value: Math.round((perSecond * 86_400) / 10).toLocaleString("en"),
      baseline: `${Math.round(1_000_000 / 365).toLocaleString("en")} a day (the busy seller: 1,000,000 a year)`,
      ratio: ((perSecond * 86_400) / 10 / (1_000_000 / 365)).toFixed(0),
      target: "report",
    },
  ];
  return rows;
};

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../src/config.js";
import { createI18n } from "../src/i18n/translator.js";
import { importSkus } from "../src/import.js";
import { decideBulk } from "../src/sync/bulk-decide.js";
import type { BulkGuardSettings } from "../src/sync/bulk-guard.js";
import { benchEngine, seedCatalog, twoChannels } from "./two-channels.js";
import type { BenchSection } from "./types.js";

// The bulk-change breaker (issue 18 item 5) on the real path: a CSV import through importSkus, the sync engine with
// its drainers, the Shopify and WooCommerce simulators on port 0. Baselines come from the same run with the guard off.
const CATALOG = 300;
const ON_HAND = 8;
const en = createI18n({ timeZone: "UTC" }).translator("en");
const guardOn: BulkGuardSettings = parseConfig({}, {}).stock.bulkGuard;
const guardOff: BulkGuardSettings = { ...guardOn, enabled: false };

/** What the channel simulators show: listings at 0 and units taken off, against the published ON_HAND each. */
function zeroedOnChannels(ch: Awaited<ReturnType<typeof twoChannels>>) {
  const quantities = [
    ...[...ch.shop.state.items.values()].map((i) => i.available),
    ...[...ch.woo.state.products.values()].map((p) => p.stockQuantity ?? 0),
  ];
  return {
    listings: quantities.filter((q) => q === 0).length,
    units: quantities.reduce((n, q) => n + (ON_HAND - q), 0),
  };
}

/**
 * A shop's first day (300 SKUs with 8 each, imported, linked on both channels, published), then a bad CSV that
 * sets every on_hand to 0. Counts what reached the channels; with the guard on, an approver then releases the hold.
 */
async function badImport(guard: BulkGuardSettings) {
  const dir = mkdtempSync(join(tmpdir(), "stockradar-bulk-"));
  const ch = await twoChannels();
  const { ledger, engine } = benchEngine(ch, guard);
  try {
    const { items } = seedCatalog(ledger, ch.shop, ch.woo, CATALOG, 0);
    writeFileSync(
      join(dir, "day1.csv"),
      ["sku,title,on_hand", ...items.map((i) => `${i.sku},Item,${ON_HAND}`)].join("\n"),
    );
    importSkus({ ledger }, join(dir, "day1.csv"), "console:local", en, { set: true, yes: true });
    // A first push is never a bulk change (the channels' old quantities were unknown): the whole catalog goes out.
    await engine.syncStock({ full: true, signal: AbortSignal.timeout(60_000) });
    engine.start();
    const calls = () => ch.shop.calls("inventorySetQuantities").length + ch.woo.calls("products/batch").length;
    const published = zeroedOnChannels(ch);
    if (published.listings !== 0) throw new Error(`first day left ${published.listings} listings at 0`);
    writeFileSync(join(dir, "bad.csv"), ["sku,title,on_hand", ...items.map((i) => `${i.sku},Item,0`)].join("\n"));
    const calls0 = calls();
    const report = importSkus({ ledger }, join(dir, "bad.csv"), "console:local", en, { set: true, yes: true });
    if (report.applied !== CATALOG) throw new Error(`bad import applied ${report.applied} rows`);
    await engine.idle();
    // A later sync run (the scheduler's, a restart's first pass) must not push the held rows either.
    await engine.syncStock({ signal: AbortSignal.timeout(60_000) });
    const beforeRelease = { ...zeroedOnChannels(ch), calls: calls() - calls0 };
    const [hold] = ledger.bulkHolds.openHolds();
    let released: { listings: number; units: number; calls: number } | undefined;
    if (hold) {
      const calls1 = calls();
      decideBulk({ ledger, bulkHolds: ledger.bulkHolds, sync: engine }, en, hold.id, "release", "tg:approver");
      await engine.idle();
      released = { ...zeroedOnChannels(ch), calls: calls() - calls1 };
    }
    return { beforeRelease, hold, released };
  } finally {
    await engine.stop();
    ledger.close();
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The guard's cost on ordinary sync runs: two ledgers (guard on, guard off) with their own 300 SKUs on the same
 * simulators, 40 one-unit sales per run (above `minSkus`, so the guard reads and judges every pending push), one
 * incremental sync run each, interleaved ABBA so the machine's drift hits both alike.
 */
async function overhead(rounds: number) {
  const ch = await twoChannels();
  const sides = [guardOn, guardOff].map((guard) => {
    const { ledger, engine } = benchEngine(ch, guard);
    return { ledger, engine, skus: seedCatalog(ledger, ch.shop, ch.woo, CATALOG, 100_000).skus, ms: 0, pushed: 0 };
  });
  const SALES = 40;
  try {
    for (const s of sides) await s.engine.syncStock({ full: true, signal: AbortSignal.timeout(60_000) });
    let seq = 0;
    const run = async (s: (typeof sides)[number], isCounted: boolean) => {
      s.ledger.transaction(() => {
        for (let i = 0; i < SALES; i++) {
          const sku = s.skus[(seq * SALES + i * 7) % CATALOG]!;
          s.ledger.stock.adjustOnHand(sku, -1, { actor: "bench", idempotencyKey: `sale:${seq}:${i}` });
        }
      });
      seq++;
      const t0 = performance.now();
      const r = await s.engine.syncStock({ signal: AbortSignal.timeout(60_000) });
      const took = performance.now() - t0;
      const confirmed = r.reports.reduce((n, x) => n + x.confirmed, 0);
      if (confirmed !== SALES * 2) throw new Error(`a sync run confirmed ${confirmed} pushes, not ${SALES * 2}`);
      if (!isCounted) return;
      s.ms += took;
      s.pushed += confirmed;
    };
    const [on, off] = sides as [(typeof sides)[number], (typeof sides)[number]];
    for (let i = 0; i < 5; i++) {
      await run(on, false);
      await run(off, false);
    }
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        await run(on, true);
        await run(off, true);
      } else {
        await run(off, true);
        await run(on, true);
      }
    }
    if (on.ledger.bulkHolds.openHolds().length) throw new Error("ordinary sales were held as a bulk change");
    return { on: (on.pushed / on.ms) * 1000, off: (off.pushed / off.ms) * 1000, sales: SALES };
  } finally {
    for (const s of sides) {
      await s.engine.stop();
      s.ledger.close();
    }
    await ch.close();
  }
}

/**
 * The bulk-change breaker: what a bad CSV that zeroes 300 SKUs does to two channels with the guard on (nothing
 * until an approver releases it) against the same import with the guard off, and its cost on a normal sync run.
 */
export const bulkGuardBench: BenchSection = async ({ full, log }) => {
  const off = await badImport(guardOff);
  const on = await badImport(guardOn);
  const listings = CATALOG * 2;
  log(
    `bad import of ${CATALOG} SKUs × 2 channels: guard off zeroed ${off.beforeRelease.listings} listings (${off.beforeRelease.units} units) in ${off.beforeRelease.calls} calls; guard on zeroed ${on.beforeRelease.listings} (${on.beforeRelease.units} units) in ${on.beforeRelease.calls} calls, hold ${on.hold?.id ?? "none"}; after release ${on.released?.listings ?? "-"} listings in ${on.released?.calls ?? "-"} calls`,
  );
  const minCalls = Math.ceil(CATALOG / 250) + Math.ceil(CATALOG / 100);
  const rounds = full ? 400 : 150;
  const cost = await overhead(rounds);
  const ratio = cost.on / cost.off;
  log(
    `normal sync runs (${cost.sales} one-unit sales each, ${rounds} per side, ABBA): guard on ${cost.on.toFixed(0)} pushes/s, off ${cost.off.toFixed(0)} pushes/s`,
  );
  return [
    {
      figure: `bad CSV import zeroing ${CATALOG} SKUs × 2 channels, guard on: listings / units zeroed on the channels before approval`,
      value: `${on.beforeRelease.listings} / ${on.beforeRelease.units}`,
      baseline: `${off.beforeRelease.listings} / ${off.beforeRelease.units} with the guard off`,
      ratio: (on.beforeRelease.units / Math.max(1, off.beforeRelease.units)).toFixed(2),
      target: "0 until approved",
      isMet: on.beforeRelease.units === 0 && on.beforeRelease.calls === 0 && off.beforeRelease.listings === listings,
    },
    {
      figure: "bulk hold released by an approver: listings zeroed / write calls",
      value: on.released ? `${on.released.listings} / ${on.released.calls}` : "no hold",
      baseline: `${listings} / ${minCalls} (every listing, API minimum)`,
      ratio: on.released ? (on.released.calls / minCalls).toFixed(2) : "",
      target: "all, minimum calls",
      isMet: on.released?.listings === listings && on.released.calls === minCalls,
    },
    {
      figure: `guard overhead: pushes/s of normal sync runs (${cost.sales} sales each), guard on`,
      value: cost.on.toFixed(0),
      baseline: `${cost.off.toFixed(0)} guard off`,
      ratio: ratio.toFixed(2),
      target: "≥ 0.95",
      isMet: ratio >= 0.95,
    },
  ];
};

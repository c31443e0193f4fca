import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sku, SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { openBenchLedger } from "./open.js";
import type { BenchSection } from "./types.js";

const SKUS = 100;
/** Bundles in the catalog: BUNDLE-i = 2×BENCH-i + 1×BENCH-(i+50), so 40 of the 100 SKUs are components. */
const BUNDLES = 20;

/** The catalog: 100 SKUs held in two locations (home and 3pl), 20 bundles of them, every SKU and bundle listed. */
function setup(path: string) {
  const db = openDatabase(path);
  const ledger = openBenchLedger(db, {
    settings: {
      bufferUnits: 0,
      lowStockThreshold: 3,
      lowStockAction: "cap",
      lowStockCap: 1,
      locations: ["home", "3pl"],
      primaryLocation: "home",
    },
  });
  const skus: Sku[] = [];
  for (let i = 0; i < SKUS; i++) {
    const sku = SkuSchema.parse(`BENCH-${i}`);
    skus.push(sku);
    ledger.stock.upsertSku({ sku, onHand: 1_000_000 }, { actor: "bench", idempotencyKey: `seed:${i}` });
    ledger.stock.adjustOnHand(sku, 1_000, { actor: "bench", idempotencyKey: `seed-3pl:${i}`, location: "3pl" });
    ledger.listings.linkListing({ channelId: "shop1", sku, ref: `ref-${i}` });
  }
  const bundles: { sku: Sku; listingId: number; parts: { sku: Sku; qty: number; listingId: number }[] }[] = [];
  for (let i = 0; i < BUNDLES; i++) {
    const sku = SkuSchema.parse(`BUNDLE-${i}`);
    ledger.stock.upsertSku({ sku }, { actor: "bench", idempotencyKey: `seed-bundle:${i}` });
    const parts = [
      { sku: skus[i]!, qty: 2, listingId: i + 1 },
      { sku: skus[i + 50]!, qty: 1, listingId: i + 51 },
    ];
    ledger.bundles.defineBundle(
      sku,
      parts.map((p) => ({ component: p.sku, qty: p.qty })),
      { actor: "bench" },
    );
    const listing = ledger.listings.linkListing({ channelId: "shop1", sku, ref: `bundle-ref-${i}` });
    bundles.push({ sku, listingId: listing.id, parts });
  }
  return { db, ledger, skus, bundles };
}

/** Reservations per second, one durable (committed) transaction each: the ledger against bare statements doing the same writes. */
export const ledgerBench: BenchSection = async ({ full, log }) => {
  const n = full ? 50_000 : 5_000;
  const dir = mkdtempSync(join(tmpdir(), "stockradar-bench-"));
  try {
    const ours = setup(join(dir, "ours.db"));
    const bare = setup(join(dir, "bare.db"));
    const db = bare.db;
    const reserve = db.prepare(
      "UPDATE skus SET reserved = reserved + ?, updated_at = ? WHERE sku = ? AND on_hand - reserved >= ?",
    );
    const insertRes = db.prepare(
      "INSERT INTO reservations (id, kind, sku, qty, requested, status, created_at, expires_at) VALUES (?, 'hold', ?, ?, ?, 'active', ?, ?)",
    );
    const insertMove = db.prepare(
      "INSERT INTO movements (at, sku, reason, actor, reference, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key) VALUES (?, ?, 'hold', 'bench', ?, ?, ?, ?, ?, ?)",
    );
    // The outbox version comes from a ledger-wide sequence (so a late confirmation can never delete a newer
    // target); the baseline bumps the same sequence, as the same writes must include it.
    const nextVersion = db.prepare<[], { value: string }>(
      "INSERT INTO kv (key, value) VALUES ('outbox_seq', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value",
    );
    const upsertOutbox = db.prepare(
      `INSERT INTO outbox (channel_id, sku, listing_id, target_qty, is_listed, version, first_enqueued_at, enqueued_at) VALUES ('shop1', ?, ?, ?, 1, ?, ?, ?)
       ON CONFLICT (channel_id, sku) DO UPDATE SET target_qty = excluded.target_qty, version = excluded.version, enqueued_at = excluded.enqueued_at`,
    );
    const level = db.prepare<[string], { on_hand: number; reserved: number }>(
      "SELECT on_hand, reserved FROM skus WHERE sku = ?",
    );
    const bareOne = db.transaction((i: number) => {
      const sku = bare.skus[i % SKUS]!;
      const at = new Date().toISOString();
      const before = level.get(sku)!;
      if (reserve.run(1, at, sku, 1).changes !== 1) throw new Error("insufficient");
      insertRes.run(`B-${i}`, sku, 1, 1, at, at);
      insertMove.run(
        at,
        sku,
        `B-${i}`,
        before.on_hand,
        before.on_hand,
        before.reserved,
        before.reserved + 1,
        `bare:${i}`,
      );
      upsertOutbox.run(
        sku,
        (i % SKUS) + 1,
        before.on_hand - before.reserved - 1,
        Number(nextVersion.get()!.value),
        at,
        at,
      );
    });
    const time = (fn: (i: number) => void, offset: number): number => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn(offset + i);
      return n / ((performance.now() - t0) / 1000);
    };
    const runOurs = (i: number) => {
      ours.ledger.reservations.reserveHold({
        sku: ours.skus[i % SKUS]!,
        qty: 1,
        ttlSeconds: 900,
        actor: "bench",
        idempotencyKey: `k${i}`,
      });
    };
    const runBare = (i: number) => bareOne.immediate(i);
    // A bundle order line: the parent row, then per component what a plain order line writes, then the bundle's push.
    const insertOrder = db.prepare(
      `INSERT INTO reservations (id, kind, sku, qty, requested, status, channel_id, order_id, line_id, created_at, parent_id)
       VALUES (?, 'order', ?, ?, ?, 'active', 'shop1', ?, ?, ?, ?)`,
    );
    const bareBundle = db.transaction((i: number) => {
      const b = bare.bundles[i % BUNDLES]!;
      const at = new Date().toISOString();
      const parent = `BO-${i}`;
      insertOrder.run(parent, b.sku, 1, 1, `o${i}`, "1", at, null);
      let sets = Number.POSITIVE_INFINITY;
      for (const p of b.parts) {
        const before = level.get(p.sku)!;
        if (reserve.run(p.qty, at, p.sku, p.qty).changes !== 1) throw new Error("insufficient");
        insertOrder.run(`${parent}-${p.sku}`, p.sku, p.qty, p.qty, `o${i}`, `1|${p.sku}`, at, parent);
        insertMove.run(
          at,
          p.sku,
          `shop1:o${i}:1|${p.sku}`,
          before.on_hand,
          before.on_hand,
          before.reserved,
          before.reserved + p.qty,
          `bare-order:${i}:${p.sku}`,
        );
        const available = before.on_hand - before.reserved - p.qty;
        upsertOutbox.run(p.sku, p.listingId, available, Number(nextVersion.get()!.value), at, at);
        sets = Math.min(sets, Math.floor(available / p.qty));
      }
      upsertOutbox.run(b.sku, b.listingId, sets, Number(nextVersion.get()!.value), at, at);
    });
    const runBareBundle = (i: number) => bareBundle.immediate(i);
    const runOursBundle = (i: number) => {
      ours.ledger.reservations.recordOrderLine({
        channelId: "shop1",
        orderId: `o${i}`,
        lineId: "1",
        sku: ours.bundles[i % BUNDLES]!.sku,
        qty: 1,
        actor: "bench",
      });
    };
    // Warm up both, then alternate so machine noise hits both sides alike; keep each side's best.
    time(runOurs, 0);
    time(runBare, 0);
    let best = { ours: 0, bare: 0 };
    for (let round = 1; round <= 3; round++) {
      best = {
        ours: Math.max(best.ours, time(runOurs, round * n)),
        bare: Math.max(best.bare, time(runBare, round * n)),
      };
      log(`ledger round ${round}: ours ${best.ours.toFixed(0)}/s, bare ${best.bare.toFixed(0)}/s`);
    }
    time(runOursBundle, 0);
    time(runBareBundle, 0);
    let bestBundle = { ours: 0, bare: 0 };
    for (let round = 1; round <= 3; round++) {
      bestBundle = {
        ours: Math.max(bestBundle.ours, time(runOursBundle, round * n)),
        bare: Math.max(bestBundle.bare, time(runBareBundle, round * n)),
      };
      log(`bundle orders round ${round}: ours ${bestBundle.ours.toFixed(0)}/s, bare ${bestBundle.bare.toFixed(0)}/s`);
    }
    ours.db.close();
    bare.db.close();
    const ratio = best.ours / best.bare;
    const bundleRatio = bestBundle.ours / bestBundle.bare;
    return [
      {
        figure: `durable reservations/s (${n} per round, ${SKUS} SKUs in 2 locations, ${BUNDLES} bundles, all listed)`,
        value: best.ours.toFixed(0),
        baseline: `${best.bare.toFixed(0)} (bare better-sqlite3)`,
        ratio: ratio.toFixed(2),
        target: "≥ 0.80",
        isMet: ratio >= 0.8,
      },
      {
        figure: `durable bundle order lines/s (2 components each, ${n} per round)`,
        value: bestBundle.ours.toFixed(0),
        baseline: `${bestBundle.bare.toFixed(0)} (bare better-sqlite3, same writes)`,
        ratio: bundleRatio.toFixed(2),
        target: "≥ 0.50",
        isMet: bundleRatio >= 0.5,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sku, SkuSchema } from "../src/ids.js";
import { must } from "../src/internal-error.js";
import { openDatabase } from "../src/ledger/db.js";
import { openBenchLedger } from "./open.js";
import type { BenchSection } from "./types.js";

const SKUS = 100;
/** Timed rounds per figure (odd: the median is one round). */
const ROUNDS = 7;
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

/**
 * The bare side: the same logical work written directly against better-sqlite3, as lean as a hand-written ledger
 * could be. It reads what it must read to stay correct (which listings and which bundles a SKU's change moves, a
 * bundle's components), computes the same targets (buffer 0, cap, low-stock cap) and writes the same rows; it only
 * leaves out what a hand-written ledger could (idempotency through the UNIQUE key alone, no oversell path, no alerts).
 */
function bareLedger(db: ReturnType<typeof openDatabase>) {
  const reserve = db.prepare<[number, string, string, number], { on_hand: number; reserved: number }>(
    "UPDATE skus SET reserved = reserved + ?, updated_at = ? WHERE sku = ? AND on_hand - reserved >= ? RETURNING on_hand, reserved",
  );
  const insertHold = db.prepare(
    "INSERT INTO reservations (id, kind, sku, qty, requested, status, created_at, expires_at) VALUES (?, 'hold', ?, ?, ?, 'active', ?, ?)",
  );
  const insertOrder = db.prepare(
    `INSERT INTO reservations (id, kind, sku, qty, requested, status, channel_id, order_id, line_id, created_at, parent_id)
     VALUES (?, 'order', ?, ?, ?, 'active', 'shop1', ?, ?, ?, ?)`,
  );
  const insertMove = db.prepare(
    "INSERT INTO movements (at, sku, reason, actor, reference, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key) VALUES (?, ?, ?, 'bench', ?, ?, ?, ?, ?, ?)",
  );
  const components = db.prepare<[string], { component: string; qty: number }>(
    "SELECT component, qty FROM bundle_components WHERE bundle = ? ORDER BY component",
  );
  // Every listing a change of one SKU moves: its own, and every bundle's that contains it (with the bundle's sets).
  const affected = db.prepare<
    [string, string],
    { id: number; channel_id: string; sku: string; cap: number | null; buffer: number; sets: number | null }
  >(
    `SELECT l.id, l.channel_id, l.sku, l.cap, l.buffer, NULL AS sets FROM listings l WHERE l.sku = ?
     UNION ALL
     SELECT l.id, l.channel_id, l.sku, l.cap, l.buffer,
       (SELECT MIN((s.on_hand - s.reserved) / c.qty) FROM bundle_components c JOIN skus s ON s.sku = c.component
        WHERE c.bundle = bc.bundle) AS sets
     FROM bundle_components bc JOIN listings l ON l.sku = bc.bundle WHERE bc.component = ?`,
  );
  // The outbox version comes from a ledger-wide sequence (so a late confirmation can never delete a newer
  // target); the baseline bumps the same sequence, as the same writes must include it.
  const nextVersion = db.prepare<[], { value: string }>(
    "INSERT INTO kv (key, value) VALUES ('outbox_seq', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value",
  );
  const upsertOutbox = db.prepare(
    `INSERT INTO outbox (channel_id, sku, listing_id, target_qty, is_listed, version, first_enqueued_at, enqueued_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)
     ON CONFLICT (channel_id, sku) DO UPDATE SET target_qty = excluded.target_qty, is_listed = excluded.is_listed,
       version = excluded.version, enqueued_at = excluded.enqueued_at, attempts = 0, next_attempt_at = NULL`,
  );
  type Affected = ReturnType<typeof affected.all>[number];
  /** The same policy as the ledger's with this catalog's settings: buffer 0, listing cap, low-stock cap 1 at ≤ 3. */
  const target = (available: number, l: Affected): number => {
    const q = Math.max(0, Math.min(available - l.buffer, l.cap ?? Number.POSITIVE_INFINITY));
    return available <= 3 ? Math.min(q, 1) : q;
  };
  /** Collects the targets one SKU's change gives its listings and its bundles' (the last change of a listing wins). */
  const collect = (into: Map<number, { l: Affected; qty: number }>, sku: string, available: number): void => {
    for (const l of affected.all(sku, sku)) into.set(l.id, { l, qty: target(l.sets ?? available, l) });
  };
  const enqueue = (targets: Map<number, { l: Affected; qty: number }>, at: string): void => {
    for (const { l, qty } of targets.values())
      upsertOutbox.run(l.channel_id, l.sku, l.id, qty, Number(nextVersion.get()?.value), at, at);
  };
  const hold = db.transaction((sku: string, i: number) => {
    const now = new Date();
    const at = now.toISOString();
    const after = reserve.get(1, at, sku, 1);
    if (!after) throw new Error("insufficient");
    insertHold.run(`B-${i}`, sku, 1, 1, at, new Date(now.getTime() + 900_000).toISOString());
    insertMove.run(
      at,
      sku,
      "hold",
      `B-${i}`,
      after.on_hand,
      after.on_hand,
      after.reserved - 1,
      after.reserved,
      `bare:${i}`,
    );
    const targets = new Map<number, { l: Affected; qty: number }>();
    collect(targets, sku, after.on_hand - after.reserved);
    enqueue(targets, at);
  });
  // A bundle order line: the parent row, then per component what a plain order line writes, then every push once.
  const bundleOrder = db.transaction((bundle: string, i: number) => {
    const at = new Date().toISOString();
    const parts = components.all(bundle);
    const parent = `BO-${i}`;
    insertOrder.run(parent, bundle, 1, 1, `o${i}`, "1", at, null);
    const targets = new Map<number, { l: Affected; qty: number }>();
    for (const p of parts) {
      const after = reserve.get(p.qty, at, p.component, p.qty);
      if (!after) throw new Error("insufficient");
      insertOrder.run(`${parent}-${p.component}`, p.component, p.qty, p.qty, `o${i}`, `1|${p.component}`, at, parent);
      insertMove.run(
        at,
        p.component,
        "order",
        `shop1:o${i}:1|${p.component}`,
        after.on_hand,
        after.on_hand,
        after.reserved - p.qty,
        after.reserved,
        `bare-order:${i}:${p.component}`,
      );
      collect(targets, p.component, after.on_hand - after.reserved);
    }
    enqueue(targets, at);
  });
  return { hold: hold.immediate, bundleOrder: bundleOrder.immediate };
}

/** Reservations per second, one durable (committed) transaction each: the ledger against bare statements doing the same work. */
export const ledgerBench: BenchSection = async ({ full, log }) => {
  const n = full ? 50_000 : 5_000;
  const dir = mkdtempSync(join(tmpdir(), "stockradar-bench-"));
  try {
    const ours = setup(join(dir, "ours.db"));
    const bare = setup(join(dir, "bare.db"));
    const baseline = bareLedger(bare.db);
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
    const runBare = (i: number) => baseline.hold(bare.skus[i % SKUS]!, i);
    const runBareBundle = (i: number) => baseline.bundleOrder(bare.bundles[i % BUNDLES]!.sku, i);
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
    // Warm up both, then run them in turn (each round the other goes first) so machine noise hits both sides
    // alike; each round gives one ratio, and the figure is the median round (one noisy round cannot move it).
    const rounds = (label: string, o: (i: number) => void, b: (i: number) => void) => {
      time(o, 0);
      time(b, 0);
      const runs: { ours: number; bare: number }[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const offset = round * n;
        const r = { ours: 0, bare: 0 };
        if (round % 2) {
          r.ours = time(o, offset);
          r.bare = time(b, offset);
        } else {
          r.bare = time(b, offset);
          r.ours = time(o, offset);
        }
        runs.push(r);
        log(
          `${label} round ${round}: ours ${r.ours.toFixed(0)}/s, bare ${r.bare.toFixed(0)}/s (${(r.ours / r.bare).toFixed(2)})`,
        );
      }
      return must(
        runs.sort((x, y) => x.ours / x.bare - y.ours / y.bare)[Math.floor(ROUNDS / 2)],
        "ROUNDS is at least one",
      );
    };
    const median = rounds("ledger", runOurs, runBare);
    const medianBundle = rounds("bundle orders", runOursBundle, runBareBundle);
    ours.db.close();
    bare.db.close();
    const ratio = median.ours / median.bare;
    const bundleRatio = medianBundle.ours / medianBundle.bare;
    return [
      {
        figure: `durable reservations/s (median of ${ROUNDS} rounds of ${n}, ${SKUS} SKUs in 2 locations, ${BUNDLES} bundles, all listed)`,
        value: median.ours.toFixed(0),
        baseline: `${median.bare.toFixed(0)} (bare better-sqlite3, same work)`,
        ratio: ratio.toFixed(2),
        target: "≥ 0.80",
        isMet: ratio >= 0.8,
      },
      {
        figure: `durable bundle order lines/s (2 components each, median of ${ROUNDS} rounds of ${n})`,
        value: medianBundle.ours.toFixed(0),
        baseline: `${medianBundle.bare.toFixed(0)} (bare better-sqlite3, same work)`,
        ratio: bundleRatio.toFixed(2),
        target: "≥ 0.50",
        isMet: bundleRatio >= 0.5,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

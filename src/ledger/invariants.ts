import type { Db } from "./db.js";

/** One way a ledger's balances disagree with its own history. */
export interface InvariantMismatch {
  /** Which rule failed. */
  rule:
    | "on_hand_replay"
    | "reserved_replay"
    | "location_replay"
    | "locations_sum"
    | "reserved_active"
    | "negative"
    | "bundle_stock";
  sku: string;
  location?: string;
  /** What the balance table says. */
  actual: number;
  /** What the movements (or reservations) say it should be. */
  expected: number;
}

/** The verdict of {@link checkInvariants}: every mismatch found (empty when the ledger is consistent). */
export interface InvariantReport {
  skus: number;
  mismatches: InvariantMismatch[];
}

interface MovementRow {
  id: number;
  sku: string;
  on_hand_before: number;
  on_hand_after: number;
  reserved_before: number;
  reserved_after: number;
  location: string | null;
  location_before: number | null;
  location_after: number | null;
}

const hasTable = (db: Db, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

const hasColumn = (db: Db, table: string, column: string): boolean =>
  (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).some(
    (c) => c.name === column,
  );

/**
 * Checks a ledger file against its own history, read-only: for every SKU the movements replayed from zero end
 * at `skus.on_hand` and `skus.reserved`; each (SKU, location) level equals its located movements (plus, for
 * `main`, the single pool it started from when locations arrived); the levels sum to `on_hand`; `reserved`
 * equals the active reservations; nothing is negative or reserved beyond on hand; a bundle holds no stock.
 * Works on a connection `restore` and `doctor` opened themselves (not the live one).
 *
 * @example
 * const { mismatches } = checkInvariants(db);
 * if (mismatches.length) console.log(describeMismatch(mismatches[0]));
 */
export function checkInvariants(db: Db): InvariantReport {
  const mismatches: InvariantMismatch[] = [];
  const skus = db.prepare("SELECT sku, on_hand, reserved FROM skus ORDER BY sku").all() as {
    sku: string;
    on_hand: number;
    reserved: number;
  }[];
  const hasLocations = hasTable(db, "stock_levels");
  const movements = db.prepare(
    hasLocations
      ? `SELECT id, sku, on_hand_before, on_hand_after, reserved_before, reserved_after, location, location_before, location_after
         FROM movements ORDER BY sku, id`
      : `SELECT id, sku, on_hand_before, on_hand_after, reserved_before, reserved_after, NULL AS location,
         NULL AS location_before, NULL AS location_after FROM movements ORDER BY sku, id`,
  );
  const bySku = new Map<string, MovementRow[]>();
  for (const m of movements.iterate() as IterableIterator<MovementRow>) {
    const list = bySku.get(m.sku) ?? [];
    if (!list.length) bySku.set(m.sku, list);
    list.push(m);
  }
  const reservedBySku = new Map(
    (
      db
        .prepare(
          // A bundle line's parent row holds no units (its components' rows do); older ledgers have no parent_id.
          hasColumn(db, "reservations", "parent_id")
            ? `SELECT sku, SUM(qty) AS n FROM reservations r WHERE status = 'active'
               AND NOT EXISTS (SELECT 1 FROM reservations c WHERE c.parent_id = r.id) GROUP BY sku`
            : "SELECT sku, SUM(qty) AS n FROM reservations WHERE status = 'active' GROUP BY sku",
        )
        .all() as {
        sku: string;
        n: number;
      }[]
    ).map((r) => [r.sku, r.n]),
  );
  const levelsBySku = new Map<string, { location: string; on_hand: number }[]>();
  if (hasLocations)
    for (const l of db.prepare("SELECT sku, location, on_hand FROM stock_levels ORDER BY sku, location").all() as {
      sku: string;
      location: string;
      on_hand: number;
    }[]) {
      const list = levelsBySku.get(l.sku) ?? [];
      if (!list.length) levelsBySku.set(l.sku, list);
      list.push({ location: l.location, on_hand: l.on_hand });
    }
  const bundles = hasTable(db, "bundle_components")
    ? new Set(
        (db.prepare("SELECT DISTINCT bundle FROM bundle_components").all() as { bundle: string }[]).map(
          (b) => b.bundle,
        ),
      )
    : new Set<string>();

  for (const s of skus) {
    const list = bySku.get(s.sku) ?? [];
    // Replay from zero: the sum of every movement's change is the balance, and so is the last one's "after".
    let onHand = 0;
    let reserved = 0;
    for (const m of list) {
      onHand += m.on_hand_after - m.on_hand_before;
      reserved += m.reserved_after - m.reserved_before;
    }
    const last = list.at(-1);
    if (s.on_hand !== onHand || s.on_hand !== (last?.on_hand_after ?? 0))
      mismatches.push({ rule: "on_hand_replay", sku: s.sku, actual: s.on_hand, expected: onHand });
    if (s.reserved !== reserved || s.reserved !== (last?.reserved_after ?? 0))
      mismatches.push({ rule: "reserved_replay", sku: s.sku, actual: s.reserved, expected: reserved });
    const active = reservedBySku.get(s.sku) ?? 0;
    if (s.reserved !== active)
      mismatches.push({ rule: "reserved_active", sku: s.sku, actual: s.reserved, expected: active });
    if (s.on_hand < 0 || s.reserved < 0 || s.reserved > s.on_hand)
      mismatches.push({ rule: "negative", sku: s.sku, actual: s.on_hand - s.reserved, expected: 0 });
    if (bundles.has(s.sku) && (s.on_hand !== 0 || s.reserved !== 0))
      mismatches.push({ rule: "bundle_stock", sku: s.sku, actual: s.on_hand, expected: 0 });
    if (!hasLocations) continue;

    // Per location: movements that name it, on top of what `main` held when the single pool became a location.
    const firstLocated = list.find((m) => m.location !== null)?.id ?? Number.POSITIVE_INFINITY;
    const pool = list.filter((m) => m.location === null && m.id < firstLocated).at(-1)?.on_hand_after ?? 0;
    const expectedAt = new Map<string, number>();
    if (pool) expectedAt.set("main", pool);
    for (const m of list)
      if (m.location !== null)
        expectedAt.set(
          m.location,
          (expectedAt.get(m.location) ?? 0) + ((m.location_after ?? 0) - (m.location_before ?? 0)),
        );
    const levels = levelsBySku.get(s.sku) ?? [];
    const locations = new Set([...levels.map((l) => l.location), ...expectedAt.keys()]);
    let sum = 0;
    for (const location of [...locations].sort()) {
      const actual = levels.find((l) => l.location === location)?.on_hand ?? 0;
      const expected = expectedAt.get(location) ?? 0;
      sum += actual;
      if (actual !== expected) mismatches.push({ rule: "location_replay", sku: s.sku, location, actual, expected });
      if (actual < 0) mismatches.push({ rule: "negative", sku: s.sku, location, actual, expected: 0 });
    }
    if (sum !== s.on_hand) mismatches.push({ rule: "locations_sum", sku: s.sku, actual: s.on_hand, expected: sum });
  }
  return { skus: skus.length, mismatches };
}

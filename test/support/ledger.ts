import { manualClock } from "../../src/clock.js";
import { type Sku, SkuSchema } from "../../src/ids.js";
import { type Db, openDatabase } from "../../src/ledger/db.js";
import { type ConnectionOptions, createConnection, createLedger, type Ledger } from "../../src/ledger/index.js";
import type { PolicySettings } from "../../src/policy/publish.js";
import { createStores, type Stores } from "../../src/stores.js";

/** Default policy settings for tests (the config defaults). */
export const testSettings: PolicySettings = {
  bufferUnits: 0,
  lowStockThreshold: 3,
  lowStockAction: "cap",
  lowStockCap: 1,
};

/** The ledger core and every feature store on one connection, plus the raw connection for assertions in SQL. */
export type TestLedger = Ledger & Stores & { db: Db; stores: Stores };

/** Builds the ledger core and all stores on `db` as app.ts does (tests reach stores as `ledger.shipments` etc.). */
export function openTestLedger(db: Db, opts: ConnectionOptions): TestLedger {
  const conn = createConnection(db, opts);
  const stores = createStores(conn);
  return { ...createLedger(conn), ...stores, stores, db };
}

/** A real in-memory ledger with the real migrations and a manual clock. */
export function testLedger(
  opts: { path?: string; settings?: Partial<PolicySettings>; start?: string } = {},
): TestLedger & { clock: ReturnType<typeof manualClock> } {
  const clock = manualClock(opts.start ?? "2026-11-20T08:00:00Z");
  const ledger = openTestLedger(openDatabase(opts.path ?? ":memory:"), {
    clock,
    settings: { ...testSettings, ...opts.settings },
  });
  return Object.assign(ledger, { clock });
}

/** Parses a SKU literal. */
export const sku = (s: string): Sku => SkuSchema.parse(s);

/** Seeds a SKU with an on-hand count through the ledger's own functions. */
export function seed(ledger: Ledger, s: string, onHand: number, title = ""): Sku {
  const id = sku(s);
  ledger.stock.upsertSku({ sku: id, title, onHand }, { actor: "test", idempotencyKey: `seed:${s}:${onHand}` });
  return id;
}

/** The feature stores of a test ledger, as `Deps` carries them. */
export function storesOf(l: TestLedger): Stores {
  return l.stores;
}

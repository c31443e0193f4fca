import type { Db } from "../src/ledger/db.js";
import { type ConnectionOptions, createConnection, createLedger, type Ledger } from "../src/ledger/index.js";
import { createStores, type Stores } from "../src/stores.js";

/** The ledger core and every feature store on one connection (as app.ts builds them), plus the raw connection. */
export type BenchLedger = Ledger & Stores & { db: Db; stores: Stores };

/** Builds the ledger core and all stores on `db`. */
export function openBenchLedger(db: Db, opts: ConnectionOptions): BenchLedger {
  const conn = createConnection(db, opts);
  const stores = createStores(conn);
  return { ...createLedger(conn), ...stores, stores, db };
}

/** The feature stores of a bench ledger, as `Deps` carries them. */
export function storesOf(l: BenchLedger): Stores {
  return l.stores;
}

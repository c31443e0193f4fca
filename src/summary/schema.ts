import type { Db } from "../ledger/db.js";

/** True when the ledger has `table` (other features' tables exist only once their migration ran). */
export function hasTable(db: Db, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** The column names of `table` (empty when it does not exist). */
export function columnsOf(db: Db, table: string): Set<string> {
  return new Set(db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table.replace(/'/g, "")}')`).all().map((c) => c.name));
}

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrations } from "./migrations/index.js";

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/**
 * Opens (creating if needed) the ledger database and applies pending migrations.
 * WAL + busy timeout make it safe for several processes (the bot and `stockradar cmd`) sharing one file.
 */
export function openDatabase(path: string, opts: { busyTimeoutMs?: number; readonly?: boolean } = {}): Db {
  if (path !== ":memory:" && !opts.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: opts.readonly ?? false });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 15_000}`);
  if (!opts.readonly) {
    db.pragma("journal_mode = WAL");
    // NORMAL under WAL is durable against process crashes; only an OS crash can lose the last commits.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db);
  }
  return db;
}

/** Applies every migration not yet recorded in `schema_migrations`; each in its own immediate transaction. */
export function migrate(db: Db): number[] {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT",
  );
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const apply = db.transaction(() => {
      // Re-check inside the write lock: another process may have migrated while we waited.
      const done = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").get(m.version);
      if (done) return false;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      return true;
    });
    if (apply.immediate()) applied.push(m.version);
  }
  return applied;
}

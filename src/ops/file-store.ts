import type { Db } from "../ledger/db.js";

// The SQL that backup, restore and doctor run on a ledger file they opened themselves (read-only, not the
// live connection the stores share).

/** SQLite's `quick_check` verdict: "ok" or the first problem it found. */
export function quickCheck(db: Db): unknown {
  return db.pragma("quick_check", { simple: true });
}

/** The file's migration bookkeeping: whether it has `schema_migrations`, the newest version and how many ran. */
export function schemaFacts(db: Db): { hasSchema: boolean; newest: number | null; applied: number } {
  const hasSchema =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  if (!hasSchema) return { hasSchema, newest: null, applied: 0 };
  const r = db.prepare("SELECT MAX(version) AS v, COUNT(*) AS n FROM schema_migrations").get() as {
    v: number | null;
    n: number;
  };
  return { hasSchema, newest: r.v, applied: r.n };
}

/** How many SKUs the file's ledger holds. */
export function skuCountOf(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM skus").get() as { n: number }).n;
}

/** Jobs whose latest run failed, with that run's report (empty before job_runs exists). */
export function failedJobRuns(db: Db): { name: string; at: string; report: string | null }[] {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'job_runs'").get()) return [];
  return db
    .prepare(
      `SELECT name, started_at AS at, report FROM job_runs j
       WHERE started_at = (SELECT MAX(started_at) FROM job_runs WHERE name = j.name) AND status = 'failed' ORDER BY name`,
    )
    .all() as { name: string; at: string; report: string | null }[];
}

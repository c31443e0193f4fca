import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { ConflictError, InvalidInputError, NotFoundError } from "./errors.js";
import { DEFAULT_LOCALE, type Locale } from "./i18n/locales.js";
import { createI18n } from "./i18n/translator.js";
import { must } from "./internal-error.js";
import type { Db } from "./ledger/db.js";
import { migrations } from "./ledger/migrations/index.js";
import { ledgerConsistency } from "./ops/consistency.js";
import { quickCheck, schemaFacts, skuCountOf } from "./ops/file-store.js";

/** Backup files are named `stockradar-<UTC timestamp>.db`; rotation only ever touches names of this shape. */
const BACKUP_NAME = /^stockradar-(\d{8}T\d{6}(?:\d{3})?Z)\.db$/;

/** What one backup run produced. */
export interface BackupResult {
  file: string;
  bytes: number;
  /** Older backups deleted by rotation. */
  removed: string[];
}

/** One backup on disk, newest first in {@link listBackups}. */
export interface BackupFile {
  file: string;
  bytes: number;
  takenAt: string;
}

const stamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.(\d{3})Z$/, "$1Z");

/** The backups in `dir`, newest first (only files named by {@link backupLedger}). */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => BACKUP_NAME.test(f))
    .sort()
    .reverse()
    .map((f) => {
      const m = must(BACKUP_NAME.exec(f), "backup names are filtered by BACKUP_NAME");
      const t = must(m[1], "BACKUP_NAME has a time group");
      const iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`;
      return { file: join(dir, f), bytes: statSync(join(dir, f)).size, takenAt: iso };
    });
}

/**
 * Checks that `file` is a stockradar ledger this version can open: SQLite, passes `quick_check`, has our
 * schema, no migration newer than this build knows, and balances that match its own movements and reservations
 * (see checkInvariants). Throws InvalidInputError saying what is wrong, in `locale`.
 */
export function verifyLedgerFile(file: string, locale: Locale = DEFAULT_LOCALE): { migrations: number; skus: number } {
  if (!existsSync(file)) throw new NotFoundError("backup_missing", `${file} does not exist.`, { file });
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = quickCheck(db);
    if (check !== "ok")
      throw new InvalidInputError(
        "backup_corrupt",
        `${file} fails SQLite's integrity check (${String(check)}). Pick an older backup.`,
        { file },
      );
    const facts = schemaFacts(db);
    if (!facts.hasSchema)
      throw new InvalidInputError(
        "backup_not_ledger",
        `${file} is an SQLite file but not a stockradar ledger (no schema_migrations table).`,
        { file },
      );
    const newest = { v: facts.newest, n: facts.applied };
    const known = Math.max(...migrations.map((m) => m.version));
    if ((newest.v ?? 0) > known) {
      throw new InvalidInputError(
        "backup_too_new",
        `${file} was written by a newer stockradar (migration ${newest.v}, this build knows up to ${known}). Upgrade first, then restore.`,
        { file },
      );
    }
    const skus = skuCountOf(db);
    const tr = createI18n({ timeZone: "UTC" }).translator(locale);
    const consistency = ledgerConsistency(db, tr);
    if (consistency.count)
      throw new InvalidInputError(
        "backup_inconsistent",
        tr.t("hard-restore-inconsistent", {
          file,
          count: consistency.count,
          examples: consistency.examples,
        }),
        { file, mismatches: consistency.count },
      );
    return { migrations: newest.n, skus };
  } catch (err) {
    if (err instanceof InvalidInputError || err instanceof NotFoundError) throw err;
    throw new InvalidInputError(
      "backup_unreadable",
      `${file} is not a readable SQLite database (${(err as Error).message}).`,
      { file },
      { cause: err },
    );
  } finally {
    db?.close();
  }
}

/**
 * Copies the live ledger with SQLite's online backup API (writers keep going; the copy is one consistent
 * snapshot), verifies the copy, publishes it under its final name only once complete, then keeps the newest
 * `keep` backups. The copy is switched to a rollback journal so it is one self-contained file.
 */
export async function backupLedger(
  db: { backup(file: string): Promise<unknown> },
  opts: { dir: string; keep: number; now: Date },
): Promise<BackupResult> {
  mkdirSync(opts.dir, { recursive: true });
  const file = join(opts.dir, `stockradar-${stamp(opts.now)}.db`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    await db.backup(partial);
    const copy = new Database(partial);
    try {
      copy.pragma("journal_mode = DELETE");
      const check = quickCheck(copy);
      if (check !== "ok") throw new Error(`backup copy failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    renameSync(partial, file);
  } finally {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  }
  const removed = listBackups(opts.dir)
    .slice(Math.max(1, opts.keep))
    .map((b) => {
      rmSync(b.file, { force: true });
      return b.file;
    });
  return { file, bytes: statSync(file).size, removed };
}

/** The pid file `stockradar run` holds next to the ledger, so `restore` can tell the bot is running. */
export const pidFileOf = (databasePath: string): string => `${resolve(databasePath)}.pid`;

/** Writes the pid file for a running bot; returns its removal. */
export function holdPidFile(databasePath: string, pid = process.pid): () => void {
  const f = pidFileOf(databasePath);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, `${pid}\n`);
  return () => {
    if (existsSync(f) && readFileSync(f, "utf8").trim() === String(pid)) rmSync(f, { force: true });
  };
}

/** The pid of a live bot using this ledger, if any (a pid file left by a killed process does not count). */
export function runningBotPid(databasePath: string): number | undefined {
  const f = pidFileOf(databasePath);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" ? pid : undefined;
  }
}

/** What a restore did. */
export interface RestoreResult {
  restoredFrom: string;
  /** A copy of the ledger as it was just before the restore (undefined when there was none). */
  safetyCopy: string | undefined;
  skus: number;
}

/**
 * Replaces the ledger at `databasePath` with the backup `file`. Refuses while a bot runs on it; verifies the
 * backup first; keeps a safety copy of the current ledger in `backupDir`; writes through SQLite's backup API
 * so the WAL and any connection a `cmd` may hold stay consistent. Pending migrations apply on next open.
 */
export async function restoreLedger(
  file: string,
  databasePath: string,
  opts: { backupDir: string; now: Date; locale?: Locale },
): Promise<RestoreResult> {
  const source = resolve(file);
  const target = resolve(databasePath);
  if (source === target)
    throw new InvalidInputError("restore_same_file", `${file} is the live ledger itself; name a backup file.`);
  const pid = runningBotPid(databasePath);
  if (pid) {
    throw new ConflictError(
      "bot_running",
      `The bot (pid ${pid}) is running on ${databasePath}. Stop it first (systemctl stop stockradar), then run restore again.`,
      { pid },
    );
  }
  const { skus } = verifyLedgerFile(source, opts.locale);
  let safetyCopy: string | undefined;
  if (existsSync(target)) {
    mkdirSync(opts.backupDir, { recursive: true });
    safetyCopy = join(opts.backupDir, `pre-restore-${stamp(opts.now)}-${basename(target)}`);
    const live = new Database(target, { fileMustExist: true });
    try {
      await live.backup(safetyCopy);
    } finally {
      live.close();
    }
  } else {
    mkdirSync(dirname(target), { recursive: true });
  }
  const src = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await src.backup(target);
  } finally {
    src.close();
  }
  const restored = new Database(target);
  try {
    restored.pragma("journal_mode = WAL");
  } finally {
    restored.close();
  }
  return { restoredFrom: source, safetyCopy, skus };
}

/** Where backups go: config `backup.dir`, else `backups/` next to the ledger. */
export function backupDirOf(config: { database: string; backup: { dir?: string | undefined } }): string {
  return resolve(
    config.backup.dir ?? join(dirname(config.database === ":memory:" ? "./data/x" : config.database), "backups"),
  );
}

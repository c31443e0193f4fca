import { closeSync, existsSync, fsyncSync, openSync, rmSync, statfsSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { backupDirOf, listBackups, runningBotPid } from "./backup.js";
import type { Config } from "./config.js";
import { dashboardFindings } from "./dashboard/doctor.js";
import { translatorFor } from "./disk-full.js";
import type { Finding } from "./doctor.js";
import type { Translator } from "./i18n/translator.js";
import { failedJobRuns, skuCountOf } from "./ops/file-store.js";

const GB = 1024 ** 3;
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Collapses any finding to one line (an error message quoting a stack or SQL must not spill over). */
export function oneLine(f: Finding): Finding {
  const line = f.line.replace(/\s*\n\s*/g, " ").trim();
  return { ok: f.ok, line: line.length > 300 ? `${line.slice(0, 297)}…` : line };
}

/** Bytes the data-directory probe writes and syncs: more than a page, so a full disk cannot absorb it. */
const PROBE_BYTES = 64 * 1024;

/**
 * Writes, syncs and removes a small file in `dir` (what the ledger's next write needs to succeed): a full disk
 * or a wrong owner fails here, where a permission check alone would say "writable".
 */
export function testWrite(config: Config, dir: string): Finding {
  const tr = translatorFor(config, "cli");
  const probe = join(dir, `.stockradar-write-test-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = openSync(probe, "w");
    writeSync(fd, Buffer.alloc(PROBE_BYTES, 0x2e));
    fsyncSync(fd);
    return { ok: true, line: tr.t("doctor-write-ok", { dir }) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, line: tr.t("doctor-write-failed", { dir, reason: e.code ?? e.message }) };
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      rmSync(probe, { force: true });
    } catch {
      // `dir` is not a directory at all: nothing was created.
    }
  }
}

/**
 * The operational checks a seller needs before leaving the bot running for a year: who runs it, the data
 * directory, free disk, backups, the HTTP exposure, the Node version and the jobs' last runs. Each problem is
 * one line that says what to do.
 */
export function opsFindings(config: Config, opts: { now?: Date; uid?: number } = {}): Finding[] {
  const now = opts.now ?? new Date();
  const out: Finding[] = [];
  const tr = translatorFor(config, "cli");
  const uid = opts.uid ?? process.getuid?.();
  if (uid === 0) out.push({ ok: false, line: tr.t("doctor-root") });

  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 10))
    out.push({ ok: false, line: tr.t("doctor-node-old", { version: process.versions.node }) });

  if (config.database !== ":memory:") {
    const dataDir = dirname(resolve(config.database));
    out.push(testWrite(config, existsSync(dataDir) ? dataDir : dirname(dataDir)));
    if (existsSync(dataDir)) {
      const fs = statfsSync(dataDir);
      const free = fs.bavail * fs.bsize;
      const dbBytes = existsSync(config.database) ? statSync(config.database).size : 0;
      // A backup needs about one ledger's worth of space, and SQLite needs room to grow the WAL.
      const needed = Math.max(GB, 3 * dbBytes);
      out.push(
        free < needed
          ? {
              ok: false,
              line: tr.t("doctor-disk-low", {
                free: (free / GB).toFixed(1),
                dir: dataDir,
                needed: (needed / GB).toFixed(1),
              }),
            }
          : { ok: true, line: tr.t("doctor-disk-ok", { free: (free / GB).toFixed(1), dir: dataDir }) },
      );
    }
    out.push(...backupFindings(config, now, tr));
    const pid = runningBotPid(config.database);
    if (pid) out.push({ ok: true, line: tr.t("doctor-bot-running", { pid: String(pid) }) });
    out.push(...jobFindings(config, tr));
  }

  const exposed = !LOOPBACK.has(config.http.host);
  if (config.http.enabled && exposed && !config.http.apiToken) {
    out.push({ ok: false, line: tr.t("doctor-http-open", { host: config.http.host }) });
  }
  out.push(...dashboardFindings(config));
  return out;
}

function backupFindings(config: Config, now: Date, tr: Translator): Finding[] {
  const dir = backupDirOf(config);
  const newest = listBackups(dir)[0];
  if (!newest) {
    return [
      {
        ok: skuCount(config.database) === 0,
        line: tr.t("doctor-backup-none", { dir }),
      },
    ];
  }
  const ageHours = (now.getTime() - Date.parse(newest.takenAt)) / 3_600_000;
  return ageHours > 48
    ? [
        {
          ok: false,
          line: tr.t("doctor-backup-stale", { at: newest.takenAt, hours: Math.round(ageHours) }),
        },
      ]
    : [
        {
          ok: true,
          line: tr.t("doctor-backup-ok", {
            file: newest.file,
            mb: (newest.bytes / 1024 ** 2).toFixed(1),
            hours: Math.round(ageHours),
          }),
        },
      ];
}

function skuCount(database: string): number {
  if (!existsSync(database)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(database, { readonly: true, fileMustExist: true });
    return skuCountOf(db);
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

function jobFindings(config: Config, tr: Translator): Finding[] {
  if (!existsSync(config.database)) return [];
  let db: Database.Database | undefined;
  try {
    db = new Database(config.database, { readonly: true, fileMustExist: true });
    const failed = failedJobRuns(db);
    return failed.map((f) => {
      let reason = "";
      try {
        reason = String((JSON.parse(f.report ?? "{}") as { error?: string }).error ?? "");
      } catch {
        reason = "";
      }
      return {
        ok: false,
        line: tr.t("doctor-job-failed", { job: f.name, at: f.at, reason: reason ? ` (${reason})` : "" }),
      };
    });
  } catch {
    return [];
  } finally {
    db?.close();
  }
}

import { closeSync, existsSync, fsyncSync, openSync, rmSync, statfsSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { backupDirOf, listBackups, runningBotPid } from "./backup.js";
import type { Config } from "./config.js";
import { dashboardFindings } from "./dashboard/doctor.js";
import { translatorFor } from "./disk-full.js";
import type { Finding } from "./doctor.js";
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
  const uid = opts.uid ?? process.getuid?.();
  if (uid === 0)
    out.push({
      ok: false,
      line: "process: running as root; run as a dedicated user such as stockradar (see deploy/stockradar.service)",
    });

  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 10))
    out.push({ ok: false, line: `node: ${process.versions.node} is too old; install Node.js 20.10 or newer` });

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
              line: `disk: ${(free / GB).toFixed(1)} GB free under ${dataDir}, below ${(needed / GB).toFixed(1)} GB; free space or move data and backup.dir to a larger disk`,
            }
          : { ok: true, line: `disk: ${(free / GB).toFixed(1)} GB free under ${dataDir}` },
      );
    }
    out.push(...backupFindings(config, now));
    const pid = runningBotPid(config.database);
    if (pid) out.push({ ok: true, line: `bot: running as pid ${pid} on this ledger` });
    out.push(...jobFindings(config));
  }

  const exposed = !LOOPBACK.has(config.http.host);
  if (config.http.enabled && exposed && !config.http.apiToken) {
    out.push({
      ok: false,
      line: `http: listening on ${config.http.host} without http.apiToken, so the reservation API is open to anyone; set STOCKRADAR_API_TOKEN or bind 127.0.0.1 behind a reverse proxy`,
    });
  }
  out.push(...dashboardFindings(config));
  return out;
}

function backupFindings(config: Config, now: Date): Finding[] {
  const dir = backupDirOf(config);
  const newest = listBackups(dir)[0];
  if (!newest) {
    return [
      {
        ok: skuCount(config.database) === 0,
        line: `backup: no backup in ${dir} yet; run "stockradar job backup" now, then the backup job keeps it fresh (schedule.backup)`,
      },
    ];
  }
  const ageHours = (now.getTime() - Date.parse(newest.takenAt)) / 3_600_000;
  return ageHours > 48
    ? [
        {
          ok: false,
          line: `backup: the newest backup (${newest.takenAt}) is ${Math.round(ageHours)} hours old; check the backup job in the log (journalctl -u stockradar) and schedule.backup`,
        },
      ]
    : [
        {
          ok: true,
          line: `backup: newest ${newest.file} (${(newest.bytes / 1024 ** 2).toFixed(1)} MB, ${Math.round(ageHours)} h old)`,
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

function jobFindings(config: Config): Finding[] {
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
        line: `job ${f.name}: its last run (${f.at}) failed${reason ? ` (${reason})` : ""}; run "stockradar job ${f.name}" to retry and read the log`,
      };
    });
  } catch {
    return [];
  } finally {
    db?.close();
  }
}

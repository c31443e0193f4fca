import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { ConflictError } from "./errors.js";
import { localized } from "./i18n/errors.js";
import { type RefArg, textRef } from "./i18n/ref.js";

/** The side file whose OS-level lock means "this process owns the ledger". */
export const lockFileOf = (databasePath: string): string => `${resolve(databasePath)}.lock`;

/** The file that names the lock holder's pid (written and removed only by the holder). */
export const holderFileOf = (databasePath: string): string => `${resolve(databasePath)}.pid`;

/** A held ledger lock; `release()` frees it (a crash frees it too: the OS drops the process's locks). */
export interface LedgerLock {
  release(): void;
}

function holderPid(databasePath: string): number | undefined {
  const f = holderFileOf(databasePath);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Takes the one-process-per-ledger lock for `what` (run, restore, …): an open SQLite connection on
 * `<db>.lock` in exclusive locking mode holding `BEGIN EXCLUSIVE`, i.e. an fcntl lock the OS frees when the
 * process dies. Throws a localized ConflictError `ledger_locked` naming the holder's pid when another process has it;
 * `what` is plain text or `{ ref: textRef("cli-lock-restoring") }`.
 */
export function acquireLedgerLock(databasePath: string, what: RefArg): LedgerLock {
  const file = lockFileOf(databasePath);
  mkdirSync(dirname(file), { recursive: true });
  const handle = new Database(file, { timeout: 0 });
  try {
    handle.pragma("locking_mode = EXCLUSIVE");
    handle.exec("BEGIN EXCLUSIVE");
  } catch {
    handle.close();
    const pid = holderPid(databasePath);
    const database = resolve(databasePath);
    throw localized(
      ConflictError,
      "ledger_locked",
      pid
        ? textRef("cli-ledger-locked", { pid: String(pid), database, what })
        : textRef("cli-ledger-locked-nopid", { database, what }),
      { pid },
    );
  }
  const pidFile = holderFileOf(databasePath);
  writeFileSync(pidFile, `${process.pid}\n`);
  let isHeld = true;
  return {
    release() {
      if (!isHeld) return;
      isHeld = false;
      // Only the holder ever removes the pid file, and only its own.
      if (holderPid(databasePath) === process.pid) rmSync(pidFile, { force: true });
      handle.close();
    },
  };
}

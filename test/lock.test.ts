import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLedgerLock, holderFileOf } from "../src/lock.js";
import { tempDir } from "./support/app.js";
import { collect, startCli } from "./support/spawn-cli.js";

function start(args: string[], cwd: string): { p: ChildProcess; done: Promise<{ code: number; stderr: string }> } {
  const p = startCli(args, { cwd });
  return { p, done: collect(p) };
}

/** Waits (by event-loop turns, not a timed assertion) until the pid file names `pid`. */
async function holderIs(db: string, pid: number): Promise<void> {
  for (;;) {
    if (existsSync(holderFileOf(db)) && readFileSync(holderFileOf(db), "utf8").trim() === String(pid)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("one bot per ledger (issue 19 item 1)", { timeout: 120_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(join(dir, "stockradar.yaml"), "database: ./data/ledger.db\nhttp: { enabled: false }\n");
  });
  afterAll(() => cleanup());

  it("refuses a second lock in one line naming the holder, and frees it on release", () => {
    const db = join(dir, "unit.db");
    const lock = acquireLedgerLock(db, "testing");
    expect(() => acquireLedgerLock(db, "restoring")).toThrow(`(pid ${process.pid})`);
    lock.release();
    acquireLedgerLock(db, "testing").release();
    expect(existsSync(holderFileOf(db))).toBe(false);
  });

  it("a second run and a restore refuse with the first bot's pid, keep its pid file, and a SIGKILL frees the lock", async () => {
    const db = join(dir, "data", "ledger.db");
    const first = start(["run"], dir);
    await holderIs(db, first.p.pid!);
    const second = await start(["run"], dir).done;
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split("\n")).toHaveLength(1);
    expect(second.stderr).toContain(`pid ${first.p.pid}`);
    expect(readFileSync(holderFileOf(db), "utf8").trim()).toBe(String(first.p.pid));
    writeFileSync(join(dir, "backup.db"), "");
    const restore = await start(["restore", "backup.db"], dir).done;
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(`pid ${first.p.pid}`);
    first.p.kill("SIGKILL");
    await first.done;
    // The OS dropped the dead bot's lock: a new bot takes the ledger although the old pid file is still there.
    const third = start(["run"], dir);
    await holderIs(db, third.p.pid!);
    third.p.kill("SIGKILL");
    await third.done;
  });
});

import { copyFileSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { backupDirOf, listBackups } from "../src/backup.js";
import { SkuSchema } from "../src/ids.js";
import { acquireLedgerLock } from "../src/lock.js";
import { runSlot } from "../src/scheduler.js";
import { tempDir, testApp } from "./support/app.js";
import { runCli } from "./support/spawn-cli.js";

const backupJob = jobs.find((j) => j.name === "backup")!;

const cli = (args: string[], cwd: string) => runCli(args, { cwd });

describe("backup job", () => {
  it("copies a consistent ledger while writes continue, and keeps only the newest backup.keep files", async () => {
    const t = await testApp({ backup: { keep: 3 } });
    try {
      const { ledger } = t.app.deps;
      const sku = SkuSchema.parse("A-1");
      ledger.stock.upsertSku({ sku, onHand: 100 }, { actor: "test", idempotencyKey: "seed" });
      let writes = 0;
      const writer = setInterval(() => {
        ledger.stock.adjustOnHand(sku, 1, { actor: "test", idempotencyKey: `w${writes++}` });
      }, 1);
      const files: string[] = [];
      for (let i = 0; i < 5; i++) {
        const report = await runSlot(backupJob, t.app.deps, t.clock.now());
        expect(report).toEqual({ changed: 1, skipped: 0, problems: [] });
        t.clock.advance(86_400_000);
        files.push(listBackups(backupDirOf(t.config))[0]!.file);
      }
      clearInterval(writer);
      const kept = listBackups(backupDirOf(t.config));
      expect(kept.map((b) => b.file)).toEqual(files.slice(2).reverse());
      expect(readdirSync(backupDirOf(t.config)).filter((f) => !f.endsWith(".db"))).toEqual([]);
      // Each copy is self-consistent: the SKU's level equals the seed plus the movements it holds.
      for (const b of kept) {
        const db = new Database(b.file, { readonly: true });
        const level = db.prepare("SELECT on_hand FROM skus WHERE sku = 'A-1'").get() as { on_hand: number };
        const replay = db
          .prepare("SELECT SUM(on_hand_after - on_hand_before) AS q, COUNT(*) AS n FROM movements WHERE sku = 'A-1'")
          .get() as { q: number; n: number };
        expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
        expect(replay.n).toBeGreaterThan(1);
        expect(level.on_hand).toBe(replay.q);
        db.close();
      }
    } finally {
      await t.close();
    }
  });
});

// Each CLI call loads the sources through tsx: seconds each on a busy machine.
describe("stockradar restore", { timeout: 180_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(
      join(dir, "stockradar.yaml"),
      "database: ./data/ledger.db\nhttp: { enabled: false }\nbackup: { dir: ./bk }\n",
    );
    writeFileSync(join(dir, "skus.csv"), "sku,title,on_hand\nA-1,Red tee,20\n");
  });
  afterAll(() => cleanup());

  it("puts back the ledger a backup holds and keeps the replaced one", async () => {
    expect((await cli(["import", "skus", "skus.csv"], dir)).code).toBe(0);
    expect((await cli(["job", "backup"], dir)).code).toBe(0);
    const [backup] = listBackups(join(dir, "bk"));
    expect(backup).toBeDefined();
    expect((await cli(["cmd", "/set A-1 3 stock take"], dir)).code).toBe(0);
    expect((await cli(["cmd", "/stock A-1"], dir)).stdout).toContain("3 available");

    const r = await cli(["restore", backup!.file], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(1 SKUs)");
    expect((await cli(["cmd", "/stock A-1"], dir)).stdout).toContain("20 available");
    const safety = readdirSync(join(dir, "bk")).find((f) => f.startsWith("pre-restore-"));
    expect(safety).toBeDefined();
    const old = new Database(join(dir, "bk", safety!), { readonly: true });
    expect(old.prepare("SELECT on_hand FROM skus").get()).toEqual({ on_hand: 3 });
    old.close();
  });

  it("refuses a file that is not a ledger, and changes nothing", async () => {
    writeFileSync(join(dir, "junk.db"), "this is not sqlite at all, not even close".repeat(200));
    const r = await cli(["restore", "junk.db"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/junk\.db is not a readable SQLite database/);
    const other = new Database(join(dir, "other.db"));
    other.exec("CREATE TABLE t (x)");
    other.close();
    const r2 = await cli(["restore", "other.db"], dir);
    expect(r2.stderr).toContain("not a stockradar ledger");
    // Valid SQLite and a stockradar schema, but a balance edited without a movement (issue 19 item 8).
    const [backup] = listBackups(join(dir, "bk"));
    copyFileSync(backup!.file, join(dir, "edited.db"));
    const edited = new Database(join(dir, "edited.db"));
    edited.prepare("UPDATE skus SET on_hand = on_hand + 100 WHERE sku = 'A-1'").run();
    edited.close();
    const r3 = await cli(["restore", "edited.db"], dir);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(
      /edited\.db is not a consistent ledger: \d+ balances disagree with its movements \(A-1 on hand 1\d\d, movements say /,
    );
    expect(r3.stderr.trim().split("\n")).toHaveLength(1);
    expect((await cli(["cmd", "/stock A-1"], dir)).stdout).toContain("20 available");
  });

  it("refuses while a bot holds the ledger, and names the pid", async () => {
    const [backup] = listBackups(join(dir, "bk"));
    // The real lock (issue 19), held by this process as a running bot would hold it; a pid file alone no longer counts.
    const lock = acquireLedgerLock(join(dir, "data", "ledger.db"), "the test");
    const r = await cli(["restore", backup!.file], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`(pid ${process.pid}) holds`);
    lock.release();
    expect((await cli(["restore", backup!.file], dir)).code).toBe(0);
  });

  it("prints usage without a file", async () => {
    const r = await cli(["restore"], dir);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, "data", "ledger.db"))).toBe(true);
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/app.js";
import { runCli, startCli } from "./support/spawn-cli.js";

const cli = (args: string[], opts: { cwd: string; env?: Record<string, string> }) => runCli(args, opts);

// Each case spawns real processes; on a busy 2-core machine one start-up can take seconds.
describe("stockradar CLI", { timeout: 120_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(
      join(dir, "skus.csv"),
      "sku,title,on_hand,low_threshold\nA-1,Red tee,20,2\nB-2,Mug,5,\nbad sku,x,1,\nC-3,Cap,-1,\n",
    );
    writeFileSync(
      join(dir, "stockradar.yaml"),
      "database: ./data/ledger.db\nhttp: { enabled: false }\naccess: { viewers: ['tg:9'] }\nchannels:\n  - { id: xy, kind: xianyu }\n",
    );
    writeFileSync(join(dir, "listings.csv"), "channel,sku,ref,cap\nxy,A-1,item-1,5\nnope,A-1,x,\nxy,Z-9,item-9,\n");
  });
  afterAll(() => cleanup());

  it("prints help and exits 0", async () => {
    const r = await cli(["--help"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("stockradar <command>");
  });

  it("imports SKUs and listings, reporting bad rows by line", async () => {
    const skus = await cli(["import", "skus", "skus.csv"], { cwd: dir });
    expect(skus.stdout).toContain("skus: 2 applied, 0 unchanged, 2 refused");
    expect(skus.stdout).toContain("line 4: sku: must be 1–64 letters");
    expect(skus.stdout).toContain("line 5: on_hand");
    expect(skus.code).toBe(1);
    const again = await cli(["import", "skus", "skus.csv"], { cwd: dir });
    expect(again.stdout).toContain("0 applied, 2 unchanged");
    const listings = await cli(["import", "listings", "listings.csv"], { cwd: dir });
    expect(listings.stdout).toContain("listings: 1 applied");
    expect(listings.stdout).toContain("line 3: channel nope is not configured");
    expect(listings.stdout).toContain("line 4: SKU Z-9 is not in the ledger");
  });

  it("runs a command and maps outcomes to exit codes", async () => {
    const ok = await cli(["cmd", "/stock A-1"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("20 available");
    const usage = await cli(["cmd", "/set A-1"], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: /set SKU QTY");
    const refused = await cli(["cmd", "--as", "tg:9", "/set A-1 3"], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("needs the operator role");
    const stranger = await cli(["cmd", "--as", "tg:1", "/stock"], { cwd: dir });
    expect(stranger.code).toBe(1);
  });

  it("runs one job once", async () => {
    const r = await cli(["job", "reservation-expiry"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('reservation-expiry: {"changed":0');
    expect((await cli(["job", "nope"], { cwd: dir })).code).toBe(2);
  });

  it("exits 2 with one line per problem for an invalid config", async () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config text holds a literal ${VAR} reference
      "stock: { lowStockAction: shout, lowStockCap: -1 }\nchat: { telegram: { token: '${NO_SUCH_VAR}', chatId: -1 } }\ntimezone: Mars/Base\n",
    );
    const r = await cli(["doctor", "--config", "bad.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("chat.telegram.token: environment variable NO_SUCH_VAR is not set");
    expect(r.stderr).toContain("stock.lowStockAction:");
    expect(r.stderr).toContain("stock.lowStockCap:");
    expect(r.stderr).toContain("timezone: expected an IANA time zone");
  });

  it("stops quietly when the reader of its output goes away (EPIPE), with no stack trace", async () => {
    const p = startCli(["cmd", "/stock"], { cwd: dir });
    p.stdout!.destroy();
    let stderr = "";
    p.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => p.on("close", (c) => r(c)));
    expect(stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
    expect(code).toBe(0);
  });

  it("lets exactly 20 of 40 concurrent /adjust -1 processes through on 20 units", { timeout: 180_000 }, async () => {
    writeFileSync(join(dir, "race.yaml"), "database: ./data/race.db\nhttp: { enabled: false }\n");
    writeFileSync(join(dir, "race.csv"), "sku,title,on_hand\nRACE-1,Race,20\n");
    await cli(["import", "skus", "race.csv", "--config", "race.yaml"], { cwd: dir });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => cli(["cmd", "--config", "race.yaml", "/adjust RACE-1 -1"], { cwd: dir })),
    );
    const ok = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code === 1);
    expect(ok).toHaveLength(20);
    expect(refused).toHaveLength(20);
    for (const r of refused)
      expect(r.stderr).toContain("SKU RACE-1: 0 available, 1 requested. Lower the quantity or restock.");
    const db = new Database(join(dir, "data", "race.db"), { readonly: true });
    expect(db.prepare("SELECT on_hand FROM skus WHERE sku = 'RACE-1'").get()).toEqual({ on_hand: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM movements WHERE sku = 'RACE-1' AND reason = 'adjust'").get()).toEqual({
      n: 20,
    });
    db.close();
  });
});

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { createI18n } from "../src/i18n/translator.js";
import { detectDelimiter, importSkus, importStocktake, readCsv } from "../src/import.js";
import { silentLogger } from "../src/log.js";
import { tempDir } from "./support/app.js";
import { runMain as cli } from "./support/cli.js";

const tr = createI18n({ timeZone: "UTC" }).translator("en");

describe("import skus / stocktake (issue 12)", () => {
  let dir: string;
  let cleanup: () => void;
  let yaml: string;
  const at = (f: string) => join(dir, f);
  const app = async () =>
    createApp({
      config: parseConfig({ database: at("ledger.db"), http: { enabled: false } }, {}),
      log: silentLogger(),
      withConsole: false,
    });
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    yaml = at("stockradar.yaml");
    writeFileSync(yaml, `database: ${at("ledger.db")}\nhttp: { enabled: false }\n`);
    writeFileSync(at("day1.csv"), "sku,title,on_hand,low_threshold\nA-1,Red tee,20,2\nB-2,Mug,5,\n");
  });
  afterEach(() => cleanup());

  it("a re-import of the first day's CSV after sales leaves the ledger unchanged", async () => {
    const first = await cli(["import", "skus", at("day1.csv"), "--config", yaml]);
    expect(first.stdout).toBe("skus: 2 applied, 0 unchanged, 0 refused\n");
    expect(first.code).toBe(0);
    const a = await app();
    a.deps.ledger.stock.adjustOnHand("A-1" as never, -3, { actor: "shop1", reason: "sale", idempotencyKey: "o-1" });
    const movementsBefore = a.deps.ledger.movements("A-1", 50).length;
    await a.stop();

    const again = await cli(["import", "skus", at("day1.csv"), "--config", yaml]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      "skus: 0 applied, 2 unchanged, 0 refused\n1 existing SKU kept its stock although the file differs (--set overwrites it).\n",
    );
    const b = await app();
    expect(b.deps.ledger.stock.getLevel("A-1").onHand).toBe(17);
    expect(b.deps.ledger.movements("A-1", 50)).toHaveLength(movementsBefore);
    await b.stop();
  });

  it("--set after movements prints what it would overwrite and exits 1; --set --yes overwrites once", async () => {
    await cli(["import", "skus", at("day1.csv"), "--config", yaml]);
    const a = await app();
    a.deps.ledger.stock.adjustOnHand("A-1" as never, -3, { actor: "shop1", reason: "sale", idempotencyKey: "o-1" });
    await a.stop();

    const ask = await cli(["import", "skus", at("day1.csv"), "--set", "--config", yaml]);
    expect(ask.code).toBe(1);
    expect(ask.stdout).toBe(
      "--set would overwrite the stock of 1 SKU:\n  A-1: ledger 17 → file 20\nNothing was changed. Run again with --set --yes to overwrite.\n",
    );
    const b = await app();
    expect(b.deps.ledger.stock.getLevel("A-1").onHand).toBe(17);
    await b.stop();

    const yes = await cli(["import", "skus", at("day1.csv"), "--set", "--yes", "--config", yaml]);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toBe("skus: 1 applied, 1 unchanged, 0 refused\n");
    const c = await app();
    expect(c.deps.ledger.stock.getLevel("A-1").onHand).toBe(20);
    expect(c.deps.ledger.movements("A-1", 1)[0]).toMatchObject({ reason: "import", onHandBefore: 17, onHandAfter: 20 });
    await c.stop();
  });

  it("every CLI import writes an audit row as a chat command does: the CLI user, import, its arguments, how it ended", async () => {
    await cli(["import", "skus", at("day1.csv"), "--config", yaml]);
    const a = await app();
    a.deps.ledger.stock.adjustOnHand("A-1" as never, -3, { actor: "shop1", reason: "sale", idempotencyKey: "o-1" });
    await a.stop();
    await cli(["import", "skus", at("day1.csv"), "--set", "--config", yaml]);
    writeFileSync(at("count.csv"), "sku,counted\nZ-9,1\n");
    await cli(["import", "stocktake", at("count.csv"), "--config", yaml]);
    writeFileSync(at("wrong.csv"), "sku;name;qty\nA-1;Red tee;20\n");
    await cli(["import", "skus", at("wrong.csv"), "--config", yaml]);
    await cli(["import", "things", "--config", yaml]);
    const b = await app();
    const rows = b.deps.ledger.audit.recentAudit({ action: "import" }).reverse();
    await b.stop();
    expect(rows.map((r) => [r.actor, r.transport, r.args, r.outcome])).toEqual([
      ["cli:local", "cli", `skus ${at("day1.csv")}`, "ok"],
      ["cli:local", "cli", `skus ${at("day1.csv")} --set`, "refused"],
      ["cli:local", "cli", `stocktake ${at("count.csv")}`, "refused"],
      ["cli:local", "cli", `skus ${at("wrong.csv")}`, "usage"],
      ["cli:local", "cli", "things", "usage"],
    ]);
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ applied: 2, unchanged: 0, refused: 0 });
    expect(JSON.parse(rows[1]!.detail!)).toEqual({ needsConfirmation: true, overwrites: 1 });
    expect(new Set(rows.map((r) => r.requestId)).size).toBe(rows.length);
  });

  it("import stocktake records counts as adjustments with reason count, once per file", async () => {
    await cli(["import", "skus", at("day1.csv"), "--config", yaml]);
    writeFileSync(at("count.csv"), "sku;counted\nA-1;18\nB-2;5\nZ-9;1\n");
    const r = await cli(["import", "stocktake", at("count.csv"), "--config", yaml]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      "stocktake: 1 applied, 1 unchanged, 1 refused\n  line 4: SKU Z-9 is not in the ledger; add it with /add Z-9 QTY TITLE or import skus FILE.csv.\n",
    );
    const again = await cli(["import", "stocktake", at("count.csv"), "--config", yaml]);
    expect(again.stdout).toContain("stocktake: 0 applied, 2 unchanged, 1 refused");
    const a = await app();
    expect(a.deps.ledger.stock.getLevel("A-1").onHand).toBe(18);
    const counts = a.deps.ledger.movements("A-1", 50).filter((m) => m.reason === "count");
    expect(counts).toHaveLength(1);
    expect(counts[0]).toMatchObject({ onHandBefore: 20, onHandAfter: 18, actor: "import" });
    await a.stop();
  });

  it("optional columns may be missing, ; and tab are detected, a wrong header says what it expects (exit 2)", async () => {
    expect(detectDelimiter("sku;title;on_hand\n")).toBe(";");
    expect(detectDelimiter("sku\ttitle\ton_hand\n")).toBe("\t");
    expect(detectDelimiter('"a,b";c;d\n')).toBe(";");
    writeFileSync(at("short.csv"), "sku,title,on_hand,low_threshold\nA-1,Red tee,20\nB-2,Mug,5,1\n");
    const short = await cli(["import", "skus", at("short.csv"), "--config", yaml]);
    expect(short.stdout).toBe("skus: 2 applied, 0 unchanged, 0 refused\n");
    expect(short.code).toBe(0);
    expect(readCsv("sku\ttitle\ton_hand\nC-3\tCap\t4\n", "skus", tr).map((r) => r.raw)).toEqual([
      { sku: "C-3", title: "Cap", on_hand: "4" },
    ]);

    writeFileSync(at("wrong.csv"), "sku;name;qty\nA-1;Red tee;20\n");
    const wrong = await cli(["import", "skus", at("wrong.csv"), "--config", yaml]);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe("");
    expect(wrong.stderr).toBe(
      "wrong.csv: the header is sku;name;qty, expected sku,title,on_hand[,low_threshold][,cost][,min_margin] (missing: title, on_hand; unknown: name, qty).\n",
    );
    const bad = await cli(["import", "skus", "--config", yaml]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Usage: stockradar import skus FILE.csv [--set [--yes]]");
  });

  it("a missing or unreadable file is one line that says what to check, in the configured language (exit 2)", async () => {
    const missing = await cli(["import", "skus", at("nope.csv"), "--config", yaml]);
    expect([missing.code, missing.stdout]).toEqual([2, ""]);
    expect(missing.stderr).toBe(
      `${at("nope.csv")} cannot be opened (ENOENT); check the path and that the file is readable.\n`,
    );
    const folder = await cli(["import", "prices", dir, "--config", yaml]);
    expect(folder.stderr).toBe(`${dir} cannot be opened (EISDIR); check the path and that the file is readable.\n`);
    writeFileSync(yaml, `database: ${at("ledger.db")}\nhttp: { enabled: false }\nlanguage: zh-CN\n`);
    const zh = await cli(["import", "bundles", at("nope.csv"), "--config", yaml]);
    expect([zh.code, zh.stderr]).toEqual([2, `无法打开 ${at("nope.csv")}（ENOENT）；请检查路径，并确认文件可读。\n`]);
  });

  it("importSkus keys each row by file content and SKU: the same file applied twice changes nothing", async () => {
    const a = await app();
    const r1 = importSkus(a.deps, at("day1.csv"), "import", tr);
    const r2 = importSkus(a.deps, at("day1.csv"), "import", tr);
    expect([r1.applied, r2.applied, r2.unchanged]).toEqual([2, 0, 2]);
    writeFileSync(at("c.csv"), "sku,counted,location\nA-1,3,\n");
    expect(importStocktake(a.deps, at("c.csv"), "import", tr).applied).toBe(1);
    expect(a.deps.ledger.movements("A-1", 50).map((m) => m.reason)).toEqual(["count", "import"]);
    await a.stop();
  });
});

describe("examples/*.csv", () => {
  const ex = (f: string) => join(import.meta.dirname, "..", "examples", f);
  it("the example CSVs match their headers and import without a refused row", async () => {
    for (const [file, kind] of [
      ["skus.csv", "skus"],
      ["listings.csv", "listings"],
      ["stocktake.csv", "stocktake"],
    ] as const)
      expect(readCsv(readFileSync(ex(file), "utf8"), kind, tr).length, file).toBeGreaterThan(0);
    const { dir, cleanup } = tempDir();
    const a = await createApp({
      config: parseConfig(
        { database: join(dir, "ledger.db"), http: { enabled: false }, stock: { locations: ["main", "3pl"] } },
        {},
      ),
      log: silentLogger(),
      withConsole: false,
    });
    try {
      expect(importSkus(a.deps, ex("skus.csv"), "import", tr)).toMatchObject({ applied: 4, problems: [] });
      expect(importStocktake(a.deps, ex("stocktake.csv"), "import", tr)).toMatchObject({ applied: 2, problems: [] });
      expect(a.deps.ledger.stock.getLevel("MUG-WHITE").onHand).toBe(52);
    } finally {
      await a.stop();
      cleanup();
    }
  });
});

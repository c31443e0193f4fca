import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../src/ledger/db.js";
import { migrations } from "../src/ledger/migrations/index.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";

// test/fixtures/ledger-main-v6.db was written by main's migrations (commit 87fa638) before they moved beside
// their features. Existing ledgers must open with the moved files unchanged: same rows, nothing re-run.

// sha256 of each shipped migration's SQL as main shipped it; a shipped migration is never edited.
const SHIPPED = [
  { version: 1, name: "core", sha256: "3cb7cbbcc290bd89a3c8a17cb7f153e787fd5543d6ab37ad01f349330b799bf6" },
  { version: 2, name: "sync", sha256: "c2f7b377c5886c19aa4c038900ca7cc849a13c68ffaf53c20eb278fcfdfdee42" },
  { version: 3, name: "cn-channels", sha256: "189f1e9b2e87dd78d91c005decd6f8018eed7f833ba8adeec7a6b54aa093b912" },
  { version: 4, name: "logistics", sha256: "b0b3a386997bd47640a90649b25831c1c27d358737fe28aeadb61208e9ebbff7" },
  { version: 5, name: "money", sha256: "1ba92dab2c250da8c71cf799543f5a61c57f7658cb41897dc1c57c831a8ffd40" },
  { version: 6, name: "wecom", sha256: "af6bb138e6a3fdd756254e7c73cdda7aa73c63d76bebbc2211a5370069ac6e96" },
];

const schemaOf = (db: Database.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
const rowsOf = (db: Database.Database) =>
  db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all();

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("migrations after the move to feature folders", () => {
  it("keeps every shipped migration's version, name and SQL byte for byte", () => {
    const now = migrations.map((m) => ({
      version: m.version,
      name: m.name,
      sha256: createHash("sha256").update(m.sql).digest("hex"),
    }));
    expect(now.slice(0, SHIPPED.length)).toEqual(SHIPPED);
  });

  it("opens a ledger that main's migrations created without re-running any, and its schema equals a fresh one", () => {
    dir = mkdtempSync(join(tmpdir(), "sr-migrate-"));
    const file = join(dir, "ledger.db");
    copyFileSync(join(import.meta.dirname, "fixtures", "ledger-main-v6.db"), file);
    const before = new Database(file, { readonly: true });
    const rowsBefore = rowsOf(before);
    before.close();
    expect(rowsBefore.map((r) => (r as { version: number }).version)).toEqual([1, 2, 3, 4, 5, 6]);

    const db = openDatabase(file);
    // What the old ledger recorded stays as it was; only migrations added since then are applied, once each.
    const rowsAfter = rowsOf(db) as { version: number }[];
    expect(rowsAfter.slice(0, rowsBefore.length)).toEqual(rowsBefore);
    expect(rowsAfter.slice(rowsBefore.length).every((r) => r.version > 6)).toBe(true);
    const fresh = openDatabase(":memory:");
    expect(schemaOf(db)).toEqual(schemaOf(fresh));
    fresh.close();

    // The stores work on it: a write through the core and a read through a feature store.
    const ledger = openTestLedger(db, { settings: testSettings });
    ledger.stock.upsertSku({ sku: sku("A-1"), onHand: 3 }, { actor: "test", idempotencyKey: "fwd:A-1" });
    expect(ledger.stock.getLevel("A-1").onHand).toBe(3);
    expect(ledger.channelState.channelHealth("shop1").isPaused).toBe(false);
    ledger.close();
  });
});

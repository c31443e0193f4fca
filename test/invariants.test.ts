import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { restoreLedger } from "../src/backup.js";
import { manualClock } from "../src/clock.js";
import { openDatabase } from "../src/ledger/db.js";
import { checkInvariants } from "../src/ledger/invariants.js";
import { tempDir } from "./support/app.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A real ledger file with two locations, holds, an order line, a ship, a release and a move, then closed. */
function busyLedger(): { dir: string; path: string } {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, "ledger.db");
  const l = openTestLedger(openDatabase(path), {
    clock: manualClock("2026-12-01T08:00:00Z"),
    settings: { ...testSettings, lowStockThreshold: 0, locations: ["home", "3pl"], primaryLocation: "home" },
  });
  const a = sku("A-1");
  const b = sku("B-2");
  l.stock.upsertSku({ sku: a, title: "Mug", onHand: 5 }, { actor: "t", idempotencyKey: "new:A-1" });
  l.stock.upsertSku({ sku: b, title: "Cup" }, { actor: "t", idempotencyKey: "new:B-2" });
  l.stock.adjustOnHand(a, 7, { actor: "t", idempotencyKey: "in:3pl", location: "3pl" });
  l.stock.adjustOnHand(b, 4, { actor: "t", idempotencyKey: "in:b" });
  l.stock.moveStock(a, 2, "home", "3pl", { actor: "t", idempotencyKey: "mv" });
  const h1 = l.reservations.reserveHold({ sku: a, qty: 3, ttlSeconds: 900, actor: "api", idempotencyKey: "h1" });
  l.reservations.reserveHold({ sku: a, qty: 1, ttlSeconds: 900, actor: "api", idempotencyKey: "h2" });
  l.reservations.releaseReservation(h1.reservation.id, "api");
  const line = l.reservations.recordOrderLine({
    channelId: "shop1",
    orderId: "1",
    lineId: "1",
    sku: b,
    qty: 2,
    actor: "o",
  });
  l.reservations.shipReservation(line.reservation.id, "o");
  l.close();
  return { dir, path };
}

const invariantsOf = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return checkInvariants(db);
  } finally {
    db.close();
  }
};

describe("ledger invariants", () => {
  it("hold for a ledger written by the real operations (locations, holds, orders, ships, moves)", () => {
    const { path } = busyLedger();
    expect(invariantsOf(path)).toEqual({ skus: 2, mismatches: [] });
  });

  it("hold for the committed v6 ledger migrated to locations", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, "ledger.db");
    copyFileSync(join(import.meta.dirname, "fixtures", "ledger-main-v6.db"), path);
    const l = openTestLedger(openDatabase(path), { settings: testSettings });
    l.stock.upsertSku({ sku: sku("C-3"), onHand: 30 }, { actor: "t", idempotencyKey: "c3" });
    l.stock.adjustOnHand(sku("C-3"), -4, { actor: "t", idempotencyKey: "c3-out" });
    l.close();
    expect(invariantsOf(path).mismatches).toEqual([]);
  });

  it("find balances edited without movements, reserved without reservations, and a location that does not add up", () => {
    const { path } = busyLedger();
    const raw = new Database(path);
    raw.prepare("UPDATE skus SET on_hand = on_hand + 5 WHERE sku = 'B-2'").run();
    raw.prepare("UPDATE stock_levels SET on_hand = on_hand + 5 WHERE sku = 'B-2'").run();
    raw.prepare("UPDATE reservations SET status = 'released' WHERE sku = 'A-1' AND status = 'active'").run();
    raw.prepare("UPDATE stock_levels SET on_hand = on_hand + 1 WHERE sku = 'A-1' AND location = '3pl'").run();
    raw.prepare("UPDATE stock_levels SET on_hand = on_hand - 1 WHERE sku = 'A-1' AND location = 'home'").run();
    raw.close();
    expect(invariantsOf(path).mismatches).toEqual([
      { rule: "reserved_active", sku: "A-1", actual: 1, expected: 0 },
      { rule: "location_replay", sku: "A-1", location: "3pl", actual: 10, expected: 9 },
      { rule: "location_replay", sku: "A-1", location: "home", actual: 2, expected: 3 },
      { rule: "on_hand_replay", sku: "B-2", actual: 7, expected: 2 },
      { rule: "location_replay", sku: "B-2", location: "home", actual: 7, expected: 2 },
    ]);
  });

  it("restore refuses a backup whose balances were edited without movements, naming the first mismatches, and keeps the ledger", async () => {
    const backup = busyLedger();
    const raw = new Database(backup.path);
    raw.prepare("UPDATE skus SET on_hand = 40 WHERE sku = 'B-2'").run();
    raw.prepare("UPDATE stock_levels SET on_hand = 40 WHERE sku = 'B-2'").run();
    raw.close();
    const live = busyLedger();
    const before = readFileSync(live.path);
    const restore = (locale?: "zh-CN") =>
      restoreLedger(backup.path, live.path, {
        backupDir: join(live.dir, "backups"),
        now: new Date(),
        ...(locale ? { locale } : {}),
      });
    await expect(restore()).rejects.toMatchObject({
      code: "backup_inconsistent",
      userMessage: `${backup.path} is not a consistent ledger: 2 balances disagree with its movements (B-2 on hand 40, movements say 2; B-2 at home 40, movements say 2). Pick an older backup.`,
    });
    await expect(restore("zh-CN")).rejects.toMatchObject({
      userMessage: expect.stringContaining("不是一致的账本：有 2 处余额与流水不符（B-2 现货为 40，流水合计为 2"),
    });
    expect(readFileSync(live.path).equals(before)).toBe(true);
    expect(existsSync(join(live.dir, "backups"))).toBe(false);
  });
});

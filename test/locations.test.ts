import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../src/clock.js";
import { ConflictError, InvalidInputError } from "../src/errors.js";
import { openDatabase } from "../src/ledger/db.js";
import { migrations } from "../src/ledger/migrations/index.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";
import { trailOf } from "./support/trail.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A ledger with `home` (primary) and `3pl`; channel `shop3pl` sells from 3pl only, `shopall` from all. */
function twoLocations() {
  const l = openTestLedger(openDatabase(":memory:"), {
    clock: manualClock("2026-12-01T08:00:00Z"),
    settings: { ...testSettings, lowStockThreshold: 0, locations: ["home", "3pl"], primaryLocation: "home" },
    channelPolicy: (id) => (id === "shop3pl" ? { locations: ["3pl"] } : undefined),
  });
  const a = sku("A-1");
  l.stock.upsertSku({ sku: a, title: "Mug" }, { actor: "t", idempotencyKey: "new:A-1" });
  l.stock.adjustOnHand(a, 5, { actor: "t", idempotencyKey: "in:home", location: "home" });
  l.stock.adjustOnHand(a, 7, { actor: "t", idempotencyKey: "in:3pl", location: "3pl" });
  l.listings.linkListing({ channelId: "shop3pl", sku: a, ref: "r1" });
  l.listings.linkListing({ channelId: "shopall", sku: a, ref: "r2" });
  return { l, a };
}

const targets = (l: ReturnType<typeof twoLocations>["l"]) =>
  Object.fromEntries(l.outbox.allOutbox().map((r) => [r.channelId, r.targetQty]));

describe("stock locations", () => {
  it("a channel that sells from 3pl only shows 3pl's stock; /move makes it 10 in one movement pair", () => {
    const { l, a } = twoLocations();
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 12, available: 12 });
    expect(l.locations.locationLevels(a)).toEqual([
      { location: "home", onHand: 5 },
      { location: "3pl", onHand: 7 },
    ]);
    expect(targets(l)).toEqual({ shop3pl: 7, shopall: 12 });
    expect(trailOf(l.outbox.publicationsFor(a)[0]!.publication)).toContain("sells from 3pl: 7 on hand → 7");

    const before = l.movements(a, 100).length;
    const r = l.stock.moveStock(a, 3, "home", "3pl", { actor: "op", idempotencyKey: "mv-1" });
    const moved = l.movements(a, 100).slice(0, l.movements(a, 100).length - before);
    expect(moved.map((m) => [m.reason, m.location, m.locationBefore, m.locationAfter, m.idempotencyKey])).toEqual([
      ["move", "3pl", 7, 10, "mv-1:in"],
      ["move", "home", 5, 2, "mv-1"],
    ]);
    expect(moved.map((m) => [m.onHandBefore, m.onHandAfter])).toEqual([
      [9, 12],
      [12, 9],
    ]);
    expect(r.level.onHand).toBe(12);
    expect(targets(l)).toEqual({ shop3pl: 10, shopall: 12 });
    // A replay of the same key changes nothing.
    expect(l.stock.moveStock(a, 3, "home", "3pl", { actor: "op", idempotencyKey: "mv-1" }).isDuplicate).toBe(true);
    expect(l.locations.onHandIn(a, ["3pl"])).toBe(10);
  });

  it("refuses moving more than a location holds, unknown locations, and the same location twice", () => {
    const { l, a } = twoLocations();
    expect(() => l.stock.moveStock(a, 6, "home", "3pl", { actor: "op", idempotencyKey: "k1" })).toThrow(
      /5 on hand at home, 6 requested/,
    );
    expect(() => l.stock.moveStock(a, 1, "home", "attic", { actor: "op", idempotencyKey: "k2" })).toThrow(
      InvalidInputError,
    );
    expect(() => l.stock.moveStock(a, 1, "home", "home", { actor: "op", idempotencyKey: "k3" })).toThrow(
      /two different locations/,
    );
    expect(l.locations.locationLevels(a).map((x) => x.onHand)).toEqual([5, 7]);
  });

  it("ships from the primary first, then the largest location", () => {
    const { l, a } = twoLocations();
    const line = { channelId: "shopall", orderId: "9", lineId: "1", sku: a, qty: 8, actor: "shopall" };
    const { reservation } = l.reservations.recordOrderLine(line);
    l.reservations.shipReservation(reservation.id, "op");
    expect(l.locations.locationLevels(a)).toEqual([
      { location: "home", onHand: 0 },
      { location: "3pl", onHand: 4 },
    ]);
    expect(l.stock.getLevel(a)).toMatchObject({ onHand: 4, reserved: 0 });
    const sum = l.db.prepare("SELECT SUM(on_hand) AS n FROM stock_levels WHERE sku = ?").get(a) as { n: number };
    expect(sum.n).toBe(4);
  });

  it("refuses an adjustment that would take one location below zero", () => {
    const { l, a } = twoLocations();
    expect(() => l.stock.adjustOnHand(a, -6, { actor: "op", idempotencyKey: "k", location: "home" })).toThrow(
      ConflictError,
    );
    l.stock.setOnHand(a, 9, { actor: "op", idempotencyKey: "count", location: "3pl" });
    expect(l.stock.getLevel(a).onHand).toBe(14);
  });

  it("migrates a ledger made by the current release to one location `main`, keeping every balance and movement", () => {
    dir = mkdtempSync(join(tmpdir(), "sr-loc-"));
    const path = join(dir, "ledger.db");
    // The committed fixture (written by main's migrations 1–6), brought to the release before this change
    // (migration 7) and filled the way that release's core wrote SKUs, movements and reservations.
    copyFileSync(join(import.meta.dirname, "fixtures", "ledger-main-v6.db"), path);
    const raw = new Database(path);
    for (const m of migrations.filter((x) => x.version < 9 && x.version > 6)) {
      raw.exec(m.sql);
      raw
        .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(m.version, m.name, "2026-11-30T00:00:00Z");
    }
    const at = "2026-11-30T08:00:00.000Z";
    const addSku = raw.prepare(
      "INSERT INTO skus (sku, title, on_hand, reserved, created_at, updated_at) VALUES (?, '', ?, ?, ?, ?)",
    );
    const addMove = raw.prepare(
      `INSERT INTO movements (at, sku, reason, actor, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key)
       VALUES (?, ?, ?, 'op', ?, ?, ?, ?, ?)`,
    );
    addSku.run("A-1", 8, 2, at, at);
    addMove.run(at, "A-1", "import", 0, 8, 0, 0, "import:A-1");
    addMove.run(at, "A-1", "hold", 8, 8, 0, 2, "cart-1");
    addSku.run("B-2", 0, 0, at, at);
    addSku.run("C-3", 30, 0, at, at);
    addMove.run(at, "C-3", "import", 0, 30, 0, 0, "import:C-3");
    raw
      .prepare(
        "INSERT INTO reservations (id, kind, sku, qty, requested, status, created_at, expires_at) VALUES ('H-1', 'hold', 'A-1', 2, 2, 'active', ?, ?)",
      )
      .run(at, "2026-11-30T08:15:00.000Z");
    const skusBefore = raw.prepare("SELECT * FROM skus ORDER BY sku").all();
    const movesBefore = raw.prepare("SELECT * FROM movements ORDER BY id").all();
    const resBefore = raw.prepare("SELECT * FROM reservations ORDER BY id").all();
    raw.close();

    const l = openTestLedger(openDatabase(path), { settings: testSettings });
    expect(l.db.prepare("SELECT * FROM skus ORDER BY sku").all()).toEqual(skusBefore);
    // Migration 17 adds two bundle columns, empty on every existing reservation.
    const resAfter = l.db.prepare("SELECT * FROM reservations ORDER BY id").all() as Record<string, unknown>[];
    expect(resAfter.map(({ parent_id: _p, hold_key: _k, ...r }) => r)).toEqual(resBefore);
    expect(resAfter.every((r) => r.parent_id === null && r.hold_key === null)).toBe(true);
    const after = l.db.prepare("SELECT * FROM movements ORDER BY id").all() as Record<string, unknown>[];
    expect(after.map(({ location: _l, location_before: _b, location_after: _a, ...m }) => m)).toEqual(movesBefore);
    expect(l.db.prepare("SELECT name FROM locations").all()).toEqual([{ name: "main" }]);
    expect(l.locations.locationLevels("A-1")).toEqual([{ location: "main", onHand: 8 }]);
    expect(l.locations.locationLevels("B-2")).toEqual([{ location: "main", onHand: 0 }]);
    expect(l.locations.locationLevels("C-3")).toEqual([{ location: "main", onHand: 30 }]);
    expect(l.stock.getLevel("A-1")).toMatchObject({ onHand: 8, reserved: 2, available: 6 });
    expect(l.locations.primaryLocation()).toBe("main");
    // It keeps working: a change without a location lands on `main`, the old hold still releases.
    l.stock.adjustOnHand(sku("C-3"), -4, { actor: "op", idempotencyKey: "after-migrate" });
    expect(l.movements("C-3", 1)[0]).toMatchObject({ location: "main", locationBefore: 30, locationAfter: 26 });
    l.reservations.releaseReservation("H-1", "op");
    expect(l.stock.getLevel("A-1")).toMatchObject({ onHand: 8, reserved: 0 });
    l.close();
  });

  it("opens the committed empty v6 fixture with no locations and `main` as the primary", () => {
    dir = mkdtempSync(join(tmpdir(), "sr-loc-"));
    const path = join(dir, "ledger.db");
    copyFileSync(join(import.meta.dirname, "fixtures", "ledger-main-v6.db"), path);
    const l = openTestLedger(openDatabase(path), { settings: testSettings });
    expect(l.db.prepare("SELECT COUNT(*) AS n FROM locations").get()).toEqual({ n: 0 });
    expect(l.locations.primaryLocation()).toBe("main");
    l.close();
  });
});

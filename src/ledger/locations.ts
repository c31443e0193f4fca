import { InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { type LedgerCtx, nowIso, write } from "./context.js";

// Stock locations: which exist, which is primary, and the per-location levels of a SKU.

/** Config `stock.locations` / `stock.primaryLocation`, as the ledger reads them (both optional). */
export interface LocationSettings {
  locations?: string[] | undefined;
  primaryLocation?: string | undefined;
}

/** A location name: 1–32 lowercase letters, digits, `_` or `-` (`home`, `3pl-sz`, `fba-eu`). */
export const LOCATION_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** One SKU's on hand at one location. */
export interface LocationLevel {
  location: string;
  onHand: number;
}

const settingsOf = (ctx: LedgerCtx): LocationSettings => ctx.settings as LocationSettings;

/** Every location the ledger holds stock in: those with rows, those in config and the primary, alphabetical (read-only ones left out). */
export function knownLocations(ctx: LedgerCtx): string[] {
  const rows = ctx.stmt<[], { name: string }>("SELECT name FROM locations WHERE is_read_only = 0 ORDER BY name").all();
  const s = settingsOf(ctx);
  return [...new Set([...rows.map((r) => r.name), ...(s.locations ?? []), primaryLocation(ctx)])].sort();
}

/**
 * The primary location (where changes without a location go and shipments draw first): config
 * `stock.primaryLocation`, else the first of `stock.locations`, else `main` when it exists or nothing does, else the
 * only (or first) location in the ledger.
 */
export function primaryLocation(ctx: LedgerCtx): string {
  const s = settingsOf(ctx);
  if (s.primaryLocation) return s.primaryLocation;
  const configured = s.locations?.[0];
  if (configured !== undefined) return configured;
  const rows = ctx.stmt<[], { name: string }>("SELECT name FROM locations WHERE is_read_only = 0 ORDER BY name").all();
  const first = rows[0];
  if (!first || rows.some((r) => r.name === "main")) return "main";
  return first.name;
}

/** Checks a location name against the known ones (creating its row on first use); undefined means the primary. */
export function resolveLocation(ctx: LedgerCtx, name?: string | null): string {
  const loc = name ?? primaryLocation(ctx);
  const exists = ctx
    .stmt<[string], { name: string; is_read_only: number }>("SELECT name, is_read_only FROM locations WHERE name = ?")
    .get(loc);
  if (exists?.is_read_only === 1)
    throw localized(InvalidInputError, "read_only_location", textRef("err-read-only-location", { location: loc }), {
      location: loc,
    });
  if (exists) return loc;
  const known = knownLocations(ctx);
  if (!known.includes(loc))
    throw localized(
      InvalidInputError,
      "unknown_location",
      textRef("err-unknown-location", { location: loc, known: known.join(", ") }),
      { location: loc },
    );
  ctx.stmt("INSERT INTO locations (name, created_at) VALUES (?, ?)").run(loc, nowIso(ctx));
  return loc;
}

/** A SKU's on hand per location (only locations that ever held it), primary first, then alphabetical. */
export function locationLevels(ctx: LedgerCtx, sku: string): LocationLevel[] {
  const primary = primaryLocation(ctx);
  return ctx
    .stmt<[string], { location: string; on_hand: number }>(
      "SELECT location, on_hand FROM stock_levels WHERE sku = ? ORDER BY location",
    )
    .all(sku)
    .map((r) => ({ location: r.location, onHand: r.on_hand }))
    .sort((a, b) => (a.location === primary ? -1 : b.location === primary ? 1 : 0));
}

/** A SKU's on hand summed over `locations` (what a channel that sells from them may draw on). */
export function onHandIn(ctx: LedgerCtx, sku: string, locations: readonly string[]): number {
  let sum = 0;
  for (const l of locationLevels(ctx, sku)) if (locations.includes(l.location)) sum += l.onHand;
  return sum;
}

/**
 * The stated shipment rule: units leave the primary location first, then the location holding the most
 * (ties alphabetical). Returns the draws for `qty` units; the caller already checked the SKU total covers it.
 */
export function shipmentDraws(ctx: LedgerCtx, sku: string, qty: number): { location: string; qty: number }[] {
  const primary = primaryLocation(ctx);
  const levels = locationLevels(ctx, sku)
    .filter((l) => l.onHand > 0)
    .sort(
      (a, b) =>
        Number(b.location === primary) - Number(a.location === primary) ||
        b.onHand - a.onHand ||
        a.location.localeCompare(b.location),
    );
  const draws: { location: string; qty: number }[] = [];
  let left = qty;
  for (const l of levels) {
    if (left <= 0) break;
    const take = Math.min(l.onHand, left);
    draws.push({ location: l.location, qty: take });
    left -= take;
  }
  if (left > 0) draws.push({ location: primary, qty: left });
  return draws;
}

/**
 * Splits a channel's target for a SKU over the locations it shows one by one (Shopify per location): each
 * location's available is its on hand less the reservations the shipment rule would draw from it; the target is
 * filled in shipment order (primary first, then the largest), then up to each location's on hand (a hold may draw from
 * a location the channel does not sell from), so the shares sum to `target`. What the locations cannot cover (a bundle
 * holds no stock of its own) goes to the first of `locations`.
 */
export function locationSplit(
  ctx: LedgerCtx,
  sku: string,
  target: number,
  locations: readonly string[],
): { location: string; quantity: number }[] {
  const reserved =
    ctx.stmt<[string], { reserved: number }>("SELECT reserved FROM skus WHERE sku = ?").get(sku)?.reserved ?? 0;
  const drawn = new Map(shipmentDraws(ctx, sku, reserved).map((d) => [d.location, d.qty]));
  const primary = primaryLocation(ctx);
  const free = locationLevels(ctx, sku)
    .filter((l) => locations.includes(l.location))
    .map((l) => ({ location: l.location, free: Math.max(0, l.onHand - (drawn.get(l.location) ?? 0)) }))
    .sort(
      (a, b) =>
        Number(b.location === primary) - Number(a.location === primary) ||
        b.free - a.free ||
        a.location.localeCompare(b.location),
    );
  const share = new Map<string, number>(locations.map((l) => [l, 0]));
  let left = Math.max(0, target);
  for (const l of free) {
    const take = Math.min(l.free, left);
    share.set(l.location, take);
    left -= take;
  }
  // The target may count units a reservation will draw from a location this channel does not sell from: those
  // go where stock is on hand, in the same order.
  for (const l of free) {
    if (left <= 0) break;
    const onHand = locationLevels(ctx, sku).find((x) => x.location === l.location)?.onHand ?? 0;
    const take = Math.min(Math.max(0, onHand - (share.get(l.location) ?? 0)), left);
    share.set(l.location, (share.get(l.location) ?? 0) + take);
    left -= take;
  }
  const first = locations[0];
  if (left > 0 && first !== undefined) share.set(first, (share.get(first) ?? 0) + left);
  return locations.map((location) => ({ location, quantity: share.get(location) ?? 0 }));
}

/** What a marketplace holds of a SKU in a read-only location (Amazon FBA), as last read from it. */
export interface ReadOnlyLevel {
  location: string;
  channelId: string;
  /** Units that can ship (FBA fulfillable). */
  quantity: number;
  /** Every unit the marketplace counts, inbound and reserved included. */
  total: number;
  readAt: string;
}

/** One SKU's row as read from a read-only location. */
export interface ReadOnlyReading {
  sku: string;
  quantity: number;
  total: number;
}

/**
 * Inside one transaction: stores what `channelId` holds in the read-only location `location` (created with
 * is_read_only = 1 on first use), for SKUs the ledger knows; SKUs read before and missing now drop to 0. Nothing
 * here touches on hand, reservations or the outbox. Returns how many rows changed.
 */
export function recordReadOnlyLevels(
  ctx: LedgerCtx,
  channelId: string,
  location: string,
  rows: readonly ReadOnlyReading[],
  skus: readonly string[],
): number {
  const at = nowIso(ctx);
  return write(ctx, () => {
    const row = ctx
      .stmt<[string], { is_read_only: number }>("SELECT is_read_only FROM locations WHERE name = ?")
      .get(location);
    if (!row) ctx.stmt("INSERT INTO locations (name, is_read_only, created_at) VALUES (?, 1, ?)").run(location, at);
    else if (row.is_read_only !== 1)
      throw localized(
        InvalidInputError,
        "location_not_read_only",
        textRef("err-location-not-read-only", { location }),
        {
          location,
        },
      );
    const known = new Set(
      ctx
        .stmt<[], { sku: string }>("SELECT sku FROM skus")
        .all()
        .map((r) => r.sku),
    );
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    let changed = 0;
    for (const sku of skus) {
      if (!known.has(sku)) continue;
      const r = bySku.get(sku) ?? { sku, quantity: 0, total: 0 };
      const before = ctx
        .stmt<[string, string], { quantity: number; total: number }>(
          "SELECT quantity, total FROM read_only_levels WHERE location = ? AND sku = ?",
        )
        .get(location, sku);
      if (before && before.quantity === r.quantity && before.total === r.total) continue;
      ctx
        .stmt(
          `INSERT INTO read_only_levels (location, sku, channel_id, quantity, total, read_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (location, sku) DO UPDATE SET channel_id = excluded.channel_id, quantity = excluded.quantity,
             total = excluded.total, read_at = excluded.read_at`,
        )
        .run(location, sku, channelId, Math.max(0, r.quantity), Math.max(0, r.total), at);
      changed += 1;
    }
    return changed;
  });
}

/** A SKU's rows in read-only locations (FBA), by location. */
export function readOnlyLevels(ctx: LedgerCtx, sku: string): ReadOnlyLevel[] {
  return ctx
    .stmt<[string], { location: string; channel_id: string; quantity: number; total: number; read_at: string }>(
      "SELECT * FROM read_only_levels WHERE sku = ? ORDER BY location",
    )
    .all(sku)
    .map((r) => ({
      location: r.location,
      channelId: r.channel_id,
      quantity: r.quantity,
      total: r.total,
      readAt: r.read_at,
    }));
}

/** Units per read-only location over every SKU (the daily summary's line). */
export function readOnlyTotals(ctx: LedgerCtx): { location: string; skus: number; quantity: number; total: number }[] {
  return ctx
    .stmt<[], { location: string; skus: number; quantity: number; total: number }>(
      `SELECT location, COUNT(*) AS skus, SUM(quantity) AS quantity, SUM(total) AS total FROM read_only_levels
       WHERE total > 0 GROUP BY location ORDER BY location`,
    )
    .all();
}

/** On hand per location over every SKU (the daily summary's line), primary first, then alphabetical. */
export function locationTotals(ctx: LedgerCtx): { location: string; onHand: number; skus: number }[] {
  const primary = primaryLocation(ctx);
  return ctx
    .stmt<[], { location: string; on_hand: number; skus: number }>(
      `SELECT location, SUM(on_hand) AS on_hand, COUNT(*) AS skus FROM stock_levels WHERE on_hand > 0
       GROUP BY location ORDER BY location`,
    )
    .all()
    .map((r) => ({ location: r.location, onHand: r.on_hand, skus: r.skus }))
    .sort((a, b) => (a.location === primary ? -1 : b.location === primary ? 1 : 0));
}

import { type LedgerCtx, nowIso } from "../ledger/context.js";

// The last known quantity per (channel, inventory item, Shopify location); the only SQL on
// `shopify_location_levels` (src/channels/migrations.ts). Shopify's per-location compare-and-set reads it.

/** The quantities last read or pushed for `ref` at each Shopify location, by location gid. */
export function knownLevels(ctx: LedgerCtx, channelId: string, ref: string): Map<string, number> {
  const rows = ctx
    .stmt<[string, string], { location_id: string; quantity: number }>(
      "SELECT location_id, quantity FROM shopify_location_levels WHERE channel_id = ? AND ref = ?",
    )
    .all(channelId, ref);
  return new Map(rows.map((r) => [r.location_id, r.quantity]));
}

/** Records what Shopify holds (as read, or as a push confirmed) for `ref` at `locationId`. */
export function rememberLevel(ctx: LedgerCtx, channelId: string, ref: string, locationId: string, qty: number): void {
  ctx
    .stmt<[string, string, string, number, string]>(
      "INSERT INTO shopify_location_levels (channel_id, ref, location_id, quantity, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(channel_id, ref, location_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
    )
    .run(channelId, ref, locationId, qty, nowIso(ctx));
}

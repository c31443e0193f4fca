import { asSku } from "../ids.js";
import type { LedgerCtx } from "./context.js";
import type { StockLevel } from "./rows.js";

// SKU levels as read by movements, the outbox and listings (its own file so they do not import each other).

interface SkuRow {
  sku: string;
  title: string;
  on_hand: number;
  reserved: number;
  low_threshold: number | null;
  updated_at: string;
}

/** Maps a skus row to a StockLevel. */
export const toLevel = (r: SkuRow): StockLevel => ({
  sku: asSku(r.sku),
  title: r.title,
  onHand: r.on_hand,
  reserved: r.reserved,
  available: r.on_hand - r.reserved,
  lowThreshold: r.low_threshold,
  updatedAt: r.updated_at,
});

/** Reads one SKU's levels, or undefined. */
export function readLevel(ctx: LedgerCtx, sku: string): StockLevel | undefined {
  const r = ctx.stmt<[string], SkuRow>("SELECT * FROM skus WHERE sku = ?").get(sku);
  return r ? toLevel(r) : undefined;
}

import { asSku, type Sku } from "../ids.js";
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

/** What a change of one SKU reads before it writes (see {@link readSkuState}). */
export interface SkuState {
  level: StockLevel;
  /** A bundle has no stock of its own: its changes go to its components. */
  isBundle: boolean;
  /** The bundles that contain this SKU, alphabetical: each shows a new number when this SKU's stock moves. */
  bundles: Sku[];
  /** The movement already recorded under the change's idempotency key (null: none, the change is new). */
  seenMovementId: number | null;
}

/**
 * One SKU's levels, whether it is a bundle, the bundles made of it and whether `idempotencyKey` was seen, in one
 * statement (the hot path of every reservation reads all four; undefined when the SKU does not exist).
 */
export function readSkuState(ctx: LedgerCtx, sku: string, idempotencyKey: string): SkuState | undefined {
  const r = ctx
    .stmt<[string, string], SkuRow & { is_bundle: number; bundles: string | null; seen_id: number | null }>(
      `SELECT s.*,
         EXISTS (SELECT 1 FROM bundle_components WHERE bundle = s.sku) AS is_bundle,
         (SELECT group_concat(bundle, ' ') FROM bundle_components WHERE component = s.sku) AS bundles,
         (SELECT id FROM movements WHERE idempotency_key = ?) AS seen_id
       FROM skus s WHERE s.sku = ?`,
    )
    .get(idempotencyKey, sku);
  if (!r) return undefined;
  return {
    level: toLevel(r),
    isBundle: r.is_bundle === 1,
    // SKUs hold no spaces (SkuSchema), so a space separates them.
    bundles: r.bundles === null ? [] : r.bundles.split(" ").sort().map(asSku),
    seenMovementId: r.seen_id,
  };
}

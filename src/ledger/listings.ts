import { ConflictError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import type { Sku } from "../ids.js";
import { type LedgerCtx, nowIso, write } from "./context.js";
import { readLevel } from "./levels.js";
import { enqueueForSku, listingsForSku, toListing } from "./outbox.js";
import type { Listing } from "./rows.js";

/**
 * Links a SKU to a channel item (`ref` = the channel's own id) and queues its first push. Re-linking updates the
 * overrides; `riskBuffer` (on/off for this listing) is kept when not given.
 */
export function linkListing(
  ctx: LedgerCtx,
  l: {
    channelId: string;
    sku: Sku;
    ref: string;
    cap?: number | null;
    buffer?: number;
    sharePct?: number | null;
    riskBuffer?: boolean | undefined;
  },
): Listing {
  return write(ctx, () => {
    if (!readLevel(ctx, l.sku))
      throw localized(NotFoundError, "unknown_sku", textRef("err-unknown-sku-import", { sku: l.sku }), { sku: l.sku });
    const clash = ctx
      .stmt<[string, string, string], { sku: string }>(
        "SELECT sku FROM listings WHERE channel_id = ? AND ref = ? AND sku != ?",
      )
      .get(l.channelId, l.ref, l.sku);
    if (clash) {
      throw localized(
        ConflictError,
        "ref_taken",
        textRef("err-ref-taken", { channel: l.channelId, ref: l.ref, other: clash.sku }),
        { ...l },
      );
    }
    const previous = ctx
      .stmt<[string, string], { ref: string }>("SELECT ref FROM listings WHERE channel_id = ? AND sku = ?")
      .get(l.channelId, l.sku);
    ctx
      .stmt(
        `INSERT INTO listings (channel_id, sku, ref, cap, buffer, share_pct, risk_buffer, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, sku) DO UPDATE SET ref = excluded.ref, cap = excluded.cap, buffer = excluded.buffer,
           share_pct = excluded.share_pct, risk_buffer = COALESCE(excluded.risk_buffer, listings.risk_buffer),
           confirmed_qty = CASE WHEN listings.ref = excluded.ref THEN listings.confirmed_qty END,
           confirmed_listed = CASE WHEN listings.ref = excluded.ref THEN listings.confirmed_listed END`,
      )
      .run(
        l.channelId,
        l.sku,
        l.ref,
        l.cap ?? null,
        l.buffer ?? 0,
        l.sharePct ?? null,
        l.riskBuffer === undefined ? null : l.riskBuffer ? 1 : 0,
        nowIso(ctx),
      );
    // A new ref is a different item on the channel: push to it even if a push of the same number is pending for the old one.
    enqueueForSku(ctx, l.sku, { channelId: l.channelId, force: previous !== undefined && previous.ref !== l.ref });
    return getListing(ctx, l.channelId, l.sku);
  });
}

/** One listing; NotFoundError otherwise. */
export function getListing(ctx: LedgerCtx, channelId: string, sku: string): Listing {
  const r = ctx
    .stmt<[string, string], Parameters<typeof toListing>[0]>("SELECT * FROM listings WHERE channel_id = ? AND sku = ?")
    .get(channelId, sku);
  if (!r)
    throw localized(NotFoundError, "unknown_listing", textRef("err-not-listed-link", { sku, channel: channelId }), {
      channelId,
      sku,
    });
  return toListing(r);
}

/** Every listing of a SKU. */
export const skuListings = listingsForSku;

/** Every listing on a channel, by SKU. */
export function channelListings(ctx: LedgerCtx, channelId: string): Listing[] {
  return ctx
    .stmt<[string], Parameters<typeof toListing>[0]>("SELECT * FROM listings WHERE channel_id = ? ORDER BY sku")
    .all(channelId)
    .map(toListing);
}

/**
 * Delists or relists a SKU on one channel or all (`channelId` undefined) and queues the pushes.
 * Returns the listings that changed.
 */
export function setDelisted(ctx: LedgerCtx, sku: Sku, isDelisted: boolean, channelId?: string): Listing[] {
  return write(ctx, () => {
    const targets = listingsForSku(ctx, sku).filter((l) => !channelId || l.channelId === channelId);
    if (!targets.length) {
      throw localized(
        NotFoundError,
        "unknown_listing",
        channelId ? textRef("err-not-listed", { sku, channel: channelId }) : textRef("err-no-listings", { sku }),
        { sku, channelId },
      );
    }
    const changed = targets.filter((l) => l.isDelisted !== isDelisted);
    for (const l of changed) ctx.stmt("UPDATE listings SET is_delisted = ? WHERE id = ?").run(isDelisted ? 1 : 0, l.id);
    if (changed.length) enqueueForSku(ctx, sku);
    return changed.map((l) => getListing(ctx, l.channelId, sku));
  });
}

/** Removes a listing (the channel item is no longer ours to manage). */
export function unlinkListing(ctx: LedgerCtx, channelId: string, sku: string): void {
  write(ctx, () => {
    getListing(ctx, channelId, sku);
    ctx.stmt("DELETE FROM listings WHERE channel_id = ? AND sku = ?").run(channelId, sku);
  });
}

/** Queues every listing whose target differs from what its channel confirmed; `force` queues all (full sync). */
export function enqueueAll(ctx: LedgerCtx, opts: { force?: boolean; channelId?: string } = {}): number {
  return write(ctx, () => {
    const skus = ctx
      .stmt<[string | null, string | null], { sku: string }>(
        "SELECT DISTINCT sku FROM listings WHERE (? IS NULL OR channel_id = ?)",
      )
      .all(opts.channelId ?? null, opts.channelId ?? null);
    let n = 0;
    for (const { sku } of skus) n += enqueueForSku(ctx, sku, opts);
    return n;
  });
}

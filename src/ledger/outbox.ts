import { textRef } from "../i18n/ref.js";
import { asChannelId, asSku } from "../ids.js";
import { must } from "../internal-error.js";
import { type PolicyLevel, type PolicyListing, type Publication, publishable } from "../policy/publish.js";
import { type BundleAvailability, bundleAvailability } from "./bundle-levels.js";
import { type LedgerCtx, nowIso } from "./context.js";
import { readLevel } from "./levels.js";
import { onHandIn } from "./locations.js";
import { riskBufferFor } from "./risk-inputs.js";
import type { Listing, OutboxRow } from "./rows.js";
import { guardSplitRaises, isSplitLow } from "./split-guard.js";

interface ListingRow {
  id: number;
  channel_id: string;
  sku: string;
  ref: string;
  cap: number | null;
  buffer: number;
  share_pct: number | null;
  risk_buffer: number | null;
  is_delisted: number;
  confirmed_qty: number | null;
  confirmed_listed: number | null;
  confirmed_at: string | null;
}

/** Maps a listings row to a Listing. */
export const toListing = (r: ListingRow): Listing => ({
  id: r.id,
  channelId: asChannelId(r.channel_id),
  sku: asSku(r.sku),
  ref: r.ref,
  cap: r.cap,
  buffer: r.buffer,
  sharePct: r.share_pct,
  riskBuffer: r.risk_buffer === null ? null : r.risk_buffer === 1,
  isDelisted: r.is_delisted === 1,
  confirmedQty: r.confirmed_qty,
  confirmedListed: r.confirmed_listed === null ? null : r.confirmed_listed === 1,
  confirmedAt: r.confirmed_at,
});

/** Every listing of a SKU, ordered by channel id (stable for split remainders). */
export function listingsForSku(ctx: LedgerCtx, sku: string): Listing[] {
  return ctx
    .stmt<[string], ListingRow>("SELECT * FROM listings WHERE sku = ? ORDER BY channel_id")
    .all(sku)
    .map(toListing);
}

/** The policy's answer for every listing of a SKU (what `/why` prints). */
export function publicationsFor(
  ctx: LedgerCtx,
  sku: string,
  known?: PolicyLevel,
  knownBundle?: BundleAvailability | null,
): { listing: Listing; publication: Publication }[] {
  return publish(ctx, sku, known, knownBundle).map(({ listing, publication }) => ({ listing, publication }));
}

/**
 * A listing with the outbox row waiting for it, if any (what the channel has yet to be told). `hasStaleHold`: the row
 * names a bulk hold that no longer holds it, which a new target clears.
 */
type ListingWithPending = Listing & {
  pending: { targetQty: number; isListed: number; hasStaleHold: boolean } | undefined;
};

/** Every listing of a SKU with its pending outbox row, in one read (the outbox check of every change). */
function listingsWithPending(ctx: LedgerCtx, sku: string): ListingWithPending[] {
  return ctx
    .stmt<
      [string],
      ListingRow & { pending_qty: number | null; pending_listed: number | null; stale_hold: number | null }
    >(
      `SELECT l.*, o.target_qty AS pending_qty, o.is_listed AS pending_listed,
         o.hold_id IS NOT NULL AND o.is_held = 0 AS stale_hold
       FROM listings l LEFT JOIN outbox o ON o.channel_id = l.channel_id AND o.sku = l.sku
       WHERE l.sku = ? ORDER BY l.channel_id`,
    )
    .all(sku)
    .map((r) => ({
      ...toListing(r),
      pending:
        r.pending_qty === null
          ? undefined
          : {
              targetQty: r.pending_qty,
              isListed: must(r.pending_listed, "outbox.is_listed is NOT NULL"),
              hasStaleHold: r.stale_hold === 1,
            },
    }));
}

/** The policy's answer for every listing of a SKU, each with its pending outbox row. */
function publish(
  ctx: LedgerCtx,
  sku: string,
  known?: PolicyLevel,
  knownBundle?: BundleAvailability | null,
): { listing: ListingWithPending; publication: Publication }[] {
  // A bundle has no stock: the policy sees the sets its components make, with the bundle's own threshold.
  // `knownBundle` (null: known not to be one) spares the caller's transaction a second read of the same sets.
  const own =
    known ?? (knownBundle ? { onHand: 0, reserved: 0, lowThreshold: knownBundle.lowThreshold } : readLevel(ctx, sku));
  if (!own) return [];
  const listings = listingsWithPending(ctx, sku);
  if (!listings.length) return [];
  const bundle = knownBundle === undefined ? bundleAvailability(ctx, sku) : knownBundle;
  const level: PolicyLevel = bundle ? { onHand: bundle.available, reserved: 0, lowThreshold: own.lowThreshold } : own;
  const inputs: PolicyListing[] = listings.map((l) => {
    const ch = ctx.channelPolicy(l.channelId);
    return {
      channelId: l.channelId,
      isDelisted: l.isDelisted,
      listingCap: l.cap,
      listingBuffer: l.buffer,
      listingSharePct: l.sharePct,
      channelCap: ch?.cap,
      channelBuffer: ch?.bufferUnits,
      channelSharePct: ch?.sharePct,
      channelMax: ch?.maxQuantity,
      // The listing's own setting wins over the channel's (`/link SKU CHANNEL REF risk|norisk`).
      riskBuffer: (l.riskBuffer ?? ch?.riskBuffer) ? riskBufferFor(ctx, l.channelId, sku) : undefined,
      sellsFrom: ch?.locations
        ? {
            locations: ch.locations,
            onHand: bundle
              ? (bundleAvailability(ctx, sku, ch.locations)?.available ?? 0)
              : onHandIn(ctx, sku, ch.locations),
          }
        : undefined,
    };
  });
  const pubs = publishable(level, inputs, ctx.settings, ctx.skuPolicy(sku));
  if (bundle) {
    const parts = bundle.components.map((c) => `${c.component} ${c.available} ÷ ${c.qty} = ${c.sets}`).join(", ");
    for (const p of pubs)
      p.steps[0] = textRef("why-step-bundle-available", {
        available: bundle.available,
        parts,
        binding: bundle.binding,
      });
  }
  const items = listings.map((listing, i) => ({ listing, publication: must(pubs[i], "one publication per listing") }));
  guardSplitRaises(ctx, sku, level, items);
  return items;
}

/**
 * Inside the caller's transaction: recomputes every listing's target for the SKU and upserts an outbox
 * row where it differs from what the channel last confirmed (or from a pending row). With `force`, every
 * listing gets a row (full sync). `bundle` passes the SKU's bundle sets the caller already read in this
 * transaction (null: the SKU is not a bundle). Returns how many rows were written.
 */
export function enqueueForSku(
  ctx: LedgerCtx,
  sku: string,
  opts: { force?: boolean; channelId?: string; bundle?: BundleAvailability | null } = {},
  level?: PolicyLevel,
): number {
  const at = nowIso(ctx);
  let written = 0;
  for (const { listing, publication } of publish(ctx, sku, level, opts.bundle)) {
    if (opts.channelId && listing.channelId !== opts.channelId) continue;
    const pending = listing.pending;
    const listed = publication.isListed ? 1 : 0;
    if (pending) {
      if (pending.targetQty === publication.quantity && pending.isListed === listed && !opts.force) continue;
    } else if (
      !opts.force &&
      listing.confirmedQty === publication.quantity &&
      (listing.confirmedListed === null ? listed === 1 : (listing.confirmedListed ? 1 : 0) === listed)
    ) {
      continue;
    }
    // Versions come from one ledger-wide sequence, never restarting at 1 when a row is deleted and re-created:
    // a late confirmation of an old push (another process, a slow Amazon feed) can then never delete a newer target.
    const version = ctx
      .stmt<[], { value: string }>(
        `INSERT INTO kv (key, value) VALUES ('outbox_seq', '1')
       ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value`,
      )
      .get()?.value;
    if (version === undefined) throw new Error("internal invariant broken: RETURNING gives a row");
    // A new target clears the hold that checked a row no longer held (so the next bulk change is checked afresh).
    // Only then is hold_id set: setting an indexed column, even to its own value, rewrites its index page.
    ctx
      .stmt(
        pending?.hasStaleHold
          ? `INSERT INTO outbox (channel_id, sku, listing_id, target_qty, is_listed, version, first_enqueued_at, enqueued_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (channel_id, sku) DO UPDATE SET
               target_qty = excluded.target_qty, is_listed = excluded.is_listed, version = excluded.version,
               enqueued_at = excluded.enqueued_at, attempts = 0, next_attempt_at = NULL,
               hold_id = CASE WHEN outbox.is_held = 1 THEN outbox.hold_id ELSE NULL END`
          : `INSERT INTO outbox (channel_id, sku, listing_id, target_qty, is_listed, version, first_enqueued_at, enqueued_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (channel_id, sku) DO UPDATE SET
               target_qty = excluded.target_qty, is_listed = excluded.is_listed, version = excluded.version,
               enqueued_at = excluded.enqueued_at, attempts = 0, next_attempt_at = NULL`,
      )
      .run(listing.channelId, sku, listing.id, publication.quantity, listed, Number(version), at, at);
    written += 1;
  }
  if (written) ctx.pending.outbox = true;
  return written;
}

interface OutboxJoinRow {
  channel_id: string;
  sku: string;
  listing_id: number;
  ref: string;
  target_qty: number;
  is_listed: number;
  version: number;
  first_enqueued_at: string;
  enqueued_at: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  confirmed_qty: number | null;
  confirmed_listed: number | null;
}

const toOutbox = (r: OutboxJoinRow): OutboxRow => ({
  channelId: asChannelId(r.channel_id),
  sku: asSku(r.sku),
  listingId: r.listing_id,
  ref: r.ref,
  targetQty: r.target_qty,
  isListed: r.is_listed === 1,
  version: r.version,
  firstEnqueuedAt: r.first_enqueued_at,
  enqueuedAt: r.enqueued_at,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  confirmedQty: r.confirmed_qty,
  confirmedListed: r.confirmed_listed === null ? null : r.confirmed_listed === 1,
});

/** Outbox rows of a channel that are due now, oldest first. */
export function dueOutbox(ctx: LedgerCtx, channelId: string, limit: number): OutboxRow[] {
  return ctx
    .stmt<[string, string, number], OutboxJoinRow>(
      `SELECT o.*, l.ref, l.confirmed_qty, l.confirmed_listed FROM outbox o JOIN listings l ON l.id = o.listing_id
       WHERE o.channel_id = ? AND o.is_held = 0 AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
       ORDER BY o.first_enqueued_at LIMIT ?`,
    )
    .all(channelId, nowIso(ctx), limit)
    .map(toOutbox);
}

/** Every pending outbox row (for `/sync status`), oldest first. */
export function allOutbox(ctx: LedgerCtx, channelId?: string): OutboxRow[] {
  return ctx
    .stmt<[string | null, string | null], OutboxJoinRow>(
      `SELECT o.*, l.ref, l.confirmed_qty, l.confirmed_listed FROM outbox o JOIN listings l ON l.id = o.listing_id
       WHERE (? IS NULL OR o.channel_id = ?) ORDER BY o.first_enqueued_at`,
    )
    .all(channelId ?? null, channelId ?? null)
    .map(toOutbox);
}

/**
 * Records that the channel confirmed `qty` / `isListed` for a listing; deletes the outbox row only if it
 * still holds the version that was pushed (a newer target stays queued). Returns whether the row left.
 */
export function confirmPush(
  ctx: LedgerCtx,
  row: Pick<OutboxRow, "channelId" | "sku" | "version">,
  qty: number,
  isListed: boolean,
): boolean {
  const at = nowIso(ctx);
  ctx
    .stmt(
      "UPDATE listings SET confirmed_qty = ?, confirmed_listed = ?, confirmed_at = ? WHERE channel_id = ? AND sku = ?",
    )
    .run(qty, isListed ? 1 : 0, at, row.channelId, row.sku);
  const { changes } = ctx
    .stmt("DELETE FROM outbox WHERE channel_id = ? AND sku = ? AND version = ?")
    .run(row.channelId, row.sku, row.version);
  // Under split, raises wait for pending pushes to confirm (split-guard.ts); this confirmation may free them.
  const level = changes > 0 ? readLevel(ctx, row.sku) : undefined;
  if (level && isSplitLow(ctx.settings, level)) enqueueForSku(ctx, row.sku, {}, level);
  return changes > 0;
}

/** Moves a pending row's next attempt to `at` without counting a failed attempt (a change waiting for a call budget). */
export function postponePush(ctx: LedgerCtx, row: Pick<OutboxRow, "channelId" | "sku" | "version">, at: Date): void {
  ctx
    .stmt("UPDATE outbox SET next_attempt_at = ? WHERE channel_id = ? AND sku = ? AND version = ?")
    .run(at.toISOString(), row.channelId, row.sku, row.version);
}

/** Records a failed attempt and when to try again (the row keeps its target). */
export function deferPush(
  ctx: LedgerCtx,
  row: Pick<OutboxRow, "channelId" | "sku" | "version">,
  nextAttemptAt: Date,
  error: string,
): void {
  ctx
    .stmt(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE channel_id = ? AND sku = ? AND version = ?",
    )
    .run(nextAttemptAt.toISOString(), ctx.redact(error).slice(0, 500), row.channelId, row.sku, row.version);
}

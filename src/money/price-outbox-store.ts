import type { Money } from "../ids.js";
import { must } from "../internal-error.js";
import { resolveAlert } from "../ledger/alerts.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";

/** One price target waiting for a channel to confirm it (issue 14). */
export interface PriceTarget {
  channelId: string;
  sku: string;
  ref: string;
  price: Money;
  version: number;
  changeId: number | null;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  updatedAt: string;
}

interface TargetRow {
  channel_id: string;
  sku: string;
  ref: string;
  target_minor: number;
  currency: string;
  version: number;
  change_id: number | null;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  updated_at: string;
}

const toTarget = (r: TargetRow): PriceTarget => ({
  channelId: r.channel_id,
  sku: r.sku,
  ref: r.ref,
  price: { amountMinor: r.target_minor, currency: r.currency },
  version: r.version,
  changeId: r.change_id,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  updatedAt: r.updated_at,
});

/**
 * Sets the target price of `sku` on each of `channelIds` where it has a live listing: a newer target replaces
 * (coalesces) an unconfirmed older one and bumps the version, so a late confirmation of the old price cannot
 * remove it. Returns the targets written.
 */
export function queuePriceTargets(
  ctx: LedgerCtx,
  t: { sku: string; channelIds: string[]; price: Money; changeId: number | null },
): PriceTarget[] {
  return write(ctx, () => {
    const at = nowIso(ctx);
    const out: PriceTarget[] = [];
    for (const channelId of t.channelIds) {
      const listing = ctx
        .stmt<[string, string], { ref: string }>(
          "SELECT ref FROM listings WHERE channel_id = ? AND sku = ? AND is_delisted = 0",
        )
        .get(channelId, t.sku);
      if (!listing) continue;
      ctx
        .stmt(
          `INSERT INTO price_outbox (channel_id, sku, ref, target_minor, currency, version, change_id, attempts, next_attempt_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 1, ?, 0, ?, ?)
           ON CONFLICT (channel_id, sku) DO UPDATE SET ref = excluded.ref, target_minor = excluded.target_minor,
             currency = excluded.currency, version = price_outbox.version + 1, change_id = excluded.change_id,
             attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL, updated_at = excluded.updated_at`,
        )
        .run(channelId, t.sku, listing.ref, t.price.amountMinor, t.price.currency, t.changeId, at, at);
      const row = ctx
        .stmt<[string, string], TargetRow>("SELECT * FROM price_outbox WHERE channel_id = ? AND sku = ?")
        .get(channelId, t.sku);
      out.push(toTarget(must(row, "the price target just written reads back")));
    }
    // Wakes the sync engine's price lanes once this commits.
    if (out.length) ctx.pending.prices = true;
    return out;
  });
}

/** Targets of one channel due now, oldest first, at most `limit`. */
export function duePriceTargets(ctx: LedgerCtx, channelId: string, limit: number): PriceTarget[] {
  return ctx
    .stmt<[string, string, number], TargetRow>(
      "SELECT * FROM price_outbox WHERE channel_id = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, sku LIMIT ?",
    )
    .all(channelId, nowIso(ctx), limit)
    .map(toTarget);
}

/**
 * The channel confirmed `confirmed` for a target: records it as the channel's last confirmed price and removes the
 * target only when it is still that version and the confirmed price is exactly the target. True when removed.
 * The channel then shows our price again, so a live `price_drift` alert of that listing is resolved.
 */
export function confirmPriceTarget(ctx: LedgerCtx, t: PriceTarget, confirmed: Money): boolean {
  return write(ctx, () => {
    ctx
      .stmt(
        `INSERT INTO channel_prices (channel_id, sku, amount_minor, currency, confirmed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, sku) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency, confirmed_at = excluded.confirmed_at`,
      )
      .run(t.channelId, t.sku, confirmed.amountMinor, confirmed.currency, nowIso(ctx));
    if (confirmed.amountMinor !== t.price.amountMinor || confirmed.currency !== t.price.currency) return false;
    const info = ctx
      .stmt(
        "DELETE FROM price_outbox WHERE channel_id = ? AND sku = ? AND version = ? AND target_minor = ? AND currency = ?",
      )
      .run(t.channelId, t.sku, t.version, t.price.amountMinor, t.price.currency);
    if (info.changes === 0) return false;
    resolveAlert(ctx, "price_drift", `${t.channelId}:${t.sku}`);
    return true;
  });
}

/** When the earliest price target of one channel falls due (the engine's price-lane wake), if it has any. */
export function nextPriceAttemptAt(ctx: LedgerCtx, channelId: string): Date | undefined {
  const row = ctx
    .stmt<[string], { at: string | null }>("SELECT MIN(next_attempt_at) AS at FROM price_outbox WHERE channel_id = ?")
    .get(channelId);
  return row?.at ? new Date(row.at) : undefined;
}

/** A failed or unconfirmed push: try this version again at `nextAt`, keeping the error (already redacted). */
export function deferPriceTarget(ctx: LedgerCtx, t: PriceTarget, nextAt: Date, error: string): void {
  ctx
    .stmt(
      "UPDATE price_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE channel_id = ? AND sku = ? AND version = ?",
    )
    .run(nextAt.toISOString(), ctx.redact(error), t.channelId, t.sku, t.version);
}

/** Every price target not yet confirmed, optionally for one SKU (for /prices and the dashboard). */
export function pendingPriceChanges(ctx: LedgerCtx, sku?: string): PriceTarget[] {
  return (
    sku === undefined
      ? ctx.stmt<[], TargetRow>("SELECT * FROM price_outbox ORDER BY updated_at, channel_id, sku").all()
      : ctx.stmt<[string], TargetRow>("SELECT * FROM price_outbox WHERE sku = ? ORDER BY channel_id").all(sku)
  ).map(toTarget);
}

/** The price each channel last confirmed for `sku` (channel → price). */
export function confirmedPrices(ctx: LedgerCtx, sku: string): Map<string, Money> {
  const rows = ctx
    .stmt<[string], { channel_id: string; amount_minor: number; currency: string }>(
      "SELECT channel_id, amount_minor, currency FROM channel_prices WHERE sku = ?",
    )
    .all(sku);
  return new Map(rows.map((r) => [r.channel_id, { amountMinor: r.amount_minor, currency: r.currency }]));
}

/** The last confirmed price of every listing on one channel that has one (reconcile's drift baseline). */
export function confirmedPricesOn(ctx: LedgerCtx, channelId: string): { sku: string; ref: string; price: Money }[] {
  return ctx
    .stmt<[string], { sku: string; ref: string; amount_minor: number; currency: string }>(
      `SELECT p.sku, l.ref, p.amount_minor, p.currency FROM channel_prices p
       JOIN listings l ON l.channel_id = p.channel_id AND l.sku = p.sku WHERE p.channel_id = ? ORDER BY p.sku`,
    )
    .all(channelId)
    .map((r) => ({ sku: r.sku, ref: r.ref, price: { amountMinor: r.amount_minor, currency: r.currency } }));
}

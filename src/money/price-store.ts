import { NotFoundError } from "../errors.js";
import type { Money } from "../ids.js";
import { must } from "../internal-error.js";
import { recordAudit } from "../ledger/audit.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import type { MoneyActor } from "./breaker-store.js";

/** A SKU's price, on every channel (`channelId` "") or one channel. */
export interface Price {
  sku: string;
  channelId: string;
  price: Money;
  updatedAt: string;
  updatedBy: string;
}

/** One price change the bot was asked to make, applied or refused. */
export interface PriceChange {
  id: number;
  at: string;
  sku: string;
  channelId: string;
  oldMinor: number | null;
  newMinor: number;
  currency: string;
  actor: string;
  outcome: "applied" | "refused";
  reason: string | null;
}

/** The price that applies to `sku` on `channelId`: the channel's own, else the base price. */
export function currentPrice(ctx: LedgerCtx, sku: string, channelId = ""): Price | undefined {
  const r = ctx
    .stmt<
      [string, string],
      {
        sku: string;
        channel_id: string;
        amount_minor: number;
        currency: string;
        updated_at: string;
        updated_by: string;
      }
    >("SELECT * FROM prices WHERE sku = ? AND channel_id IN (?, '') ORDER BY channel_id DESC LIMIT 1")
    .get(sku, channelId);
  return r
    ? {
        sku: r.sku,
        channelId: r.channel_id,
        price: { amountMinor: r.amount_minor, currency: r.currency },
        updatedAt: r.updated_at,
        updatedBy: r.updated_by,
      }
    : undefined;
}

/** The last `limit` price changes of `sku` (applied and refused, every channel), newest first (for /prices). */
export function recentPriceChanges(ctx: LedgerCtx, sku: string, limit = 5): PriceChange[] {
  return ctx
    .stmt<[string, number], PriceChangeRow>("SELECT * FROM price_changes WHERE sku = ? ORDER BY id DESC LIMIT ?")
    .all(sku, limit)
    .map(toChange);
}

/**
 * The day's opening price of `sku` on `channelId`: the price before the first change applied at or after `since`
 * (or that change's own price when it set the first price ever); undefined without a change since then.
 */
export function openingPriceSince(ctx: LedgerCtx, sku: string, channelId: string, since: string): Money | undefined {
  const r = ctx
    .stmt<[string, string, string], { old_minor: number | null; new_minor: number; currency: string }>(
      "SELECT old_minor, new_minor, currency FROM price_changes WHERE sku = ? AND channel_id = ? AND outcome = 'applied' AND at >= ? ORDER BY id LIMIT 1",
    )
    .get(sku, channelId, since);
  return r ? { amountMinor: r.old_minor ?? r.new_minor, currency: r.currency } : undefined;
}

/** A change already recorded under this idempotency key (a redelivered message). */
export function priceChangeByKey(ctx: LedgerCtx, key: string): PriceChange | undefined {
  const r = ctx.stmt<[string], PriceChangeRow>("SELECT * FROM price_changes WHERE idempotency_key = ?").get(key);
  return r ? toChange(r) : undefined;
}

/** Records a change: `applied` also writes the new price; `refused` only leaves the trail. Once per idempotency key. */
export function recordPriceChange(
  ctx: LedgerCtx,
  c: {
    sku: string;
    channelId: string;
    oldMinor: number | null;
    price: Money;
    outcome: "applied" | "refused";
    reason: string | null;
    idempotencyKey: string;
  },
  by: MoneyActor,
): { change: PriceChange; isDuplicate: boolean } {
  return write(ctx, () => {
    const prior = priceChangeByKey(ctx, c.idempotencyKey);
    if (prior) return { change: prior, isDuplicate: true };
    const exists = ctx.stmt("SELECT 1 FROM skus WHERE sku = ?").get(c.sku);
    if (!exists)
      throw new NotFoundError("unknown_sku", `No SKU ${c.sku}. /stock ${c.sku} checks the spelling.`, { sku: c.sku });
    const at = nowIso(ctx);
    const info = ctx
      .stmt(
        "INSERT INTO price_changes (at, sku, channel_id, old_minor, new_minor, currency, actor, outcome, reason, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        at,
        c.sku,
        c.channelId,
        c.oldMinor,
        c.price.amountMinor,
        c.price.currency,
        by.actor,
        c.outcome,
        c.reason,
        c.idempotencyKey,
      );
    if (c.outcome === "applied") {
      ctx
        .stmt(
          `INSERT INTO prices (sku, channel_id, amount_minor, currency, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (sku, channel_id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(c.sku, c.channelId, c.price.amountMinor, c.price.currency, at, by.actor);
    }
    recordAudit(ctx, {
      actor: by.actor,
      transport: by.transport,
      action: c.outcome === "applied" ? "money.price.change" : "money.price.refused",
      args: `${c.sku} ${c.price.amountMinor} ${c.price.currency}`,
      outcome: c.outcome === "applied" ? "ok" : "refused",
      requestId: by.requestId,
      detail: {
        sku: c.sku,
        channelId: c.channelId || null,
        oldMinor: c.oldMinor,
        newMinor: c.price.amountMinor,
        currency: c.price.currency,
        reason: c.reason,
      },
    });
    return {
      change: toChange(
        ctx
          .stmt<[number], PriceChangeRow>("SELECT * FROM price_changes WHERE id = ?")
          .get(Number(info.lastInsertRowid)) ?? must(undefined, "the price change was just inserted"),
      ),
      isDuplicate: false,
    };
  });
}

interface PriceChangeRow {
  id: number;
  at: string;
  sku: string;
  channel_id: string;
  old_minor: number | null;
  new_minor: number;
  currency: string;
  actor: string;
  outcome: "applied" | "refused";
  reason: string | null;
}

const toChange = (r: PriceChangeRow): PriceChange => ({
  id: r.id,
  at: r.at,
  sku: r.sku,
  channelId: r.channel_id,
  oldMinor: r.old_minor,
  newMinor: r.new_minor,
  currency: r.currency,
  actor: r.actor,
  outcome: r.outcome,
  reason: r.reason,
});

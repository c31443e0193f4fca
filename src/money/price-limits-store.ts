import { NotFoundError } from "../errors.js";
import { must } from "../internal-error.js";
import { recordAudit } from "../ledger/audit.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import type { MoneyActor } from "./breaker-store.js";

/** The guard's catalog limits of one SKU in one currency (minor units); each part is optional. */
export interface SkuPriceLimits {
  sku: string;
  currency: string;
  costMinor: number | null;
  minMarginPct: number | null;
  ceilingMinor: number | null;
  updatedAt: string;
  updatedBy: string;
}

interface LimitsRow {
  sku: string;
  currency: string;
  cost_minor: number | null;
  min_margin_pct: number | null;
  ceiling_minor: number | null;
  updated_at: string;
  updated_by: string;
}

const toLimits = (r: LimitsRow): SkuPriceLimits => ({
  sku: r.sku,
  currency: r.currency,
  costMinor: r.cost_minor,
  minMarginPct: r.min_margin_pct,
  ceilingMinor: r.ceiling_minor,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The limits of `sku` in `currency`, if any were set. */
export function skuPriceLimits(ctx: LedgerCtx, sku: string, currency: string): SkuPriceLimits | undefined {
  const r = ctx
    .stmt<[string, string], LimitsRow>("SELECT * FROM sku_price_limits WHERE sku = ? AND currency = ?")
    .get(sku, currency);
  return r ? toLimits(r) : undefined;
}

/** Every currency's limits of `sku` (for /cost without an amount). */
export function allSkuPriceLimits(ctx: LedgerCtx, sku: string): SkuPriceLimits[] {
  return ctx
    .stmt<[string], LimitsRow>("SELECT * FROM sku_price_limits WHERE sku = ? ORDER BY currency")
    .all(sku)
    .map(toLimits);
}

/**
 * Sets the parts of a SKU's limits that are given (`undefined` keeps the stored value, `null` clears it), audited.
 * Unknown SKUs are refused.
 */
export function setSkuPriceLimits(
  ctx: LedgerCtx,
  l: {
    sku: string;
    currency: string;
    costMinor?: number | null;
    minMarginPct?: number | null;
    ceilingMinor?: number | null;
  },
  by: MoneyActor,
): SkuPriceLimits {
  return write(ctx, () => {
    if (!ctx.stmt("SELECT 1 FROM skus WHERE sku = ?").get(l.sku))
      throw new NotFoundError("unknown_sku", `No SKU ${l.sku}. /stock ${l.sku} checks the spelling.`, { sku: l.sku });
    const before = skuPriceLimits(ctx, l.sku, l.currency);
    const next = {
      cost: l.costMinor === undefined ? (before?.costMinor ?? null) : l.costMinor,
      margin: l.minMarginPct === undefined ? (before?.minMarginPct ?? null) : l.minMarginPct,
      ceiling: l.ceilingMinor === undefined ? (before?.ceilingMinor ?? null) : l.ceilingMinor,
    };
    const at = nowIso(ctx);
    ctx
      .stmt(
        `INSERT INTO sku_price_limits (sku, currency, cost_minor, min_margin_pct, ceiling_minor, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sku, currency) DO UPDATE SET cost_minor = excluded.cost_minor, min_margin_pct = excluded.min_margin_pct,
           ceiling_minor = excluded.ceiling_minor, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(l.sku, l.currency, next.cost, next.margin, next.ceiling, at, by.actor);
    recordAudit(ctx, {
      actor: by.actor,
      transport: by.transport,
      action: "money.price.limits",
      args: `${l.sku} ${l.currency}`,
      outcome: "ok",
      requestId: by.requestId,
      detail: {
        sku: l.sku,
        currency: l.currency,
        before: before ? { cost: before.costMinor, margin: before.minMarginPct, ceiling: before.ceilingMinor } : null,
        after: next,
      },
    });
    return must(skuPriceLimits(ctx, l.sku, l.currency), "the limits just written read back");
  });
}

/** One price of a bulk change. */
export interface BatchItem {
  sku: string;
  /** "" for the base price on every channel. */
  channelId: string;
  amountMinor: number;
  currency: string;
  oldMinor: number | null;
}

/** Bulk price change lifecycle: pending → approved / rejected. */
export type PriceBatchState = "pending" | "approved" | "rejected";

/** A bulk price change (a CSV) held for one approval. */
export interface PriceBatch {
  id: number;
  source: string;
  items: BatchItem[];
  requestedBy: string;
  requestedAt: string;
  state: PriceBatchState;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
}

interface BatchRow {
  id: number;
  request_key: string;
  source: string;
  items: string;
  item_count: number;
  requested_by: string;
  requested_at: string;
  state: PriceBatchState;
  decided_by: string | null;
  decided_at: string | null;
  reject_reason: string | null;
}

const toBatch = (r: BatchRow): PriceBatch => ({
  id: r.id,
  source: r.source,
  items: JSON.parse(r.items) as BatchItem[],
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  state: r.state,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  rejectReason: r.reject_reason,
});

/** One bulk change by id. */
export function findPriceBatch(ctx: LedgerCtx, id: number): PriceBatch | undefined {
  const r = ctx.stmt<[number], BatchRow>("SELECT * FROM price_batches WHERE id = ?").get(id);
  return r ? toBatch(r) : undefined;
}

/** Bulk changes still waiting for an approver, oldest first. */
export function pendingPriceBatches(ctx: LedgerCtx): PriceBatch[] {
  return ctx.stmt<[], BatchRow>("SELECT * FROM price_batches WHERE state = 'pending' ORDER BY id").all().map(toBatch);
}

/** Opens a bulk change request, once per `requestKey` (the same file twice opens one request), audited. */
export function openPriceBatch(
  ctx: LedgerCtx,
  b: { requestKey: string; source: string; items: BatchItem[] },
  by: MoneyActor,
): { batch: PriceBatch; isDuplicate: boolean } {
  return write(ctx, () => {
    const prior = ctx.stmt<[string], BatchRow>("SELECT * FROM price_batches WHERE request_key = ?").get(b.requestKey);
    if (prior) return { batch: toBatch(prior), isDuplicate: true };
    const info = ctx
      .stmt(
        `INSERT INTO price_batches (request_key, source, items, item_count, requested_by, requested_at, state)
         VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run(b.requestKey, b.source, JSON.stringify(b.items), b.items.length, by.actor, nowIso(ctx));
    const batch = must(findPriceBatch(ctx, Number(info.lastInsertRowid)), "the batch just inserted reads back");
    recordAudit(ctx, {
      actor: by.actor,
      transport: by.transport,
      action: "money.price.batch.request",
      args: `${batch.id} ${b.items.length}`,
      outcome: "ok",
      requestId: by.requestId,
      detail: { batchId: batch.id, source: b.source, count: b.items.length },
    });
    return { batch, isDuplicate: false };
  });
}

/** Marks a pending batch decided (approved or rejected with a reason), audited; false when it was no longer pending. */
export function decidePriceBatch(
  ctx: LedgerCtx,
  id: number,
  d: { state: "approved" } | { state: "rejected"; reason: string },
  by: MoneyActor,
): boolean {
  return write(ctx, () => {
    const { changes } = ctx
      .stmt(
        "UPDATE price_batches SET state = ?, decided_by = ?, decided_at = ?, reject_reason = ? WHERE id = ? AND state = 'pending'",
      )
      .run(d.state, by.actor, nowIso(ctx), d.state === "rejected" ? d.reason : null, id);
    if (changes === 0) return false;
    recordAudit(ctx, {
      actor: by.actor,
      transport: by.transport,
      action: d.state === "approved" ? "money.price.batch.approve" : "money.price.batch.reject",
      args: String(id),
      outcome: "ok",
      requestId: by.requestId,
      detail: { batchId: id, reason: d.state === "rejected" ? d.reason : null },
    });
    return true;
  });
}

import { NotFoundError } from "../errors.js";
import type { Money } from "../ids.js";
import { must } from "../internal-error.js";
import { recordAudit } from "../ledger/audit.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import type { MoneyActor } from "./breaker-store.js";

/** Price request lifecycle: pending → approved / rejected. */
export type PriceRequestState = "pending" | "approved" | "rejected";

/** A price change waiting for (or decided by) a second person. */
export interface PriceRequest {
  id: number;
  sku: string;
  /** "" for the base price on every channel. */
  channelId: string;
  old: Money | undefined;
  price: Money;
  movePct: number;
  requestedBy: string;
  requestedAt: string;
  state: PriceRequestState;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  changeId: number | null;
}

interface PriceRequestRow {
  id: number;
  sku: string;
  channel_id: string;
  old_minor: number | null;
  new_minor: number;
  currency: string;
  move_pct: number;
  requested_by: string;
  requested_at: string;
  state: PriceRequestState;
  decided_by: string | null;
  decided_at: string | null;
  reject_reason: string | null;
  change_id: number | null;
}

const toRequest = (r: PriceRequestRow): PriceRequest => ({
  id: r.id,
  sku: r.sku,
  channelId: r.channel_id,
  old: r.old_minor === null ? undefined : { amountMinor: r.old_minor, currency: r.currency },
  price: { amountMinor: r.new_minor, currency: r.currency },
  movePct: r.move_pct,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  state: r.state,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  rejectReason: r.reject_reason,
  changeId: r.change_id,
});

function audit(ctx: LedgerCtx, action: string, r: PriceRequest, by: MoneyActor): void {
  recordAudit(ctx, {
    actor: by.actor,
    transport: by.transport,
    action,
    args: `${r.id} ${r.sku} ${r.price.amountMinor} ${r.price.currency}`,
    outcome: "ok",
    requestId: by.requestId,
    detail: {
      requestId: r.id,
      sku: r.sku,
      channelId: r.channelId || null,
      oldMinor: r.old?.amountMinor ?? null,
      newMinor: r.price.amountMinor,
      currency: r.price.currency,
      movePct: r.movePct,
      requestedBy: r.requestedBy,
      changeId: r.changeId,
      reason: r.rejectReason,
    },
  });
}

/** The price request `id`, or undefined. */
export function findPriceRequest(ctx: LedgerCtx, id: number): PriceRequest | undefined {
  const r = ctx.stmt<[number], PriceRequestRow>("SELECT * FROM price_requests WHERE id = ?").get(id);
  return r ? toRequest(r) : undefined;
}

/** The request opened under this idempotency key (a redelivered confirm), or undefined. */
export function priceRequestByKey(ctx: LedgerCtx, key: string): PriceRequest | undefined {
  const r = ctx.stmt<[string], PriceRequestRow>("SELECT * FROM price_requests WHERE request_key = ?").get(key);
  return r ? toRequest(r) : undefined;
}

/** Pending price requests, oldest first; of one SKU when `sku` is given. */
export function pendingPriceRequests(ctx: LedgerCtx, sku?: string): PriceRequest[] {
  const rows =
    sku === undefined
      ? ctx.stmt<[], PriceRequestRow>("SELECT * FROM price_requests WHERE state = 'pending' ORDER BY id").all()
      : ctx
          .stmt<[string], PriceRequestRow>(
            "SELECT * FROM price_requests WHERE state = 'pending' AND sku = ? ORDER BY id",
          )
          .all(sku);
  return rows.map(toRequest);
}

/** Opens a pending request (audited), once per `requestKey`: a redelivered confirm returns the first one. */
export function openPriceRequest(
  ctx: LedgerCtx,
  input: { sku: string; channelId: string; old: Money | undefined; price: Money; movePct: number; requestKey: string },
  by: MoneyActor,
): { request: PriceRequest; isDuplicate: boolean } {
  return write(ctx, () => {
    const prior = priceRequestByKey(ctx, input.requestKey);
    if (prior) return { request: prior, isDuplicate: true };
    if (!ctx.stmt("SELECT 1 FROM skus WHERE sku = ?").get(input.sku))
      throw new NotFoundError("unknown_sku", `No SKU ${input.sku}.`, { sku: input.sku });
    const info = ctx
      .stmt(
        `INSERT INTO price_requests (sku, channel_id, old_minor, new_minor, currency, move_pct, request_key, requested_by, requested_at, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      )
      .run(
        input.sku,
        input.channelId,
        input.old?.amountMinor ?? null,
        input.price.amountMinor,
        input.price.currency,
        input.movePct,
        input.requestKey,
        by.actor,
        nowIso(ctx),
      );
    const request = must(findPriceRequest(ctx, Number(info.lastInsertRowid)), "the price request was just inserted");
    audit(ctx, "money.price.request", request, by);
    return { request, isDuplicate: false };
  });
}

/** Marks a pending request approved with the price change it applied (audited); false when it was no longer pending. */
export function markPriceRequestApproved(ctx: LedgerCtx, id: number, changeId: number, by: MoneyActor): boolean {
  return write(ctx, () => {
    const info = ctx
      .stmt(
        "UPDATE price_requests SET state = 'approved', decided_by = ?, decided_at = ?, change_id = ? WHERE id = ? AND state = 'pending'",
      )
      .run(by.actor, nowIso(ctx), changeId, id);
    if (info.changes === 0) return false;
    audit(ctx, "money.price.approve", must(findPriceRequest(ctx, id), "the price request exists"), by);
    return true;
  });
}

/** Marks a pending request rejected with a reason (audited); false when it was no longer pending. */
export function markPriceRequestRejected(ctx: LedgerCtx, id: number, reason: string, by: MoneyActor): boolean {
  return write(ctx, () => {
    const info = ctx
      .stmt(
        "UPDATE price_requests SET state = 'rejected', decided_by = ?, decided_at = ?, reject_reason = ? WHERE id = ? AND state = 'pending'",
      )
      .run(by.actor, nowIso(ctx), reason, id);
    if (info.changes === 0) return false;
    audit(ctx, "money.price.reject", must(findPriceRequest(ctx, id), "the price request exists"), by);
    return true;
  });
}

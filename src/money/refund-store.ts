import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import type { Money } from "../ids.js";
import { recordAudit } from "../ledger/audit.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import { formatMoney } from "./amount.js";
import { assertBreakerClosed, type MoneyActor, tripBreaker, windowTotal } from "./breaker-store.js";
import { notPendingError } from "./states.js";

/** Refund lifecycle: pending → approved / rejected; approved → executed / failed. */
export type RefundState = "pending" | "approved" | "rejected" | "executed" | "failed";
/** How an approved refund is carried out: the channel's refund API, a person (to-do + Done), or the channel did it itself. */
export type RefundExecution = "api" | "manual" | "channel";

/** A refund request and everything that happened to it. */
export interface Refund {
  id: string;
  channelId: string;
  orderId: string;
  amount: Money;
  reason: string;
  source: "chat" | "channel";
  requestedBy: string;
  requestedAt: string;
  state: RefundState;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  /** When it started counting towards the breaker window. */
  countedAt: string | null;
  execution: RefundExecution | null;
  /** Sent to the channel with every attempt; the same key on a retry cannot refund twice. */
  idempotencyKey: string | null;
  attempts: number;
  /** Set while a provider call is in flight. */
  attemptStartedAt: string | null;
  lastError: string | null;
  channelRefundId: string | null;
  executedBy: string | null;
  executedAt: string | null;
  failedAt: string | null;
}

interface RefundRow {
  id: string;
  channel_id: string;
  order_id: string;
  amount_minor: number;
  currency: string;
  reason: string;
  source: "chat" | "channel";
  request_key: string;
  requested_by: string;
  requested_at: string;
  state: RefundState;
  decided_by: string | null;
  decided_at: string | null;
  reject_reason: string | null;
  counted_at: string | null;
  execution: RefundExecution | null;
  idempotency_key: string | null;
  attempts: number;
  attempt_started_at: string | null;
  last_error: string | null;
  channel_refund_id: string | null;
  executed_by: string | null;
  executed_at: string | null;
  failed_at: string | null;
}

const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  channelId: r.channel_id,
  orderId: r.order_id,
  amount: { amountMinor: r.amount_minor, currency: r.currency },
  reason: r.reason,
  source: r.source,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  state: r.state,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  rejectReason: r.reject_reason,
  countedAt: r.counted_at,
  execution: r.execution,
  idempotencyKey: r.idempotency_key,
  attempts: r.attempts,
  attemptStartedAt: r.attempt_started_at,
  lastError: r.last_error,
  channelRefundId: r.channel_refund_id,
  executedBy: r.executed_by,
  executedAt: r.executed_at,
  failedAt: r.failed_at,
});

/** The limits an approval is checked against, already in minor units of the refund's currency. */
export interface BreakerLimits {
  windowMinutes: number;
  limitMinor: number;
}

const audit = (ctx: LedgerCtx, action: string, r: Refund, by: MoneyActor, extra: Record<string, unknown> = {}): void =>
  recordAudit(ctx, {
    actor: by.actor,
    transport: by.transport,
    action,
    args: r.id,
    outcome: "ok",
    requestId: by.requestId,
    detail: {
      refundId: r.id,
      channelId: r.channelId,
      orderId: r.orderId,
      amountMinor: r.amount.amountMinor,
      currency: r.amount.currency,
      ...extra,
    },
  });

/** One refund by id (case-insensitive); NotFoundError otherwise. */
export function getRefund(ctx: LedgerCtx, id: string): Refund {
  const r = ctx.stmt<[string], RefundRow>("SELECT * FROM refunds WHERE id = ?").get(id.toUpperCase());
  if (!r) throw localized(NotFoundError, "unknown_refund", textRef("err-unknown-refund", { id }), { id });
  return toRefund(r);
}

/** Refunds in the given states (all when omitted), newest first. */
export function listRefunds(ctx: LedgerCtx, opts: { states?: RefundState[]; limit?: number } = {}): Refund[] {
  const states = opts.states ?? ["pending", "approved", "rejected", "executed", "failed"];
  return ctx
    .stmt<[string, number], RefundRow>(
      "SELECT * FROM refunds WHERE state IN (SELECT value FROM json_each(?)) ORDER BY requested_at DESC, id DESC LIMIT ?",
    )
    .all(JSON.stringify(states), opts.limit ?? 20)
    .map(toRefund);
}

/** Refunds of one order that still stand (not rejected or failed). */
export function refundsForOrder(ctx: LedgerCtx, channelId: string, orderId: string): Refund[] {
  return ctx
    .stmt<[string, string], RefundRow>(
      "SELECT * FROM refunds WHERE channel_id = ? AND order_id = ? AND state NOT IN ('rejected', 'failed') ORDER BY requested_at",
    )
    .all(channelId, orderId)
    .map(toRefund);
}

/** What a new refund request needs; `requestKey` makes a redelivered chat message or webhook count once. */
export interface RefundRequestInput {
  channelId: string;
  orderId: string;
  amount: Money;
  reason: string;
  source: "chat" | "channel";
  requestKey: string;
}

/** Records a pending refund request (once per request key) and audits it. */
export function requestRefund(
  ctx: LedgerCtx,
  input: RefundRequestInput,
  by: MoneyActor,
): { refund: Refund; isDuplicate: boolean } {
  return write(ctx, () => {
    const existing = ctx.stmt<[string], RefundRow>("SELECT * FROM refunds WHERE request_key = ?").get(input.requestKey);
    if (existing) return { refund: toRefund(existing), isDuplicate: true };
    const id = ctx.newId("R");
    const at = nowIso(ctx);
    ctx
      .stmt(
        `INSERT INTO refunds (id, channel_id, order_id, amount_minor, currency, reason, source, request_key, requested_by, requested_at, state, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      )
      .run(
        id,
        input.channelId,
        input.orderId,
        input.amount.amountMinor,
        input.amount.currency,
        input.reason,
        input.source,
        input.requestKey,
        by.actor,
        at,
        at,
      );
    const refund = getRefund(ctx, id);
    audit(ctx, "money.refund.request", refund, by, { reason: input.reason, source: input.source });
    return { refund, isDuplicate: false };
  });
}

/** How an approval ended: approved (now execute it), or the breaker opened instead. */
export type ApprovalOutcome =
  | { kind: "approved"; refund: Refund }
  | { kind: "tripped"; refund: Refund; windowTotalMinor: number; limitMinor: number };

/**
 * Approves a pending refund in one transaction: refuses the requester, refuses while the breaker is
 * open, and opens the breaker instead when this refund would push the window total past the limit.
 * For `api` execution the first attempt is marked in flight in the same transaction, so a second
 * press of Approve finds it approved and never calls the channel again.
 */
export function approveRefund(
  ctx: LedgerCtx,
  id: string,
  by: MoneyActor,
  opts: BreakerLimits & { execution: "api" | "manual" },
): ApprovalOutcome {
  return write(ctx, () => {
    const r = getRefund(ctx, id);
    assertPending(r);
    if (r.requestedBy === by.actor) {
      throw localized(ForbiddenError, "own_refund", textRef("err-own-refund", { id: r.id }), { refundId: r.id });
    }
    assertBreakerClosed(ctx, textRef("what-approving", { id: r.id }));
    const total = windowTotal(ctx, r.amount.currency, opts.windowMinutes);
    if (total + r.amount.amountMinor > opts.limitMinor) {
      tripBreaker(
        ctx,
        {
          reason: `${r.id} (${formatMoney(r.amount)}) would bring refunds in the last ${opts.windowMinutes} min to ${formatMoney({ amountMinor: total + r.amount.amountMinor, currency: r.amount.currency })}, over the limit of ${formatMoney({ amountMinor: opts.limitMinor, currency: r.amount.currency })}`,
          currency: r.amount.currency,
          windowTotalMinor: total,
          limitMinor: opts.limitMinor,
          refundId: r.id,
        },
        by,
      );
      return { kind: "tripped", refund: r, windowTotalMinor: total, limitMinor: opts.limitMinor };
    }
    const at = nowIso(ctx);
    const isApi = opts.execution === "api";
    ctx
      .stmt(
        `UPDATE refunds SET state = 'approved', decided_by = ?, decided_at = ?, counted_at = ?, execution = ?, idempotency_key = ?,
         attempts = attempts + ?, attempt_started_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
      )
      .run(by.actor, at, at, opts.execution, `stockradar-refund-${r.id}`, isApi ? 1 : 0, isApi ? at : null, at, r.id);
    const refund = getRefund(ctx, r.id);
    audit(ctx, "money.refund.approve", refund, by, {
      execution: opts.execution,
      windowTotalMinor: total + r.amount.amountMinor,
      limitMinor: opts.limitMinor,
    });
    return { kind: "approved", refund };
  });
}

/**
 * Starts another attempt of an approved API refund whose last attempt failed retryably or was cut off
 * (older than `staleBefore`). The idempotency key stays the same, so the channel cannot refund twice.
 */
export function retryAttempt(ctx: LedgerCtx, id: string, by: MoneyActor, staleBefore: string): Refund {
  return write(ctx, () => {
    const r = getRefund(ctx, id);
    if (r.state !== "approved" || r.execution !== "api") assertPending(r);
    assertBreakerClosed(ctx, textRef("what-retrying", { id: r.id }));
    const at = nowIso(ctx);
    const { changes } = ctx
      .stmt(
        `UPDATE refunds SET attempts = attempts + 1, attempt_started_at = ?, updated_at = ?
         WHERE id = ? AND state = 'approved' AND execution = 'api' AND (attempt_started_at IS NULL OR attempt_started_at <= ?)`,
      )
      .run(at, at, r.id, staleBefore);
    if (!changes) {
      throw localized(
        ConflictError,
        "refund_in_flight",
        textRef("err-refund-retry-in-flight", { id: r.id, channel: r.channelId, who: r.decidedBy ?? "" }),
        { refundId: r.id },
      );
    }
    const refund = getRefund(ctx, r.id);
    audit(ctx, "money.refund.retry", refund, by, { attempt: refund.attempts });
    return refund;
  });
}

/** Marks an API refund executed with the channel's receipt (second transaction after the provider call). */
export function markExecuted(ctx: LedgerCtx, id: string, receipt: { channelRefundId: string }, by: MoneyActor): Refund {
  return write(ctx, () => {
    const at = nowIso(ctx);
    const { changes } = ctx
      .stmt(
        `UPDATE refunds SET state = 'executed', channel_refund_id = ?, executed_by = ?, executed_at = ?, attempt_started_at = NULL, last_error = NULL, updated_at = ?
         WHERE id = ? AND state = 'approved'`,
      )
      .run(receipt.channelRefundId, by.actor, at, at, id);
    const refund = getRefund(ctx, id);
    if (changes)
      audit(ctx, "money.refund.execute", refund, by, {
        channelRefundId: receipt.channelRefundId,
        execution: refund.execution,
      });
    return refund;
  });
}

/** Records a failed attempt: final failures end the refund (`failed`), others leave it approved for a retry with the same key. */
export function markAttemptFailed(
  ctx: LedgerCtx,
  id: string,
  f: { error: string; isFinal: boolean },
  by: MoneyActor,
): Refund {
  return write(ctx, () => {
    const at = nowIso(ctx);
    ctx
      .stmt(
        `UPDATE refunds SET state = CASE WHEN ? THEN 'failed' ELSE state END, failed_at = CASE WHEN ? THEN ? ELSE failed_at END,
         attempt_started_at = NULL, last_error = ?, updated_at = ? WHERE id = ? AND state = 'approved'`,
      )
      .run(f.isFinal ? 1 : 0, f.isFinal ? 1 : 0, at, ctx.redact(f.error).slice(0, 500), at, id);
    const refund = getRefund(ctx, id);
    audit(ctx, f.isFinal ? "money.refund.fail" : "money.refund.attempt_failed", refund, by, {
      error: f.error.slice(0, 200),
      attempt: refund.attempts,
    });
    return refund;
  });
}

/** Marks a manual refund done by the person who paid it out. Pressing Done twice says who did it first. */
export function markManualDone(
  ctx: LedgerCtx,
  id: string,
  by: MoneyActor,
): { refund: Refund; wasAlreadyDone: boolean } {
  return write(ctx, () => {
    const r = getRefund(ctx, id);
    if (r.state === "executed") return { refund: r, wasAlreadyDone: true };
    if (r.state !== "approved" || r.execution !== "manual") {
      if (r.state === "approved")
        throw localized(
          ConflictError,
          "refund_not_manual",
          textRef("err-refund-not-manual", { id: r.id, channel: r.channelId }),
          { refundId: r.id },
        );
      assertPending(r);
      throw localized(ConflictError, "refund_not_approved", textRef("err-refund-not-approved", { id: r.id }), {
        refundId: r.id,
      });
    }
    const at = nowIso(ctx);
    ctx
      .stmt(
        "UPDATE refunds SET state = 'executed', executed_by = ?, executed_at = ?, updated_at = ? WHERE id = ? AND state = 'approved'",
      )
      .run(by.actor, at, at, r.id);
    const refund = getRefund(ctx, r.id);
    audit(ctx, "money.refund.execute", refund, by, { execution: "manual" });
    return { refund, wasAlreadyDone: false };
  });
}

/** Rejects a pending refund; the reason is required and kept. */
export function rejectRefund(ctx: LedgerCtx, id: string, reason: string, by: MoneyActor): Refund {
  return write(ctx, () => {
    const r = getRefund(ctx, id);
    assertPending(r);
    const at = nowIso(ctx);
    ctx
      .stmt(
        "UPDATE refunds SET state = 'rejected', decided_by = ?, decided_at = ?, reject_reason = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
      )
      .run(by.actor, at, reason, at, r.id);
    const refund = getRefund(ctx, r.id);
    audit(ctx, "money.refund.reject", refund, by, { reason });
    return refund;
  });
}

/**
 * Records a refund a channel reports it already made (Shopify refunds/create): it counts towards the
 * window at once and may open the breaker, which then blocks everything after it. A refund we executed
 * ourselves comes back as the same channel refund id (or, before we stored it, as an in-flight attempt
 * of the same order and amount) and is not counted twice.
 */
export function recordChannelRefund(
  ctx: LedgerCtx,
  input: { channelId: string; orderId: string; amount: Money; reason: string; channelRefundId: string },
  by: MoneyActor,
  limits: BreakerLimits,
): { refund: Refund; isDuplicate: boolean; hasTripped: boolean } {
  return write(ctx, () => {
    const same = ctx
      .stmt<[string, string], RefundRow>("SELECT * FROM refunds WHERE channel_id = ? AND channel_refund_id = ?")
      .get(input.channelId, input.channelRefundId);
    if (same) return { refund: toRefund(same), isDuplicate: true, hasTripped: false };
    const ours = ctx
      .stmt<[string, string, number, string], RefundRow>(
        `SELECT * FROM refunds WHERE channel_id = ? AND order_id = ? AND amount_minor = ? AND currency = ?
         AND state = 'approved' AND execution = 'api' ORDER BY decided_at LIMIT 1`,
      )
      .get(input.channelId, input.orderId, input.amount.amountMinor, input.amount.currency);
    if (ours) return { refund: toRefund(ours), isDuplicate: true, hasTripped: false };
    const total = windowTotal(ctx, input.amount.currency, limits.windowMinutes);
    const id = ctx.newId("R");
    const at = nowIso(ctx);
    ctx
      .stmt(
        `INSERT INTO refunds (id, channel_id, order_id, amount_minor, currency, reason, source, request_key, requested_by, requested_at, state,
           counted_at, execution, channel_refund_id, executed_by, executed_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'channel', ?, ?, ?, 'executed', ?, 'channel', ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.channelId,
        input.orderId,
        input.amount.amountMinor,
        input.amount.currency,
        input.reason,
        `channel:${input.channelId}:${input.channelRefundId}`,
        by.actor,
        at,
        at,
        input.channelRefundId,
        by.actor,
        at,
        at,
      );
    const refund = getRefund(ctx, id);
    audit(ctx, "money.refund.execute", refund, by, { execution: "channel", channelRefundId: input.channelRefundId });
    let hasTripped = false;
    if (total + input.amount.amountMinor > limits.limitMinor) {
      hasTripped = tripBreaker(
        ctx,
        {
          reason: `${input.channelId} reported refund ${id} (${formatMoney(input.amount)}); refunds in the last ${limits.windowMinutes} min are now ${formatMoney({ amountMinor: total + input.amount.amountMinor, currency: input.amount.currency })}, over the limit of ${formatMoney({ amountMinor: limits.limitMinor, currency: input.amount.currency })}`,
          currency: input.amount.currency,
          windowTotalMinor: total + input.amount.amountMinor,
          limitMinor: limits.limitMinor,
          refundId: id,
        },
        by,
      );
    }
    return { refund, isDuplicate: false, hasTripped };
  });
}

function assertPending(r: Refund): void {
  const err = notPendingError(r);
  if (err) throw err;
}

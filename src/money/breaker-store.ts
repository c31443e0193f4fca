import { ConflictError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { type TextRef, textRef } from "../i18n/ref.js";
import { must } from "../internal-error.js";
import { recordAudit } from "../ledger/audit.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";

/** Who performs a money action, for the audit log. */
export interface MoneyActor {
  actor: string;
  transport: string;
  requestId: string;
}

/** The refund breaker as stored in the ledger (one row; survives restarts). */
export interface BreakerState {
  isOpen: boolean;
  openedAt: string | null;
  openedBy: string | null;
  reason: string | null;
  currency: string | null;
  windowTotalMinor: number | null;
  limitMinor: number | null;
  refundId: string | null;
  lastPagedAt: string | null;
  pageCount: number;
}

/** One trip or reset, for `/breaker` history. */
export interface BreakerEvent {
  id: number;
  at: string;
  kind: "trip" | "reset";
  actor: string;
  reason: string;
  currency: string | null;
  windowTotalMinor: number | null;
  limitMinor: number | null;
  refundId: string | null;
}

/** Refunds counted in the window for one currency. */
export interface WindowTotal {
  currency: string;
  totalMinor: number;
  count: number;
}

interface BreakerRow {
  is_open: number;
  opened_at: string | null;
  opened_by: string | null;
  reason: string | null;
  currency: string | null;
  window_total_minor: number | null;
  limit_minor: number | null;
  refund_id: string | null;
  last_paged_at: string | null;
  page_count: number;
}

/** The breaker's current state. */
export function breakerState(ctx: LedgerCtx): BreakerState {
  const r = ctx.stmt<[], BreakerRow>("SELECT * FROM breaker WHERE id = 1").get();
  if (!r) throw new Error("internal invariant broken: migrations seed breaker row 1");
  return {
    isOpen: r.is_open === 1,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    reason: r.reason,
    currency: r.currency,
    windowTotalMinor: r.window_total_minor,
    limitMinor: r.limit_minor,
    refundId: r.refund_id,
    lastPagedAt: r.last_paged_at,
    pageCount: r.page_count,
  };
}

/** Throws ConflictError while the breaker is open: every refund and price change stops here. */
export function assertBreakerClosed(ctx: LedgerCtx, what: string | TextRef): void {
  const s = breakerState(ctx);
  if (s.isOpen) {
    throw localized(
      ConflictError,
      "breaker_open",
      textRef("err-breaker-open", {
        since: { dateTime: s.openedAt ?? nowIso(ctx) },
        what: typeof what === "string" ? what : { ref: what },
      }),
      { openedAt: s.openedAt },
    );
  }
}

/** Start of the sliding window that ends now. */
export const windowStart = (ctx: LedgerCtx, windowMinutes: number): string =>
  new Date(ctx.clock.now().getTime() - windowMinutes * 60_000).toISOString();

/** Refunds approved or executed within the last `windowMinutes`, summed per currency. */
export function windowTotals(ctx: LedgerCtx, windowMinutes: number): WindowTotal[] {
  return ctx
    .stmt<[string], { currency: string; total: number; n: number }>(
      `SELECT currency, SUM(amount_minor) AS total, COUNT(*) AS n FROM refunds
       WHERE state IN ('approved', 'executed') AND counted_at > ? GROUP BY currency ORDER BY currency`,
    )
    .all(windowStart(ctx, windowMinutes))
    .map((r) => ({ currency: r.currency, totalMinor: r.total, count: r.n }));
}

/** The window total for one currency. */
export function windowTotal(ctx: LedgerCtx, currency: string, windowMinutes: number): number {
  return windowTotals(ctx, windowMinutes).find((t) => t.currency === currency)?.totalMinor ?? 0;
}

/** Opens the breaker (no-op when already open) and records the trip in its history and the audit log; true when it opened now. */
export function tripBreaker(
  ctx: LedgerCtx,
  t: { reason: string; currency: string; windowTotalMinor: number; limitMinor: number; refundId?: string | null },
  by: MoneyActor,
): boolean {
  return write(ctx, () => {
    const at = nowIso(ctx);
    const { changes } = ctx
      .stmt(
        `UPDATE breaker SET is_open = 1, opened_at = ?, opened_by = ?, reason = ?, currency = ?, window_total_minor = ?, limit_minor = ?,
         refund_id = ?, last_paged_at = NULL, page_count = 0 WHERE id = 1 AND is_open = 0`,
      )
      .run(at, by.actor, t.reason, t.currency, t.windowTotalMinor, t.limitMinor, t.refundId ?? null);
    if (!changes) return false;
    ctx
      .stmt(
        "INSERT INTO breaker_events (at, kind, actor, reason, currency, window_total_minor, limit_minor, refund_id) VALUES (?, 'trip', ?, ?, ?, ?, ?, ?)",
      )
      .run(at, by.actor, t.reason, t.currency, t.windowTotalMinor, t.limitMinor, t.refundId ?? null);
    recordAudit(ctx, {
      actor: by.actor,
      transport: by.transport,
      action: "money.breaker.trip",
      args: t.refundId ?? "",
      outcome: "ok",
      requestId: by.requestId,
      detail: {
        currency: t.currency,
        windowTotalMinor: t.windowTotalMinor,
        limitMinor: t.limitMinor,
        refundId: t.refundId ?? null,
        reason: t.reason,
      },
    });
    return true;
  });
}

/** Closes the breaker with a reason; ConflictError when it is not open. */
export function resetBreaker(ctx: LedgerCtx, reason: string, by: MoneyActor, windowMinutes: number): BreakerEvent {
  return write(ctx, () => {
    const before = breakerState(ctx);
    if (!before.isOpen) throw localized(ConflictError, "breaker_closed", textRef("err-breaker-closed"));
    const at = nowIso(ctx);
    ctx
      .stmt(
        "UPDATE breaker SET is_open = 0, opened_at = NULL, opened_by = NULL, reason = NULL, currency = NULL, window_total_minor = NULL, limit_minor = NULL, refund_id = NULL, last_paged_at = NULL, page_count = 0 WHERE id = 1",
      )
      .run();
    const totals = windowTotals(ctx, windowMinutes);
    const info = ctx
      .stmt(
        "INSERT INTO breaker_events (at, kind, actor, reason, currency, window_total_minor, limit_minor, refund_id) VALUES (?, 'reset', ?, ?, ?, ?, ?, ?)",
      )
      .run(
        at,
        by.actor,
        reason,
        before.currency,
        before.currency ? (totals.find((x) => x.currency === before.currency)?.totalMinor ?? 0) : null,
        before.limitMinor,
        before.refundId,
      );
    recordAudit(ctx, {
      actor: by.actor,
      transport: by.transport,
      action: "money.breaker.reset",
      args: reason,
      outcome: "ok",
      requestId: by.requestId,
      detail: {
        openedAt: before.openedAt,
        currency: before.currency,
        trippedAtTotalMinor: before.windowTotalMinor,
        limitMinor: before.limitMinor,
        windowTotals: totals,
        reason,
      },
    });
    return must(
      breakerEvents(ctx, 1).find((e) => e.id === Number(info.lastInsertRowid)),
      "the breaker event was just inserted",
    );
  });
}

/** Claims a page: true (and the page counted) when the breaker is open and the last page is at least `everyMinutes` old. */
export function claimBreakerPage(ctx: LedgerCtx, everyMinutes: number): BreakerState | undefined {
  return write(ctx, () => {
    const now = ctx.clock.now();
    const dueBefore = new Date(now.getTime() - everyMinutes * 60_000 + 30_000).toISOString();
    const { changes } = ctx
      .stmt(
        "UPDATE breaker SET last_paged_at = ?, page_count = page_count + 1 WHERE id = 1 AND is_open = 1 AND (last_paged_at IS NULL OR last_paged_at <= ?)",
      )
      .run(now.toISOString(), dueBefore);
    return changes ? breakerState(ctx) : undefined;
  });
}

/** Trips and resets, newest first. */
export function breakerEvents(ctx: LedgerCtx, limit = 10): BreakerEvent[] {
  return ctx
    .stmt<
      [number],
      {
        id: number;
        at: string;
        kind: "trip" | "reset";
        actor: string;
        reason: string;
        currency: string | null;
        window_total_minor: number | null;
        limit_minor: number | null;
        refund_id: string | null;
      }
    >("SELECT * FROM breaker_events ORDER BY id DESC LIMIT ?")
    .all(limit)
    .map((r) => ({
      id: r.id,
      at: r.at,
      kind: r.kind,
      actor: r.actor,
      reason: r.reason,
      currency: r.currency,
      windowTotalMinor: r.window_total_minor,
      limitMinor: r.limit_minor,
      refundId: r.refund_id,
    }));
}

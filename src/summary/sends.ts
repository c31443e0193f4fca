import { nowIso, write, type LedgerCtx } from "../ledger/context.js";

/**
 * Claims the daily summary of `day` (YYYY-MM-DD) for sending: true for exactly one caller across
 * restarts and processes. A claim left `sending` by a crash is never re-sent (at most once).
 */
export function claimSummaryDay(ctx: LedgerCtx, day: string): boolean {
  const { changes } = ctx.db.prepare("INSERT INTO summary_sends (day, status, claimed_at) VALUES (?, 'sending', ?) ON CONFLICT DO NOTHING").run(day, nowIso(ctx));
  return changes === 1;
}

/** Marks a claimed day as sent. */
export function markSummarySent(ctx: LedgerCtx, day: string): void {
  ctx.db.prepare("UPDATE summary_sends SET status = 'sent', sent_at = ? WHERE day = ?").run(nowIso(ctx), day);
}

/** Gives a claim back after the send failed on every transport, so the next run may try again. */
export function releaseSummaryDay(ctx: LedgerCtx, day: string): void {
  write(ctx, () => ctx.db.prepare("DELETE FROM summary_sends WHERE day = ? AND status = 'sending'").run(day));
}

/** When `day`'s summary went out, if it did. */
export function summarySentAt(ctx: LedgerCtx, day: string): string | undefined {
  return ctx.db.prepare<[string], { sent_at: string | null }>("SELECT sent_at FROM summary_sends WHERE day = ? AND status = 'sent'").get(day)?.sent_at ?? undefined;
}

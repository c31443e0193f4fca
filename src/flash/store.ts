import { must } from "../internal-error.js";
import { type LedgerCtx, nowIso } from "../ledger/context.js";

// Flash-sale windows; the only SQL on `flash_windows` (src/flash/migrations.ts).

/** One flash window as stored. */
export interface FlashWindow {
  id: string;
  skus: string[];
  startedAt: string;
  endsAt: string;
  createdBy: string;
  endedAt: string | null;
  endedBy: string | null;
}

interface Row {
  id: string;
  skus: string;
  started_at: string;
  ends_at: string;
  created_by: string;
  ended_at: string | null;
  ended_by: string | null;
}

const toWindow = (r: Row): FlashWindow => ({
  id: r.id,
  skus: JSON.parse(r.skus) as string[],
  startedAt: r.started_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
  endedAt: r.ended_at,
  endedBy: r.ended_by,
});

/** Stores a new window that starts now and ends at `endsAt`; returns it. */
export function openWindow(ctx: LedgerCtx, skus: readonly string[], endsAt: Date, who: string): FlashWindow {
  const id = ctx.newId("F");
  ctx
    .stmt("INSERT INTO flash_windows (id, skus, started_at, ends_at, created_by) VALUES (?, ?, ?, ?, ?)")
    .run(id, JSON.stringify(skus), nowIso(ctx), endsAt.toISOString(), who);
  return must(getWindow(ctx, id), "the inserted flash window reads back");
}

/** A window by id, ended or not. */
export function getWindow(ctx: LedgerCtx, id: string): FlashWindow | undefined {
  const r = ctx.stmt<[string], Row>("SELECT * FROM flash_windows WHERE id = ?").get(id.toUpperCase());
  return r ? toWindow(r) : undefined;
}

/** Windows not ended yet and not past their end time, soonest end first. */
export function activeWindows(ctx: LedgerCtx): FlashWindow[] {
  return ctx
    .stmt<[string], Row>("SELECT * FROM flash_windows WHERE ended_at IS NULL AND ends_at > ? ORDER BY ends_at, id")
    .all(nowIso(ctx))
    .map(toWindow);
}

/** Windows past their end time that nobody ended yet (the job reverts them, also after a restart). */
export function expiredWindows(ctx: LedgerCtx): FlashWindow[] {
  return ctx
    .stmt<[string], Row>("SELECT * FROM flash_windows WHERE ended_at IS NULL AND ends_at <= ? ORDER BY ends_at, id")
    .all(nowIso(ctx))
    .map(toWindow);
}

/** Whether a SKU is in an active window now. */
export function isFlashSku(ctx: LedgerCtx, sku: string): boolean {
  return activeWindows(ctx).some((w) => w.skus.includes(sku));
}

/** Marks a window ended (once: false when it already was). */
export function endWindow(ctx: LedgerCtx, id: string, who: string): boolean {
  return (
    ctx
      .stmt("UPDATE flash_windows SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL")
      .run(nowIso(ctx), who, id.toUpperCase()).changes > 0
  );
}

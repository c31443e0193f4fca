import { textRef } from "../i18n/ref.js";
import type { Logger } from "../log.js";
import type { SyncLedger } from "../stores.js";
import type { BulkHold, PendingChange } from "./bulk-guard-store.js";

/** Config `stock.bulkGuard`: when one batch of pending pushes is held for an approver instead of pushed. */
export interface BulkGuardSettings {
  enabled: boolean;
  /** More SKUs than this going from a positive quantity to 0 at once is held. */
  maxZeroed: number;
  /** A batch moving more than this % of every published unit at once is held … */
  maxShare: number;
  /** … when it touches at least this many SKUs (a small shop's single /set is not a bulk change). */
  minSkus: number;
}

/** What one check found: the counts it judged by, and the hold it created (if any). */
export interface BulkVerdict {
  skus: number;
  zeroed: number;
  unitsMoved: number;
  unitsPublished: number;
  hold?: BulkHold;
}

/** The largest moves an alert or `/bulk` shows. */
export const LARGEST_MOVES = 5;

/** "A-1 shop1 12→0" lines for the largest moves of a hold. */
export const describeMoves = (moves: readonly PendingChange[]): string =>
  moves.map((m) => `${m.sku} ${m.channelId} ${m.from ?? "?"}→${m.to}`).join("\n");

/** Counts a batch of pending pushes by the guard's rules: SKUs going to 0, units moved, SKUs touched. */
export function judge(changes: readonly PendingChange[], unitsPublished: number, s: BulkGuardSettings) {
  const moved = changes.filter((c) => c.from !== c.to);
  const zeroed = new Set(moved.filter((c) => (c.from ?? 0) > 0 && c.to === 0).map((c) => c.sku)).size;
  const unitsMoved = moved.reduce((n, c) => n + (c.from === null ? 0 : Math.abs(c.to - c.from)), 0);
  const skus = new Set(moved.map((c) => c.sku)).size;
  const isBulk =
    zeroed > s.maxZeroed || (skus >= s.minSkus && unitsPublished > 0 && unitsMoved * 100 > s.maxShare * unitsPublished);
  return { moved, zeroed, unitsMoved, skus, isBulk };
}

/**
 * Looks at every pending push no hold has checked yet, in one transaction: a batch that would take more than
 * `maxZeroed` SKUs to 0, or move more than `maxShare` % of the published units, is held (its outbox rows wait
 * for `/bulk release` or `/bulk discard`) and raises one alert with the count, the largest moves and the cause.
 * Runs at the start of every drain pass, before anything is pushed; cheap when fewer rows are pending than
 * either rule could trip on.
 */
export function checkBulkChanges(ledger: SyncLedger, s: BulkGuardSettings, log: Logger): BulkVerdict | undefined {
  if (!s.enabled) return undefined;
  if (ledger.bulkHolds.uncheckedCount() <= Math.min(s.maxZeroed, Math.max(0, s.minSkus - 1))) return undefined;
  return ledger.transaction(() => {
    const changes = ledger.bulkHolds.uncheckedChanges();
    const unitsPublished = ledger.bulkHolds.publishedUnits();
    const v = judge(changes, unitsPublished, s);
    const verdict: BulkVerdict = { skus: v.skus, zeroed: v.zeroed, unitsMoved: v.unitsMoved, unitsPublished };
    if (!v.isBulk) return verdict;
    const cause = ledger.bulkHolds.latestCause([...new Set(v.moved.map((c) => c.sku))]);
    const causeText = cause ? `${cause.reason} (${cause.actor})` : "listing or policy change";
    const hold = ledger.bulkHolds.createHold(
      { cause: causeText, causedBy: cause?.actor ?? null, zeroed: v.zeroed, unitsMoved: v.unitsMoved, unitsPublished },
      v.moved,
    );
    const moves = describeMoves(ledger.bulkHolds.largestMoves(hold.id, LARGEST_MOVES));
    ledger.alerts.raiseAlert({
      kind: "bulk_hold",
      subject: hold.id,
      severity: "critical",
      message: textRef("bulk-held-alert", {
        id: hold.id,
        skus: hold.skus,
        zeroed: v.zeroed,
        moved: v.unitsMoved,
        published: unitsPublished,
        cause: causeText,
        moves,
      }),
      buttons: [
        { label: "Release", labelId: "button-bulk-release", action: `/bulk release ${hold.id}` },
        { label: "Discard", labelId: "button-bulk-discard", action: `/bulk discard ${hold.id}` },
      ],
    });
    log.warn({ holdId: hold.id, skus: hold.skus, zeroed: v.zeroed, cause: causeText }, "bulk stock change held");
    return { ...verdict, hold };
  });
}

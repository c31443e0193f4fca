import type { Deps } from "../deps.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import type { Translator } from "../i18n/translator.js";
import { describeMoves, LARGEST_MOVES } from "./bulk-guard.js";

/** What `/bulk` does with a hold. */
export type BulkDecision = "release" | "discard";

/**
 * Releases or discards a held bulk change in one transaction (dryRun: describes it, changes nothing), resolves its
 * alert, and nudges the channels a release frees. A second decision on the same hold is refused (ConflictError);
 * so is a release by the actor whose change caused the hold (ForbiddenError: maker-checker, as refunds).
 */
export function decideBulk(
  deps: Pick<Deps, "ledger" | "bulkHolds" | "sync">,
  tr: Translator,
  id: string,
  decision: BulkDecision,
  actor: string,
  dryRun = false,
): string {
  const hold = deps.bulkHolds.findHold(id);
  if (!hold) throw new NotFoundError("unknown_bulk_hold", tr.t("bulk-unknown", { id }), { id });
  if (hold.status !== "held")
    throw new ConflictError(
      "bulk_hold_decided",
      tr.t("bulk-already", {
        id: hold.id,
        status: tr.t(hold.status === "released" ? "bulk-status-released" : "bulk-status-discarded"),
        who: hold.decidedBy ?? "-",
      }),
      { id: hold.id },
    );
  if (decision === "release" && hold.causedBy !== null && hold.causedBy === actor)
    throw new ForbiddenError("bulk_own_release", tr.t("bulk-own-release", { id: hold.id, who: actor }), {
      id: hold.id,
    });
  if (dryRun) {
    const held = deps.bulkHolds.heldRows(hold.id);
    const moves = describeMoves(deps.bulkHolds.largestMoves(hold.id, LARGEST_MOVES));
    const channels = [...new Set(deps.bulkHolds.largestMoves(hold.id, 10_000).map((m) => m.channelId))].join(", ");
    return decision === "release"
      ? tr.t("bulk-preview-release", { id: hold.id, held, channels, zeroed: hold.zeroed, moves })
      : tr.t("bulk-preview-discard", { id: hold.id, held, channels });
  }
  const done = deps.ledger.transaction(() => {
    const r = deps.bulkHolds.decideHold(hold.id, decision === "release" ? "released" : "discarded", actor);
    if (!r) return undefined;
    deps.ledger.alerts.resolveAlert("bulk_hold", hold.id);
    return r;
  });
  if (!done) return decideBulk(deps, tr, id, decision, actor, dryRun);
  if (decision === "release") for (const c of done.channels) if (deps.sync.channelIds().includes(c)) deps.sync.nudge(c);
  const channels = done.channels.join(", ") || "-";
  return decision === "release"
    ? tr.t("bulk-released", { id: hold.id, who: actor, held: done.rows, channels })
    : tr.t("bulk-discarded", { id: hold.id, who: actor, held: done.rows, channels });
}

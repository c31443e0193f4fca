import type { Reply } from "../chat/types.js";
import type { Deps } from "../deps.js";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "../errors.js";
import type { Translator } from "../i18n/translator.js";
import type { MoneyActor } from "./breaker-store.js";
import { drainPrices, priceChannels } from "./price-flow.js";
import { changePrice } from "./price-guard.js";
import type { PriceRequest } from "./price-request-store.js";

/** The reply of a request that now waits for an approver. */
export function pendingRequestReply(deps: Pick<Deps, "config">, tr: Translator, r: PriceRequest): Reply {
  return {
    text: tr.t("pg-request-opened", {
      sku: r.sku,
      where: whereText(tr, r),
      old: r.old ? tr.money(r.old) : tr.t("price-none"),
      new: tr.money(r.price),
      pct: r.movePct.toFixed(1),
      limit: String(deps.config.money.priceApprovalAbove ?? 0),
      id: String(r.id),
      requester: r.requestedBy,
    }),
  };
}

const whereText = (tr: Translator, r: PriceRequest): string =>
  r.channelId ? tr.t("price-on-channel", { channel: r.channelId }) : "";

/** The pending request `id`, after checking `who` may decide it (never the requester); throws a typed error otherwise. */
function decidable(deps: Deps, tr: Translator, id: number, who: MoneyActor): PriceRequest {
  const r = deps.priceRequests.findPriceRequest(id);
  if (!r) throw new NotFoundError("unknown_price_request", tr.t("pg-not-found", { id: String(id) }), { id });
  if (r.state === "approved")
    throw new ConflictError(
      "price_request_approved",
      tr.t("pg-already-approved", { id: String(id), by: r.decidedBy ?? "" }),
      {
        id,
      },
    );
  if (r.state === "rejected")
    throw new ConflictError(
      "price_request_rejected",
      tr.t("pg-already-rejected", { id: String(id), by: r.decidedBy ?? "", reason: r.rejectReason ?? "" }),
      { id },
    );
  if (r.requestedBy === who.actor)
    throw new ForbiddenError("own_price_request", tr.t("pg-own-request", { id: String(id) }), { id });
  return r;
}

/** What approving would do, without changing anything (the confirmation preview). */
export function previewPriceApproval(deps: Deps, tr: Translator, id: number, who: MoneyActor): Reply {
  const r = decidable(deps, tr, id, who);
  const channels = priceChannels(deps, r.sku, r.channelId);
  return {
    text: tr.t("pg-approve-preview", {
      id: String(r.id),
      sku: r.sku,
      where: whereText(tr, r),
      old: r.old ? tr.money(r.old) : tr.t("price-none"),
      new: tr.money(r.price),
      pct: r.movePct.toFixed(1),
      requester: r.requestedBy,
      channels: channels.length ? tr.list(channels, "and") : tr.t("price-no-channels"),
    }),
  };
}

/**
 * Approves a pending price request: in one transaction the guard re-checks it against today's price (a refusal
 * leaves the request pending), the change is recorded, the request marked approved and a target per listed
 * channel queued in the price outbox; then the price lane pushes it. Approving again changes nothing.
 */
export async function approvePriceRequest(deps: Deps, tr: Translator, id: number, who: MoneyActor): Promise<Reply> {
  const r = decidable(deps, tr, id, who);
  const channelIds = priceChannels(deps, r.sku, r.channelId);
  deps.ledger.transaction(() => {
    const { change } = changePrice(
      deps,
      { sku: r.sku, channelId: r.channelId, price: r.price, idempotencyKey: `price-request:${r.id}` },
      who,
    );
    if (!deps.priceRequests.markPriceRequestApproved(r.id, change.id, who)) decidable(deps, tr, id, who);
    deps.priceOutbox.queuePriceTargets({ sku: r.sku, channelIds, price: r.price, changeId: change.id });
  });
  await drainPrices(deps, channelIds);
  const waiting = deps.priceOutbox
    .pendingPriceChanges(r.sku)
    .filter((t) => channelIds.includes(t.channelId))
    .map((t) => t.channelId);
  const confirmed = channelIds.filter((c) => !waiting.includes(c));
  return {
    text: tr.t("pg-approved", {
      id: String(r.id),
      by: who.actor,
      sku: r.sku,
      where: whereText(tr, r),
      old: r.old ? tr.money(r.old) : tr.t("price-none"),
      new: tr.money(r.price),
      confirmed: confirmed.length ? tr.list(confirmed, "and") : tr.t("price-none"),
      waiting: waiting.length ? tr.list(waiting, "and") : tr.t("price-none"),
    }),
  };
}

/** Rejects a pending price request with a reason (audited); the price stays as it is. */
export function rejectPriceRequest(
  deps: Deps,
  tr: Translator,
  id: number,
  reason: string | undefined,
  who: MoneyActor,
): Reply {
  if (!reason) throw new InvalidInputError("reason_required", tr.t("pg-reason-required", { id: String(id) }));
  const r = decidable(deps, tr, id, who);
  if (!deps.priceRequests.markPriceRequestRejected(r.id, reason, who)) decidable(deps, tr, id, who);
  return {
    text: tr.t("pg-rejected", {
      id: String(r.id),
      by: who.actor,
      reason,
      sku: r.sku,
      old: r.old ? tr.money(r.old) : tr.t("price-none"),
    }),
  };
}

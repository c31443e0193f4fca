import type { ChannelRefund } from "../channels/types.js";
import { hasRole, type Role } from "../chat/command.js";
import type { Reply } from "../chat/types.js";
import type { Deps } from "../deps.js";
import { ForbiddenError } from "../errors.js";
import { textRef } from "../i18n/ref.js";
import type { Translator } from "../i18n/translator.js";
import { formatMoney } from "./amount.js";
import type { MoneyActor } from "./breaker-store.js";
import { executeRefund } from "./executor.js";
import { limitsFor } from "./limits.js";
import type { Refund } from "./refund-store.js";
import { refundRequestIn, renderBreakerPage, renderManualTodo, renderRefundRequest } from "./render.js";
import { notPendingError } from "./states.js";

/** The person (or system) acting, with the role the dispatcher resolved. */
export interface MoneyCaller extends MoneyActor {
  role: Role;
}

/** How an approved refund will be carried out on its channel. */
export const executionFor = (deps: Deps, channelId: string): "api" | "manual" =>
  deps.channels.get(channelId)?.refund ? "api" : "manual";

/** Checks who may approve `r` (never the requester; an approver above the threshold); throws ForbiddenError otherwise. */
export function assertMayApprove(deps: Deps, r: Refund, who: MoneyCaller): void {
  if (r.requestedBy === who.actor)
    throw new ForbiddenError("own_refund", `You requested ${r.id}; someone else must approve it.`, { refundId: r.id });
  const limits = limitsFor(deps.config.money, r.amount.currency);
  if (r.amount.amountMinor > limits.approvalAboveMinor && !hasRole(who.role, "approver")) {
    throw new ForbiddenError(
      "needs_approver",
      `${r.id} is ${formatMoney(r.amount)}, above ${formatMoney({ amountMinor: limits.approvalAboveMinor, currency: r.amount.currency })}: only approvers can approve it. Ask one to run /approve_refund ${r.id}.`,
      { refundId: r.id },
    );
  }
}

/** The start of "stale": an attempt in flight since before this was cut off and may be retried. */
const staleBefore = (deps: Deps): string =>
  new Date(deps.clock.now().getTime() - deps.config.money.staleAttemptMinutes * 60_000).toISOString();

/** True when `r` is approved for API execution but not executed and no attempt is in flight (a retry is due). */
export const isRetryable = (deps: Deps, r: Refund): boolean =>
  r.state === "approved" &&
  r.execution === "api" &&
  (r.attemptStartedAt === null || r.attemptStartedAt <= staleBefore(deps));

/** What approving would do, without changing anything (the confirmation preview). */
export function previewApproval(deps: Deps, id: string, who: MoneyCaller): Reply {
  const r = deps.refunds.getRefund(id);
  const retry = isRetryable(deps, r);
  if (!retry) {
    const err = notPendingError(r);
    if (err) throw err;
  }
  assertMayApprove(deps, r, who);
  deps.breaker.assertBreakerClosed(textRef("what-approving", { id: r.id }));
  const limits = limitsFor(deps.config.money, r.amount.currency);
  const total = deps.breaker.windowTotal(r.amount.currency, limits.windowMinutes);
  const how =
    executionFor(deps, r.channelId) === "api"
      ? `through ${r.channelId}'s refund API`
      : "by hand (a to-do is posted, then Done)";
  const lines = [
    retry
      ? `Retry refund ${r.id}: ${formatMoney(r.amount)} to ${r.channelId} order ${r.orderId}, same idempotency key (last attempt: ${r.lastError ?? "cut off"}).`
      : `Approve refund ${r.id}: ${formatMoney(r.amount)} to ${r.channelId} order ${r.orderId}, ${how}.`,
    `Reason: ${r.reason}. Asked by ${r.requestedBy}.`,
  ];
  if (!retry && total + r.amount.amountMinor > limits.maxRefundTotalMinor) {
    lines.push(
      `⚠️ This would bring refunds in the last ${limits.windowMinutes} min to ${formatMoney({ amountMinor: total + r.amount.amountMinor, currency: r.amount.currency })}, over ${formatMoney({ amountMinor: limits.maxRefundTotalMinor, currency: r.amount.currency })}: confirming opens the breaker instead.`,
    );
  }
  return { text: lines.join("\n") };
}

/**
 * Approves and executes a refund: the approval (or breaker trip) commits first, then the channel is
 * called with the refund's idempotency key, then the outcome commits. A second press finds the refund
 * approved or executed and says so; it never reaches the channel again.
 */
export async function approveAndExecute(deps: Deps, id: string, who: MoneyCaller): Promise<Reply> {
  const r = deps.refunds.getRefund(id);
  assertMayApprove(deps, r, who);
  const limits = limitsFor(deps.config.money, r.amount.currency);
  let refund: Refund;
  if (isRetryable(deps, r)) {
    refund = deps.refunds.retryAttempt(r.id, who, staleBefore(deps));
  } else {
    const outcome = deps.refunds.approveRefund(r.id, who, {
      windowMinutes: limits.windowMinutes,
      limitMinor: limits.maxRefundTotalMinor,
      execution: executionFor(deps, r.channelId),
    });
    if (outcome.kind === "tripped") {
      await pageBreaker(deps, { force: true });
      return {
        text: `⛔ ${r.id} blocked: refunds in the last ${limits.windowMinutes} min are ${formatMoney({ amountMinor: outcome.windowTotalMinor, currency: r.amount.currency })}; ${formatMoney(r.amount)} more would pass the limit of ${formatMoney({ amountMinor: outcome.limitMinor, currency: r.amount.currency })}. The breaker is now open: nothing is refunded until an admin runs /breaker reset REASON.`,
      };
    }
    refund = outcome.refund;
    if (refund.execution === "manual") {
      await deps
        .notify(renderManualTodo(refund))
        .catch((err) => deps.log.warn({ err, refundId: refund.id }, "refund to-do not posted"));
      return {
        text: `✅ ${refund.id} approved. ${refund.channelId} has no refund API here: a to-do was posted; press Done once ${formatMoney(refund.amount)} is sent.`,
        buttons: [{ label: "Done", action: `/refund-done ${refund.id}` }],
      };
    }
  }
  const result = await executeRefund(deps, refund, who);
  switch (result.kind) {
    case "executed":
      return {
        text: `💸 ${refund.id} refunded: ${formatMoney(refund.amount)} on ${refund.channelId} order ${refund.orderId} (channel refund ${result.refund.channelRefundId}). Approved by ${who.actor}.`,
      };
    case "failed":
      return {
        text: `⚠️ ${refund.id} approved but ${refund.channelId} refused it: ${result.message} Nothing was refunded.`,
      };
    case "unknown":
      return {
        text: `⚠️ ${refund.id} approved but ${refund.channelId} did not confirm (${result.message}). Retry sends the same idempotency key, so it cannot refund twice.`,
        buttons: [{ label: "Retry", action: `/approve-refund ${refund.id}` }],
      };
  }
}

/** Posts the breaker page if one is due (or now, with `force`); returns whether it paged. */
export async function pageBreaker(deps: Deps, opts: { force?: boolean } = {}): Promise<boolean> {
  const state = deps.breaker.claimBreakerPage(opts.force ? 0 : deps.config.money.breaker.pageEveryMinutes);
  if (!state) return false;
  await deps.notify(renderBreakerPage(state, deps.config.access.admins, deps.config.timezone));
  return true;
}

/**
 * Handles a refund a channel announced (Shopify refunds/create, a Woo refund): the money already left,
 * so it is recorded as executed and counted; if it pushes the window past the limit the breaker opens
 * and the group is paged. Wire it to the sync engine's `onRefund`.
 */
export function onChannelRefund(deps: Deps, channelId: string, refund: ChannelRefund): Promise<Refund> {
  // Synchronous on purpose: the sync engine calls this inside the webhook's transaction, and a failure here
  // must throw there (rolling the delivery back) rather than surface later as a rejected promise.
  const limits = limitsFor(deps.config.money, refund.amount.currency);
  const r = deps.refunds.recordChannelRefund(
    {
      channelId,
      orderId: refund.orderId,
      amount: refund.amount,
      reason: refund.reason ?? "refunded on the channel",
      channelRefundId: refund.refundId,
    },
    { actor: `channel:${channelId}`, transport: "channel", requestId: `refund:${refund.refundId}` },
    { windowMinutes: limits.windowMinutes, limitMinor: limits.maxRefundTotalMinor },
  );
  if (r.isDuplicate) return Promise.resolve(r.refund);
  // The notices run after the caller's transaction has committed.
  return Promise.resolve().then(() => announceChannelRefund(deps, channelId, refund, r));
}

async function announceChannelRefund(
  deps: Deps,
  channelId: string,
  refund: ChannelRefund,
  r: ReturnType<Deps["refunds"]["recordChannelRefund"]>,
): Promise<Refund> {
  await deps
    .notify({
      text: `💸 ${channelId} refunded ${formatMoney(refund.amount)} on order ${refund.orderId} (${r.refund.id}, made on the channel).`,
    })
    .catch((err) => deps.log.warn({ err, refundId: r.refund.id }, "channel refund notice not posted"));
  if (r.hasTripped)
    await pageBreaker(deps, { force: true }).catch((err) => deps.log.error({ err }, "breaker page failed"));
  return r.refund;
}

/** A refund request with its buttons: in `tr`'s language when given (a reply), else English plus `localize` (a broadcast). */
export function requestReply(deps: Deps, r: Refund, tr?: Translator): Reply {
  const limits = limitsFor(deps.config.money, r.amount.currency);
  const opts = { isBreakerOpen: deps.breaker.breakerState().isOpen };
  return tr ? refundRequestIn(r, limits, opts, tr) : renderRefundRequest(r, limits, opts, deps.config.timezone);
}

import type { ChannelRefund } from "../channels/types.js";
import { hasRole, type Role } from "../chat/command.js";
import type { Reply } from "../chat/types.js";
import type { Deps } from "../deps.js";
import { ForbiddenError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { renderRef, textRef } from "../i18n/ref.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
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
    throw localized(ForbiddenError, "own_refund", textRef("err-own-refund", { id: r.id }), { refundId: r.id });
  const limits = limitsFor(deps.config.money, r.amount.currency);
  if (r.amount.amountMinor > limits.approvalAboveMinor && !hasRole(who.role, "approver")) {
    throw localized(
      ForbiddenError,
      "needs_approver",
      textRef("err-needs-approver", {
        id: r.id,
        amount: { money: r.amount },
        limit: { money: { amountMinor: limits.approvalAboveMinor, currency: r.amount.currency } },
      }),
      { refundId: r.id },
    );
  }
}

/** The English translator in the configured zone: the default for callers without an asker. */
const english = (deps: Deps): Translator => sharedI18n(deps.config.timezone).translator("en");

/** The start of "stale": an attempt in flight since before this was cut off and may be retried. */
const staleBefore = (deps: Deps): string =>
  new Date(deps.clock.now().getTime() - deps.config.money.staleAttemptMinutes * 60_000).toISOString();

/** True when `r` is approved for API execution but not executed and no attempt is in flight (a retry is due). */
export const isRetryable = (deps: Deps, r: Refund): boolean =>
  r.state === "approved" &&
  r.execution === "api" &&
  (r.attemptStartedAt === null || r.attemptStartedAt <= staleBefore(deps));

/** What approving would do, without changing anything (the confirmation preview), in `tr`'s language. */
export function previewApproval(deps: Deps, id: string, who: MoneyCaller, tr: Translator = english(deps)): Reply {
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
      ? tr.t("approve-how-api", { channel: r.channelId })
      : tr.t("approve-how-manual");
  const head = { id: r.id, amount: tr.money(r.amount), channel: r.channelId, order: r.orderId };
  const lines = [
    retry
      ? tr.t("approve-preview-retry", { ...head, last: r.lastError ?? tr.t("approve-last-cut-off") })
      : tr.t("approve-preview", { ...head, how }),
    tr.t("approve-preview-reason", { reason: r.reason, who: r.requestedBy }),
  ];
  if (!retry && total + r.amount.amountMinor > limits.maxRefundTotalMinor) {
    lines.push(
      tr.t("approve-preview-trip", {
        minutes: limits.windowMinutes,
        total: tr.money({ amountMinor: total + r.amount.amountMinor, currency: r.amount.currency }),
        limit: tr.money({ amountMinor: limits.maxRefundTotalMinor, currency: r.amount.currency }),
      }),
    );
  }
  return { text: lines.join("\n") };
}

/**
 * Approves and executes a refund: the approval (or breaker trip) commits first, then the channel is
 * called with the refund's idempotency key, then the outcome commits. A second press finds the refund
 * approved or executed and says so; it never reaches the channel again.
 */
export async function approveAndExecute(
  deps: Deps,
  id: string,
  who: MoneyCaller,
  tr: Translator = english(deps),
): Promise<Reply> {
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
        text: tr.t("approve-tripped", {
          id: r.id,
          minutes: limits.windowMinutes,
          total: tr.money({ amountMinor: outcome.windowTotalMinor, currency: r.amount.currency }),
          amount: tr.money(r.amount),
          limit: tr.money({ amountMinor: outcome.limitMinor, currency: r.amount.currency }),
        }),
      };
    }
    refund = outcome.refund;
    if (refund.execution === "manual") {
      await deps
        .notify(renderManualTodo(refund, deps.config.timezone))
        .catch((err) => deps.log.warn({ err, refundId: refund.id }, "refund to-do not posted"));
      return {
        text: tr.t("approve-manual", { id: refund.id, channel: refund.channelId, amount: tr.money(refund.amount) }),
        buttons: [{ label: tr.t("button-done"), action: `/refund-done ${refund.id}` }],
      };
    }
  }
  const result = await executeRefund(deps, refund, who);
  switch (result.kind) {
    case "executed":
      return {
        text: tr.t("approve-executed", {
          id: refund.id,
          amount: tr.money(refund.amount),
          channel: refund.channelId,
          order: refund.orderId,
          ref: result.refund.channelRefundId ?? "",
          who: who.actor,
        }),
      };
    case "failed":
      return {
        text: renderRef(
          tr,
          textRef("approve-failed", { id: refund.id, channel: refund.channelId, error: result.reason }),
        ),
      };
    case "unknown":
      return {
        text: renderRef(
          tr,
          textRef("approve-unknown", { id: refund.id, channel: refund.channelId, error: result.reason }),
        ),
        buttons: [{ label: tr.t("button-retry"), action: `/approve-refund ${refund.id}` }],
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
  const notice = (tr: Translator): Reply => ({
    text: tr.t("refund-channel-notice", {
      channel: channelId,
      amount: tr.money(refund.amount),
      order: refund.orderId,
      id: r.refund.id,
    }),
  });
  await deps
    .notify({ ...notice(english(deps)), localize: notice })
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

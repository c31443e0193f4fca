import type { Reply } from "../chat/types.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
import { formatMoney } from "./amount.js";
import type { BreakerEvent, BreakerState, WindowTotal } from "./breaker-store.js";
import type { CurrencyLimits } from "./limits.js";
import type { Refund } from "./refund-store.js";

const STATE_ICON: Record<Refund["state"], string> = {
  pending: "⏳",
  approved: "✅",
  rejected: "✖️",
  executed: "💸",
  failed: "⚠️",
};

/** "2026-11-20 08:05 UTC" from an ISO timestamp. */
export const shortTime = (iso: string | null): string => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "");

/** One line per refund for lists, in `tr`'s language: id, state, amount, order, who. */
export function refundLine(r: Refund, tr: Translator): string {
  const who = r.state === "pending" ? r.requestedBy : r.decidedBy ? r.decidedBy : r.executedBy ? r.executedBy : "";
  const extra =
    r.state === "rejected"
      ? ` — ${r.rejectReason}`
      : r.state === "approved" && r.execution === "manual"
        ? tr.t("refund-waits-done")
        : r.state === "approved" && r.lastError
          ? tr.t("refund-last-error", { error: r.lastError })
          : "";
  return tr
    .t("refund-line", {
      icon: STATE_ICON[r.state],
      id: r.id,
      state: tr.t(`refund-state-${r.state}`),
      amount: tr.money(r.amount),
      channel: r.channelId,
      order: r.orderId,
      who: who ? tr.t("refund-by", { who }) : "",
      extra,
    })
    .replace(/\s+$/, "");
}

/** The request message in `tr`'s language: what, why, who asked, who may approve, with Approve / Reject buttons. */
export function refundRequestIn(
  r: Refund,
  limits: CurrencyLimits,
  opts: { isBreakerOpen: boolean },
  tr: Translator,
): Reply {
  const asked =
    r.amount.amountMinor > limits.approvalAboveMinor ? "refund-request-asked-approver" : "refund-request-asked";
  const lines = [
    tr.t("refund-request-head", { id: r.id, amount: tr.money(r.amount), channel: r.channelId, order: r.orderId }),
    tr.t("refund-request-reason", { reason: r.reason }),
    tr.t(asked, { who: r.requestedBy }),
  ];
  if (opts.isBreakerOpen) lines.push(tr.t("refund-request-breaker"));
  return {
    text: lines.join("\n"),
    buttons: [
      { label: tr.t("button-approve"), action: `/approve-refund ${r.id}` },
      { label: tr.t("button-reject"), action: `/reject-refund ${r.id}` },
    ],
  };
}

/** The request message in English, rendered again in each chat's language when broadcast. */
export function renderRefundRequest(
  r: Refund,
  limits: CurrencyLimits,
  opts: { isBreakerOpen: boolean },
  timeZone = "UTC",
): Reply {
  return {
    ...refundRequestIn(r, limits, opts, sharedI18n(timeZone).translator("en")),
    localize: (tr) => refundRequestIn(r, limits, opts, tr),
  };
}

/** The to-do posted when a channel has no refund API: pay it out by hand, then press Done. */
export function renderManualTodo(r: Refund): Reply {
  return {
    text: `📝 To do: refund ${formatMoney(r.amount)} on ${r.channelId} order ${r.orderId} by hand (${r.id}, approved by ${r.decidedBy}). Reason: ${r.reason}. Press Done when the money is sent.`,
    buttons: [{ label: "Done", action: `/refund-done ${r.id}` }],
  };
}

/** The page sent while the breaker is open, in `tr`'s language; mentions every admin. */
export function breakerPageIn(s: BreakerState, admins: string[], tr: Translator): Reply {
  const since = s.openedAt ? tr.dateTime(new Date(s.openedAt)) : "";
  const reason =
    tr.locale === "en" || !s.refundId || s.limitMinor === null || !s.currency
      ? (s.reason ?? "")
      : tr.t("breaker-reason", {
          refund: s.refundId,
          limit: tr.money({ amountMinor: s.limitMinor, currency: s.currency }),
        });
  return {
    text: [
      s.pageCount > 1 ? tr.t("breaker-page-n", { since, count: s.pageCount }) : tr.t("breaker-page", { since }),
      reason,
      tr.t("breaker-page-blocked"),
    ]
      .filter(Boolean)
      .join("\n"),
    buttons: [
      { label: tr.t("button-breaker"), action: "/breaker" },
      { label: tr.t("button-refunds"), action: "/refunds" },
    ],
    mentions: admins,
  };
}

/** The page sent while the breaker is open (English), rendered again in each chat's language when broadcast. */
export function renderBreakerPage(s: BreakerState, admins: string[], timeZone = "UTC"): Reply {
  return {
    ...breakerPageIn(s, admins, sharedI18n(timeZone).translator("en")),
    localize: (tr) => breakerPageIn(s, admins, tr),
  };
}

/** `/breaker`: state, window totals against their limits, recent trips and resets. */
export function renderBreaker(
  s: BreakerState,
  totals: { total: WindowTotal; limits: CurrencyLimits }[],
  history: BreakerEvent[],
  windowMinutes: number,
): string {
  const lines = [
    s.isOpen ? `🚨 Breaker OPEN since ${shortTime(s.openedAt)} (paged ${s.pageCount}×)` : "🟢 Breaker closed",
  ];
  if (s.isOpen && s.reason) lines.push(s.reason);
  lines.push(`Refunds in the last ${windowMinutes} min:`);
  if (!totals.length) lines.push("  none");
  for (const { total, limits } of totals) {
    lines.push(
      `  ${formatMoney({ amountMinor: total.totalMinor, currency: total.currency })} of ${formatMoney({ amountMinor: limits.maxRefundTotalMinor, currency: total.currency })} (${total.count} refund${total.count === 1 ? "" : "s"})`,
    );
  }
  if (history.length) {
    lines.push("History:");
    for (const e of history) {
      const amt =
        e.currency && e.windowTotalMinor !== null
          ? ` ${formatMoney({ amountMinor: e.windowTotalMinor, currency: e.currency })}`
          : "";
      lines.push(
        `  ${shortTime(e.at)} ${e.kind === "trip" ? "opened" : "reset"} by ${e.actor}${e.kind === "trip" ? amt : ""}: ${e.reason}`,
      );
    }
  }
  return lines.join("\n");
}

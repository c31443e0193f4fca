import type { Reply } from "../chat/types.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
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

/** The to-do posted when a channel has no refund API, in `tr`'s language: pay it out by hand, then press Done. */
export function manualTodoIn(r: Refund, tr: Translator): Reply {
  return {
    text: tr.t("refund-manual-todo", {
      amount: tr.money(r.amount),
      channel: r.channelId,
      order: r.orderId,
      id: r.id,
      who: r.decidedBy ?? "",
      reason: r.reason,
    }),
    buttons: [{ label: tr.t("button-done"), action: `/refund-done ${r.id}` }],
  };
}

/** The manual to-do in English, rendered again in each chat's language when broadcast. */
export function renderManualTodo(r: Refund, timeZone = "UTC"): Reply {
  return { ...manualTodoIn(r, sharedI18n(timeZone).translator("en")), localize: (tr) => manualTodoIn(r, tr) };
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

/** A breaker trip's reason for `tr`: the stored English, or the catalog's when the trip names a refund and a limit. */
function tripReason(
  tr: Translator,
  e: { reason: string | null; refundId: string | null; limitMinor: number | null; currency: string | null },
): string {
  if (tr.locale === "en" || !e.refundId || e.limitMinor === null || !e.currency) return e.reason ?? "";
  return tr.t("breaker-reason", {
    refund: e.refundId,
    limit: tr.money({ amountMinor: e.limitMinor, currency: e.currency }),
  });
}

/** `/breaker` in `tr`'s language: state, window totals against their limits, recent trips and resets. */
export function renderBreaker(
  s: BreakerState,
  totals: { total: WindowTotal; limits: CurrencyLimits }[],
  history: BreakerEvent[],
  windowMinutes: number,
  tr: Translator,
): string {
  const at = (iso: string | null): string => (iso ? tr.dateTime(new Date(iso)) : "");
  const lines = [
    s.isOpen ? tr.t("breaker-state-open", { since: at(s.openedAt), count: s.pageCount }) : tr.t("breaker-state-closed"),
  ];
  if (s.isOpen && s.reason) lines.push(tripReason(tr, s));
  lines.push(tr.t("breaker-window-head", { minutes: windowMinutes }));
  if (!totals.length) lines.push(`  ${tr.t("breaker-window-none")}`);
  for (const { total, limits } of totals) {
    lines.push(
      `  ${tr.t("breaker-window-line", {
        total: tr.money({ amountMinor: total.totalMinor, currency: total.currency }),
        limit: tr.money({ amountMinor: limits.maxRefundTotalMinor, currency: total.currency }),
        count: total.count,
      })}`,
    );
  }
  if (history.length) {
    lines.push(tr.t("breaker-history-head"));
    for (const e of history) {
      const line =
        e.kind === "trip"
          ? tr.t("breaker-history-trip", {
              at: at(e.at),
              who: e.actor,
              amount:
                e.currency && e.windowTotalMinor !== null
                  ? ` ${tr.money({ amountMinor: e.windowTotalMinor, currency: e.currency })}`
                  : "",
              reason: tripReason(tr, e),
            })
          : tr.t("breaker-history-reset", { at: at(e.at), who: e.actor, reason: e.reason });
      lines.push(`  ${line}`);
    }
  }
  return lines.join("\n");
}

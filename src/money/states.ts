import { ConflictError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { type RefArg, textRef } from "../i18n/ref.js";
import type { Refund } from "./refund-store.js";

const when = (s: string | null): RefArg => (s ? { dateTime: s } : "");

/** The ConflictError that says what already happened to a refund that is no longer pending (undefined while pending). */
export function notPendingError(r: Refund): ConflictError | undefined {
  const details = { refundId: r.id };
  const who = r.decidedBy ?? "";
  switch (r.state) {
    case "pending":
      return undefined;
    case "approved":
      if (r.execution === "api" && r.attemptStartedAt) {
        return localized(
          ConflictError,
          "refund_in_flight",
          textRef("err-refund-in-flight", { id: r.id, who, channel: r.channelId }),
          details,
        );
      }
      return localized(
        ConflictError,
        "refund_already_approved",
        textRef(r.execution === "manual" ? "err-refund-already-approved-manual" : "err-refund-already-approved", {
          id: r.id,
          who,
          at: when(r.decidedAt),
        }),
        details,
      );
    case "executed":
      return localized(
        ConflictError,
        "refund_already_executed",
        r.decidedBy
          ? textRef("err-refund-already-executed", {
              id: r.id,
              amount: { money: r.amount },
              at: when(r.executedAt),
              who: r.decidedBy,
            })
          : textRef("err-refund-already-executed-channel", {
              id: r.id,
              amount: { money: r.amount },
              at: when(r.executedAt),
            }),
        details,
      );
    case "rejected":
      return localized(
        ConflictError,
        "refund_rejected",
        textRef("err-refund-rejected", { id: r.id, who, reason: r.rejectReason ?? "" }),
        details,
      );
    case "failed":
      return localized(
        ConflictError,
        "refund_failed",
        textRef("err-refund-failed", {
          id: r.id,
          channel: r.channelId,
          error: r.lastError ?? { ref: textRef("refund-no-detail") },
        }),
        details,
      );
  }
}

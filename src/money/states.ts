import { ConflictError } from "../errors.js";
import { formatMoney } from "./amount.js";
import type { Refund } from "./refund-store.js";

const when = (s: string | null): string => (s ? `${s.slice(0, 16).replace("T", " ")} UTC` : "");

/** The ConflictError that says what already happened to a refund that is no longer pending (undefined while pending). */
export function notPendingError(r: Refund): ConflictError | undefined {
  switch (r.state) {
    case "pending":
      return undefined;
    case "approved":
      if (r.execution === "api" && r.attemptStartedAt) {
        return new ConflictError(
          "refund_in_flight",
          `${r.id} was approved by ${r.decidedBy} and is being sent to ${r.channelId} right now. /refunds shows the result.`,
          { refundId: r.id },
        );
      }
      return new ConflictError(
        "refund_already_approved",
        `${r.id} was already approved by ${r.decidedBy} at ${when(r.decidedAt)}${r.execution === "manual" ? "; it waits for Done" : ""}.`,
        { refundId: r.id },
      );
    case "executed":
      return new ConflictError(
        "refund_already_executed",
        `${r.id} was already refunded (${formatMoney(r.amount)}, ${when(r.executedAt)}${r.decidedBy ? `, approved by ${r.decidedBy}` : ""}). Nothing more to do.`,
        { refundId: r.id },
      );
    case "rejected":
      return new ConflictError(
        "refund_rejected",
        `${r.id} was rejected by ${r.decidedBy}: ${r.rejectReason}. Request a new refund if it is still owed.`,
        { refundId: r.id },
      );
    case "failed":
      return new ConflictError(
        "refund_failed",
        `${r.id} failed on ${r.channelId} (${r.lastError ?? "no detail"}). Request a new refund if it is still owed.`,
        { refundId: r.id },
      );
  }
}

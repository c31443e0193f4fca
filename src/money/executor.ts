import type { Deps } from "../deps.js";
import { isAppError } from "../errors.js";
import { english, reasonOf } from "../i18n/errors.js";
import { type RefArg, textRef } from "../i18n/ref.js";
import { asOrderId } from "../ids.js";
import { UpstreamError } from "../upstream/errors.js";
import type { MoneyActor } from "./breaker-store.js";
import type { Refund } from "./refund-store.js";

/** How long one provider call may take before we stop waiting (the outcome is then unknown, retried with the same key). */
export const REFUND_CALL_TIMEOUT_MS = 30_000;

/** What happened when we asked the channel to refund. */
export type ExecutionOutcome =
  | { kind: "executed"; refund: Refund }
  | { kind: "failed"; refund: Refund; message: string; reason: RefArg }
  | { kind: "unknown"; refund: Refund; message: string; reason: RefArg };

/**
 * Sends an approved refund whose attempt is marked in flight to its channel, with the refund's
 * idempotency key, then records the result in a second transaction. A definite refusal fails the
 * refund; anything else (timeout, 5xx, throttling, a crash in between) leaves it approved so a retry
 * sends the same key again: Shopify answers a repeated key with the original result.
 */
export async function executeRefund(
  deps: Deps,
  refund: Refund,
  by: MoneyActor,
  signal?: AbortSignal,
): Promise<ExecutionOutcome> {
  const channel = deps.channels.get(refund.channelId);
  const log = deps.log.child({ refundId: refund.id, channelId: refund.channelId, requestId: by.requestId });
  if (!channel?.refund || !refund.idempotencyKey) {
    const ref = textRef("refund-no-api", { channel: refund.channelId, id: refund.id });
    const message = english(ref);
    return {
      kind: "failed",
      refund: deps.refunds.markAttemptFailed(refund.id, { error: message, isFinal: true }, by),
      message,
      reason: { ref },
    };
  }
  const timeout = AbortSignal.timeout(REFUND_CALL_TIMEOUT_MS);
  try {
    const receipt = await channel.refund(
      { orderId: asOrderId(refund.orderId), amount: refund.amount, reason: refund.reason },
      { idempotencyKey: refund.idempotencyKey, signal: signal ? AbortSignal.any([signal, timeout]) : timeout },
    );
    if (
      receipt.amount.amountMinor !== refund.amount.amountMinor ||
      receipt.amount.currency !== refund.amount.currency
    ) {
      log.warn({ asked: refund.amount, refunded: receipt.amount }, "channel refunded a different amount");
    }
    const done = deps.refunds.markExecuted(refund.id, { channelRefundId: receipt.channelRefundId }, by);
    log.info(
      {
        channelRefundId: receipt.channelRefundId,
        amountMinor: refund.amount.amountMinor,
        currency: refund.amount.currency,
      },
      "refund executed",
    );
    return { kind: "executed", refund: done };
  } catch (err) {
    const isFinal = isAppError(err) && !(err instanceof UpstreamError && err.retryable);
    // Not an AppError: our own bug or a crash mid-call; the outcome is unknown, so say the channel did not answer.
    const reason: RefArg = isAppError(err)
      ? reasonOf(err)
      : { ref: textRef("refund-no-answer", { channel: refund.channelId }) };
    const message = isAppError(err)
      ? err.userMessage
      : english(textRef("refund-no-answer", { channel: refund.channelId }));
    log[isFinal ? "warn" : "error"]({ err, isFinal }, "refund attempt failed");
    const after = deps.refunds.markAttemptFailed(refund.id, { error: message, isFinal }, by);
    return isFinal
      ? { kind: "failed", refund: after, message, reason }
      : { kind: "unknown", refund: after, message, reason };
  }
}

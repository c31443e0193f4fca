import { z } from "zod";
import type { Reply } from "../chat/types.js";
import type { Config } from "../config.js";
import type { Deps } from "../deps.js";
import { AppError, ConflictError, NotFoundError } from "../errors.js";
import { localized, reasonOf } from "../i18n/errors.js";
import { renderRef, type TextRef, textRef } from "../i18n/ref.js";
import type { Translator } from "../i18n/translator.js";
import type { Ledger } from "../ledger/index.js";
import type { Stores } from "../stores.js";
import type { OrderLineGuard } from "../sync/order-intake.js";
import type { MoneyActor } from "./breaker-store.js";
import type { HeldLine } from "./hold-store.js";

/** Chat argument: a held order line number (shown in the alert and /held). */
export const heldLineId = () =>
  z
    .string()
    .regex(/^#?\d{1,12}$/, { message: "must be a held line number such as 3 (see /held)" })
    .transform((s) => Number(s.replace("#", "")))
    .describe("ID");

/** The nearest-rank percentile `pct` (50–100) of `values` (not empty). */
export function percentile(values: readonly number[], pct: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((pct / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

/** The alert subject of a held line. */
const subjectOf = (id: number): string => `hold:${id}`;

/**
 * The promotion guard ("buy one, get N"): a paid line whose quantity is more than `factor` × the SKU's usual
 * (percentile) quantity per order line over the last `windowDays` — once it has `minHistory` lines — is held: its
 * stock stays reserved, it is recorded as held (so /ship refuses the order) and an alert with Approve / Cancel
 * buttons goes to the group. Runs inside the order intake's transaction.
 */
export function createPromotionGuard(deps: {
  config: Pick<Config, "money">;
  holds: Stores["holds"];
  ledger: Pick<Ledger, "alerts">;
}): OrderLineGuard {
  return {
    reserved(line) {
      const g = deps.config.money.promotionGuard;
      if (!g.isEnabled) return;
      const since = new Date(line.createdAt.getTime() - g.windowDays * 86_400_000).toISOString();
      const history = deps.holds.lineQuantitiesSince(line.sku, since, line);
      if (history.length < g.minHistory) return;
      const usual = percentile(history, g.percentile);
      if (line.qty <= g.factor * usual) return;
      const { held, isNew } = deps.holds.holdLine({
        channelId: line.channelId,
        orderId: line.orderId,
        lineId: line.lineId,
        sku: line.sku,
        qty: line.qty,
        usualQty: usual,
        historyLines: history.length,
        reservationId: line.reservationId,
      });
      if (!isNew) return;
      deps.ledger.alerts.raiseAlert({
        kind: "order_held",
        subject: subjectOf(held.id),
        severity: "critical",
        message: textRef("hold-alert", {
          order: line.orderId,
          channel: line.channelId,
          qty: line.qty,
          sku: line.sku,
          factor: g.factor,
          usual,
          pct: g.percentile,
          history: history.length,
          days: g.windowDays,
          id: String(held.id),
        }),
        buttons: [
          { label: "Approve", labelId: "hold-button-approve", action: `/approve-held ${held.id}` },
          { label: "Cancel", labelId: "hold-button-cancel", action: `/cancel-held ${held.id}` },
        ],
      });
    },
  };
}

/** The held line `id` while it is still held; a typed error (not found / already decided) otherwise. */
function stillHeld(deps: Deps, tr: Translator, id: number): HeldLine {
  const h = deps.holds.findHeldLine(id);
  if (!h) throw localized(NotFoundError, "unknown_hold", textRef("held-not-found", { id: String(id) }), { id });
  if (h.state !== "held")
    throw new ConflictError(
      "hold_decided",
      tr.t("held-already", {
        id: String(id),
        state: tr.t(h.state === "approved" ? "held-state-approved" : "held-state-cancelled"),
        by: h.decidedBy ?? "",
      }),
      { id },
    );
  return h;
}

/** /held: the lines still held, oldest first. */
export function heldReply(deps: Deps, tr: Translator): Reply {
  const lines = deps.holds.heldLines();
  if (!lines.length) return { text: tr.t("held-none") };
  return {
    text: [
      tr.t("held-header", { count: lines.length }),
      ...lines.map((h) =>
        tr.t("held-line", {
          id: String(h.id),
          channel: h.channelId,
          order: h.orderId,
          qty: h.qty,
          sku: h.sku,
          usual: h.usualQty,
          at: tr.dateTime(new Date(h.heldAt)),
        }),
      ),
    ].join("\n"),
  };
}

/** Approve: the held line goes ahead in the normal flow (its reservation ships when the channel reports it); audited. */
export function approveHeld(deps: Deps, tr: Translator, id: number, who: MoneyActor): Reply {
  const h = stillHeld(deps, tr, id);
  deps.ledger.transaction(() => {
    if (!deps.holds.decideHeldLine(id, "approved", who)) stillHeld(deps, tr, id);
    deps.ledger.alerts.resolveAlert("order_held", subjectOf(id));
  });
  return {
    text: tr.t("held-approved", {
      id: String(id),
      by: who.actor,
      order: h.orderId,
      channel: h.channelId,
      qty: h.qty,
      sku: h.sku,
    }),
  };
}

/**
 * Tells the channel: its adapter cancels the order where it can (no refund, no restock there); otherwise, or when
 * the call fails, an alert says to cancel it on the channel by hand. Returns the reply's line about it.
 */
async function cancelOnChannel(deps: Deps, tr: Translator, h: HeldLine, who: MoneyActor): Promise<string> {
  const args = { order: h.orderId, channel: h.channelId };
  const byHand = (message: TextRef) =>
    deps.ledger.alerts.raiseAlert({
      kind: "order_cancel_by_hand",
      subject: subjectOf(h.id),
      severity: "warning",
      message,
    });
  const channel = deps.channels.get(h.channelId);
  if (!channel?.cancelOrder) {
    byHand(textRef("held-channel-by-hand", args));
    return tr.t("held-channel-by-hand", args);
  }
  try {
    await channel.cancelOrder(h.orderId, {
      idempotencyKey: `cancel-held:${h.id}`,
      note: `stockradar: held line ${h.id} cancelled by ${who.actor}`,
      signal: new AbortController().signal,
    });
    return tr.t("held-channel-cancelled", args);
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError("cancel_failed", "the call failed");
    byHand(textRef("held-channel-cancel-failed", { ...args, reason: reasonOf(e) }));
    return tr.t("held-channel-cancel-failed", { ...args, reason: e.i18n ? renderRef(tr, e.i18n) : e.userMessage });
  }
}

/**
 * Cancel: in one transaction the line's reservation is released (audited as a stock movement by `who`), the line
 * is marked cancelled (a redelivered "paid" does not reserve it again) and the hold closed; then the channel is
 * told once (a second Cancel finds the hold decided and does nothing).
 */
export async function cancelHeld(deps: Deps, tr: Translator, id: number, who: MoneyActor): Promise<Reply> {
  const h = stillHeld(deps, tr, id);
  const status = deps.ledger.transaction((): string => {
    if (!deps.holds.decideHeldLine(id, "cancelled", who)) stillHeld(deps, tr, id);
    deps.ledger.alerts.resolveAlert("order_held", subjectOf(id));
    const r = h.reservationId ? deps.ledger.reservations.getReservation(h.reservationId) : undefined;
    if (!r) return "missing";
    if (r.status !== "active") return r.status;
    deps.ledger.reservations.releaseReservation(r.id, who.actor);
    deps.orders.setOrderLineState({
      channelId: h.channelId,
      orderId: h.orderId,
      lineId: h.lineId,
      sku: h.sku,
      qty: h.qty,
      status: "cancelled",
      reservationId: r.id,
    });
    return "released";
  });
  if (status !== "released") return { text: tr.t("held-cancel-gone", { id: String(id), by: who.actor, status }) };
  const channelNote = await cancelOnChannel(deps, tr, h, who);
  return {
    text: tr.t("held-cancelled", {
      id: String(id),
      by: who.actor,
      qty: h.qty,
      sku: h.sku,
      channelNote,
    }),
  };
}

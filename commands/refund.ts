import { z } from "zod";
import { restText } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
import { amountArg, resolveAmount } from "../src/money/amount.js";
import { callerOf, orderArg } from "../src/money/args.js";
import { resolveOrder } from "../src/money/orders.js";
import { requestReply } from "../src/money/refund-flow.js";

export default defineCommand({
  name: "refund",
  summary: msg("cmd-refund-summary"),
  aliases: { "zh-CN": ["退款"] },
  role: "operator",
  args: z.object({ order: orderArg(), amount: amountArg(), reason: restText({ max: 300 }) }),
  examples: [msg("refund-example-order"), msg("refund-example-currency")],
  run: async ({ order, amount, reason }, ctx) => {
    const { deps } = ctx;
    const ref = resolveOrder(deps, order);
    const currency = amount.currency ?? ref.total?.currency ?? deps.config.money.currency;
    if (ref.total && ref.total.currency !== currency) {
      throw localized(
        InvalidInputError,
        "currency_mismatch",
        textRef("err-refund-currency", {
          order: `${ref.channelId}:${ref.orderId}`,
          orderCurrency: ref.total.currency,
          currency,
          example: `${amount.value}${ref.total.currency}`,
        }),
      );
    }
    const money = resolveAmount(amount, currency);
    if ("error" in money) throw new InvalidInputError("bad_amount", money.error);
    if (money.amountMinor === 0) throw localized(InvalidInputError, "zero_amount", textRef("err-refund-zero"));
    if (ref.total) {
      const standing = deps.refunds
        .refundsForOrder(ref.channelId, ref.orderId)
        .reduce((s, r) => s + r.amount.amountMinor, 0);
      if (standing + money.amountMinor > ref.total.amountMinor) {
        const left = { amountMinor: Math.max(0, ref.total.amountMinor - standing), currency };
        throw localized(
          InvalidInputError,
          "refund_exceeds_order",
          textRef("err-refund-exceeds", {
            order: `${ref.channelId}:${ref.orderId}`,
            total: { money: ref.total },
            left: { money: left },
            amount: { money: { amountMinor: money.amountMinor, currency: money.currency } },
          }),
        );
      }
    }
    const { refund, isDuplicate } = deps.refunds.requestRefund(
      {
        channelId: ref.channelId,
        orderId: ref.orderId,
        amount: money,
        reason: reason ?? "",
        source: "chat",
        requestKey: `chat:${ctx.idempotencyKey}`,
      },
      callerOf(ctx),
    );
    const reply = requestReply(deps, refund, ctx.tr);
    return isDuplicate ? { ...reply, text: `${ctx.tr.t("refund-already-recorded")}\n${reply.text}` } : reply;
  },
});

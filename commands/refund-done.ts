import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf, refundId } from "../src/money/args.js";

export default defineCommand({
  name: "refund-done",
  summary: msg("cmd-refund-done-summary"),
  aliases: { "zh-CN": ["退款完成"] },
  role: "operator",
  args: z.object({ id: refundId() }),
  examples: ["/refund_done R-7K3QX9PA"],
  run: async ({ id }, ctx) => {
    const { refund, wasAlreadyDone } = ctx.deps.refunds.markManualDone(id, callerOf(ctx));
    if (wasAlreadyDone)
      return { text: ctx.tr.t("refund-done-already", { id: refund.id, who: refund.executedBy ?? "?" }) };
    return {
      text: ctx.tr.t("refund-done", {
        id: refund.id,
        amount: ctx.tr.money(refund.amount),
        order: `${refund.channelId}:${refund.orderId}`,
        who: ctx.actor.id,
      }),
    };
  },
});

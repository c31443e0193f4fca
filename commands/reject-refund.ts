import { z } from "zod";
import { restText } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { formatMoney } from "../src/money/amount.js";
import { callerOf, refundId } from "../src/money/args.js";

export default defineCommand({
  name: "reject-refund",
  summary: msg("cmd-reject-refund-summary"),
  aliases: { "zh-CN": ["驳回退款"] },
  role: "operator",
  args: z.object({ id: refundId(), reason: restText({ optional: true, max: 300 }) }),
  examples: ["/reject_refund R-7K3QX9PA duplicate of R-2M4N6P8Q"],
  run: async ({ id, reason }, ctx) => {
    // Optional in the schema so the Reject button (which cannot carry free text) gets this answer instead of a usage error.
    if (!reason) throw new InvalidInputError("reason_required", `Say why: /reject_refund ${id} REASON`);
    const r = ctx.deps.refunds.rejectRefund(id, reason, callerOf(ctx));
    return {
      text: `✖️ ${r.id} rejected by ${ctx.actor.id}: ${reason}. ${formatMoney(r.amount)} on ${r.channelId}:${r.orderId} will not be refunded.`,
    };
  },
});

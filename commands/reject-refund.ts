import { z } from "zod";
import { restText } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
import { callerOf, refundId } from "../src/money/args.js";

export default defineCommand({
  name: "reject-refund",
  summary: msg("cmd-reject-refund-summary"),
  aliases: { "zh-CN": ["驳回退款"] },
  role: "operator",
  args: z.object({ id: refundId(), reason: restText({ optional: true, max: 300 }) }),
  examples: [msg("reject-refund-example")],
  run: async ({ id, reason }, ctx) => {
    // Optional in the schema so the Reject button (which cannot carry free text) gets this answer instead of a usage error.
    if (!reason) throw localized(InvalidInputError, "reason_required", textRef("err-reject-reason", { id }));
    const r = ctx.deps.refunds.rejectRefund(id, reason, callerOf(ctx));
    return {
      text: ctx.tr.t("reject-refund-done", {
        id: r.id,
        who: ctx.actor.id,
        reason,
        amount: ctx.tr.money(r.amount),
        order: `${r.channelId}:${r.orderId}`,
      }),
    };
  },
});

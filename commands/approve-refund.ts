import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf, refundId } from "../src/money/args.js";
import { approveAndExecute, previewApproval } from "../src/money/refund-flow.js";

export default defineCommand({
  name: "approve-refund",
  summary: msg("cmd-approve-refund-summary"),
  aliases: { "zh-CN": ["批准退款"] },
  role: "operator",
  confirm: "preview",
  args: z.object({ id: refundId() }),
  examples: ["/approve_refund R-7K3QX9PA"],
  run: async ({ id }, ctx) =>
    ctx.dryRun
      ? previewApproval(ctx.deps, id, callerOf(ctx), ctx.tr)
      : approveAndExecute(ctx.deps, id, callerOf(ctx), ctx.tr),
});

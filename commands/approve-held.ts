import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf } from "../src/money/args.js";
import { approveHeld, heldLineId } from "../src/money/promotion-guard.js";

export default defineCommand({
  name: "approve-held",
  summary: msg("cmd-approve-held-summary"),
  aliases: { "zh-CN": ["放行订单"] },
  role: "approver",
  args: z.object({ id: heldLineId() }),
  examples: ["/approve_held 3"],
  run: async ({ id }, ctx) => approveHeld(ctx.deps, ctx.tr, id, callerOf(ctx)),
});

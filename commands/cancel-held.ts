import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf } from "../src/money/args.js";
import { cancelHeld, heldLineId } from "../src/money/promotion-guard.js";

export default defineCommand({
  name: "cancel-held",
  summary: msg("cmd-cancel-held-summary"),
  aliases: { "zh-CN": ["取消暂扣"] },
  role: "approver",
  args: z.object({ id: heldLineId() }),
  examples: ["/cancel_held 3"],
  run: async ({ id }, ctx) => cancelHeld(ctx.deps, ctx.tr, id, callerOf(ctx)),
});

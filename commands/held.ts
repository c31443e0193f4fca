import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { heldReply } from "../src/money/promotion-guard.js";

export default defineCommand({
  name: "held",
  summary: msg("cmd-held-summary"),
  aliases: { "zh-CN": ["暂扣订单"] },
  role: "viewer",
  args: z.object({}),
  examples: ["/held"],
  run: async (_args, ctx) => heldReply(ctx.deps, ctx.tr),
});

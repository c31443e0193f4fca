import { z } from "zod";
import { restText } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf, priceRequestId } from "../src/money/args.js";
import { rejectPriceBatch } from "../src/money/price-batch.js";

export default defineCommand({
  name: "reject-prices",
  summary: msg("cmd-reject-prices-summary"),
  aliases: { "zh-CN": ["驳回批量改价"] },
  role: "approver",
  args: z.object({ id: priceRequestId(), reason: restText({ optional: true, max: 300 }) }),
  examples: [msg("reject-prices-example")],
  run: async ({ id, reason }, ctx) => rejectPriceBatch(ctx.deps, ctx.tr, id, reason, callerOf(ctx)),
});

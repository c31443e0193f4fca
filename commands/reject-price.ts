import { z } from "zod";
import { restText } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf, priceRequestId } from "../src/money/args.js";
import { rejectPriceRequest } from "../src/money/price-approval.js";

export default defineCommand({
  name: "reject-price",
  summary: msg("cmd-reject-price-summary"),
  aliases: { "zh-CN": ["驳回改价"] },
  role: "approver",
  args: z.object({ id: priceRequestId(), reason: restText({ optional: true, max: 300 }) }),
  examples: [msg("reject-price-example")],
  run: async ({ id, reason }, ctx) => rejectPriceRequest(ctx.deps, ctx.tr, id, reason, callerOf(ctx)),
});

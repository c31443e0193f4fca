import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf, priceRequestId } from "../src/money/args.js";
import { approvePriceRequest, previewPriceApproval } from "../src/money/price-approval.js";

export default defineCommand({
  name: "approve-price",
  summary: msg("cmd-approve-price-summary"),
  aliases: { "zh-CN": ["批准改价"] },
  role: "approver",
  confirm: "preview",
  args: z.object({ id: priceRequestId() }),
  examples: ["/approve_price 3"],
  run: async ({ id }, ctx) =>
    ctx.dryRun
      ? previewPriceApproval(ctx.deps, ctx.tr, id, callerOf(ctx))
      : approvePriceRequest(ctx.deps, ctx.tr, id, callerOf(ctx)),
});

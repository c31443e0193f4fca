import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { callerOf, priceRequestId } from "../src/money/args.js";
import { approvePriceBatch, previewPriceBatch } from "../src/money/price-batch.js";

export default defineCommand({
  name: "approve-prices",
  summary: msg("cmd-approve-prices-summary"),
  aliases: { "zh-CN": ["批准批量改价"] },
  role: "approver",
  confirm: "preview",
  args: z.object({ id: priceRequestId() }),
  examples: ["/approve_prices 2"],
  run: async ({ id }, ctx) =>
    ctx.dryRun
      ? previewPriceBatch(ctx.deps, ctx.tr, id, callerOf(ctx))
      : approvePriceBatch(ctx.deps, ctx.tr, id, callerOf(ctx)),
});

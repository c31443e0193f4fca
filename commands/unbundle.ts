import { z } from "zod";
import { skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { removeBundle } from "./bundle.js";

export default defineCommand({
  name: "unbundle",
  summary: msg("cmd-unbundle-summary"),
  aliases: { "zh-CN": ["拆套装"] },
  role: "operator",
  confirm: "preview",
  argText: { sku: { name: msg("arg-sku"), description: msg("arg-sku-help") } },
  args: z.object({ sku: skuArg() }),
  examples: ["/unbundle GIFT-1"],
  run: async ({ sku }, { deps, actor, requestId, dryRun, tr }) => ({
    text: removeBundle(deps, tr, sku, dryRun, { actor: actor.id, transport: actor.transport, requestId }),
  }),
});

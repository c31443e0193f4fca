import { z } from "zod";
import { skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "why",
  summary: msg("cmd-why-summary"),
  aliases: { "zh-CN": ["为什么"] },
  role: "viewer",
  args: z.object({ sku: skuArg() }),
  run: async ({ sku }, { deps }) => {
    const level = deps.ledger.stock.getLevel(sku);
    const pubs = deps.ledger.outbox.publicationsFor(sku);
    if (!pubs.length) return { text: `${sku}: ${level.available} available, but it is not listed on any channel.` };
    return {
      text: pubs
        .map(({ listing, publication }) =>
          [
            `${listing.channelId} → ${publication.isListed ? publication.quantity : "delisted (0)"}`,
            ...publication.trail.map((t) => `  · ${t}`),
          ].join("\n"),
        )
        .join("\n"),
    };
  },
});

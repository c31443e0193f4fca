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
  argText: { sku: { name: msg("arg-sku"), description: msg("arg-sku-help") } },
  run: async ({ sku }, { deps, tr }) => {
    const level = deps.ledger.stock.getLevel(sku);
    const pubs = deps.ledger.outbox.publicationsFor(sku);
    if (!pubs.length) return { text: tr.t("why-not-listed", { sku, available: level.available }) };
    return {
      text: pubs
        .map(({ listing, publication }) =>
          [
            publication.isListed
              ? tr.t("why-shows", { channel: listing.channelId, qty: publication.quantity })
              : tr.t("why-delisted", { channel: listing.channelId }),
            ...publication.trail.map((t) => `  · ${t}`),
          ].join("\n"),
        )
        .join("\n"),
    };
  },
});

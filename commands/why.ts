import { z } from "zod";
import { skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";

export default defineCommand({
  name: "why",
  summary: "Explain the quantity each channel shows for a SKU, rule by rule",
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

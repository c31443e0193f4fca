import { z } from "zod";
import { channelOrAll, checkChannel, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "relist",
  summary: msg("cmd-relist-summary"),
  aliases: { "zh-CN": ["上架"] },
  role: "operator",
  args: z.object({ sku: skuArg(), channel: channelOrAll }),
  examples: ["/relist A-12 all"],
  run: async ({ sku, channel }, { deps }) => {
    const only = checkChannel(deps, channel);
    const changed = deps.ledger.listings.setDelisted(sku, false, only);
    if (!changed.length) return { text: `${sku} was not delisted${only ? ` on ${only}` : ""}.` };
    const pubs = deps.ledger.outbox.publicationsFor(sku);
    return {
      text: `Relisted ${sku} on ${changed.map((l) => l.channelId).join(", ")}: ${changed
        .map(
          (l) =>
            `${l.channelId} shows ${pubs.find((p) => p.listing.channelId === l.channelId)?.publication.quantity ?? 0}`,
        )
        .join(", ")}.`,
    };
  },
});

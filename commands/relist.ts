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
  run: async ({ sku, channel }, { deps, tr }) => {
    const only = checkChannel(deps, channel);
    const changed = deps.ledger.listings.setDelisted(sku, false, only);
    if (!changed.length)
      return {
        text: only ? tr.t("relist-not-delisted-on", { sku, channel: only }) : tr.t("relist-not-delisted", { sku }),
      };
    const pubs = deps.ledger.outbox.publicationsFor(sku);
    return {
      text: tr.t("relist-done", {
        sku,
        channels: changed.map((l) => l.channelId).join(", "),
        shows: changed
          .map((l) =>
            tr.t("relist-shows", {
              channel: l.channelId,
              qty: pubs.find((p) => p.listing.channelId === l.channelId)?.publication.quantity ?? 0,
            }),
          )
          .join(", "),
      }),
    };
  },
});

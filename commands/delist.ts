import { z } from "zod";
import { channelOrAll, checkChannel, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { NotFoundError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";

export default defineCommand({
  name: "delist",
  summary: msg("cmd-delist-summary"),
  aliases: { "zh-CN": ["下架"] },
  role: "operator",
  confirm: "preview",
  args: z.object({ sku: skuArg(), channel: channelOrAll }),
  examples: ["/delist A-12 all", "/delist A-12 shop1"],
  run: async ({ sku, channel }, { deps, dryRun, tr }) => {
    const only = checkChannel(deps, channel);
    const listings = deps.ledger.listings.skuListings(sku).filter((l) => !only || l.channelId === only);
    if (!listings.length)
      throw localized(
        NotFoundError,
        "unknown_listing",
        only ? textRef("delist-not-listed-on", { sku, channel: only }) : textRef("delist-not-listed", { sku }),
        { sku },
      );
    const live = listings.filter((l) => !l.isDelisted);
    if (dryRun) {
      if (!live.length)
        return { text: tr.t("delist-already-on", { sku, channels: listings.map((l) => l.channelId).join(", ") }) };
      return { text: tr.t("delist-will", { sku, channels: live.map((l) => l.channelId).join(", ") }) };
    }
    const changed = deps.ledger.listings.setDelisted(sku, true, only);
    return {
      text: changed.length
        ? tr.t("delist-done", { sku, channels: changed.map((l) => l.channelId).join(", ") })
        : tr.t("delist-already", { sku }),
    };
  },
});

import { z } from "zod";
import { channelOrAll, checkChannel, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { NotFoundError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "delist",
  summary: msg("cmd-delist-summary"),
  aliases: { "zh-CN": ["下架"] },
  role: "operator",
  confirm: "preview",
  args: z.object({ sku: skuArg(), channel: channelOrAll }),
  examples: ["/delist A-12 all", "/delist A-12 shop1"],
  run: async ({ sku, channel }, { deps, dryRun }) => {
    const only = checkChannel(deps, channel);
    const listings = deps.ledger.listings.skuListings(sku).filter((l) => !only || l.channelId === only);
    if (!listings.length)
      throw new NotFoundError("unknown_listing", `SKU ${sku} is not listed${only ? ` on ${only}` : ""}.`, { sku });
    const live = listings.filter((l) => !l.isDelisted);
    if (dryRun) {
      if (!live.length)
        return { text: `${sku} is already delisted on ${listings.map((l) => l.channelId).join(", ")}.` };
      return {
        text: `Will delist ${sku} on ${live.map((l) => l.channelId).join(", ")} (they will show 0 until /relist).`,
      };
    }
    const changed = deps.ledger.listings.setDelisted(sku, true, only);
    return {
      text: changed.length
        ? `Delisted ${sku} on ${changed.map((l) => l.channelId).join(", ")}. Pushes are queued.`
        : `${sku} was already delisted.`,
    };
  },
});

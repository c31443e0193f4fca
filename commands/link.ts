import { z } from "zod";
import { checkChannel, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { ChannelIdSchema } from "../src/ids.js";
import { autoLink, describeAutoLink } from "../src/sync/link-auto.js";

export default defineCommand({
  name: "link",
  summary: msg("cmd-link-summary"),
  aliases: { "zh-CN": ["关联"] },
  role: "operator",
  args: z.object({
    sku: skuArg("SKU|auto"),
    channel: ChannelIdSchema.describe("CHANNEL"),
    ref: z
      .string()
      .regex(/^[^\s"']{1,200}$/, { message: "must be the channel's item id without spaces or quotes" })
      .optional()
      .describe("REF"),
  }),
  examples: ["/link A-12 shop1 gid://shopify/InventoryItem/4711", "/link auto shop1"],
  run: async ({ sku, channel, ref }, { deps }) => {
    checkChannel(deps, channel);
    if (ref === undefined) {
      if (sku !== "auto")
        throw new InvalidInputError(
          "missing_ref",
          `Say which ${channel} item: /link ${sku} ${channel} REF, or /link auto ${channel} to map the whole catalog by SKU.`,
        );
      const report = await autoLink(deps.ledger, deps.sync.channel(channel), {
        signal: AbortSignal.timeout(10 * 60_000),
      });
      return { text: describeAutoLink(report) };
    }
    const l = deps.ledger.listings.linkListing({ channelId: channel, sku, ref });
    const pub = deps.ledger.outbox.publicationsFor(sku).find((p) => p.listing.channelId === channel);
    return { text: `Linked ${sku} to ${channel} item ${l.ref}; it will show ${pub?.publication.quantity ?? 0}.` };
  },
});

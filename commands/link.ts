import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { ChannelIdSchema, SkuSchema } from "../src/ids.js";
import { checkChannel } from "./delist.js";

export default defineCommand({
  name: "link",
  summary: "Link a SKU to a channel item (REF is the channel's own id for it)",
  role: "operator",
  args: z.object({
    sku: SkuSchema.describe("SKU"),
    channel: ChannelIdSchema.describe("CHANNEL"),
    ref: z.string().regex(/^[^\s"']{1,200}$/, { message: "must be the channel's item id without spaces or quotes" }).describe("REF"),
  }),
  examples: ["/link A-12 shop1 gid://shopify/InventoryItem/4711"],
  run: async ({ sku, channel, ref }, { deps }) => {
    checkChannel(deps, channel);
    const l = deps.ledger.listings.linkListing({ channelId: channel, sku, ref });
    const pub = deps.ledger.outbox.publicationsFor(sku).find((p) => p.listing.channelId === channel);
    return { text: `Linked ${sku} to ${channel} item ${l.ref}; it will show ${pub?.publication.quantity ?? 0}.` };
  },
});

import { z } from "zod";
import { checkChannel, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
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
    risk: z.enum(["risk", "norisk"]).optional().describe("risk|norisk"),
  }),
  argText: { risk: { name: msg("arg-link-risk"), description: msg("arg-link-risk-help") } },
  examples: ["/link A-12 shop1 gid://shopify/InventoryItem/4711", "/link A-12 woo 11 risk", "/link auto shop1"],
  run: async ({ sku, channel, ref, risk }, { deps, tr }) => {
    checkChannel(deps, channel);
    if (ref === undefined) {
      if (sku !== "auto")
        throw localized(InvalidInputError, "missing_ref", textRef("link-missing-ref", { sku, channel }));
      const report = await autoLink(deps.ledger, deps.sync.channel(channel), {
        signal: AbortSignal.timeout(10 * 60_000),
      });
      return { text: describeAutoLink(report, tr) };
    }
    const l = deps.ledger.listings.linkListing({
      channelId: channel,
      sku,
      ref,
      riskBuffer: risk === undefined ? undefined : risk === "risk",
    });
    const pub = deps.ledger.outbox.publicationsFor(sku).find((p) => p.listing.channelId === channel);
    const done = tr.t("link-done", { sku, channel, ref: l.ref, qty: pub?.publication.quantity ?? 0 });
    if (risk === undefined) return { text: done };
    return { text: `${done}\n${tr.t(risk === "risk" ? "link-risk-on" : "link-risk-off", { sku, channel })}` };
  },
});

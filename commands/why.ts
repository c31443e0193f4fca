import { z } from "zod";
import { skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { renderRef } from "../src/i18n/ref.js";
import { formatComponents } from "../src/ledger/bundle-spec.js";

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
    const bundle = deps.ledger.bundles.bundleAvailability(sku);
    const binding = bundle?.components.find((c) => c.component === bundle.binding);
    // A bundle names the component that binds it before the per-channel trail.
    const head =
      bundle && binding
        ? [
            tr.t("bundle-why", {
              sku,
              components: formatComponents(bundle.components),
              available: bundle.available,
              binding: bundle.binding,
              bindingAvailable: binding.available,
              qty: binding.qty,
            }),
          ]
        : [];
    // Several stock rooms: their on hand first, so a channel's "sells from" step has its numbers beside it.
    const levels = bundle ? [] : deps.ledger.locations.locationLevels(sku);
    if (levels.length > 1 || (levels.length === 1 && levels[0]?.location !== "main"))
      head.push(
        tr.t("inv-why-locations", {
          items: levels.map((l) => `${l.location} ${l.onHand}`).join(tr.locale === "zh-CN" ? "，" : ", "),
        }),
      );
    if (!pubs.length)
      return {
        text: [...head, tr.t("why-not-listed", { sku, available: bundle?.available ?? level.available })].join("\n"),
      };
    return {
      text: [
        ...head,
        pubs
          .map(({ listing, publication }) =>
            [
              publication.isListed
                ? tr.t("why-shows", { channel: listing.channelId, qty: publication.quantity })
                : tr.t("why-delisted", { channel: listing.channelId }),
              ...publication.steps.map((step) => `  · ${renderRef(tr, step)}`),
            ].join("\n"),
          )
          .join("\n"),
      ].join("\n"),
    };
  },
});

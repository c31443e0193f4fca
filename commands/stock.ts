import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import type { Deps } from "../src/deps.js";
import { msg } from "../src/i18n/commands.js";
import type { Translator } from "../src/i18n/translator.js";
import { SkuSchema } from "../src/ids.js";

export default defineCommand({
  name: "stock",
  summary: msg("cmd-stock-summary"),
  aliases: { "zh-CN": ["库存", "查库存"] },
  role: "viewer",
  args: z.object({
    sku: z
      .union([z.literal("low"), SkuSchema])
      .optional()
      .describe("SKU|low"),
  }),
  examples: ["/stock A-12", "/stock low"],
  run: async ({ sku }, { deps, tr }) => {
    const { ledger } = deps;
    if (sku === undefined) {
      const t = ledger.stock.stockTotals();
      const low = ledger.stock.lowStock(5);
      return {
        text: [
          `${t.skus} SKUs, ${t.onHand} units on hand, ${t.reserved} reserved.`,
          low.length ? `Low: ${low.map((l) => `${l.sku} (${l.available})`).join(", ")}` : "Nothing is low.",
        ].join("\n"),
      };
    }
    if (sku === "low") {
      const low = ledger.stock.lowStock(30);
      if (!low.length) return { text: "No SKU is at or below its low-stock threshold." };
      return {
        text: [
          `Low stock (${low.length}):`,
          ...low.map((l) => `${l.sku}: ${l.available} available (${l.onHand} on hand, ${l.reserved} reserved)`),
        ].join("\n"),
      };
    }
    const level = ledger.stock.getLevel(sku);
    const pubs = ledger.outbox.publicationsFor(sku);
    const lines = [
      `${level.sku}${level.title ? ` — ${level.title}` : ""}`,
      `${level.available} available = ${level.onHand} on hand − ${level.reserved} reserved`,
      ...byLocation(deps, tr, level.sku),
      ...pubs.map(
        ({ listing, publication }) =>
          `${listing.channelId}: shows ${publication.isListed ? publication.quantity : "delisted"}` +
          (listing.confirmedQty !== null && listing.confirmedQty !== publication.quantity
            ? ` (channel confirmed ${listing.confirmedQty}, push pending)`
            : ""),
      ),
    ];
    if (!pubs.length) lines.push(`Not listed anywhere yet. /link ${level.sku} CHANNEL REF`);
    return {
      text: lines.join("\n"),
      buttons: [
        { label: "Why", action: `/why ${level.sku}` },
        { label: "History", action: `/history ${level.sku}` },
      ],
    };
  },
});

/** The per-location lines of /stock, shown once a SKU is held in more than one location or outside `main`. */
function byLocation(deps: Deps, tr: Translator, sku: string): string[] {
  const levels = deps.ledger.locations.locationLevels(sku);
  if (!levels.length || (levels.length === 1 && levels[0]?.location === "main")) return [];
  return [
    tr.t("inv-stock-locations-header"),
    ...levels.map((l) => `  ${tr.t("inv-stock-location", { location: l.location, onHand: l.onHand })}`),
  ];
}

import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import type { Deps } from "../src/deps.js";
import { msg } from "../src/i18n/commands.js";
import type { Translator } from "../src/i18n/translator.js";
import { type Sku, SkuSchema } from "../src/ids.js";
import { showBundle } from "./bundle.js";

export default defineCommand({
  name: "stock",
  summary: msg("cmd-stock-summary"),
  aliases: { "zh-CN": ["库存", "查库存"] },
  argText: { sku: { name: msg("arg-sku-or-low"), description: msg("arg-sku-or-low-help") } },
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
          tr.t("stock-overview", { skus: t.skus, onHand: t.onHand, reserved: t.reserved }),
          low.length
            ? tr.t("stock-overview-low", { items: low.map((l) => `${l.sku} (${l.available})`).join(", ") })
            : tr.t("stock-overview-none-low"),
        ].join("\n"),
      };
    }
    if (sku === "low") {
      const low = ledger.stock.lowStock(30);
      if (!low.length) return { text: tr.t("stock-low-none") };
      return {
        text: [
          tr.t("stock-low-header", { count: low.length }),
          ...low.map((l) =>
            tr.t("stock-low-line", { sku: l.sku, available: l.available, onHand: l.onHand, reserved: l.reserved }),
          ),
        ].join("\n"),
      };
    }
    const level = ledger.stock.getLevel(sku);
    const pubs = ledger.outbox.publicationsFor(sku);
    // A bundle holds no stock of its own: its own 0 = 0 − 0 line would contradict the sets it shows.
    const isBundle = ledger.bundles.isBundle(level.sku);
    const lines = [
      `${level.sku}${level.title ? ` — ${level.title}` : ""}`,
      ...(isBundle
        ? bundleView(deps, tr, level.sku)
        : [
            tr.t("stock-level", { available: level.available, onHand: level.onHand, reserved: level.reserved }),
            ...byLocation(deps, tr, level.sku),
            ...partOf(deps, tr, level.sku),
          ]),
      ...pubs.map(
        ({ listing, publication }) =>
          (publication.isListed
            ? tr.t("stock-shows", { channel: listing.channelId, qty: publication.quantity })
            : tr.t("stock-shows-delisted", { channel: listing.channelId })) +
          (listing.confirmedQty !== null && listing.confirmedQty !== publication.quantity
            ? ` ${tr.t("stock-push-pending", { confirmed: listing.confirmedQty })}`
            : ""),
      ),
    ];
    if (!pubs.length) lines.push(tr.t("stock-not-listed", { sku: level.sku }));
    return {
      text: lines.join("\n"),
      buttons: [
        { label: tr.t("button-why"), action: `/why ${level.sku}` },
        { label: tr.t("button-history"), action: `/history ${level.sku}` },
      ],
    };
  },
});

/** The per-location lines of /stock, shown once a SKU is held in more than one location or outside `main`. */
function byLocation(deps: Deps, tr: Translator, sku: string, indent = ""): string[] {
  const levels = deps.ledger.locations.locationLevels(sku);
  // What a marketplace holds itself (Amazon FBA), as last read: its own lines, never part of on hand.
  const held = deps.ledger.locations.readOnlyLevels(sku);
  if (!held.length && (!levels.length || (levels.length === 1 && levels[0]?.location === "main"))) return [];
  return [
    `${indent}${tr.t("inv-stock-locations-header")}`,
    ...levels.map((l) => `${indent}  ${tr.t("inv-stock-location", { location: l.location, onHand: l.onHand })}`),
    ...held.map(
      (h) =>
        `${indent}  ${tr.t("inv-stock-read-only", { location: h.location, channel: h.channelId, quantity: h.quantity, total: h.total })}`,
    ),
  ];
}

/** A bundle's view: the sets it makes and the binding component, then each component's on hand, reserved and locations. */
function bundleView(deps: Deps, tr: Translator, sku: Sku): string[] {
  return [
    showBundle(deps, tr, sku, (c) => {
      const l = deps.ledger.stock.getLevel(c.component);
      return [
        `  · ${tr.t("bundle-stock-component", { component: c.component, onHand: l.onHand, reserved: l.reserved, available: c.available, qty: c.qty, sets: c.sets })}`,
        ...byLocation(deps, tr, c.component, "    "),
      ];
    }),
  ];
}

/** For a component, the bundles it is part of. */
function partOf(deps: Deps, tr: Translator, sku: Sku): string[] {
  const parents = deps.ledger.bundles.bundlesContaining(sku);
  return parents.length ? [tr.t("bundle-part-of", { bundles: parents.join(", ") })] : [];
}

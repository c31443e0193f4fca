import { z } from "zod";
import { quantity, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import type { Translator } from "../src/i18n/translator.js";

export default defineCommand({
  name: "history",
  summary: msg("cmd-history-summary"),
  aliases: { "zh-CN": ["流水"] },
  role: "viewer",
  argText: {
    sku: { name: msg("arg-sku"), description: msg("arg-sku-help") },
    n: { name: msg("arg-n"), description: msg("arg-n-help") },
  },
  args: z.object({ sku: skuArg(), n: quantity(50).optional().describe("N") }),
  run: async ({ sku, n }, { deps, tr }) => {
    deps.ledger.stock.getLevel(sku);
    const bundle = deps.ledger.bundles.bundleAvailability(sku);
    // A bundle's stock moves are its components': say where to look, above whatever the SKU had before.
    const note = bundle ? [tr.t("bundle-history-note", { sku, component: bundle.binding })] : [];
    const moves = deps.ledger.movements(sku, n || 10);
    if (!moves.length) return { text: [...note, tr.t("history-none", { sku })].join("\n") };
    // With one stock room the location part repeats the on-hand change; it is shown once there are several.
    const isMultiLocation = deps.ledger.locations.knownLocations().length > 1;
    return {
      text: [
        ...note,
        tr.t("history-header", { sku }),
        ...moves.map((m) => {
          const dOn = m.onHandAfter - m.onHandBefore;
          const dRes = m.reservedAfter - m.reservedBefore;
          const parts = [
            dOn ? tr.t("history-on-hand", { delta: `${dOn > 0 ? "+" : ""}${dOn}`, after: m.onHandAfter }) : "",
            isMultiLocation && m.location && m.locationBefore !== null && m.locationAfter !== null
              ? tr.t("inv-history-location", {
                  location: m.location,
                  delta: `${m.locationAfter >= m.locationBefore ? "+" : ""}${m.locationAfter - m.locationBefore}`,
                  after: m.locationAfter,
                })
              : "",
            dRes ? tr.t("history-reserved", { delta: `${dRes > 0 ? "+" : ""}${dRes}`, after: m.reservedAfter }) : "",
          ].filter(Boolean);
          const line = tr.t("history-line", {
            id: String(m.id),
            at: tr.dateTime(new Date(m.at)),
            reason: reasonText(tr, m.reason),
            actor: m.actor,
            parts: parts.join(tr.locale === "en" ? ", " : "，") || tr.t("history-no-change"),
          });
          return `${line}${m.reference ? ` [${m.reference}]` : ""}${m.note ? ` — ${m.note}` : ""}`;
        }),
      ].join("\n"),
    };
  },
});

const REASONS = { set: "move-reason-set", adjust: "move-reason-adjust", move: "move-reason-move" } as const;

/** A movement's reason in the reader's language when it is one of ours ("set", "adjust", "move"); others as stored. */
function reasonText(tr: Translator, reason: string): string {
  const id = REASONS[reason as keyof typeof REASONS];
  return id ? tr.t(id) : reason;
}

import { z } from "zod";
import { quantity, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "history",
  summary: msg("cmd-history-summary"),
  aliases: { "zh-CN": ["流水"] },
  role: "viewer",
  args: z.object({ sku: skuArg(), n: quantity(50).optional().describe("N") }),
  run: async ({ sku, n }, { deps, tr }) => {
    deps.ledger.stock.getLevel(sku);
    const moves = deps.ledger.movements(sku, n || 10);
    if (!moves.length) return { text: `${sku} has no movements yet.` };
    // With one stock room the location part repeats the on-hand change; it is shown once there are several.
    const isMultiLocation = deps.ledger.locations.knownLocations().length > 1;
    return {
      text: [
        `Movements of ${sku}, newest first:`,
        ...moves.map((m) => {
          const dOn = m.onHandAfter - m.onHandBefore;
          const dRes = m.reservedAfter - m.reservedBefore;
          const parts = [
            dOn ? `on hand ${dOn > 0 ? "+" : ""}${dOn} → ${m.onHandAfter}` : "",
            isMultiLocation && m.location && m.locationBefore !== null && m.locationAfter !== null
              ? tr.t("inv-history-location", {
                  location: m.location,
                  delta: `${m.locationAfter >= m.locationBefore ? "+" : ""}${m.locationAfter - m.locationBefore}`,
                  after: m.locationAfter,
                })
              : "",
            dRes ? `reserved ${dRes > 0 ? "+" : ""}${dRes} → ${m.reservedAfter}` : "",
          ].filter(Boolean);
          return `#${m.id} ${m.at.slice(0, 16).replace("T", " ")} ${m.reason} by ${m.actor}: ${parts.join(", ") || "no change"}${m.reference ? ` [${m.reference}]` : ""}${m.note ? ` — ${m.note}` : ""}`;
        }),
      ].join("\n"),
    };
  },
});

import { z } from "zod";
import { quantity, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { locationName } from "../src/config-fields.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "move",
  summary: msg("cmd-move-summary"),
  aliases: { "zh-CN": ["调拨"] },
  role: "operator",
  args: z.object({
    sku: skuArg(),
    qty: quantity().describe("QTY"),
    from: locationName.describe("FROM"),
    to: locationName.describe("TO"),
  }),
  examples: ["/move A-1 3 home 3pl"],
  run: async ({ sku, qty, from, to }, { deps, actor, idempotencyKey, tr }) => {
    const r = deps.ledger.stock.moveStock(sku, qty, from, to, { actor: actor.id, reason: "move", idempotencyKey });
    if (r.isDuplicate) return { text: tr.t("inv-move-duplicate", { sku, key: idempotencyKey }) };
    const levels = deps.ledger.locations.locationLevels(sku);
    const at = (loc: string) => levels.find((l) => l.location === loc)?.onHand ?? 0;
    return {
      text: tr.t("inv-moved", {
        sku,
        qty,
        from,
        to,
        fromBefore: at(from) + qty,
        fromAfter: at(from),
        toBefore: at(to) - qty,
        toAfter: at(to),
        onHand: r.level.onHand,
      }),
    };
  },
});

import { z } from "zod";
import { quantity, restText, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { ConflictError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "add",
  summary: msg("first-add-summary"),
  aliases: { "zh-CN": ["新增"] },
  role: "operator",
  args: z.object({ sku: skuArg(), qty: quantity().describe("QTY"), title: restText({ name: "TITLE" }) }),
  examples: [msg("add-example")],
  run: async ({ sku, qty, title }, { deps, actor, idempotencyKey, tr }) => {
    const existing = deps.ledger.stock.findLevel(sku);
    if (existing) {
      // A redelivered /add finds the SKU its first delivery created: that is the same change, not a clash.
      if (deps.ledger.movements(sku, 50).some((m) => m.idempotencyKey === idempotencyKey))
        return { text: tr.t("first-add-duplicate", { sku, onHand: existing.onHand }) };
      throw new ConflictError("sku_exists", tr.t("first-add-exists", { sku, onHand: existing.onHand }), { sku });
    }
    const level = deps.ledger.stock.upsertSku(
      { sku, title: title ?? "", onHand: qty },
      { actor: actor.id, reason: "add", idempotencyKey },
    );
    const location = deps.ledger.locations.primaryLocation();
    return { text: tr.t("first-added", { sku, title: title ?? "", onHand: level.onHand, location }) };
  },
});

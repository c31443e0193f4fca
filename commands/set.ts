import { z } from "zod";
import { quantity, restText, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { splitLocation } from "../src/chat/location-arg.js";
import { NotFoundError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "set",
  summary: msg("cmd-set-summary"),
  aliases: { "zh-CN": ["盘点"] },
  role: "operator",
  argText: {
    sku: { name: msg("arg-sku"), description: msg("arg-sku-help") },
    qty: { name: msg("arg-qty"), description: msg("arg-qty-help") },
    reason: { name: msg("arg-reason"), description: msg("arg-note-help") },
  },
  args: z.object({ sku: skuArg(), qty: quantity().describe("QTY"), reason: restText({ optional: true }) }),
  examples: [msg("set-example-take"), msg("set-example-location")],
  run: async ({ sku, qty, reason: text }, { deps, actor, idempotencyKey, tr }) => {
    const { location, rest: reason } = splitLocation(text);
    const before = deps.ledger.stock.findLevel(sku);
    if (!before) throw new NotFoundError("unknown_sku", tr.t("first-unknown-sku", { sku }), { sku });
    const r = deps.ledger.stock.setOnHand(sku, qty, {
      actor: actor.id,
      reason: "set",
      idempotencyKey,
      note: reason ?? null,
      location,
    });
    const at = r.movement.location ? ` ${tr.t("inv-at-location", { location: r.movement.location })}` : "";
    if (r.isDuplicate) return { text: tr.t("set-duplicate", { sku, onHand: r.level.onHand }) };
    return {
      text: tr.t("set-done", {
        sku,
        before: before.onHand,
        after: r.level.onHand,
        at,
        available: r.level.available,
      }),
    };
  },
});

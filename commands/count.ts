import { z } from "zod";
import { quantity, restText, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { splitLocation } from "../src/chat/location-arg.js";
import { NotFoundError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "count",
  summary: msg("first-count-summary"),
  aliases: { "zh-CN": ["点数"] },
  role: "operator",
  args: z.object({
    sku: skuArg(),
    qty: quantity().describe("QTY"),
    at: restText({ optional: true, name: "@LOCATION" }),
  }),
  examples: ["/count A-12 38", "/count A-12 12 @3pl"],
  run: async ({ sku, qty, at }, { deps, actor, idempotencyKey, tr }) => {
    const { location, rest: note } = splitLocation(at);
    if (!deps.ledger.stock.findLevel(sku))
      throw new NotFoundError("unknown_sku", tr.t("first-unknown-sku", { sku }), { sku });
    const r = deps.ledger.stock.setOnHand(sku, qty, {
      actor: actor.id,
      reason: "count",
      idempotencyKey,
      note: note ?? null,
      location,
    });
    if (r.isDuplicate) return { text: tr.t("first-count-duplicate", { sku, onHand: r.level.onHand }) };
    const where = r.movement.location ?? deps.ledger.locations.primaryLocation();
    const before = r.movement.locationBefore ?? r.movement.onHandBefore;
    const after = r.movement.locationAfter ?? r.movement.onHandAfter;
    return {
      text: tr.t("first-counted", {
        sku,
        location: where,
        before,
        after,
        difference: `${after - before > 0 ? "+" : after - before < 0 ? "−" : "±"}${Math.abs(after - before)}`,
        onHand: r.level.onHand,
        available: r.level.available,
      }),
    };
  },
});

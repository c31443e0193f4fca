import { z } from "zod";
import { restText, signedDelta, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { splitLocation } from "../src/chat/location-arg.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "adjust",
  summary: msg("cmd-adjust-summary"),
  aliases: { "zh-CN": ["调整"] },
  role: "operator",
  argText: {
    sku: { name: msg("arg-sku"), description: msg("arg-sku-help") },
    delta: { name: msg("arg-delta"), description: msg("arg-delta-help") },
    reason: { name: msg("arg-reason"), description: msg("arg-note-help") },
  },
  args: z.object({ sku: skuArg(), delta: signedDelta().describe("±N"), reason: restText({ optional: true }) }),
  examples: [msg("adjust-example-delivery"), msg("adjust-example-damaged"), msg("adjust-example-returns")],
  run: async ({ sku, delta, reason: text }, { deps, actor, idempotencyKey, tr }) => {
    const { location, rest: reason } = splitLocation(text);
    const r = deps.ledger.stock.adjustOnHand(sku, delta, {
      actor: actor.id,
      reason: "adjust",
      idempotencyKey,
      note: reason ?? null,
      location,
    });
    const at = r.movement.location ? ` ${tr.t("inv-at-location", { location: r.movement.location })}` : "";
    if (r.isDuplicate) return { text: tr.t("set-duplicate", { sku, onHand: r.level.onHand }) };
    return {
      text: tr.t("adjust-done", {
        sku,
        before: r.movement.onHandBefore,
        after: r.movement.onHandAfter,
        delta: `${delta > 0 ? "+" : ""}${delta}`,
        at,
        available: r.level.available,
      }),
    };
  },
});

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
  args: z.object({ sku: skuArg(), delta: signedDelta().describe("±N"), reason: restText({ optional: true }) }),
  examples: ["/adjust A-12 +24 delivery from supplier", "/adjust A-12 -1 damaged", "/adjust A-12 +5 @3pl returns"],
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
    if (r.isDuplicate) return { text: `Already applied: ${sku} on hand is ${r.level.onHand}.` };
    return {
      text: `${sku}: on hand ${r.movement.onHandBefore} → ${r.movement.onHandAfter} (${delta > 0 ? "+" : ""}${delta})${at}; ${r.level.available} available.`,
    };
  },
});

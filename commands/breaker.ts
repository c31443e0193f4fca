import { z } from "zod";
import { restText } from "../src/chat/args.js";
import { defineCommand, hasRole } from "../src/chat/command.js";
import { ForbiddenError, InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
import { callerOf } from "../src/money/args.js";
import { limitsFor } from "../src/money/limits.js";
import { renderBreaker } from "../src/money/render.js";

export default defineCommand({
  name: "breaker",
  summary: msg("cmd-breaker-summary"),
  aliases: { "zh-CN": ["熔断"] },
  role: "viewer",
  args: z.object({
    action: z.enum(["reset"]).optional().describe("reset"),
    reason: restText({ optional: true, max: 300 }),
  }),
  examples: ["/breaker", msg("breaker-example-reset")],
  run: async ({ action, reason }, ctx) => {
    const { deps } = ctx;
    const windowMinutes = deps.config.money.breaker.windowMinutes;
    if (action === "reset") {
      if (!hasRole(ctx.actor.role, "admin"))
        throw localized(ForbiddenError, "needs_admin", textRef("err-breaker-needs-admin"));
      if (!reason) throw localized(InvalidInputError, "reason_required", textRef("err-breaker-reason"));
      deps.breaker.resetBreaker(reason, callerOf(ctx), windowMinutes);
      return {
        text: ctx.tr.t("breaker-reset-done", { who: ctx.actor.id, reason }),
      };
    }
    const totals = deps.breaker
      .windowTotals(windowMinutes)
      .map((total) => ({ total, limits: limitsFor(deps.config.money, total.currency) }));
    const state = deps.breaker.breakerState();
    return {
      text: renderBreaker(state, totals, deps.breaker.breakerEvents(5), windowMinutes, ctx.tr),
      ...(state.isOpen ? { buttons: [{ label: ctx.tr.t("button-refunds"), action: "/refunds" }] } : {}),
    };
  },
});

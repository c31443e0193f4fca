import { z } from "zod";
import { defineCommand, hasRole } from "../src/chat/command.js";
import { ForbiddenError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { decideBulk } from "../src/sync/bulk-decide.js";

export default defineCommand({
  name: "bulk",
  summary: msg("cmd-bulk-summary"),
  aliases: { "zh-CN": ["批量"] },
  role: "viewer",
  args: z.object({
    action: z.enum(["release", "discard"]).optional().describe("release|discard"),
    id: z
      .string()
      .trim()
      .regex(/^B-[2-9A-HJ-NP-Z]{8}$/i, "a hold id such as B-7K3QX9PA")
      .optional()
      .describe("ID"),
  }),
  argText: { action: { name: msg("arg-bulk-action"), description: msg("arg-bulk-action-help") } },
  examples: ["/bulk", "/bulk release B-7K3QX9PA", "/bulk discard B-7K3QX9PA"],
  run: async ({ action, id }, ctx) => {
    const { deps, tr } = ctx;
    if (action && id) {
      if (!hasRole(ctx.actor.role, "approver")) throw new ForbiddenError("needs_approver", tr.t("bulk-needs-approver"));
      return { text: decideBulk(deps, tr, id, action, ctx.actor.id, ctx.dryRun) };
    }
    const holds = deps.bulkHolds.openHolds();
    if (!holds.length) return { text: tr.t("bulk-none") };
    return {
      text: holds
        .map((h) =>
          tr.t("bulk-line", {
            id: h.id,
            at: tr.dateTime(new Date(h.createdAt)),
            skus: h.skus,
            zeroed: h.zeroed,
            moved: h.unitsMoved,
            published: h.unitsPublished,
            cause: h.cause,
            held: deps.bulkHolds.heldRows(h.id),
          }),
        )
        .join("\n"),
      buttons: holds.flatMap((h) => [
        { label: `${tr.t("button-bulk-release")} ${h.id}`, action: `/bulk release ${h.id}` },
        { label: `${tr.t("button-bulk-discard")} ${h.id}`, action: `/bulk discard ${h.id}` },
      ]),
    };
  },
});

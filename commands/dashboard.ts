import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { issueSignInLink } from "../src/dashboard/auth.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "dashboard",
  summary: msg("cmd-dashboard-summary"),
  aliases: { "zh-CN": ["作战室"] },
  role: "viewer",
  args: z.object({ action: z.enum(["logout"]).optional() }),
  argText: { action: { name: msg("arg-dashboard-action"), description: msg("arg-dashboard-action-help") } },
  run: async ({ action }, { deps, actor, tr }) => {
    if (action === "logout") {
      return {
        text: tr.t("dashboard-logged-out", { count: deps.dashboard.revokeSessions(actor.id) }),
        privately: true,
      };
    }
    if (!deps.config.dashboard.enabled) return { text: tr.t("dashboard-off") };
    const url = issueSignInLink(deps, { userKey: actor.id, role: actor.role });
    return { text: tr.t("dashboard-link", { minutes: deps.config.dashboard.linkMinutes, url }), privately: true };
  },
});

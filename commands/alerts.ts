import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "alerts",
  summary: msg("cmd-alerts-summary"),
  aliases: { "zh-CN": ["告警"] },
  role: "viewer",
  args: z.object({}),
  run: async (_args, { deps }) => {
    const live = deps.ledger.alerts.liveAlerts(30);
    if (!live.length) return { text: "No open alerts." };
    return {
      text: live
        .map(
          (a) =>
            `#${a.id} [${a.severity}${a.status === "acked" ? `, acked by ${a.ackedBy}` : ""}${a.snoozedUntil && a.snoozedUntil > deps.clock.now().toISOString() ? ", snoozed" : ""}] ${a.text}`,
        )
        .join("\n"),
    };
  },
});

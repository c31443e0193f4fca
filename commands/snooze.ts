import { z } from "zod";
import { duration, intId } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "snooze",
  summary: msg("cmd-snooze-summary"),
  aliases: { "zh-CN": ["静默"] },
  role: "operator",
  args: z.object({ id: intId().describe("ID"), duration: duration().describe("DURATION") }),
  examples: ["/snooze 12 2h"],
  run: async ({ id, duration: ms }, { deps, tr }) => {
    const until = new Date(deps.clock.now().getTime() + ms);
    deps.ledger.alerts.snoozeAlert(id, until);
    return { text: tr.t("snooze-done", { id: String(id), until: tr.dateTime(until) }) };
  },
});

import { z } from "zod";
import { intId } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "ack",
  summary: msg("cmd-ack-summary"),
  aliases: { "zh-CN": ["收到"] },
  role: "operator",
  args: z.object({ id: intId().describe("ID") }),
  run: async ({ id }, { deps, actor, tr }) => {
    const { alert, wasAlreadyAcked } = deps.ledger.alerts.ackAlert(id, actor.id);
    return {
      text: wasAlreadyAcked
        ? tr.t("ack-already", { id: String(id), who: alert.ackedBy ?? "" })
        : tr.t("ack-done", { id: String(id), who: actor.id }),
    };
  },
});

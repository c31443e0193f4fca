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
  run: async ({ id }, { deps, actor }) => {
    const { alert, wasAlreadyAcked } = deps.ledger.alerts.ackAlert(id, actor.id);
    return {
      text: wasAlreadyAcked
        ? `Alert #${id} was already acknowledged by ${alert.ackedBy}.`
        : `Alert #${id} acknowledged by ${actor.id}.`,
    };
  },
});

import { z } from "zod";
import { intId } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";

export default defineCommand({
  name: "ack",
  summary: "Acknowledge an alert so it stops being re-sent",
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

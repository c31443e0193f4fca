import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "whoami",
  summary: msg("cmd-whoami-summary"),
  aliases: { "zh-CN": ["我是谁"] },
  role: "viewer",
  args: z.object({}),
  run: async (_args, { actor, tr }) => ({
    text: tr.t("whoami", { id: actor.id, role: tr.t(`role-${actor.role}`), transport: actor.transport }),
  }),
});

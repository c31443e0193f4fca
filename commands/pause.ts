import { z } from "zod";
import { channelOrAll, checkChannel } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "pause",
  summary: msg("cmd-pause-summary"),
  aliases: { "zh-CN": ["暂停"] },
  role: "operator",
  args: z.object({ channel: channelOrAll.unwrap().describe("CHANNEL|all") }),
  examples: ["/pause shop1", "/pause all"],
  run: async ({ channel }, { deps, actor, tr }) => {
    const only = checkChannel(deps, channel);
    const changed = deps.sync.pause(only, actor.id);
    const target = only ?? tr.t("pause-every-channel");
    if (!changed.length) return { text: tr.t("pause-already", { target }) };
    return {
      text: tr.t("pause-done", {
        channels: changed.join(", "),
        resume: only ?? "all",
        sync: only ?? tr.t("arg-channel"),
      }),
    };
  },
});

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
  run: async ({ channel }, { deps, actor }) => {
    const only = checkChannel(deps, channel);
    const changed = deps.sync.pause(only, actor.id);
    const target = only ?? "every channel";
    if (!changed.length) return { text: `${target} was already paused.` };
    return {
      text: `Paused automated pushes to ${changed.join(", ")}. Changes queue up; /resume ${only ?? "all"} pushes them, /sync ${only ?? "CHANNEL"} pushes once anyway.`,
    };
  },
});

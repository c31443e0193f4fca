import { z } from "zod";
import { channelOrAll, checkChannel } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "resume",
  summary: msg("cmd-resume-summary"),
  aliases: { "zh-CN": ["恢复"] },
  role: "operator",
  args: z.object({ channel: channelOrAll.unwrap().describe("CHANNEL|all") }),
  examples: ["/resume shop1", "/resume all"],
  run: async ({ channel }, { deps, actor, tr }) => {
    const only = checkChannel(deps, channel);
    const changed = deps.sync.resume(only, actor.id);
    if (!changed.length)
      return { text: only ? tr.t("resume-not-paused", { channel: only }) : tr.t("resume-none-paused") };
    const backlog = deps.channelState.backlogs().filter((b) => changed.includes(b.channelId));
    const queued = backlog.reduce((n, b) => n + b.pending, 0);
    return {
      text: tr.t("resume-done", { channels: changed.join(", "), queued }),
    };
  },
});

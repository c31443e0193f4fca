import { z } from "zod";
import { todoStatusLines } from "../src/channels/xianyu.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "todos",
  summary: msg("cmd-todos-summary"),
  aliases: { "zh-CN": ["待办"] },
  role: "viewer",
  args: z.object({}),
  run: async (_args, { deps }) => {
    const open = deps.checklist.openTodos();
    if (!open.length) return { text: "No open Xianyu to-dos." };
    return {
      text: [`${open.length} open Xianyu to-do${open.length === 1 ? "" : "s"}:`, ...todoStatusLines(open)].join("\n"),
      buttons: open.slice(0, 10).map((t) => ({ label: `Done ${t.sku}`, action: `/xianyu-done ${t.id}` })),
    };
  },
});
